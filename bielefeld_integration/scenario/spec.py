"""The :class:`Scenario`: its fields, its validation and its limit to a report period.

A scenario is validated field by field with German messages that name the file and the
field (reading the YAML files is :mod:`bielefeld_integration.scenario.reading`), and can be
limited to the periods up to a report's period (:func:`limit_to_period`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from bielefeld_integration.errors import DataError, DataErrors
from bielefeld_integration.geography import STADTBEZIRKE
from bielefeld_integration.periods import Period
from bielefeld_integration.scenario.definitions import (
    CHANNELS,
    HOUSEHOLD_SIZES,
    MAX_HORIZON,
    NATIONALITY_GROUPS,
    RATE_SPECS,
    SHARE_TOLERANCE,
)
from bielefeld_integration.scenario.loading import period_text
from bielefeld_integration.tables import ARRIVAL_AGE_GROUPS, FOREIGN_NATIONALITIES


class ScenarioNotAvailable(DataError):
    """The scenario needs data of periods after the report's period and cannot be computed."""


@dataclass(frozen=True)
class Scenario:
    """An inflow scenario.

    Attributes
    ----------
    name:
        Short name (the preset name or the file stem).
    title:
        German title shown in tables and reports.
    horizon:
        Number of scenario years (1 to :data:`MAX_HORIZON`).
    arrivals:
        ``{channel: {nationality group: (arrivals year 1, year 2, ...)}}``; channels from
        :data:`CHANNELS`, groups from :data:`NATIONALITY_GROUPS` or single nationalities of
        :data:`bielefeld_integration.tables.FOREIGN_NATIONALITIES`. Empty when
        ``replay_periods`` is given.
    description:
        German explanation of the assumptions.
    start_year:
        Calendar year of scenario year 1; ``None``: the year after the last rate period.
    reference_periods:
        Periods whose arrivals give the age/sex structure of each channel and the distribution
        over the Stadtbezirke; empty: the rate periods.
    rate_periods:
        Periods the rates are estimated from; empty: every period in the store.
    replay_periods:
        Replay the observed arrivals (per channel) of these periods as scenario years 1, 2, ...
        (later years of the horizon get no arrivals).
    replay_factor:
        Factor applied to replayed arrivals.
    age_structure:
        ``{channel: {age group: share}}`` replacing the observed age structure of a channel.
    district_shares:
        ``{channel: {Stadtbezirk code: share}}`` replacing the observed distribution.
    household_sizes:
        Share of households by size class (``"1"`` … ``"5+"``).
    rates:
        Rate overrides ``{name: (value, low, high)}``.
    source:
        The file the scenario was read from (for messages).
    """

    name: str
    title: str
    horizon: int
    arrivals: Mapping[str, Mapping[str, tuple[float, ...]]] = field(default_factory=dict)
    description: str = ""
    start_year: int | None = None
    reference_periods: tuple[str, ...] = ()
    rate_periods: tuple[str, ...] = ()
    replay_periods: tuple[str, ...] = ()
    replay_factor: float = 1.0
    age_structure: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    district_shares: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    household_sizes: Mapping[str, float] = field(default_factory=lambda: dict(HOUSEHOLD_SIZES))
    rates: Mapping[str, tuple[float, float, float]] = field(default_factory=dict)
    source: str = ""

    def __post_init__(self) -> None:
        errors = _check_scenario(self)
        if errors:
            raise collect(errors, self.source)

    def total_arrivals(self) -> dict[str, tuple[float, ...]]:
        """Arrivals per channel and year, summed over nationality groups (not for replays)."""
        out: dict[str, tuple[float, ...]] = {}
        for channel, groups in self.arrivals.items():
            out[channel] = tuple(
                float(sum(series[i] for series in groups.values())) for i in range(self.horizon)
            )
        return out


def collect(errors: list[str], source: str) -> DataError:
    """One :class:`DataError` (or :class:`DataErrors` for several) naming the file."""
    file = source or None
    if len(errors) == 1:
        return DataError(errors[0], file=file)
    where = f"{source}: " if source else ""
    return DataErrors(
        [DataError(e, file=file) for e in errors],
        header=f"{where}{len(errors)} Probleme in der Szenario-Datei:",
    )


