"""Each measure's indicators with their values at the start of the measure and now.

A descriptive juxtaposition, not an impact measurement (:data:`IMPACT_CAVEAT`). The
indicator table is passed in; for publication it must be the suppressed (published) table.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import CITY_CODE
from bielefeld_integration.measures.cells import is_empty
from bielefeld_integration.measures.vocabulary import split_list
from bielefeld_integration.periods import Period


def indicator_view(
    reg: pd.DataFrame,
    indicators_df: pd.DataFrame,
    *,
    period: str | int | Period | None = None,
    area_code: str = CITY_CODE,
    groups: Iterable[str] | None = None,
    filters: Mapping[str, Any] | None = None,
    include_unlinked: bool = False,
) -> pd.DataFrame:
    """Each measure's related indicators with their city value at the start and now.

    A descriptive juxtaposition, not an impact measurement: print :data:`IMPACT_CAVEAT`
    with it.

    Parameters
    ----------
    reg : pandas.DataFrame
        A register.
    indicators_df : pandas.DataFrame
        The indicator table of :mod:`bielefeld_integration.indicators.compute` (or any tidy
        frame with ``period``, ``indicator`` (or ``indicator_id``) and ``value``). Rows of
        ``area_code`` are used (or ``area_level == "stadt"`` if there is no ``area_code``),
        and only the totals of breakdowns (``breakdown``/``breakdown_value`` ==
        ``"insgesamt"``) where these columns exist. A ``group`` column gives one row per
        group; ``unit`` and ``symbol`` are passed through.
    period : str, int or Period, optional
        The current period; default the year of the register's latest ``Stand``.
    area_code : str, default the city
        The area whose values are shown.
    groups : iterable of str, optional
        Only these comparison groups (e.g. ``["insgesamt"]``); default all.
    filters : mapping, optional
        Further ``column == value`` conditions on ``indicators_df``, so that one value per
        indicator, group and period remains.
    include_unlinked : bool, default False
        Also list measures without indicators (with empty indicator columns).

    Returns
    -------
    pandas.DataFrame
        ``measure_id``, ``title``, ``status``, ``start_year``, ``indicator``, (``group``,)
        (``unit``,) ``base_period`` (the start year if a value exists for it, else the
        first later period with a value, else – for measures older than the data – the
        first period with a value), ``base_value``, (``base_symbol``,) ``period``,
        ``value``, (``symbol``,) ``change`` (value − base value; NaN when the base period is
        not before the current one). One row per measure, indicator and group, in register
        order.

    Raises
    ------
    DataError
        If required columns are missing or several values remain for one indicator, group
        and period.
    """
    ind = indicators_df.copy()
    if "indicator" not in ind.columns and "indicator_id" in ind.columns:
        ind = ind.rename(columns={"indicator_id": "indicator"})
    missing = {"period", "indicator", "value"} - set(ind.columns)
    if missing:
        raise DataError(f"Indikatorentabelle ohne Spalte(n) {', '.join(sorted(missing))}")
    if "area_code" in ind.columns:
        ind = ind[ind["area_code"].astype(str) == area_code]
    elif "area_level" in ind.columns and area_code == CITY_CODE:
        ind = ind[ind["area_level"] == "stadt"]
    for col in ("breakdown", "breakdown_value"):
        if col in ind.columns:
            ind = ind[ind[col] == "insgesamt"]
    for col, value in (filters or {}).items():
        if col not in ind.columns:
            raise DataError(f"Filter auf unbekannte Spalte {col!r} der Indikatorentabelle")
        ind = ind[ind[col] == value]
    has_group = "group" in ind.columns
    if groups is not None and has_group:
        ind = ind[ind["group"].isin(list(groups))]
    ind = ind.assign(period=ind["period"].astype(str), indicator=ind["indicator"].astype(str))
    keys = ["indicator", *(["group"] if has_group else []), "period"]
    dup = ind.duplicated(keys, keep=False)
    if dup.any():
        example = ind.loc[dup, keys].iloc[0].to_dict()
        raise DataError(
            f"mehrere Werte für {example} in der Indikatorentabelle: weitere Filter angeben "
            "(Argument filters)"
        )
    if period is None:
        current = str(max(int(str(v)[:4]) for v in reg["as_of"])) if len(reg) else None
    else:
        current = str(Period.parse(period))
    has_symbol = "symbol" in ind.columns
    series: dict[tuple, dict[str, tuple[float, str]]] = {}
    units: dict[str, str] = {}
    for rec in ind.to_dict("records"):
        key = (rec["indicator"], rec["group"]) if has_group else (rec["indicator"],)
        symbol = str(rec["symbol"]) if has_symbol and not is_empty(rec["symbol"]) else ""
        series.setdefault(key, {})[rec["period"]] = (float(rec["value"]), symbol)
        if "unit" in ind.columns:
            units[rec["indicator"]] = rec["unit"]
    rows = []
    for m in reg.itertuples(index=False):
        start_year = int(str(m.start)[:4])
        ids = split_list(m.indicators)
        base_rec = {
            "measure_id": m.measure_id,
            "title": m.title,
            "status": m.status,
            "start_year": start_year,
        }
        if not ids and include_unlinked:
            rows.append({**base_rec, "indicator": None})
        for ident in ids:
            keys_for = [k for k in series if k[0] == ident]
            if not keys_for:  # indicator without values: keep the row, values missing
                keys_for = [(ident, None) if has_group else (ident,)]
            for key in keys_for:
                values = series.get(key, {})
                avail = sorted(
                    p
                    for p, (v, _) in values.items()
                    if not math.isnan(v) and (current is None or p <= current)
                )
                later = [p for p in avail if int(p) >= start_year]
                base_p = later[0] if later else None
                if base_p is None and avail and int(avail[0]) > start_year:
                    base_p = avail[0]
                cur_v, cur_s = values.get(current, (math.nan, "")) if current else (math.nan, "")
                base_v, base_s = values[base_p] if base_p else (math.nan, "")
                rec = {**base_rec, "indicator": ident}
                if has_group:
                    rec["group"] = key[1]
                if units:
                    rec["unit"] = units.get(ident)
                rec.update({"base_period": base_p, "base_value": base_v})
                if has_symbol:
                    rec["base_symbol"] = base_s
                rec.update({"period": current, "value": cur_v})
                if has_symbol:
                    rec["symbol"] = cur_s
                rec["change"] = (
                    cur_v - base_v
                    if base_p is not None and current is not None and base_p < current
                    else math.nan
                )
                rows.append(rec)
    columns = [
        "measure_id",
        "title",
        "status",
        "start_year",
        "indicator",
        *(["group"] if has_group else []),
        *(["unit"] if units else []),
        "base_period",
        "base_value",
        *(["base_symbol"] if has_symbol else []),
        "period",
        "value",
        *(["symbol"] if has_symbol else []),
        "change",
    ]
    out = pd.DataFrame(rows, columns=columns)
    for col in ("base_value", "value", "change"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    return out


#: Codes of the breakdown by sex in the indicator table, in the order they are shown.
SEX_CODES: tuple[str, ...] = ("w", "m")


def by_sex(
    indicators_df: pd.DataFrame,
    ids: Iterable[str],
    *,
    period: str | int | Period,
    area_code: str = CITY_CODE,
) -> pd.DataFrame:
    """Indicator values of one period for women and men beside the total (focus goal 4).

    Parameters
    ----------
    indicators_df : pandas.DataFrame
        The indicator table (for publication the published one) with ``period``,
        ``indicator``, ``area_code``, ``group``, ``breakdown``, ``breakdown_value``,
        ``value``, ``unit`` and ``symbol``.
    ids : iterable of str
        The indicators to show, in this order; those without a breakdown by sex in the
        period are left out.
    period : str, int or Period
        The period.
    area_code : str, default the city
        The area.

    Returns
    -------
    pandas.DataFrame
        One row per indicator and comparison group (gaps between groups left out):
        ``indicator``, ``group``, ``unit``, then ``value_w``, ``symbol_w``, ``value_m``,
        ``symbol_m``, ``value_total``, ``symbol_total``.

    Examples
    --------
    >>> t = pd.DataFrame({"period": "2019", "indicator": "ARB-01", "area_code": CITY_CODE,
    ...     "group": "insgesamt", "breakdown": ["insgesamt", "sex", "sex"],
    ...     "breakdown_value": ["insgesamt", "w", "m"], "value": [56.0, 53.2, 58.6],
    ...     "unit": "%", "symbol": ""})
    >>> by_sex(t, ["ARB-01", "KITA-01"], period=2019)[["value_w", "value_m", "value_total"]]
       value_w  value_m  value_total
    0     53.2     58.6         56.0
    """
    p = str(Period.parse(period))
    order = list(dict.fromkeys(ids))
    t = indicators_df[
        (indicators_df["period"].astype(str) == p)
        & (indicators_df["area_code"].astype(str) == area_code)
        & indicators_df["indicator"].isin(order)
        & ~indicators_df["group"].astype(str).str.contains("-", regex=False)
    ]
    with_sex = set(t.loc[t["breakdown"] == "sex", "indicator"])
    columns = ["indicator", "group", "unit"]
    for code in (*SEX_CODES, "total"):
        columns += [f"value_{code}", f"symbol_{code}"]
    rows = []
    for ident in (i for i in order if i in with_sex):
        sub = t[t["indicator"] == ident]
        for group in dict.fromkeys(sub["group"]):
            g = sub[sub["group"] == group]
            rec: dict[str, Any] = {"indicator": ident, "group": group, "unit": g["unit"].iloc[0]}
            for code, mask in (
                *((c, (g["breakdown"] == "sex") & (g["breakdown_value"] == c)) for c in SEX_CODES),
                ("total", g["breakdown"] == "insgesamt"),
            ):
                cell = g[mask]
                rec[f"value_{code}"] = float(cell["value"].iloc[0]) if len(cell) else math.nan
                symbol = cell["symbol"].iloc[0] if len(cell) else ""
                rec[f"symbol_{code}"] = "" if is_empty(symbol) else str(symbol)
            rows.append(rec)
    return pd.DataFrame(rows, columns=columns)
