"""Which GENESIS family a file belongs to, from its first non-blank record.

=====================================  ==========================================
first record                           family
=====================================  ==========================================
``GENESIS-Tabelle: 12511-01-01-4``     classic (Regionaldatenbank, GENESIS-Online)
``Tabelle: 12411-15i``                 classic (Landesdatenbank NRW)
``statistics_code;statistics_label;…``  flat, current form (German or English)
``Statistik_Code;Statistik_Label;…``   flat, older form
=====================================  ==========================================

Anything else is refused with the first line quoted.
"""

from __future__ import annotations

from typing import Literal

from bielefeld_integration.errors import DataError
from bielefeld_integration.sources.genesis.classic import TABLE_LINE_RE
from bielefeld_integration.sources.genesis.flat import FLAT_KEYS
from bielefeld_integration.sources.genesis.records import BOM, Record

__all__ = ["detect_family"]


def detect_family(records: list[Record], source: str) -> tuple[Literal["classic", "flat"], Record]:
    """``("classic" | "flat", first record)``; DataError for anything else."""
    first = next(r for r in records if not r.blank)
    head = first.cells[0].strip().removeprefix(BOM)
    if head.lower() in FLAT_KEYS:
        return "flat", first
    if TABLE_LINE_RE.match(head):
        return "classic", first
    shown = "".join(ch if ch.isprintable() else "?" for ch in ";".join(first.cells))
    if len(shown) > 60:
        shown = shown[:57] + "..."
    raise DataError(
        f"keine GENESIS-Tabelle erkannt: die erste Zeile »{shown}« ist weder eine "
        "Tabellenkennung (»GENESIS-Tabelle: …« / »Tabelle: …«) noch der Kopf einer "
        "Flat-CSV (»statistics_code;…« / »Statistik_Code;…«)",
        file=source,
        row=first.line,
    )
