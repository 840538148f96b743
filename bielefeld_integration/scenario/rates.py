"""Rates of the scenario model: estimated from the processed store or assumed.

Estimated rates are pooled over the rate periods (sum of numerators / sum of denominators);
their range covers the yearly values and an approximate 95 % interval of the pooled ratio
(Poisson on the numerator). Assumptions carry their default value. Every rate can be given
by the scenario (``rates:``). Shares are kept within 0–100 % (:func:`capped`). Municipal
accommodation is a stock, fitted by least squares (:func:`_accommodation_rates`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.periods import Period
from bielefeld_integration.scenario.definitions import (
    ADULT_AGE,
    AGE_SPANS,
    ASSUMED_RATES,
    ESTIMATED_RATES,
    HOUSEHOLD_SIZES,
    RATE_SPECS,
    RateSpec,
    household_label,
)
from bielefeld_integration.scenario.loading import (
    Loader,
    default_load,
    period_text,
    try_load,
)
from bielefeld_integration.scenario.spec import check_rate


@dataclass(frozen=True)
class Rate:
    """A named rate with its range and source.

    Attributes
    ----------
    name:
        Identifier (a key of :data:`RATE_SPECS`).
    value:
        Point value (pooled over the periods for estimated rates).
    low, high:
        Range used for the low/high variants of the needs.
    source:
        German text: data sources and periods, or that it is an assumption.
    per_period:
        The yearly values behind an estimated rate.
    """

    name: str
    value: float
    low: float
    high: float
    source: str
    per_period: Mapping[str, float] = field(default_factory=dict)

    @property
    def spec(self) -> RateSpec:
        """The :class:`RateSpec` of this rate."""
        return RATE_SPECS[self.name]


@dataclass(frozen=True)
class Rates:
    """All rates of the model, plus the assumed household-size distribution.

    Index it by name: ``rates["kita_quote_u3"].value``.
    """

    rates: Mapping[str, Rate]
    household_sizes: Mapping[str, float] = field(default_factory=lambda: dict(HOUSEHOLD_SIZES))
    periods: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> Rate:
        return self.rates[name]

    def __iter__(self):
        return iter(self.rates.values())

    def level(self, which: str) -> dict[str, float]:
        """Rate values for ``which`` = ``"value"``, ``"low"`` or ``"high"`` *of the needs*.

        For rates that lower the needs when they grow (``increasing=False``) the opposite
        bound is used, so that ``level("low")`` gives the lowest needs.
        """
        out = {}
        for name, r in self.rates.items():
            if which == "value":
                out[name] = r.value
            elif (which == "low") == r.spec.increasing:
                out[name] = r.low
            else:
                out[name] = r.high
        return out

    def with_overrides(
        self, overrides: Mapping[str, tuple[float, float, float]], source: str = "im Szenario"
    ) -> Rates:
        """A copy with some rates replaced by ``{name: (value, low, high)}``."""
        new = dict(self.rates)
        for name, (v, lo, hi) in overrides.items():
            errors = check_rate(name, (v, lo, hi))
            if errors:
                raise DataError("; ".join(errors))
            new[name] = Rate(name, float(v), float(lo), float(hi), f"vorgegeben {source}")
        return replace(self, rates=new)

    def to_frame(self) -> pd.DataFrame:
        """The rates as a table: name, German label, value, low, high, unit, source."""
        rows = [
            {
                "name": r.name,
                "label": r.spec.label,
                "value": r.value,
                "low": r.low,
                "high": r.high,
                "unit": r.spec.unit,
                "source": r.source,
                "definition": r.spec.definition,
            }
            for r in self.rates.values()
        ]
        hh = self.household_sizes
        rows += [
            {
                "name": f"haushalte_{k.replace('+', 'plus')}",
                "label": f"Anteil der Haushalte mit {household_label(k)}",
                "value": float(v),
                "low": float(v),
                "high": float(v),
                "unit": "Anteil",
                "source": "Annahme (Verteilung der Haushaltsgrößen, im Szenario anpassbar)",
                "definition": "angenommene Verteilung der Haushaltsgrößen der Untergebrachten; "
                "5 und mehr zählt als 6 Personen",
            }
            for k, v in hh.items()
        ]
        return pd.DataFrame(rows)


def _age_sum(arr: pd.DataFrame, groups: Iterable[str], channels: Iterable[str] | None = None):
    sel = arr["age_group"].isin(list(groups))
    if channels is not None:
        sel &= arr["channel"].isin(list(channels))
    return float(arr.loc[sel, "count"].sum())


def _adults(arr: pd.DataFrame, channel: str) -> float:
    adult_groups = [g for g, (lo, _hi) in AGE_SPANS.items() if lo >= ADULT_AGE]
    return _age_sum(arr, adult_groups, [channel])


class _Ratio:
    """Numerators and denominators of one rate per period."""

    def __init__(self) -> None:
        self.num: dict[str, float] = {}
        self.den: dict[str, float] = {}
        self.notes: list[str] = []

    def add(self, period: str, num: float, den: float) -> None:
        if den > 0:
            self.num[period] = num
            self.den[period] = den

    def rate(self, name: str, source: str) -> Rate | None:
        if not self.den:
            return None
        n, d = sum(self.num.values()), sum(self.den.values())
        value = n / d
        per = {p: self.num[p] / self.den[p] for p in sorted(self.den)}
        half = 1.96 * math.sqrt(max(n, 1.0)) / d  # approx. 95 % interval, Poisson numerator
        low = max(0.0, min(value - half, *per.values()))
        high = max(value + half, *per.values())
        how = "gepoolt; Spanne: Jahreswerte und" if len(per) > 1 else "Spanne:"
        text = f"{source}, {period_text(list(per))} ({how} 95-%-Intervall)"
        if self.notes:
            text += "; " + "; ".join(sorted(set(self.notes)))
        return Rate(name, value, low, high, text, per)


def estimate_rates(
    reference_periods: Sequence[str | int],
    load: Loader | None = None,
    *,
    data: str | Path | None = None,
    fixed: Mapping[str, tuple[float, float, float]] | None = None,
    household_sizes: Mapping[str, float] | None = None,
) -> Rates:
    """Estimate the model's rates from the processed data of some periods.

    Parameters
    ----------
    reference_periods:
        The periods to pool (e.g. ``["2017", "2018", "2019"]``). Day-care rates also read
        the population of the year before each period where it exists.
    load:
        ``load(table, period) -> DataFrame``; default :func:`bielefeld_integration.store.load`
        on ``data``.
    data:
        The processed store, if ``load`` is not given.
    fixed:
        Rates given by the scenario ``{name: (value, low, high)}``; they are not estimated and
        are used when estimating others (e.g. ``kurs_anteil_eu`` for ``kurs_teilnahme``).
    household_sizes:
        Assumed household-size distribution; default :data:`HOUSEHOLD_SIZES`.

    Returns
    -------
    Rates
        Each rate with value, low, high and a German source text; see :data:`RATE_SPECS`.

    Raises
    ------
    DataError
        If a rate cannot be estimated from any of the periods (tables missing or empty
        denominators) and is not given in ``fixed``.
    """
    load = load or default_load(data)
    periods = [str(Period.parse(p)) for p in reference_periods]
    if not periods:
        raise DataError("keine Berichtsjahre für die Schätzung der Kennzahlen angegeben")
    fixed = dict(fixed or {})
    for name, triple in fixed.items():
        errors = check_rate(name, triple)
        if errors:
            raise DataError("; ".join(errors))

    rates: dict[str, Rate] = {}
    for name in ASSUMED_RATES:
        d = float(RATE_SPECS[name].default)  # type: ignore[arg-type]
        rates[name] = Rate(name, d, d, d, "Annahme (Voreinstellung, im Szenario anpassbar)")
    for name, (v, lo, hi) in fixed.items():
        rates[name] = Rate(name, float(v), float(lo), float(hi), "vorgegeben im Szenario")
    eu_share = rates["kurs_anteil_eu"].value
    f_course = rates["kurs_anteil_folgejahr"].value
    f_school = rates["seiteneinstieg_anteil_folgejahr"].value

    ratios = {name: _Ratio() for name in ESTIMATED_RATES}
    arrivals_cache: dict[str, pd.DataFrame | None] = {}

    def arrivals(p: str) -> pd.DataFrame | None:
        if p not in arrivals_cache:
            arrivals_cache[p] = try_load(load, "arrivals", p)
        return arrivals_cache[p]

    def lagged(p: str, f: float, measure: Callable[[pd.DataFrame], float], names) -> float:
        """(1 - f) * measure(arrivals of p) + f * measure(arrivals of the year before)."""
        now = measure(arrivals(p))  # type: ignore[arg-type]
        prev = arrivals(str(Period.parse(p).previous))
        if prev is None:
            if f > 0:
                for name in names:
                    ratios[name].notes.append(f"{p}: Zugänge des Vorjahres fehlen")
            return now
        return (1 - f) * now + f * measure(prev)

    def eligible(arr: pd.DataFrame) -> float:
        return (
            _adults(arr, "zuweisung")
            + _adults(arr, "familiennachzug")
            + eu_share * _adults(arr, "eu")
        )

    stocks: dict[str, float] = {}
    for p in periods:
        arr = arrivals(p)
        # day care: children with MH in day care (01.03.) / children with MH (31.12. before)
        daycare = try_load(load, "daycare", p)
        pop = try_load(load, "population", str(Period.parse(p).previous))
        if pop is None:
            pop = try_load(load, "population", p)
            if pop is not None:
                ratios["kita_quote_u3"].notes.append(f"{p}: Bevölkerung vom 31.12.{p}")
                ratios["kita_quote_3_6"].notes.append(f"{p}: Bevölkerung vom 31.12.{p}")
        if daycare is not None and pop is not None:
            mh = pop[pop["migration_background"] != "ohne"]
            mit = daycare[daycare["migration_background"] == "mit"]
            for name, dc_age, pop_age in (
                ("kita_quote_u3", "unter 3", "00-02"),
                ("kita_quote_3_6", "3 bis unter 6", "03-05"),
            ):
                ratios[name].add(
                    p,
                    float(mit.loc[mit["age_group"] == dc_age, "count"].sum()),
                    float(mh.loc[mh["age_group"] == pop_age, "count"].sum()),
                )
        if arr is None:
            continue
        # newcomer pupils per arrival of school age (this and last year)
        newcomers = try_load(load, "newcomer_pupils", p)
        if newcomers is not None:
            for level, groups in (("primar", ["06-09"]), ("sek1", ["10-15"]), ("sek2", ["16-17"])):
                name = f"seiteneinstieg_{level}"
                ratios[name].add(
                    p,
                    float(newcomers.loc[newcomers["school_level"] == level, "count"].sum()),
                    lagged(p, f_school, lambda a, g=groups: _age_sum(a, g), [name]),
                )
        # integration course entries per eligible adult arrival (this and last year)
        courses = try_load(load, "integration_courses", p)
        if courses is not None:
            entries = float(courses.loc[courses["measure"] == "eintritte", "count"].sum())
            den = lagged(p, f_course, eligible, ["kurs_teilnahme"])
            ratios["kurs_teilnahme"].add(p, entries, den)
        acc = try_load(load, "accommodation", p)
        if acc is not None:
            stocks[p] = float(acc["count"].sum())

    daycare_source = "KJH-Statistik (Kindertagesbetreuung) / Melderegister (Bevölkerung)"
    school_source = "KI-Schulberatung (neu zugewanderte Schüler/innen) / Neuzugänge"
    sources = {
        "kita_quote_u3": daycare_source,
        "kita_quote_3_6": daycare_source,
        "seiteneinstieg_primar": school_source,
        "seiteneinstieg_sek1": school_source,
        "seiteneinstieg_sek2": school_source,
        "kurs_teilnahme": "BAMF-Kursstatistik (Integrationskurse) / Neuzugänge",
    }
    missing = []
    for name in sources:
        if name in fixed:
            continue
        rate = ratios[name].rate(name, sources[name])
        if rate is None:
            missing.append(name)
        else:
            rates[name] = rate
    missing += _accommodation_rates(stocks, arrivals, load, rates, fixed)
    if missing:
        raise DataError(
            f"Kennzahlen {', '.join(missing)} lassen sich aus den Berichtsjahren "
            f"{period_text(periods)} nicht schätzen (Tabellen fehlen oder Nenner 0); bitte "
            "andere Jahre wählen oder die Werte im Abschnitt »rates:« der Szenario-Datei vorgeben"
        )
    ordered = {name: capped(rates[name]) for name in RATE_SPECS}
    return Rates(ordered, dict(household_sizes or HOUSEHOLD_SIZES), tuple(periods))


def capped(rate: Rate) -> Rate:
    """The rate with value, range and yearly values within ``[0, maximum]`` of its spec.

    A share can never exceed 100 %: an estimate above it (e.g. more persons in municipal
    accommodation than were assigned, because earlier arrivals are still there) is set to
    the maximum, and the source says so.
    """
    cap = rate.spec.maximum
    if cap is None:
        return rate

    def clip(x: float) -> float:
        return min(max(float(x), 0.0), cap)

    values = [rate.value, rate.low, rate.high, *rate.per_period.values()]
    if all(0.0 <= v <= cap for v in values):
        return rate
    limit = "100 %" if rate.spec.unit == "Anteil" and cap == 1.0 else f"{cap:g}"
    return replace(
        rate,
        value=clip(rate.value),
        low=clip(rate.low),
        high=clip(rate.high),
        source=f"{rate.source}; Schätzwerte über {limit} auf {limit} begrenzt",
        per_period={p: clip(v) for p, v in rate.per_period.items()},
    )


_ACC_SOURCE = "Sozialamt (städtische Unterbringung, 31.12.) / Zuweisungen"


def _assigned(arr: pd.DataFrame | None) -> float | None:
    if arr is None:
        return None
    return float(arr.loc[arr["channel"] == "zuweisung", "count"].sum())


def _accommodation_rates(
    stocks: Mapping[str, float],
    arrivals: Callable[[str], pd.DataFrame | None],
    load: Loader,
    rates: dict[str, Rate],
    fixed: Mapping[str, tuple[float, float, float]],
) -> list[str]:
    """Estimate ``unterbringung_quote`` (p) and ``unterbringung_verbleib`` (r) in place.

    Model: stock_t = p * assigned_t + r * stock_(t-1). With two or more years that have the
    stock of the year before, p and r are fitted by least squares; with fewer, r is the
    assumption (or the scenario's value) and p follows from the stocks. Returns the names of
    rates that could not be estimated.
    """
    if not stocks:
        return [n for n in ("unterbringung_quote", "unterbringung_verbleib") if n not in fixed]
    eqs = []  # (period, assigned_t, stock_(t-1), stock_t)
    for p, s in sorted(stocks.items()):
        a = _assigned(arrivals(p))
        prev_acc = try_load(load, "accommodation", str(Period.parse(p).previous))
        if a is not None and prev_acc is not None:
            eqs.append((p, a, float(prev_acc["count"].sum()), s))
    r_spec = RATE_SPECS["unterbringung_verbleib"]
    span = period_text([e[0] for e in eqs])
    if "unterbringung_verbleib" not in fixed and "unterbringung_quote" not in fixed:
        if len(eqs) >= 2:
            x = np.array([[e[1], e[2]] for e in eqs])
            y = np.array([e[3] for e in eqs])
            (p_hat, r_hat), *_ = np.linalg.lstsq(x, y, rcond=None)
            if not 0 <= r_hat <= 1:
                r_hat = min(max(r_hat, 0.0), 1.0)
                p_hat = float((y - r_hat * x[:, 1]).sum() / max(x[:, 0].sum(), 1.0))
            p_hat = max(float(p_hat), 0.0)
            per_p = {e[0]: max((e[3] - r_hat * e[2]) / e[1], 0.0) for e in eqs if e[1] > 0}
            per_r = {e[0]: min(max((e[3] - p_hat * e[1]) / e[2], 0.0), 1.0) for e in eqs if e[2]}
            text = f"{_ACC_SOURCE}, {span} (Kleinste Quadrate; Spanne: Jahreswerte)"
            rates["unterbringung_quote"] = Rate(
                "unterbringung_quote", p_hat, min(p_hat, *per_p.values()),
                max(p_hat, *per_p.values()), text, per_p,
            )  # fmt: skip
            rates["unterbringung_verbleib"] = Rate(
                "unterbringung_verbleib", float(r_hat), min(r_hat, *per_r.values()),
                max(r_hat, *per_r.values()), text, per_r,
            )  # fmt: skip
            return []
    if "unterbringung_verbleib" not in fixed:
        if "unterbringung_quote" in fixed and eqs:
            p_fixed = fixed["unterbringung_quote"][0]
            ratio = _Ratio()
            for per, a, s_prev, s in eqs:
                ratio.add(per, s - p_fixed * a, s_prev)
            rate = ratio.rate("unterbringung_verbleib", _ACC_SOURCE)
            if rate is not None:
                rates["unterbringung_verbleib"] = rate
                return []
        d = float(r_spec.default)  # type: ignore[arg-type]
        rates["unterbringung_verbleib"] = Rate(
            "unterbringung_verbleib", d, d, d,
            "Annahme (zu wenige Jahre mit Vorjahresbestand für eine Schätzung; im Szenario "
            "anpassbar)",
        )  # fmt: skip
    if "unterbringung_quote" in fixed:
        return []
    r = rates["unterbringung_verbleib"].value
    ratio = _Ratio()
    if eqs:
        for per, a, s_prev, s in eqs:
            ratio.add(per, s - r * s_prev, a)
        text = _ACC_SOURCE + " (Bestand abzüglich Verbleib aus dem Vorjahresbestand)"
    else:
        # no stock of the year before: weight the assignments of the available years
        for per, s in sorted(stocks.items()):
            weighted, k = 0.0, 0
            while (a := _assigned(arrivals(str(Period.parse(per).shift(-k))))) is not None:
                weighted += r**k * a
                k += 1
            ratio.add(per, s, weighted)
        ratio.notes.append("ohne Vorjahresbestand: überschätzt, wenn ältere Zuweisungen fehlen")
        text = _ACC_SOURCE
    rate = ratio.rate("unterbringung_quote", text)
    if rate is None:
        return ["unterbringung_quote"]
    rates["unterbringung_quote"] = rate
    return []
