"""Reading scenario files: YAML documents, the shipped presets, shares and series.

The presets ``low``, ``medium`` and ``high`` are package data in
``bielefeld_integration/scenario/presets/`` (read with :mod:`importlib.resources`, so they
work from an installed wheel); any other scenario is a YAML file with the same fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from bielefeld_integration.errors import DataError
from bielefeld_integration.limits import load_yaml
from bielefeld_integration.scenario.definitions import (
    HOUSEHOLD_SIZES,
    NATIONALITY_GROUPS,
)
from bielefeld_integration.scenario.spec import (
    Scenario,
    check_shares,
    collect,
    is_number,
)
from bielefeld_integration.tables import FOREIGN_NATIONALITIES

#: The preset scenarios ``low``, ``medium``, ``high`` (package data).
PRESET_DIR: Traversable = resources.files("bielefeld_integration.scenario") / "presets"

_KNOWN_FIELDS = {
    "name", "title", "description", "horizon", "start_year", "reference_periods",
    "rate_periods", "replay_periods", "replay_factor", "arrivals", "nationality_shares",
    "age_structure", "district_shares", "household_sizes", "rates",
}  # fmt: skip


def scenario_from_dict(doc: Mapping, *, source: str = "", name: str = "") -> Scenario:
    """Build and validate a :class:`Scenario` from the parsed YAML document.

    Parameters
    ----------
    doc:
        The mapping read from a scenario file (see the preset ``medium``).
    source:
        The file name, used in error messages.
    name:
        Fallback name (the file stem) if the document has no ``name``.

    Raises
    ------
    DataError
        Naming the file and the field for every problem found (several at once as
        :class:`~bielefeld_integration.errors.DataErrors`).
    """
    if not isinstance(doc, Mapping):
        raise DataError(
            "die Szenario-Datei muss eine Zuordnung (Schlüssel: Wert) sein", file=source or None
        )
    errors: list[str] = []
    unknown = sorted(str(k) for k in doc if k not in _KNOWN_FIELDS)
    if unknown:
        errors.append(
            f"unbekannte Felder {', '.join(unknown)}; erlaubt: {', '.join(sorted(_KNOWN_FIELDS))}"
        )
    for required in ("title", "horizon"):
        if doc.get(required) in (None, ""):
            errors.append(f"Feld »{required}« fehlt")
    if "arrivals" not in doc and "replay_periods" not in doc:
        errors.append("Feld »arrivals« fehlt (oder »replay_periods« angeben)")
    horizon = doc.get("horizon")
    if horizon is not None and (not isinstance(horizon, int) or isinstance(horizon, bool)):
        errors.append(f"Feld »horizon«: erwartet eine ganze Zahl, gefunden {horizon!r}")
        horizon = None
    start_year = doc.get("start_year")
    if start_year is not None and (not isinstance(start_year, int) or not 1900 < start_year < 2200):
        errors.append(f"Feld »start_year«: erwartet ein Jahr wie 2027, gefunden {start_year!r}")
        start_year = None

    arrivals: dict[str, dict[str, tuple[float, ...]]] = {}
    raw_arrivals = doc.get("arrivals") or {}
    shares_doc = doc.get("nationality_shares") or {}
    if not isinstance(raw_arrivals, Mapping):
        errors.append("Feld »arrivals«: erwartet je Zugangsweg eine Zahl oder eine Liste")
        raw_arrivals = {}
    if not isinstance(shares_doc, Mapping):
        errors.append("Feld »nationality_shares«: erwartet je Zugangsweg eine Zuordnung")
        shares_doc = {}
    for channel, value in raw_arrivals.items():
        channel = str(channel)
        if isinstance(value, Mapping):
            groups = {str(g): _series(v, horizon) for g, v in value.items()}
            if channel in shares_doc:
                errors.append(
                    f"Feld »nationality_shares.{channel}«: Zugänge sind schon nach Gruppen "
                    "angegeben"
                )
        else:
            series = _series(value, horizon)
            shares = shares_doc.get(channel)
            if shares is None:
                groups = {"alle": series}
            elif not isinstance(shares, Mapping):
                errors.append(f"Feld »nationality_shares.{channel}«: erwartet Gruppe: Anteil")
                groups = {"alle": series}
            else:
                shares = {str(k): v for k, v in shares.items()}
                errors += check_shares(
                    shares,
                    f"nationality_shares.{channel}",
                    [*NATIONALITY_GROUPS, *FOREIGN_NATIONALITIES],
                )
                ok = all(is_number(v) for v in shares.values()) and all(
                    is_number(v) for v in series
                )
                groups = (
                    {g: tuple(v * sh for v in series) for g, sh in shares.items()}
                    if ok
                    else {"alle": series}
                )
        arrivals[channel] = groups
    for channel in shares_doc:
        if str(channel) not in {str(c) for c in raw_arrivals}:
            errors.append(
                f"Feld »nationality_shares.{channel}«: keine Zugänge für diesen Zugangsweg"
            )

    def mapping(fld: str) -> dict:
        value = doc.get(fld) or {}
        if not isinstance(value, Mapping):
            errors.append(f"Feld »{fld}«: erwartet eine Zuordnung")
            return {}
        return value

    age_structure = {
        str(c): {str(k): v for k, v in m.items()} if isinstance(m, Mapping) else {}
        for c, m in mapping("age_structure").items()
    }
    district_shares = {
        str(c): {_district_key(k): v for k, v in m.items()} if isinstance(m, Mapping) else {}
        for c, m in mapping("district_shares").items()
    }
    household = mapping("household_sizes")
    household_sizes = (
        {str(k): v for k, v in household.items()} if household else dict(HOUSEHOLD_SIZES)
    )
    rates: dict[str, tuple[float, float, float]] = {}
    for rname, rv in mapping("rates").items():
        if isinstance(rv, Mapping):
            extra = set(rv) - {"value", "low", "high"}
            if "value" not in rv or extra:
                errors.append(f"Feld »rates.{rname}«: erwartet eine Zahl oder value/low/high")
                continue
            v = rv["value"]
            rates[str(rname)] = (v, rv.get("low", v), rv.get("high", v))
        else:
            rates[str(rname)] = (rv, rv, rv)

    periods = {}
    for fld in ("reference_periods", "rate_periods", "replay_periods"):
        value = doc.get(fld) or []
        if isinstance(value, (str, int)):
            value = [value]
        if not isinstance(value, list):
            errors.append(f"Feld »{fld}«: erwartet eine Liste von Jahren")
            value = []
        periods[fld] = tuple(str(p) for p in value)
    replay_factor = doc.get("replay_factor", 1.0)
    if errors:
        raise collect(errors, source)
    return Scenario(
        name=str(doc.get("name") or name or "szenario"),
        title=str(doc["title"]),
        description=str(doc.get("description") or "").strip(),
        horizon=horizon,
        start_year=start_year,
        arrivals=arrivals,
        reference_periods=periods["reference_periods"],
        rate_periods=periods["rate_periods"],
        replay_periods=periods["replay_periods"],
        replay_factor=replay_factor,
        age_structure=age_structure,
        district_shares=district_shares,
        household_sizes=household_sizes,
        rates=rates,
        source=source,
    )


def _district_key(k: object) -> str:
    # YAML reads an unquoted 01 as the integer 1
    return f"{k:02d}" if isinstance(k, int) and not isinstance(k, bool) else str(k)


def _series(value: object, horizon: int | None) -> tuple:
    """A number (the same every year) or a list (one value per year)."""
    if isinstance(value, list):
        return tuple(value)
    return tuple([value] * (horizon or 1))


def presets() -> list[str]:
    """Names of the preset scenarios shipped with the package (``high``, ``low``, ``medium``)."""
    return sorted(p.name[: -len(".yaml")] for p in PRESET_DIR.iterdir() if p.name.endswith(".yaml"))


def load_scenario(path_or_preset: str | Path) -> Scenario:
    """Read and validate a scenario file or a preset.

    Parameters
    ----------
    path_or_preset:
        A preset name (``"low"``, ``"medium"``, ``"high"``, shipped with the package) or the
        path of a YAML file.

    Returns
    -------
    Scenario

    Raises
    ------
    DataError
        If the file does not exist, is not valid YAML, or a field is missing or wrong
        (negative arrivals, unknown channel, horizon over five years, shares not summing
        to 1, unknown rate name, ...). The message names the file and the field.

    Examples
    --------
    >>> load_scenario("medium").horizon
    5
    """
    text = str(path_or_preset)
    path = Path(text)
    if path.suffix.lower() not in (".yaml", ".yml") and not path.exists():
        candidate = PRESET_DIR / f"{text}.yaml"
        if not candidate.is_file():
            raise DataError(
                f"unbekanntes Szenario {text!r}: weder eine Datei noch eine Vorgabe "
                f"({', '.join(presets()) or 'keine'})"
            )
        source, name, read = str(candidate), text, candidate.read_text
    else:
        if not path.is_file():
            raise DataError("Szenario-Datei nicht gefunden", file=path)
        source, name, read = str(path), path.stem, path.read_text
    try:
        text = read(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError("Szenario-Datei ist nicht in UTF-8 kodiert", file=source) from None
    doc = load_yaml(text, path=Path(source))  # limits on size, depth and aliases
    return scenario_from_dict(doc or {}, source=source, name=name)
