"""The projection: arrivals → cohorts → needs per year and Stadtbezirk, with ranges.

Every arrival cohort is spread over single years of age, ages by one year per scenario
year and is kept at the retention rate; stocks are counted at the end of each year, flows
over the year. The low/high variants evaluate the model at every rate's bound and with the
structure of each reference period (see the package docstring for the whole model).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from bielefeld_integration import store
from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import STADTBEZIRKE
from bielefeld_integration.periods import Period
from bielefeld_integration.scenario import loading
from bielefeld_integration.scenario.definitions import (
    ADULT_AGE,
    AGE_SPANS,
    CHANNELS,
    CITY,
    HOUSEHOLD_PERSONS,
    N_AGES,
    NEEDS,
    OUTPUT_COLUMNS,
    RATE_SPECS,
    SEXES,
)
from bielefeld_integration.scenario.loading import Loader, default_load
from bielefeld_integration.scenario.rates import Rates, estimate_rates
from bielefeld_integration.scenario.reading import load_scenario
from bielefeld_integration.scenario.spec import Scenario, limit_to_period
from bielefeld_integration.scenario.structure import POOLED, Structure, estimate_structure
from bielefeld_integration.tables import ARRIVAL_AGE_GROUPS


def _spread_matrix() -> np.ndarray:
    """Matrix (age groups x single ages): uniform spread of each group over its ages."""
    m = np.zeros((len(ARRIVAL_AGE_GROUPS), N_AGES))
    for i, g in enumerate(ARRIVAL_AGE_GROUPS):
        lo, hi = AGE_SPANS[g]
        m[i, lo : hi + 1] = 1.0 / (hi - lo + 1)
    return m


_SPREAD = _spread_matrix()


def _ages(lo: int, hi: int) -> slice:
    return slice(lo, hi + 1)


def _arrival_series(scenario: Scenario, load: Loader | None) -> dict[str, dict[str, np.ndarray]]:
    """``{channel: {group: arrivals per scenario year}}``, resolving replays."""
    h = scenario.horizon
    if not scenario.replay_periods:
        return {
            c: {g: np.asarray(s, dtype=float) for g, s in groups.items()}
            for c, groups in scenario.arrivals.items()
        }
    if load is None:
        raise DataError("für »replay_periods« werden die aufbereiteten Daten gebraucht")
    out: dict[str, dict[str, np.ndarray]] = {c: {"alle": np.zeros(h)} for c in CHANNELS}
    for i, p in enumerate(scenario.replay_periods):
        arr = load("arrivals", str(Period.parse(p)))
        for c in CHANNELS:
            out[c]["alle"][i] = float(arr.loc[arr["channel"] == c, "count"].sum())
    for c in CHANNELS:
        out[c]["alle"] *= scenario.replay_factor
    return out


def _simulate(
    scenario: Scenario,
    series: Mapping[str, Mapping[str, np.ndarray]],
    structure: Structure | None,
    variant: str,
    r: Mapping[str, float],
    household_sizes: Mapping[str, float],
) -> dict[str, np.ndarray]:
    """Needs of one variant: ``{need: array (horizon, 1 + districts)}``; column 0 = city."""
    h = scenario.horizon
    nd = len(STADTBEZIRKE)
    out = {n: np.zeros((h, nd)) for n in NEEDS}
    keep = r["verbleib"]

    def lagged(x: np.ndarray, f: float) -> np.ndarray:
        """(1 - f) of this year's and f of last year's value (nothing before year 1)."""
        return (1 - f) * x + f * np.concatenate([[0.0], x[:-1]])

    for channel, groups in series.items():
        # flows: arrivals per year, sex, single year of age
        flow = np.zeros((h, len(SEXES), N_AGES))
        for group, a in groups.items():
            if channel in scenario.age_structure:
                ages = np.array(
                    [scenario.age_structure[channel].get(g, 0.0) for g in ARRIVAL_AGE_GROUPS]
                )
                if structure is not None:
                    shares = structure.sex_by_age(channel, variant) * ages
                else:
                    shares = 0.5 * np.vstack([ages, ages])
            else:
                if structure is None:
                    raise DataError("Struktur der Neuzugänge fehlt (reference_periods)")
                shares = structure.age_sex(channel, group, variant)
            flow += a[:, None, None] * (shares @ _SPREAD)[None, :, :]
        # stocks at the end of each year: earlier cohorts aged by one year per year
        stock = np.zeros((h, len(SEXES), N_AGES))
        for y in range(h):
            for y0 in range(y + 1):
                shifted = np.zeros((len(SEXES), N_AGES))
                k = y - y0
                shifted[:, k:] = flow[y0][:, : N_AGES - k]
                stock[y] += shifted * keep**k
        fa = flow.sum(axis=1)  # by age
        sa = stock.sum(axis=1)
        adults = fa[:, ADULT_AGE:].sum(axis=1)
        need = {
            "zugaenge": fa.sum(axis=1),
            "zugaenge_minderjaehrige": fa[:, :ADULT_AGE].sum(axis=1),
            "zugaenge_frauen": flow[:, SEXES.index("w"), ADULT_AGE:].sum(axis=1),
            "zugaenge_maenner": flow[:, SEXES.index("m"), ADULT_AGE:].sum(axis=1),
            "kinder_u3": sa[:, _ages(0, 2)].sum(axis=1),
            "kinder_3_6": sa[:, _ages(3, 5)].sum(axis=1),
            "schueler_primar": sa[:, _ages(6, 9)].sum(axis=1),
            "schueler_sek1": sa[:, _ages(10, 15)].sum(axis=1),
            "schueler_sek2": sa[:, _ages(16, 17)].sum(axis=1),
            "beratung": r["beratung_je_erwachsenem"] * adults,
        }
        f_school = r["seiteneinstieg_anteil_folgejahr"]
        for level, (lo, hi) in (("primar", (6, 9)), ("sek1", (10, 15)), ("sek2", (16, 17))):
            name = f"seiteneinstieg_{level}"
            need[name] = r[name] * lagged(fa[:, _ages(lo, hi)].sum(axis=1), f_school)
        need["kita_u3"] = r["kita_quote_u3"] * need["kinder_u3"]
        need["kita_3_6"] = r["kita_quote_3_6"] * need["kinder_3_6"]
        need["kita"] = need["kita_u3"] + need["kita_3_6"]
        need["seiteneinstieg"] = (
            need["seiteneinstieg_primar"]
            + need["seiteneinstieg_sek1"]
            + need["seiteneinstieg_sek2"]
        )
        eligible = adults * (r["kurs_anteil_eu"] if channel == "eu" else 1.0)
        need["kurs_berechtigte"] = eligible
        need["kurs_eintritte"] = r["kurs_teilnahme"] * lagged(eligible, r["kurs_anteil_folgejahr"])
        need["kurse"] = need["kurs_eintritte"] / r["teilnehmende_je_kurs"]
        if channel == "zuweisung":
            # stock_y = p * assigned_y + r * stock_(y-1)
            total = fa.sum(axis=1)
            persons = np.zeros(h)
            for y in range(h):
                before = persons[y - 1] if y else 0.0
                persons[y] = (
                    r["unterbringung_quote"] * total[y] + r["unterbringung_verbleib"] * before
                )
            need["unterbringung"] = persons
            mean_size = sum(float(s) * HOUSEHOLD_PERSONS[k] for k, s in household_sizes.items())
            need["wohnungen"] = persons / mean_size
            for k, s in household_sizes.items():
                need[f"wohnungen_{k.replace('+', 'plus')}"] = need["wohnungen"] * float(s)
        if channel in scenario.district_shares:
            dist = np.array(
                [float(scenario.district_shares[channel].get(sb, 0.0)) for sb in STADTBEZIRKE]
            )
        elif structure is not None:
            dist = structure.districts(channel, variant)
        else:
            raise DataError("Verteilung auf die Stadtbezirke fehlt (reference_periods)")
        for n, values in need.items():
            out[n] += values[:, None] * dist[None, :]
    return {n: np.concatenate([v.sum(axis=1, keepdims=True), v], axis=1) for n, v in out.items()}


def project(
    scenario: Scenario,
    rates: Rates,
    structure: Structure | None = None,
    *,
    load: Loader | None = None,
    data: str | Path | None = None,
) -> pd.DataFrame:
    """Project the needs of a scenario per year and Stadtbezirk.

    Parameters
    ----------
    scenario:
        The scenario (see :func:`load_scenario`).
    rates:
        The rates (see :func:`estimate_rates`); the scenario's ``rates:`` overrides and
        ``household_sizes`` are applied on top.
    structure:
        Age/sex structure and district distribution of the arrivals; default: estimated from
        ``scenario.reference_periods`` (or the rate periods) with ``load``.
    load, data:
        Where to read processed tables (structure, replayed arrivals); default the store.

    Returns
    -------
    pandas.DataFrame
        Tidy: ``year`` (int), ``stadtbezirk`` (``"stadt"`` for the city, else ``"01"`` …
        ``"10"``), ``need`` (a key of :data:`NEEDS`), ``value``, ``low``, ``high`` (float,
        ``low <= value <= high``), ``unit`` (German). Stock needs refer to the end of the year,
        flow needs to the whole year; all are *additional* needs of the scenario's newcomers.
        ``df.attrs`` holds the scenario name/title and the rates used.
    """
    needs_load = structure is None or bool(scenario.replay_periods)
    if load is None and needs_load:
        load = default_load(data)
    if scenario.rates:
        rates = rates.with_overrides(scenario.rates)
    missing = [n for n in RATE_SPECS if n not in rates.rates]
    if missing:
        raise DataError(f"Kennzahlen fehlen: {', '.join(missing)}")
    household = dict(scenario.household_sizes or rates.household_sizes)
    rates = replace(rates, household_sizes=household)
    series = _arrival_series(scenario, load)
    if structure is None:
        needs_structure = set(series) - (
            set(scenario.age_structure) & set(scenario.district_shares)
        )
        if needs_structure:
            ref = scenario.reference_periods or scenario.rate_periods or rates.periods
            structure = estimate_structure(ref, load)
    variants = structure.variants if structure is not None else [POOLED]

    point = _simulate(scenario, series, structure, POOLED, rates.level("value"), household)
    lows = [
        _simulate(scenario, series, structure, v, rates.level("low"), household) for v in variants
    ]
    highs = [
        _simulate(scenario, series, structure, v, rates.level("high"), household) for v in variants
    ]
    if scenario.start_year:
        start = scenario.start_year
    else:
        start = max(Period.parse(p) for p in rates.periods).next.year if rates.periods else 1
    areas = [CITY, *STADTBEZIRKE]
    frames = []
    for n, spec in NEEDS.items():
        value = point[n]
        low = np.minimum(np.min([v[n] for v in lows], axis=0), value)
        high = np.maximum(np.max([v[n] for v in highs], axis=0), value)
        frames.append(
            pd.DataFrame(
                {
                    "year": np.repeat(np.arange(start, start + scenario.horizon), len(areas)),
                    "stadtbezirk": areas * scenario.horizon,
                    "need": n,
                    "value": value.ravel(),
                    "low": low.ravel(),
                    "high": high.ravel(),
                    "unit": spec.unit,
                }
            )
        )
    df = pd.concat(frames, ignore_index=True)
    df["year"] = df["year"].astype("int64")
    order = {n: i for i, n in enumerate(NEEDS)}
    area_order = {a: i for i, a in enumerate(areas)}
    df = df.sort_values(
        ["year", "stadtbezirk", "need"],
        key=lambda s: (
            s.map(area_order)
            if s.name == "stadtbezirk"
            else (s.map(order) if s.name == "need" else s)
        ),
    ).reset_index(drop=True)[OUTPUT_COLUMNS]
    df.attrs = {
        "scenario": scenario.name,
        "title": scenario.title,
        "description": scenario.description,
        "reference_periods": list(structure.periods) if structure is not None else [],
        "rate_periods": list(rates.periods),
        "rates": rates.to_frame().to_dict("records"),
        "arrivals": {
            c: {g: [float(x) for x in s] for g, s in gs.items()} for c, gs in series.items()
        },
    }
    return df


def run(
    scenario: Scenario | str | Path,
    *,
    data: str | Path | None = None,
    load: Loader | None = None,
    rate_periods: Sequence[str] | None = None,
    up_to: str | None = None,
) -> pd.DataFrame:
    """Load a scenario, estimate the rates and project the needs — in one call.

    Parameters
    ----------
    scenario:
        A :class:`Scenario`, a preset name (``"low"``, ``"medium"``, ``"high"``) or a YAML path.
    data:
        The processed store (default ``data/processed``).
    load:
        Alternative table loader ``load(table, period)``; ``rate_periods`` must then be known
        (from the argument or the scenario).
    rate_periods:
        Periods for the rates; default the scenario's ``rate_periods``, else every period of
        the store (up to ``up_to``).
    up_to:
        A report period: use no data of a later period. The scenario's periods are limited
        with :func:`~bielefeld_integration.scenario.spec.limit_to_period`, the loader refuses
        later periods, and ``df.attrs["notes"]`` says in German what was changed.

    Returns
    -------
    pandas.DataFrame
        As :func:`project`, with ``df.attrs["notes"]`` (list of German sentences).

    Raises
    ------
    ScenarioNotAvailable
        If ``up_to`` is given and the scenario replays arrivals that do not exist yet.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    periods = list(rate_periods or scenario.rate_periods)
    if not periods and load is not None:
        raise DataError("bitte die Berichtsjahre für die Kennzahlen angeben (rate_periods)")
    # only the years up to ``up_to`` count: a page of 2017 does not depend on a later year
    available = periods if load is not None else store.periods(data, upto=up_to)
    if not available:
        raise DataError(
            f"keine aufbereiteten Daten in {store.data_dir(data)}; zuerst die Lieferungen "
            "einlesen (bielefeld-integration ingest --all)"
        )
    notes: list[str] = []
    load = load or default_load(data)
    if up_to is not None:
        last = Period.parse(up_to)
        load = loading.up_to(load, last)
        scenario, notes = limit_to_period(scenario, last, available)
        periods = [p for p in (periods or available) if Period.parse(p) <= last]
        if not periods:
            raise DataError(f"keine aufbereiteten Daten bis zum Berichtsjahr {last}")
    periods = periods or available
    rates = estimate_rates(
        periods, load, fixed=scenario.rates, household_sizes=scenario.household_sizes
    )
    df = project(scenario, rates, load=load)
    df.attrs["notes"] = notes
    return df
