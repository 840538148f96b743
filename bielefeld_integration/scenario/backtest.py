"""Backtest: how well would the model have predicted what happened?

The observed arrivals of some periods are replayed with rates of earlier periods only, and
the predicted needs are compared with what the data show at their own reference dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from bielefeld_integration.periods import Period
from bielefeld_integration.scenario.definitions import CITY
from bielefeld_integration.scenario.loading import (
    Loader,
    default_load,
    period_text,
    try_load,
)
from bielefeld_integration.scenario.projection import project
from bielefeld_integration.scenario.rates import estimate_rates
from bielefeld_integration.scenario.spec import Scenario


@dataclass(frozen=True)
class _Check:
    need: str
    table: str
    label: str
    lag: int  # observation period = scenario year + lag
    increment: bool  # compare the change against the period before the first arrivals


_CHECKS = [
    _Check(
        "kita",
        "daycare",
        "Kinder mit Migrationshintergrund in Kindertagesbetreuung (01.03.)",
        1,
        True,
    ),
    _Check("seiteneinstieg", "newcomer_pupils", "Neu zugewanderte Schüler/innen", 0, False),
    _Check("kurs_eintritte", "integration_courses", "Eintritte in Integrationskurse", 0, False),
    _Check(
        "unterbringung", "accommodation", "Personen in städtischer Unterbringung (31.12.)", 0, True
    ),
]


def _observed(load: Loader, check: _Check, period: str) -> float | None:
    df = try_load(load, check.table, period)
    if df is None:
        return None
    if check.table == "daycare":
        df = df[df["migration_background"] == "mit"]
    elif check.table == "integration_courses":
        df = df[df["measure"] == "eintritte"]
    return float(df["count"].sum())


def backtest(
    load: Loader | None = None,
    *,
    data: str | Path | None = None,
    arrival_periods: Sequence[str] = ("2015", "2016"),
    rate_periods: Sequence[str] = ("2014",),
) -> pd.DataFrame:
    """Check the model against what happened: replay observed arrivals with older rates.

    The observed arrivals of ``arrival_periods`` (with their own age/sex structure and
    district distribution) are fed to the model with rates estimated from ``rate_periods``
    only. The predicted needs are compared with the data at their own reference dates:
    day care on 01.03. of the *following* year (so arrivals 2015–2016 are compared with
    day care 2016–2017), newcomer pupils and course entries in the same calendar year,
    accommodation on 31.12. Stocks (day care, accommodation) are compared as the change
    against the last observation before the first arrivals, since the model predicts the
    additional need; for accommodation the prediction includes the model's decline of that
    earlier stock (``unterbringung_verbleib``). Flows of the first year include the part that
    the model carries over from the arrivals of the year before (``*_anteil_folgejahr``).
    Everything the prediction uses is known at the end of the last rate period, apart from
    the replayed arrivals.

    Parameters
    ----------
    load, data:
        Where to read processed tables (default: the store).
    arrival_periods:
        Periods whose arrivals are replayed (default 2015, 2016: the refugee wave).
    rate_periods:
        Periods the rates are estimated from (default 2014: before the wave).

    Returns
    -------
    pandas.DataFrame
        Columns ``need``, ``label`` (German), ``year`` (arrival year), ``period`` (observed
        period), ``comparison`` (``"Veränderung gegenüber <period>"`` or ``"Jahreswert"``),
        ``predicted``, ``low``, ``high``, ``observed``, ``abs_error`` (predicted − observed),
        ``rel_error`` (abs_error / observed; NaN if observed is 0), ``in_range`` (bool).
        Checks whose observation is missing in the data are left out.
    """
    load = load or default_load(data)
    arrival_periods = [str(Period.parse(p)) for p in arrival_periods]
    scn = Scenario(
        name="backtest",
        title=f"Rückrechnung: Zugänge {period_text(arrival_periods)} mit Kennzahlen "
        f"{period_text(list(rate_periods))}",
        horizon=len(arrival_periods),
        start_year=Period.parse(arrival_periods[0]).year,
        replay_periods=tuple(arrival_periods),
        reference_periods=tuple(arrival_periods),
        rate_periods=tuple(str(p) for p in rate_periods),
    )
    rates = estimate_rates(rate_periods, load)
    df = project(scn, rates, load=load)
    city = df[df["stadtbezirk"] == CITY].set_index(["need", "year"])[["value", "low", "high"]]
    first = Period.parse(arrival_periods[0])
    # carry-over of lagged flows from the arrivals of the year before the replay
    before = str(first.previous)
    carry = None
    if try_load(load, "arrivals", before) is not None:
        pre = Scenario(
            name="vorjahr", title="Vorjahr", horizon=2, start_year=first.previous.year,
            replay_periods=(before,), reference_periods=(before,),
        )  # fmt: skip
        pre_df = project(pre, rates, load=load)
        carry = pre_df[(pre_df["stadtbezirk"] == CITY) & (pre_df["year"] == first.year)]
        carry = carry.set_index("need")[["value", "low", "high"]]
    keep = rates["unterbringung_verbleib"]
    rows = []
    for check in _CHECKS:
        base_period = str(first.shift(check.lag - 1))
        base = _observed(load, check, base_period) if check.increment else 0.0
        if base is None:
            continue
        for i in range(scn.horizon):
            year = first.shift(i).year
            period = str(first.shift(i + check.lag))
            obs = _observed(load, check, period)
            if obs is None:
                continue
            observed = obs - base
            pred = city.loc[(check.need, year)].astype(float).copy()
            if not check.increment and carry is not None and i == 0:
                pred += carry.loc[check.need]
            if check.need == "unterbringung":
                k = i + 1 - check.lag
                pred["value"] += (keep.value**k - 1) * base
                pred["low"] += (keep.low**k - 1) * base
                pred["high"] += (keep.high**k - 1) * base
            err = float(pred["value"]) - observed
            rows.append(
                {
                    "need": check.need,
                    "label": check.label,
                    "year": year,
                    "period": period,
                    "comparison": f"Veränderung gegenüber {base_period}"
                    if check.increment
                    else "Jahreswert",
                    "predicted": float(pred["value"]),
                    "low": float(pred["low"]),
                    "high": float(pred["high"]),
                    "observed": observed,
                    "abs_error": err,
                    "rel_error": err / observed if observed else float("nan"),
                    "in_range": bool(pred["low"] <= observed <= pred["high"]),
                }
            )
    out = pd.DataFrame(
        rows,
        columns=[
            "need", "label", "year", "period", "comparison", "predicted", "low", "high",
            "observed", "abs_error", "rel_error", "in_range",
        ],
    )  # fmt: skip
    out.attrs = {"rates": rates.to_frame().to_dict("records"), "title": scn.title}
    return out


def backtest_table(bt: pd.DataFrame, *, decimals: int = 0) -> pd.DataFrame:
    """The backtest with German column titles and rounded numbers."""
    return pd.DataFrame(
        {
            "Bedarf": bt["label"],
            "Zugangsjahr": bt["year"],
            "Beobachtet für": bt["period"],
            "Vergleich": bt["comparison"],
            "Vorhersage": bt["predicted"].round(decimals),
            "untere Grenze": bt["low"].round(decimals),
            "obere Grenze": bt["high"].round(decimals),
            "Beobachtet": bt["observed"].round(decimals),
            "Abweichung": bt["abs_error"].round(decimals),
            "Abweichung in %": (100 * bt["rel_error"]).round(1),
            "im Bereich": bt["in_range"].map({True: "ja", False: "nein"}),
        }
    )
