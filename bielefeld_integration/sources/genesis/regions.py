"""Regions: which columns and flat variables hold regional keys, and checks of the keys.

Region keys (Amtlicher Regionalschlüssel) as GENESIS publishes them::

    DG          Deutschland            (Germany)
    05          Nordrhein-Westfalen    (Land, 2 digits 01-16)
    057         Detmold, Regierungsbezirk   (Regierungsbezirk / statistische Region)
    05711       Bielefeld, Kreisfreie Stadt (Kreis, 5 digits)
    05711000    Bielefeld, Stadt            (Gemeinde, 8-digit AGS)
    057110000000                            (12-digit ARS, Zensus)

A column is a region-key column only if *every* key is well formed **and** the names beside
them fit: a two-digit key must name its Land, a three-digit key must be a known
Regierungsbezirk (or statistical region) with such a name, ``DG`` must be Germany. This is
what keeps a code + label row dimension such as ``121;  Albanien`` (the AZR key of a
nationality) from being read as a Regierungsbezirk.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from importlib import resources

__all__ = [
    "REGION_VARIABLES",
    "gazetteer_json",
    "is_region_key",
    "is_region_variable",
    "region_code_for_name",
    "region_from_title",
    "region_key_problem",
]

_KEY_RE = re.compile(r"^(?:DG|\d{2}|\d{3}|\d{5}|\d{8}|\d{9}|\d{12})$")

#: Variable codes of the regional classifications in flat files (``GEO…`` is Zensus).
REGION_VARIABLES = frozenset(
    {"DINSG", "DLAND", "LAND", "REGBEZ", "KREISE", "GEMEIN", "GEMEINDE", "GEMEIND", "GVB"}
)

_LAENDER = {
    "01": ("schleswig-holstein",),
    "02": ("hamburg",),
    "03": ("niedersachsen", "lower saxony"),
    "04": ("bremen",),
    "05": ("nordrhein-westfalen", "north rhine-westphalia"),
    "06": ("hessen", "hesse"),
    "07": ("rheinland-pfalz", "rhineland-palatinate"),
    "08": ("baden-württemberg",),
    "09": ("bayern", "bavaria", "freistaat bayern"),
    "10": ("saarland",),
    "11": ("berlin",),
    "12": ("brandenburg",),
    "13": ("mecklenburg-vorpommern", "mecklenburg-western pomerania"),
    "14": ("sachsen", "saxony", "freistaat sachsen"),
    "15": ("sachsen-anhalt", "saxony-anhalt"),
    "16": ("thüringen", "thuringia", "freistaat thüringen"),
}
#: Regierungsbezirke, statistical regions and NUTS-2 regions, past and present.
_BEZIRKE = frozenset(
    "031 032 033 034 051 053 055 057 059 064 065 066 071 072 073 081 082 083 084 "
    "091 092 093 094 095 096 097 141 142 143 145 146 147 151 152 153".split()
)
_BEZIRK_WORDS = (
    "regierungsb", "reg.-bez", "stat. region", "statistische region", "nuts 2",
    "direktionsbezirk", "government region", "statistical region",
)  # fmt: skip
_GERMANY = ("deutschland", "germany", "bundesgebiet")


def is_region_key(code: str) -> bool:
    """A well-formed region key (``DG``, or 2/3/5/8/9/12 digits with a Land 01-16)."""
    if not _KEY_RE.match(code):
        return False
    return code == "DG" or "01" <= code[:2] <= "16"


def region_key_problem(code: str, name: str) -> str | None:
    """Why ``code``/``name`` is not a region (German, for messages), or None if it is one."""
    if not is_region_key(code):
        return f"»{code}« ist kein Regionalschlüssel"
    label = name.strip().casefold()
    if code == "DG":
        ok = label.startswith(_GERMANY)
    elif len(code) == 2:
        ok = label.startswith(_LAENDER[code])
    elif len(code) == 3:
        ok = code in _BEZIRKE and any(w in label for w in _BEZIRK_WORDS)
    else:
        ok = bool(label) and not is_region_key(label)
    if ok:
        return None
    return f"»{code};{name.strip()}« passt nicht zu einem Regionalschlüssel"


def is_region_variable(code: str, labels: Sequence[str], keys: Sequence[str]) -> bool:
    """A flat variable holding regions: a known code, or region keys with a region label.

    ``code`` is the variable code (``KREISE``), ``labels`` its labels and ``keys`` the
    attribute codes of all rows.
    """
    code = code.strip().upper()
    if code in REGION_VARIABLES or code.startswith("GEO"):
        return True
    if not keys or not all(is_region_key(k) for k in keys):
        return False
    label = str(labels[0]).casefold() if len(labels) else ""
    words = ("kreise", "gemeinden", "bundesländer", "regierungsbez", "districts", "municipal")
    return any(w in label for w in words)


_ABOUT = (
    "Region names of the real GENESIS exports in data/official/regionalstatistik and "
    "tests/data/genesis/samples (© Statistische Ämter des Bundes und der Länder; © IT.NRW; "
    "dl-de/by-2-0), each with the one key it stands for; names that stood for two keys are "
    "left out."
)


def gazetteer_json(pairs: Iterable[tuple[str, str]]) -> str:
    """The text of ``region_names.json`` built from ``(region_code, region_name)`` pairs.

    A name goes in only if it stands for exactly one key among all pairs. To add the names
    of a newly vendored real export, read all real exports with ``read_genesis``, pass their
    ``region_code``/``region_name`` pairs here and write the text to ``region_names.json``;
    ``tests/sources/test_genesis_real_files.py`` checks that the file is up to date.
    """
    keys: dict[str, set[str]] = {}
    for code, name in pairs:
        keys.setdefault(name.strip(), set()).add(code)
    names = {n: next(iter(c)) for n, c in keys.items() if len(c) == 1 and n}
    doc = {"about": _ABOUT, "names": names}
    return json.dumps(doc, ensure_ascii=False, indent=0, sort_keys=True) + "\n"


@functools.cache
def _gazetteer() -> dict[str, str]:
    text = resources.files(__package__).joinpath("region_names.json").read_text("utf-8")
    return dict(json.loads(text)["names"])


def region_code_for_name(name: str) -> str | None:
    """The region key of a name that is known exactly once, else None.

    The gazetteer ``region_names.json`` lists the names of the real exports shipped with
    the project (all Kreise of Germany 1995-2024 as the Regionaldatenbank writes them, all
    Gemeinden of NRW as IT.NRW writes them); a name that stood for two keys over time
    (``Göttingen, Landkreis``: 03152 and 03159) is not in it. So a table of names only is
    read when each name is certain, and refused otherwise.

    >>> region_code_for_name("  Detmold, Regierungsbezirk"), region_code_for_name("Atlantis")
    ('057', None)
    """
    return _gazetteer().get(name.strip())


_DEPTH_WORDS = ("kreise", "gemeinden", "bundesländer", "regierungsbezirke", "regionale tiefe",
                "kreisfreie", "krfr.", "districts", "municipalities", "federal states")  # fmt: skip


def region_from_title(title_lines: list[str]) -> tuple[str, str] | None:
    """The one region a whole table is about, when its title says so without doubt.

    GENESIS-Online writes national tables without a region column; the region stands alone
    on a title line, and the first title line lists it among the table's dimensions::

        Geburtenziffern: Deutschland, Jahre, Altersjahre;;;
        Statistik der Geburten;;;
        Deutschland;;;

    Returns ``("DG", "Deutschland")`` then; None when no line or more than one line is a
    region of the gazetteer, when the first line does not name it, or when the title speaks
    of a regional breakdown (``Kreise``, ``Gemeinden``, ``regionale Tiefe``, …).

    >>> region_from_title(["Geburtenziffern: Deutschland, Jahre", "Statistik", "Deutschland"])
    ('DG', 'Deutschland')
    >>> region_from_title(["Bevölkerung: Kreise, Stichtag", "Deutschland"]) is None
    True
    """
    hits = [(code, line.strip()) for line in title_lines if (code := region_code_for_name(line))]
    if len(hits) != 1:
        return None
    text = " ".join(title_lines).casefold()
    if any(w in text for w in _DEPTH_WORDS):
        return None
    code, name = hits[0]
    return (code, name) if name.casefold() in title_lines[0].casefold() else None
