"""Bielefeld's areas: the city, its 10 Stadtbezirke and 72 Statistische Bezirke.

Codes are always strings (leading zeros matter): the city is ``"05711000"`` (AGS),
Stadtbezirke are ``"01"`` to ``"10"``, Statistische Bezirke are four digits: the code of
their Stadtbezirk followed by the city's own two-digit number of the Statistischer Bezirk
(``"0101"`` Alt- und Neustadt … ``"0217"`` Vorwerk Schildesche … ``"1072"`` Windflöte).

Names, numbers and the Stadtbezirk of each Statistischer Bezirk are the city's real
Raumgliederung, taken from its open data (``data/official/bielefeld-open-data/``,
© Stadt Bielefeld, Presseamt/Statistikstelle (CC BY-SA 4.0)). The open data key of a
Statistischer Bezirk has 11 digits, ``05711000`` + (Stadtbezirk − 1) + number, e.g.
``"05711000117"``; some city files write it without the leading zero (``"5711000117"``).
:func:`normalise_stat_bezirk` accepts every one of these forms and :func:`official_key`
gives the 11-digit key back.
"""

from __future__ import annotations

import pandas as pd

from bielefeld_integration.errors import DataError

CITY_CODE = "05711000"
CITY_NAME = "Bielefeld"
KREIS_CODE = "05711"

#: The 10 Stadtbezirke, code -> name.
STADTBEZIRKE: dict[str, str] = {
    "01": "Mitte",
    "02": "Schildesche",
    "03": "Gadderbaum",
    "04": "Brackwede",
    "05": "Dornberg",
    "06": "Jöllenbeck",
    "07": "Heepen",
    "08": "Stieghorst",
    "09": "Sennestadt",
    "10": "Senne",
}

#: The 72 Statistische Bezirke, code -> (name, Stadtbezirk code), in the city's order.
#: Names as the city publishes them (open data "bielefeld_bev_struktur", Stand 31.12.2019).
STAT_BEZIRKE: dict[str, tuple[str, str]] = {
    "0101": ("Alt- und Neustadt", "01"),
    "0102": ("Kesselbrink", "01"),
    "0103": ("Pauluskirche", "01"),
    "0104": ("Dürkopp", "01"),
    "0105": ("Landgericht", "01"),
    "0106": ("Siegfriedplatz (inkl. Upmannstift)", "01"),
    "0107": ("Nordpark", "01"),
    "0108": ("Stadtwerke", "01"),
    "0109": ("Güterbahnhof-Ost", "01"),
    "0110": ("Hammer-Mühle", "01"),
    "0111": ("Königsbrügge (i.Betriebs. Sieker)", "01"),
    "0112": ("Brands Busch", "01"),
    "0113": ("Stauteiche (inkl. Großmarkt)", "01"),
    "0114": ("Heeper Fichten", "01"),
    "0115": ("Fuhrpark (inkl. Kammerratsheide)", "01"),
    "0116": ("Bauerschaft Schildesche", "01"),
    "0217": ("Vorwerk Schildesche", "02"),
    "0218": ("Schildesche", "02"),
    "0219": ("Johannesstift", "02"),
    "0220": ("Sudbrack", "02"),
    "0221": ("Untertheesen", "02"),
    "0222": ("Bültmannskrug", "02"),
    "0223": ("Gellershagen", "02"),
    "0224": ("Bültmannshof", "02"),
    "0225": ("Universität (inkl. Sieben Hügel)", "02"),
    "0326": ("Johannistal", "03"),
    "0327": ("Bethel", "03"),
    "0328": ("Eggeweg (inkl. Osningpaß)", "03"),
    "0429": ("Rosenhöhe", "04"),
    "0430": ("Kammerich", "04"),
    "0431": ("Frerks Hof", "04"),
    "0432": ("Brackwede-Mitte", "04"),
    "0433": ("Bahnhof-Brackwede", "04"),
    "0434": ("Kupferhammer", "04"),
    "0435": ("Brock (inkl. Südwestfeld)", "04"),
    "0436": ("Ummeln (inkl. Holtkamp)", "04"),
    "0437": ("Kupferheide", "04"),
    "0438": ("Quelle", "04"),
    "0539": ("Hoberge-Uerentrup (i. Wolfskuhle)", "05"),
    "0540": ("Pappelkrug (inkl. Wellensiek)", "05"),
    "0541": ("Großdornberg (inkl. Kirchdornberg)", "05"),
    "0542": ("Babenhausen-Ost", "05"),
    "0543": ("Babenhausen", "05"),
    "0544": ("Niederdornberg-Schröttinghausen", "05"),
    "0645": ("Jöllenbeck-West", "06"),
    "0646": ("Jöllenbeck-Ost", "06"),
    "0647": ("Theesen", "06"),
    "0648": ("Vilsendorf", "06"),
    "0749": ("Grafenheide", "07"),
    "0750": ("Lämmkenstatt", "07"),
    "0751": ("Welscher (inkl. Jerrendorf)", "07"),
    "0752": ("Baumheide (inkl. Halhof)", "07"),
    "0753": ("Milse", "07"),
    "0754": ("Altenhagen", "07"),
    "0755": ("Windwehe (inkl. Brönninghausen)", "07"),
    "0756": ("Tieplatz", "07"),
    "0757": ("Heeper Holz", "07"),
    "0758": ("Oldentrup-West (i. Oldentrup-Ost)", "07"),
    "0859": ("Dingerdissen", "08"),
    "0860": ("Ubbedissen (inkl. Lämershagen)", "08"),
    "0861": ("Hillegossen", "08"),
    "0862": ("Stieghorst stb", "08"),
    "0863": ("Sieker", "08"),
    "0864": ("Rütli (inkl. Lonnerbach)", "08"),
    "0965": ("Dalbke", "09"),
    "0966": ("Eckardtsheim", "09"),
    "0967": ("Südstadt", "09"),
    "0968": ("Sennestadt (Sennest.-I.,Wrachtr.L.)", "09"),
    "1069": ("Schillingshof", "10"),
    "1070": ("Buschkamp (inkl. Togdrang)", "10"),
    "1071": ("Windelsbleiche", "10"),
    "1072": ("Windflöte", "10"),
}

