"""Demo measures register (``massnahmen.csv``) for 2017–2019.

The register starts with the first implementation report (Stand 30.06.2017); later
periods carry the measures forward with Stand 30.06. of their year: planned measures
start, some end (status ``abgeschlossen``/``eingestellt`` in the year they end, dropped
from the register the year after), a few new ones are added. Titles, bodies and funding
follow the kinds of offers listed in the report; participant counts, budgets and dates are
synthetic. Output is deterministic (variation only from :func:`..world.rng`).

The measures themselves (titles, bodies, funding, participants, life cycle) are package
data in ``measures.yaml``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources

import pandas as pd
import yaml

from bielefeld_integration.demo import SYNTHETIC_NOTE, Delivery
from bielefeld_integration.demo.world import rng
from bielefeld_integration.measures import COLUMNS, FIELDS, ORIGINS, register_csv

YEARS = [2017, 2018, 2019]
FILE = "massnahmen.csv"


@dataclass(frozen=True)
class _M:
    """One demo measure and its life cycle over the register years."""

    id: str
    title: str
    description: str
    body: str
    body_type: str
    field: int  # 1..6, position in FIELDS
    goals: str
    groups: str
    new: bool  # neu initiiert (True) or im Konzept benannt
    start: str
    participants: int | tuple[int | None, ...] | None
    budget: float | None
    funding: str
    indicators: str = ""
    trend: float = 1.0
    first: int = 2017  # first register year
    end: str = ""  # planned end, shown while running
    ended: tuple[str, str, int] | None = None  # (status, end date, register year)


def _read_measures() -> list[_M]:
    """The demo register's measures from the package data file ``measures.yaml``."""
    text = resources.files(__package__).joinpath("measures.yaml").read_text(encoding="utf-8")
    out = []
    for entry in yaml.safe_load(text):
        if isinstance(entry.get("participants"), list):
            entry["participants"] = tuple(entry["participants"])
        if entry.get("ended") is not None:
            entry["ended"] = tuple(entry["ended"])
        out.append(_M(**entry))
    return out


_MEASURES: list[_M] = _read_measures()


def _date(text: str, *, end: bool = False) -> dt.date:
    parts = [int(p) for p in text.split(".")]
    if len(parts) == 3:
        return dt.date(parts[2], parts[1], parts[0])
    month, year = parts
    if not end:
        return dt.date(year, month, 1)
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _semicolon_list(text: str) -> str:
    """A comma-separated list of the table above as the register writes it.

    ``"Land NRW, Stadt"`` -> ``"Land NRW;Stadt"``; an empty text (or empty item) gives none.
    """
    return ";".join(p.strip() for p in text.split(",") if p.strip())


def _participants(m: _M, year: int, status: str) -> int | None:
    if status == "geplant" or m.participants is None:
        return None
    if isinstance(m.participants, tuple):
        idx = year - 2017
        return m.participants[idx] if idx < len(m.participants) else None
    noise = rng(f"massnahme-{m.id}-{year}").uniform(0.94, 1.06)
    return round(m.participants * m.trend ** (year - m.first) * noise)


def _budget(m: _M, year: int) -> float | None:
    if m.budget is None:
        return None
    if not float(m.budget).is_integer():
        return float(m.budget)
    grown = m.budget * 1.02 ** (year - m.first)
    return float(round(grown / 100) * 100) if m.budget >= 1_000 else float(round(grown))


def register(year: int) -> pd.DataFrame:
    """The demo register of ``year`` as a tidy frame (columns of ``measures.COLUMNS``).

    Parameters
    ----------
    year : int
        2017, 2018 or 2019.

    Returns
    -------
    pandas.DataFrame
        The register with Stand 30.06.``year``.
    """
    if year not in YEARS:
        raise ValueError(f"the demo register exists for {YEARS[0]}–{YEARS[-1]}, not {year}")
    as_of = dt.date(year, 6, 30)
    rows = []
    for m in _MEASURES:
        if year < m.first or (m.ended and year > m.ended[2]):
            continue
        start = _date(m.start)
        end_text = ""
        if m.ended and year == m.ended[2]:
            status, end_text = m.ended[0], m.ended[1]
        else:
            status = "geplant" if start > as_of else "laufend"
            end_text = m.end
        end = _date(end_text, end=True) if end_text else None
        rows.append(
            {
                "measure_id": m.id,
                "title": m.title,
                "description": m.description,
                "body": m.body,
                "body_type": m.body_type,
                "field": FIELDS[m.field - 1],
                "goals": _semicolon_list(m.goals),
                "target_groups": _semicolon_list(m.groups),
                "origin": ORIGINS[1] if m.new else ORIGINS[0],
                "status": status,
                "start": start.isoformat(),
                "end": end.isoformat() if end else None,
                "as_of": as_of.isoformat(),
                "participants": _participants(m, year, status),
                "budget_eur": _budget(m, year),
                "funding": _semicolon_list(m.funding),
                "indicators": _semicolon_list(m.indicators),
            }
        )
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["participants"] = pd.array(list(df["participants"]), dtype="Int64")
    df["budget_eur"] = df["budget_eur"].astype("float64")
    return df


def deliveries(year: int) -> list[Delivery]:
    """The register file of ``year`` (none before 2017)."""
    if year not in YEARS:
        return []
    text = register_csv(register(year), comment=SYNTHETIC_NOTE)
    return [
        Delivery(
            file=FILE,
            content=text.encode("utf-8"),
            format="csv",
            domain="measures",
            reference_date=f"{year}-06-30",
            origin="Kommunales Integrationszentrum Bielefeld: Maßnahmenregister zum "
            "Umsetzungsbericht (synthetisch)",
        )
    ]