def check_shares(shares: Mapping[str, float], fld: str, allowed: Iterable[str]) -> list[str]:
    """Problems of a share mapping (unknown keys, negative, not summing to 1), in German."""
    errors = []
    allowed = list(allowed)
    unknown = [k for k in shares if k not in allowed]
    if unknown:
        errors.append(
            f"Feld »{fld}«: unbekannte Schlüssel {', '.join(map(str, unknown))}; erlaubt: "
            f"{', '.join(allowed)}"
        )
    bad = [k for k, v in shares.items() if not is_number(v) or v < 0]
    if bad:
        errors.append(f"Feld »{fld}«: Anteile müssen Zahlen ≥ 0 sein ({', '.join(bad)})")
    elif shares and abs(sum(shares.values()) - 1.0) > SHARE_TOLERANCE:
        errors.append(
            f"Feld »{fld}«: die Anteile ergeben zusammen {sum(shares.values()):.4f} statt 1 "
            f"(Toleranz ± {SHARE_TOLERANCE})"
        )
    return errors


def is_number(x: object) -> bool:
    """A finite int or float, not a bool."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _check_scenario(s: Scenario) -> list[str]:
    """Semantic checks of a scenario; German messages naming the field."""
    errors: list[str] = []
    if not isinstance(s.horizon, int) or isinstance(s.horizon, bool) or s.horizon < 1:
        errors.append(f"Feld »horizon«: erwartet eine ganze Zahl ab 1, gefunden {s.horizon!r}")
        return errors
    if s.horizon > MAX_HORIZON:
        errors.append(
            f"Feld »horizon«: Szenarien reichen höchstens {MAX_HORIZON} Jahre, gefunden {s.horizon}"
        )
    if s.replay_periods and s.arrivals:
        errors.append("Felder »arrivals« und »replay_periods« schließen sich aus")
    if not s.replay_periods and not s.arrivals:
        errors.append("Feld »arrivals« fehlt (oder »replay_periods« angeben)")
    if len(s.replay_periods) > s.horizon:
        errors.append(
            f"Feld »replay_periods«: {len(s.replay_periods)} Jahre passen nicht in den "
            f"Horizont von {s.horizon} Jahren"
        )
    if not is_number(s.replay_factor) or s.replay_factor < 0:
        errors.append(f"Feld »replay_factor«: erwartet eine Zahl ≥ 0, gefunden {s.replay_factor!r}")
    groups_allowed = [*NATIONALITY_GROUPS, *FOREIGN_NATIONALITIES]
    for channel, groups in s.arrivals.items():
        if channel not in CHANNELS:
            errors.append(
                f"Feld »arrivals«: unbekannter Zugangsweg {channel!r}; erlaubt: "
                f"{', '.join(CHANNELS)}"
            )
            continue
        for group, series in groups.items():
            fld = f"arrivals.{channel}" + (f".{group}" if group != "alle" else "")
            if group not in groups_allowed:
                errors.append(
                    f"Feld »{fld}«: unbekannte Staatsangehörigkeitsgruppe {group!r}; erlaubt: "
                    f"{', '.join(NATIONALITY_GROUPS)} oder eine Staatsangehörigkeit"
                )
            if len(series) != s.horizon:
                errors.append(
                    f"Feld »{fld}«: {len(series)} Jahreswerte für einen Horizont von "
                    f"{s.horizon} Jahren"
                )
            for i, v in enumerate(series, start=1):
                if not is_number(v):
                    errors.append(f"Feld »{fld}«, Jahr {i}: keine Zahl ({v!r})")
                elif v < 0:
                    errors.append(f"Feld »{fld}«, Jahr {i}: negative Zugänge ({v:g})")
    for channel, shares in s.age_structure.items():
        if channel not in CHANNELS:
            errors.append(f"Feld »age_structure«: unbekannter Zugangsweg {channel!r}")
            continue
        errors += check_shares(shares, f"age_structure.{channel}", ARRIVAL_AGE_GROUPS)
    for channel, shares in s.district_shares.items():
        if channel not in CHANNELS:
            errors.append(f"Feld »district_shares«: unbekannter Zugangsweg {channel!r}")
            continue
        errors += check_shares(shares, f"district_shares.{channel}", STADTBEZIRKE)
    errors += check_shares(s.household_sizes, "household_sizes", HOUSEHOLD_SIZES)
    if not s.household_sizes:
        errors.append("Feld »household_sizes«: keine Anteile angegeben")
    for name, triple in s.rates.items():
        errors += check_rate(name, triple)
    for fld in ("reference_periods", "rate_periods", "replay_periods"):
        for p in getattr(s, fld):
            try:
                Period.parse(p)
            except DataError as exc:
                errors.append(f"Feld »{fld}«: {exc}")
    return errors


def check_rate(name: str, triple: tuple[float, float, float]) -> list[str]:
    """Problems of a rate override ``(value, low, high)`` as German messages (empty: fine)."""
    spec = RATE_SPECS.get(name)
    if spec is None:
        return [f"Feld »rates.{name}«: unbekannte Kennzahl; bekannt sind {', '.join(RATE_SPECS)}"]
    value, low, high = triple
    fld = f"rates.{name}"
    if not all(is_number(x) for x in triple):
        return [f"Feld »{fld}«: erwartet Zahlen, gefunden {triple!r}"]
    errors = []
    if low < 0:
        errors.append(f"Feld »{fld}«: negative Werte sind nicht erlaubt ({low:g})")
    if not low <= value <= high:
        errors.append(
            f"Feld »{fld}«: es muss low ≤ value ≤ high gelten ({low:g}, {value:g}, {high:g})"
        )
    if spec.maximum is not None and high > spec.maximum:
        errors.append(f"Feld »{fld}«: höchstens {spec.maximum:g} erlaubt, gefunden {high:g}")
    if name == "teilnehmende_je_kurs" and low <= 0:
        errors.append(f"Feld »{fld}«: muss größer als 0 sein")
    return errors


def limit_to_period(
    scenario: Scenario, period: str | Period, available: Sequence[str]
) -> tuple[Scenario, list[str]]:
    """The scenario with only the periods up to ``period`` that exist in ``available``.

    A report page must not use data of a later year. Reference, rate and replay periods
    after ``period`` (or missing in the store) are dropped. If none of the reference
    periods is left, the latest available periods up to ``period`` (as many as the scenario
    asked for) take their place. Replayed years that do not exist yet leave their scenario
    years without new arrivals.

    Parameters
    ----------
    scenario:
        The scenario as read from its file.
    period:
        The report's period, e.g. ``"2017"``.
    available:
        The periods of the processed store.

    Returns
    -------
    (Scenario, list of str)
        The limited scenario and German sentences for the reader saying what was changed
        (empty if nothing was).

    Raises
    ------
    ScenarioNotAvailable
        If the scenario replays arrivals and none of its years exists up to ``period``.
    DataError
        If the store has no period up to ``period``.
    """
    last = Period.parse(period)
    usable = sorted(p for p in (Period.parse(a) for a in available) if p <= last)
    usable_text = [str(p) for p in usable]
    if not usable:
        raise DataError(f"keine aufbereiteten Daten bis zum Berichtsjahr {last}")

    def keep(periods: Sequence[str]) -> tuple[str, ...]:
        return tuple(p for p in periods if p in usable_text)

    def why(periods: Sequence[str]) -> str:
        """From which unusable years, in German (no later year is named)."""
        later = any(Period.parse(p) > last for p in periods)
        missing = [p for p in periods if Period.parse(p) <= last and p not in usable_text]
        sources = (["aus späteren Jahren"] if later else []) + (
            [f"aus Jahren ohne aufbereitete Daten ({period_text(missing)})"] if missing else []
        )
        text = " und ".join(sources)
        if later:
            text += f"; in diesen Bericht gehen aber nur Daten bis zum Berichtsjahr {last} ein"
        return text

    notes: list[str] = []
    changes: dict[str, tuple[str, ...]] = {}
    if scenario.replay_periods:
        replay = keep(scenario.replay_periods)
        if not replay:
            raise ScenarioNotAvailable(
                f"Das Szenario »{scenario.title}« wiederholt Zugänge "
                f"{why(scenario.replay_periods)}. Für das Berichtsjahr {last} lässt es sich "
                "daher nicht rechnen."
            )
        if replay != scenario.replay_periods:
            changes["replay_periods"] = replay
            notes.append(
                f"Das Szenario wiederholt auch Zugänge {why(scenario.replay_periods)}. Es "
                "wiederholt daher nur die Zugänge "
                f"{period_text(replay)}; die übrigen Szenariojahre bleiben ohne neue Zugänge."
            )
    if scenario.reference_periods:
        ref = keep(scenario.reference_periods)
        if not ref:
            ref = tuple(usable_text[-len(scenario.reference_periods) :])
        if ref != scenario.reference_periods:
            changes["reference_periods"] = ref
            notes.append(
                "Die Vorgabe des Szenarios nimmt die Alters-, Geschlechts- und "
                f"Bezirksstruktur der Zugänge auch {why(scenario.reference_periods)}. "
                f"Verwendet wird daher die Struktur der Zugänge {period_text(ref)}."
            )
    if scenario.rate_periods:
        rate = keep(scenario.rate_periods) or tuple(usable_text)
        if rate != scenario.rate_periods:
            changes["rate_periods"] = rate
            notes.append(
                "Die Vorgabe des Szenarios nimmt die Kennzahlen auch "
                f"{why(scenario.rate_periods)}. Die Kennzahlen stammen daher aus "
                f"{period_text(rate)}."
            )
    return (replace(scenario, **changes) if changes else scenario), notes