assert len(STAT_BEZIRKE) == 72

#: The city's open-data key prefix of the Statistische Bezirke (AGS of Bielefeld).
_OFFICIAL_PREFIX = CITY_CODE

_BY_NUMBER: dict[str, str] = {code[2:]: code for code in STAT_BEZIRKE}


AREA_LEVELS = ("stadt", "stadtbezirk", "stat_bezirk")


def normalise_stat_bezirk(value: object) -> str:
    """The four-digit code of a Statistischer Bezirk given in any form the city uses.

    Accepted: the code itself (``"0217"``), the city's number (``"17"``, ``"5"``), the
    11-digit open data key (``"05711000117"``) and the same without the leading zero
    (``"5711000117"``). Anything else raises :class:`DataError`; nothing is guessed.

    >>> normalise_stat_bezirk("5711000117"), normalise_stat_bezirk("05711000001")
    ('0217', '0101')
    """
    text = value.strip() if isinstance(value, str) else None
    if not text or not text.isascii() or not text.isdigit():
        raise DataError(f"unbekannter Statistischer Bezirk {value!r}")
    code: str | None = None
    if len(text) == 4:
        code = text if text in STAT_BEZIRKE else None
    elif len(text) <= 2:
        code = _BY_NUMBER.get(text.zfill(2))
    elif len(text) in (10, 11):
        key = text.zfill(11)
        if key.startswith(_OFFICIAL_PREFIX):
            code = _BY_NUMBER.get(key[-2:])
            if code is not None and official_key(code) != key:
                code = None
    if code is None:
        raise DataError(f"unbekannter Statistischer Bezirk {value!r}")
    return code


def official_key(stat_bezirk: str) -> str:
    """The 11-digit open data key of a Statistischer Bezirk (``"0217"`` -> ``"05711000117"``)."""
    sb = stadtbezirk_of(stat_bezirk)
    return f"{_OFFICIAL_PREFIX}{int(sb) - 1}{stat_bezirk[2:]}"


def stat_bezirk_label(stat_bezirk: str) -> str:
    """Number and name as the city writes them (``"0217"`` -> ``"17 Vorwerk Schildesche"``)."""
    name = area_name(stat_bezirk)
    return f"{stat_bezirk[2:]} {name}"


def stadtbezirk_of(stat_bezirk: str) -> str:
    """The Stadtbezirk code of a Statistischer Bezirk code (``"0703"`` -> ``"07"``)."""
    try:
        return STAT_BEZIRKE[stat_bezirk][1]
    except KeyError:
        raise DataError(f"unbekannter Statistischer Bezirk {stat_bezirk!r}") from None


def area_name(code: str) -> str:
    """Readable German name of any area code (city, Stadtbezirk or Statistischer Bezirk)."""
    if code == CITY_CODE:
        return CITY_NAME
    if code in STADTBEZIRKE:
        return STADTBEZIRKE[code]
    if code in STAT_BEZIRKE:
        return STAT_BEZIRKE[code][0]
    raise DataError(f"unbekannter Gebietsschlüssel {code!r}")


def area_label(code: str) -> str:
    """An area as a public page or download names it.

    The city and the Stadtbezirke by name, a Statistischer Bezirk by number and name as the
    city writes it (:func:`stat_bezirk_label`), never by its internal key.

    Examples
    --------
    >>> area_label("05711000"), area_label("02"), area_label("0217")
    ('Bielefeld', 'Schildesche', '17 Vorwerk Schildesche')
    """
    if code in STAT_BEZIRKE:
        return stat_bezirk_label(code)
    return area_name(code)


def check_district(code: object) -> str:
    """Return ``code`` if it is a Stadtbezirk code (``"01"``…``"10"``), else raise DataError."""
    if not isinstance(code, str) or code not in STADTBEZIRKE:
        raise DataError(
            f"unbekannter Stadtbezirk {code!r}: erwartet wird ein Schlüssel als Text, "
            f"{', '.join(STADTBEZIRKE)}"
        )
    return code


def areas() -> pd.DataFrame:
    """All areas as a frame with ``area_level``, ``area_code``, ``area_name``, ``parent_code``."""
    rows = [("stadt", CITY_CODE, CITY_NAME, "")]
    rows += [("stadtbezirk", c, n, CITY_CODE) for c, n in STADTBEZIRKE.items()]
    rows += [("stat_bezirk", c, n, sb) for c, (n, sb) in STAT_BEZIRKE.items()]
    return pd.DataFrame(rows, columns=["area_level", "area_code", "area_name", "parent_code"])
