"""Indicator tables of the chapters: groups, district profile, Statistische Bezirke, methods.

Cells are German text with table symbols as their signs; every table has a machine-readable
twin for its CSV download (German headers, numbers, ``Einheit`` and ``Zeichen`` columns).
Tables stay narrow: more than :data:`MAX_WIDE_GROUPS` groups are listed as rows, not columns.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from bielefeld_integration import store
from bielefeld_integration.geography import CITY_CODE, stat_bezirk_label
from bielefeld_integration.present.chapter_data import ChapterData
from bielefeld_integration.present.dashboard import HEADLINE
from bielefeld_integration.present.display import show_table
from bielefeld_integration.present.format import fmt_date, fmt_number, fmt_value
from bielefeld_integration.present.labels import TOTAL, group_label, indicator_label
from bielefeld_integration.tables import TABLES

#: Most groups shown side by side as columns; more become rows.
MAX_WIDE_GROUPS = 4

#: Readable names of the delivery formats (for the provenance table).
FORMAT_LABELS: dict[str, str] = {
    "city_csv": "CSV-Lieferung eines städtischen Amts",
    "genesis_classic": "GENESIS-Tabelle (CSV)",
    "genesis_flat": "GENESIS-Flatfile (CSV)",
    "ba_csv": "Tabelle der Bundesagentur für Arbeit (CSV)",
    "register_csv": "Auszug aus dem Melderegister (CSV)",
    "foreigners_office_csv": "Auszug der Ausländerbehörde (CSV)",
    "bamf_csv": "Tabelle des BAMF (CSV)",
    "arrivals_csv": "Zugangsstatistik (CSV)",
    "csv": "CSV-Datei",
}


def domain_label(domain: str) -> str:
    """German name of a delivery's content, from the table description."""
    if domain not in TABLES:
        return domain
    text = TABLES[domain].description
    for cut in (" nach ", " (", ":"):
        if cut in text:
            text = text.split(cut)[0]
    return text


