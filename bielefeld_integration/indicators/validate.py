"""Validate a parsed catalogue document into a :class:`Catalogue`.

:func:`validate_catalogue` checks every entry (required fields, kind-specific fields,
filters against the table schemas, groups, breakdowns) and reports all problems at once
as :class:`~bielefeld_integration.errors.DataErrors`; the field parsers are in
:mod:`bielefeld_integration.indicators.fields`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bielefeld_integration.indicators.fields import (
    Problems,
    check_breakdowns,
    parse_filter,
    parse_groups,
    parse_side,
    parse_target,
    years,
)
from bielefeld_integration.indicators.schema import (
    CHANGE_MODES,
    FIELD_CODES,
    ID_RE,
    KINDS,
    OPTIONAL_FIELDS,
    POLARITIES,
    REQUIRED_FIELDS,
    SPATIAL,
    STATUSES,
    Catalogue,
    Groups,
    Indicator,
)


def _parse_indicator(
    raw: Any,
    index: int,
    group_sets: Mapping[str, Any],
    handlungsfelder: Mapping[str, str],
    problems: Problems,
) -> Indicator | None:
    if not isinstance(raw, Mapping):
        problems.add(f"Nr. {index + 1}", "", f"erwartet eine Zuordnung, gefunden {raw!r}")
        return None
    entry = str(raw.get("id") or f"Nr. {index + 1}")
    n_errors = len(problems.errors)
    missing = [f for f in REQUIRED_FIELDS if f not in raw]
    for f in missing:
        problems.add(entry, f, "Pflichtangabe fehlt")
    unknown = set(map(str, raw)) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS)
    for f in sorted(unknown):
        problems.add(entry, f, "unbekannte Angabe")
    if missing:
        return None
    if not ID_RE.match(entry):
        problems.add(entry, "id", "erwartet eine Kennung wie 'DEM-02'")
    for f in ("title", "definition", "unit", "reference_date", "source", "reference"):
        if not isinstance(raw[f], str) or not raw[f].strip():
            problems.add(entry, f, "erwartet einen nicht leeren Text")

    fld = raw["field"]
    code = hf = None
    if not isinstance(fld, Mapping):
        problems.add(entry, "field", "erwartet {code: DEM, handlungsfeld: ...}")
    else:
        code, hf = fld.get("code"), fld.get("handlungsfeld")
        if code not in FIELD_CODES:
            problems.add(
                entry,
                "field.code",
                f"erwartet eines von {', '.join(FIELD_CODES)}, gefunden {code!r}",
            )
        elif not entry.startswith(f"{code}-"):
            problems.add(entry, "field.code", f"Kennung passt nicht zum Feld {code!r}")
        if hf not in handlungsfelder:
            problems.add(
                entry,
                "field.handlungsfeld",
                f"erwartet eines von {', '.join(handlungsfelder)}, gefunden {hf!r}",
            )

    kind = raw["kind"]
    if kind not in KINDS:
        problems.add(entry, "kind", f"erwartet eines von {', '.join(KINDS)}, gefunden {kind!r}")
        return None
    polarity = raw["polarity"]
    if polarity not in POLARITIES:
        problems.add(
            entry, "polarity", f"erwartet eines von {', '.join(POLARITIES)}, gefunden {polarity!r}"
        )
    status = raw.get("status", "aktiv")
    if status not in STATUSES:
        problems.add(entry, "status", f"erwartet aktiv oder geplant, gefunden {status!r}")
        return None
    multiplier = raw["multiplier"]
    if isinstance(multiplier, bool) or not isinstance(multiplier, (int, float)) or multiplier <= 0:
        problems.add(entry, "multiplier", f"erwartet eine positive Zahl, gefunden {multiplier!r}")
        multiplier = 1
    min_den = raw["min_denominator"]
    if min_den is not None and (
        isinstance(min_den, bool) or not isinstance(min_den, (int, float)) or min_den < 0
    ):
        problems.add(
            entry, "min_denominator", f"erwartet eine Zahl ≥ 0 oder null, gefunden {min_den!r}"
        )
        min_den = None
    breaks = years(raw["breaks"], entry, "breaks", problems)
    provisional = years(raw.get("provisional"), entry, "provisional", problems)
    target = parse_target(raw["target"], entry, problems)
    breakdowns = raw["breakdowns"]
    if not isinstance(breakdowns, list) or not all(isinstance(b, str) for b in breakdowns):
        problems.add(entry, "breakdowns", f"erwartet eine Liste, gefunden {breakdowns!r}")
        breakdowns = []
    elif len(set(breakdowns)) != len(breakdowns):
        problems.add(entry, "breakdowns", "Gliederung doppelt genannt")

    groups_raw = parse_groups(raw["groups"], group_sets, entry, problems)

    def indicator(**specific: Any) -> Indicator:
        """The Indicator of this entry: the fields every status shares, and ``specific``."""
        return Indicator(
            id=entry,
            title=raw["title"],
            field_code=str(code),
            handlungsfeld=str(hf),
            definition=raw["definition"],
            kind=kind,
            multiplier=float(multiplier),
            unit=raw["unit"],
            breakdowns=tuple(breakdowns),
            reference_date=raw["reference_date"],
            source=raw["source"],
            polarity=polarity,
            target=target,
            reference=raw["reference"],
            breaks=breaks,
            provisional=provisional,
            status=status,
            note=str(raw.get("note") or ""),
            raw=raw,
            **specific,
        )

    if status == "geplant":
        if len(problems.errors) > n_errors or groups_raw is None:
            return None
        set_name, concept, apply, _ = groups_raw
        return indicator(
            numerator=None,
            denominator=None,
            groups=Groups(concept, (("insgesamt", ()),), apply, set_name),
            min_denominator=min_den,
        )

    numerator = parse_side(raw["numerator"], entry, "numerator", problems)
    denominator = None
    if kind == "count":
        if raw["denominator"] is not None:
            problems.add(entry, "denominator", "eine Anzahl (kind: count) hat keinen Nenner: null")
    elif raw["denominator"] is None:
        if kind != "change":
            problems.add(entry, "denominator", f"kind {kind} braucht einen Nenner")
    else:
        denominator = parse_side(raw["denominator"], entry, "denominator", problems)

    comparison = None
    if kind == "representation_index":
        comp = raw.get("comparison")
        if not isinstance(comp, Mapping) or not {"numerator", "denominator"} <= set(comp):
            problems.add(
                entry,
                "comparison",
                "Repräsentationsindex braucht comparison: {numerator, denominator}",
            )
        else:
            cn = parse_side(comp["numerator"], entry, "comparison.numerator", problems)
            cd = parse_side(comp["denominator"], entry, "comparison.denominator", problems)
            if cn and cd:
                comparison = (cn, cd)
    elif raw.get("comparison") is not None:
        problems.add(entry, "comparison", f"nur für kind representation_index, nicht {kind}")

    change = None
    if kind == "change":
        change = raw.get("change")
        if change not in CHANGE_MODES:
            problems.add(
                entry,
                "change",
                f"erwartet eines von {', '.join(CHANGE_MODES)}, gefunden {change!r}",
            )
    elif raw.get("change") is not None:
        problems.add(entry, "change", f"nur für kind change, nicht {kind}")

    unit_level = None
    if kind == "dissimilarity":
        unit_level = raw.get("unit_level", "stat_bezirk")
        if unit_level not in SPATIAL:
            problems.add(
                entry, "unit_level", f"erwartet {' oder '.join(SPATIAL)}, gefunden {unit_level!r}"
            )
        bad = [b for b in breakdowns if b not in SPATIAL or b == unit_level]
        if bad or (unit_level == "stadtbezirk" and breakdowns):
            problems.add(
                entry,
                "breakdowns",
                "Dissimilaritätsindex: nur übergeordnete Gebietsebenen als Gliederung",
            )
    elif raw.get("unit_level") is not None:
        problems.add(entry, "unit_level", f"nur für kind dissimilarity, nicht {kind}")
    if kind == "location_quotient" and not any(b in SPATIAL for b in breakdowns):
        problems.add(entry, "breakdowns", "Lokationsquotient braucht eine Gebietsgliederung")

    if numerator is None or (kind not in ("count", "change") and denominator is None):
        return None
    if groups_raw is None:
        return None
    if kind == "representation_index" and comparison is None:
        return None
    set_name, concept, apply, members_raw = groups_raw
    if denominator is None:
        apply = "numerator"
    group_tables = (
        [numerator.table] if apply == "numerator" else [numerator.table, denominator.table]
    )  # type: ignore[union-attr]
    members = []
    for label, flt in members_raw:
        members.append(
            (
                label,
                parse_filter(
                    flt, sorted(set(group_tables)), entry, f"groups.members.{label}", problems
                ),
            )
        )
    if len({m[0] for m in members}) != len(members):
        problems.add(entry, "groups.members", "Gruppenbezeichnung doppelt")

    compare = None
    if kind in ("gap_pp", "ratio"):
        cmp_raw = raw.get("compare")
        labels = [m[0] for m in members]
        if (
            not isinstance(cmp_raw, list)
            or len(cmp_raw) != 2
            or not all(str(c) in labels for c in cmp_raw)
            or cmp_raw[0] == cmp_raw[1]
        ):
            problems.add(
                entry,
                "compare",
                f"erwartet zwei verschiedene Gruppen aus {', '.join(labels)}, gefunden {cmp_raw!r}",
            )
        else:
            compare = (str(cmp_raw[0]), str(cmp_raw[1]))
    elif raw.get("compare") is not None:
        problems.add(entry, "compare", f"nur für kind gap_pp oder ratio, nicht {kind}")

    sides = [s for s in (numerator, denominator) if s is not None]
    if comparison:
        sides.extend(comparison)
    if kind == "dissimilarity" and unit_level:
        check_breakdowns({"breakdowns": [*breakdowns, unit_level]}, sides, entry, problems)
    elif kind == "representation_index":
        check_breakdowns({"breakdowns": breakdowns}, sides, entry, problems)
    else:
        check_breakdowns({"breakdowns": breakdowns}, sides, entry, problems)

    if len(problems.errors) > n_errors:
        return None
    return indicator(
        numerator=numerator,
        denominator=denominator,
        groups=Groups(concept, tuple(members), apply, set_name),
        min_denominator=None if min_den is None else float(min_den),
        compare=compare,
        comparison=comparison,
        change=change,
        unit_level=unit_level,
    )


def validate_catalogue(doc: Any, source: str = "catalogue.yaml") -> Catalogue:
    """Validate a parsed catalogue document and build the :class:`Catalogue`.

    Parameters
    ----------
    doc : dict
        The parsed YAML: ``handlungsfelder`` (key -> German name), ``group_sets`` (name ->
        ``{concept, members}``) and ``indicators`` (list of entries).
    source : str
        File name used in error messages.

    Returns
    -------
    Catalogue

    Raises
    ------
    DataError
        Naming the entry id and field, for unknown tables or columns, codes outside the
        code list, missing fields, duplicate ids, unknown kinds and every other problem.
        Several problems are reported together (:class:`~bielefeld_integration.errors.DataErrors`).
    """
    problems = Problems(source)
    if not isinstance(doc, Mapping):
        problems.add("", "", "erwartet eine YAML-Zuordnung mit 'indicators'")
        problems.raise_if_any()
    handlungsfelder = doc.get("handlungsfelder") or {}
    group_sets = doc.get("group_sets") or {}
    entries = doc.get("indicators")
    if not isinstance(handlungsfelder, Mapping) or not handlungsfelder:
        problems.add("", "handlungsfelder", "fehlt (Schlüssel: Name des Handlungsfelds)")
        handlungsfelder = {}
    if not isinstance(group_sets, Mapping):
        problems.add("", "group_sets", "erwartet eine Zuordnung Name: {concept, members}")
        group_sets = {}
    if not isinstance(entries, list) or not entries:
        problems.add("", "indicators", "fehlt oder leer")
        problems.raise_if_any()

    indicators: list[Indicator] = []
    seen: set[str] = set()
    for i, raw in enumerate(entries):
        ind_id = str(raw.get("id")) if isinstance(raw, Mapping) else None
        if ind_id in seen:
            problems.add(ind_id, "id", "Kennung kommt mehrfach vor")
            continue
        if ind_id:
            seen.add(ind_id)
        ind = _parse_indicator(raw, i, group_sets, handlungsfelder, problems)
        if ind is not None:
            indicators.append(ind)
    problems.raise_if_any()

    parsed_sets = {}
    for name, gs in group_sets.items():
        if isinstance(gs, Mapping) and isinstance(gs.get("members"), Mapping):
            parsed_sets[str(name)] = Groups(
                str(gs.get("concept", "")),
                tuple((str(k), ()) for k in gs["members"]),
                "both",
                str(name),
            )
    return Catalogue(indicators, parsed_sets, {str(k): str(v) for k, v in handlungsfelder.items()})