class TableViews(ChapterData):
    """Table methods of :class:`~bielefeld_integration.present.views.Chapter`."""

    def _group_rows(self, ids: Sequence[str], area_code: str | None) -> list:
        parts = []
        for ind_id in ids:
            if ind_id not in self.catalogue:
                continue
            r = self.rows(ind_id, group=None, period=self.period, area_code=area_code)
            parts.append((self.catalogue[ind_id], r))
        return parts

    def group_table(self, ids: Sequence[str], *, area_code: str | None = None) -> pd.DataFrame:
        """Indicators by comparison group for the page's period, formatted in German.

        Indicators that share the same few groups (e.g. insgesamt / Deutsche / Ausländer)
        are shown side by side, one column per group; otherwise one row per indicator and
        group with the values of this and the previous period.
        """
        parts = self._group_rows(ids, area_code)
        group_sets = {frozenset(r["group"]) for _, r in parts}
        if len(group_sets) == 1 and len(next(iter(group_sets))) <= MAX_WIDE_GROUPS:
            rows = []
            for ind, r in parts:
                row = {"Indikator": f"{ind.id} {ind.title}", "Einheit": self.unit(ind.id)}
                for g, v, sym in zip(r["group"], r["value"], r["symbol"], strict=True):
                    row[group_label(g, ind)] = fmt_value(v, ind.unit, sym)
                rows.append(row)
            return pd.DataFrame(rows)
        rows = []
        for ind, r in parts:
            for g, v, sym in zip(r["group"], r["value"], r["symbol"], strict=True):
                before, bsym, _ = self.value(
                    ind.id, group=g, period=self.previous, area_code=area_code
                )
                rows.append(
                    {
                        "Indikator": indicator_label(ind, g),
                        "Einheit": self.unit(ind.id),
                        self.period: fmt_value(v, ind.unit, sym),
                        self.previous: fmt_value(before, ind.unit, bsym),
                    }
                )
        return pd.DataFrame(rows)

    def group_table_data(self, ids: Sequence[str], *, area_code: str | None = None) -> pd.DataFrame:
        """The values of :meth:`group_table` for the CSV download (both periods)."""
        frames = []
        for ind, r in self._group_rows(ids, area_code):
            before = self.rows(ind.id, group=None, period=self.previous, area_code=area_code).loc[
                lambda d, r=r: d["group"].isin(r["group"])
            ]
            frames.extend([before, r])
        if not frames:
            return self.download_frame(self.empty_rows())
        return self.download_frame(pd.concat(frames), None if area_code else self.area_name)

    def show_group_table(self, ids: Sequence[str], *, caption: str, name: str) -> None:
        """Display :meth:`group_table` with its CSV download."""
        show_table(
            self.group_table(ids), caption=caption, name=name, data=self.group_table_data(ids)
        )

    def district_profile(self, ids: Sequence[str] | None = None) -> pd.DataFrame:
        """Key indicators of the page's district beside the city value (formatted)."""
        rows = []
        for ind_id in HEADLINE if ids is None else ids:
            if ind_id not in self.catalogue:
                continue
            g = self.headline_group(ind_id)
            if self.rows(ind_id, group=g, period=self.period).empty:
                continue
            rows.append(
                {
                    "Indikator": self.label(ind_id, g),
                    "Einheit": self.unit(ind_id),
                    self.area_name: self.fmt(ind_id, group=g),
                    "Stadt Bielefeld": self.fmt(ind_id, group=g, area_code=CITY_CODE),
                }
            )
        return pd.DataFrame(rows)

    def district_profile_data(self, ids: Sequence[str] | None = None) -> pd.DataFrame:
        """The values of :meth:`district_profile` for the CSV download (district and city)."""
        parts = []
        for ind_id in HEADLINE if ids is None else ids:
            if ind_id not in self.catalogue:
                continue
            g = self.headline_group(ind_id)
            for area in dict.fromkeys([self.area_code, CITY_CODE]):
                parts.append(self.rows(ind_id, group=g, period=self.period, area_code=area))
        if not parts:
            return self.download_frame(self.empty_rows())
        return self.download_frame(pd.concat(parts))

    def stat_bezirk_table(self, ind_id: str, group: str = TOTAL) -> pd.DataFrame:
        """An indicator for the Statistische Bezirke of the page's district (formatted)."""
        d = self._stat_bezirk_rows(ind_id, group)
        ind = self.catalogue[ind_id]
        return pd.DataFrame(
            {
                "Statistischer Bezirk": [stat_bezirk_label(c) for c in d["area_code"]],
                f"{indicator_label(ind, group)} ({self.unit(ind_id)})": [
                    fmt_value(v, ind.unit, s) for v, s in zip(d["value"], d["symbol"], strict=True)
                ],
            }
        )

    def _stat_bezirk_rows(self, ind_id: str, group: str) -> pd.DataFrame:
        d = self.level_rows(ind_id, "stat_bezirk", group)
        if self.district:
            d = d[d["area_code"].str.startswith(self.district)]
        return d

    def stat_bezirk_data(self, ind_id: str, group: str = TOTAL) -> pd.DataFrame:
        """The values of :meth:`stat_bezirk_table` for the CSV download."""
        return self.download_frame(self._stat_bezirk_rows(ind_id, group))

    # ----------------------------------------------------------------------- methods
    def catalogue_table(self) -> pd.DataFrame:
        """The catalogue as a German table: id, title, definition, unit, source, reference."""
        rows = [
            {
                "Kennung": ind.id,
                "Titel": ind.title,
                "Handlungsfeld": self.catalogue.handlungsfelder.get(
                    ind.handlungsfeld, ind.handlungsfeld
                ),
                "Definition": ind.definition,
                "Einheit": self.unit(ind.id),
                "Vergleichsgruppen": ", ".join(group_label(g, ind) for g in ind.groups.labels),
                "Quelle": ind.source,
                "Stichtag": ind.reference_date,
                "Länder-Monitoring/Referenz": ind.reference or "",
                "Mindestnenner": ""
                if ind.min_denominator is None
                else fmt_number(ind.min_denominator),
                "Brüche": ", ".join(str(b) for b in ind.breaks),
            }
            for ind in self.catalogue.values()
        ]
        return pd.DataFrame(rows)

    def provenance_table(self) -> pd.DataFrame:
        """The inputs of this period with content, origin, reference date and SHA-256."""
        prov = store.provenance(self.period, self.data)
        return pd.DataFrame(
            [
                {
                    "Datei": i["file"],
                    "Inhalt": domain_label(i["domain"]),
                    "Format": FORMAT_LABELS.get(i["format"], i["format"]),
                    "Stichtag": fmt_date(i["reference_date"]),
                    "Herkunft": i["origin"],
                    "SHA-256": i["sha256"],
                }
                for i in prov["inputs"]
            ]
        )

    def provenance_note(self) -> str:
        """German sentence on package version and synthetic data."""
        prov = store.provenance_summary(self.period, self.data)
        synthetic = (
            " **Die Eingangsdaten sind synthetische Demodaten, keine amtlichen Zahlen.**"
            if prov["synthetic"]
            else ""
        )
        n = prov["inputs"]
        return (
            f"Aufbereitet mit bielefeld-integration {prov['package_version']} aus "
            f"{n} {'Lieferung' if n == 1 else 'Lieferungen'}.{synthetic}"
        )

    def show_table_of(
        self, df: pd.DataFrame, *, caption: str, name: str, data: pd.DataFrame | None = None
    ) -> None:
        """Display an already formatted frame with CSV download (``data``: its numbers)."""
        show_table(df, caption=caption, name=name, data=data)


__all__ = ["FORMAT_LABELS", "MAX_WIDE_GROUPS", "TableViews", "domain_label"]
