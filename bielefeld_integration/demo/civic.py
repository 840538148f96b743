"""Demo deliveries of accommodation, the city's own staff and participation (synthetic).

Per year: refugees in municipal accommodation (social services, 31.12.), the personnel
office's voluntary staff survey (31.12.), registered volunteers and migrant organisations
(KI, 31.12.); in 2014 only, the result of the Integrationsrat election of 25.05.2014
(elections office).

Derived from :mod:`.world` where a population base exists (the election's eligible voters
follow the adult foreign population); the trends follow ``facts.md``: shared accommodation
shrinking after 2016 while rented flats grow, 8–10 % of staff with migration background
(more among trainees), volunteers in refugee work peaking in 2016.
"""

from __future__ import annotations

from bielefeld_integration.demo import Delivery
from bielefeld_integration.demo import _office_formats as fmt
from bielefeld_integration.demo.world import allocate, district_population, rng
from bielefeld_integration.geography import STADTBEZIRKE

# --- accommodation ----------------------------------------------------------------------------

ACCOMMODATED = {2014: 1_420, 2015: 4_150, 2016: 4_320, 2017: 3_880, 2018: 3_390, 2019: 3_050}
#: Shares (Gemeinschaftsunterkunft, Übergangswohnheim, angemietete Wohnung).
ACCOMMODATION_SHARES = {
    2014: (0.34, 0.18, 0.48),
    2015: (0.55, 0.13, 0.32),
    2016: (0.47, 0.13, 0.40),
    2017: (0.32, 0.12, 0.56),
    2018: (0.23, 0.11, 0.66),
    2019: (0.15, 0.09, 0.76),
}
_TYPES = ["gemeinschaftsunterkunft", "uebergangswohnheim", "wohnung_angemietet"]
_TYPE_LABEL = {
    "gemeinschaftsunterkunft": "Gemeinschaftsunterkunft",
    "uebergangswohnheim": "Übergangswohnheim",
    "wohnung_angemietet": "von der Stadt angemietete Wohnung",
}
#: Where shared accommodation and hostels are (weights per Stadtbezirk, fixed sites).
_SITES = {
    "gemeinschaftsunterkunft": [0.24, 0.10, 0.04, 0.13, 0.03, 0.05, 0.16, 0.10, 0.10, 0.05],
    "uebergangswohnheim": [0.30, 0.12, 0.0, 0.15, 0.0, 0.0, 0.20, 0.10, 0.13, 0.0],
}


def accommodation(year: int) -> list[tuple[str, str, int]]:
    """Accommodated refugees on 31.12.``year``: (Stadtbezirk, type, persons)."""
    by_type = allocate(ACCOMMODATED[year], ACCOMMODATION_SHARES[year])
    foreign = district_population(year, ("citizenship",))
    foreign = foreign[foreign.citizenship == "auslaendisch"].set_index("stadtbezirk")["count"]
    rows = []
    for t, n in zip(_TYPES, by_type, strict=True):
        weights = _SITES.get(t) or [float(foreign[sb]) for sb in STADTBEZIRKE]
        for sb, k in zip(STADTBEZIRKE, allocate(int(n), weights), strict=True):
            rows.append((sb, t, int(k)))
    return rows


def _accommodation_file(year: int) -> Delivery:
    rows = [
        (f"31.12.{year}", STADTBEZIRKE[sb], _TYPE_LABEL[t], k) for sb, t, k in accommodation(year)
    ]
    return Delivery(
        file=f"sozialamt_unterbringung_gefluechtete_{year}.csv",
        content=fmt.city_csv(
            ["Stichtag", "Stadtbezirk", "Art der Unterbringung", "Personen"],
            rows,
            encoding="cp1252",
            crlf=True,
        ),
        format="city_csv",
        domain="accommodation",
        reference_date=f"{year}-12-31",
        origin="Amt für soziale Leistungen – Sozialamt, Unterbringung von Geflüchteten",
    )


# --- city staff -------------------------------------------------------------------------------

STAFF = {  # (Beschäftigte, Auszubildende, Neueinstellungen)
    2014: (4_650, 232, 281),
    2015: (4_690, 241, 305),
    2016: (4_745, 258, 342),
    2017: (4_800, 271, 367),
    2018: (4_850, 286, 379),
    2019: (4_905, 297, 384),
}
_STAFF_GROUPS = ["beschaeftigte", "auszubildende", "neueinstellungen"]
_NO_ANSWER = 0.14


def _mh_share(group: str, year: int) -> float:
    t = year - 2014
    return {
        "beschaeftigte": 0.082 + 0.0028 * t,
        "auszubildende": 0.14 + 0.012 * t,
        "neueinstellungen": 0.12 + 0.008 * t,
    }[group]


def city_staff(year: int) -> list[tuple[str, str, int]]:
    """Staff survey on 31.12.``year``: (group, migration background, persons)."""
    rows = []
    for group, total in zip(_STAFF_GROUPS, STAFF[year], strict=True):
        mit = _mh_share(group, year)
        parts = allocate(total, [mit, 1 - mit - _NO_ANSWER, _NO_ANSWER])
        for mh, k in zip(("mit", "ohne", "keine_angabe"), parts, strict=True):
            rows.append((group, mh, int(k)))
    return rows


def _staff_file(year: int) -> Delivery:
    group = {
        "beschaeftigte": "Beschäftigte (ohne Auszubildende)",
        "auszubildende": "Auszubildende und Anwärter/-innen",
        "neueinstellungen": "Neueinstellungen im Jahr",
    }
    mh = {
        "mit": "mit Migrationshintergrund",
        "ohne": "ohne Migrationshintergrund",
        "keine_angabe": "keine Angabe",
    }
    rows = [(f"31.12.{year}", group[g], mh[m], fmt.thousands(k)) for g, m, k in city_staff(year)]
    return Delivery(
        file=f"personalamt_befragung_migrationshintergrund_{year}.csv",
        content=fmt.city_csv(
            ["Stichtag", "Beschäftigtengruppe", "Migrationshintergrund", "Anzahl"],
            rows,
            encoding="utf-8",
            bom=True,
        ),
        format="city_csv",
        domain="city_staff",
        reference_date=f"{year}-12-31",
        origin="Personalamt der Stadt Bielefeld, freiwillige Befragung der Beschäftigten",
    )


# --- Integrationsrat election -----------------------------------------------------------------

ELECTION_DAY = "2014-05-25"
ELIGIBLE_2014 = 45_230


def election() -> list[tuple[str, int, int]]:
    """Integrationsrat election 25.05.2014: (Stadtbezirk, eligible, voters)."""
    pop = district_population(2014, ("citizenship", "migration_background", "age_group"))
    adult = ~pop.age_group.isin(["00-02", "03-05", "06-09", "10-14", "15-17"])
    foreign = pop[adult & (pop.citizenship == "auslaendisch")].groupby("stadtbezirk")["count"].sum()
    natur = pop[
        adult & (pop.citizenship == "deutsch") & (pop.migration_background == "persoenlich")
    ]
    natur = natur.groupby("stadtbezirk")["count"].sum()
    weights = [float(foreign[sb] + 0.2 * natur[sb]) for sb in STADTBEZIRKE]
    g = rng("integrationsrat-2014")
    rows = []
    for sb, n in zip(STADTBEZIRKE, allocate(ELIGIBLE_2014, weights), strict=True):
        rows.append((sb, int(n), round(int(n) * float(g.uniform(0.095, 0.145)))))
    return rows


def _election_file() -> Delivery:
    rows = []
    for sb, eligible, voters in election():
        pct = f"{100 * voters / eligible:.1f}".replace(".", ",")
        rows.append(
            (
                "25.05.2014",
                sb,
                STADTBEZIRKE[sb],
                fmt.thousands(eligible),
                fmt.thousands(voters),
                pct,
            )
        )
    e = sum(r[1] for r in election())
    v = sum(r[2] for r in election())
    rows.append(
        (
            "25.05.2014",
            "",
            "Stadt Bielefeld insgesamt",
            fmt.thousands(e),
            fmt.thousands(v),
            f"{100 * v / e:.1f}".replace(".", ","),
        )
    )
    header = [
        "Wahltag",
        "Nr.",
        "Stadtbezirk",
        "Wahlberechtigte",
        "Wählerinnen und Wähler",
        "Wahlbeteiligung in %",
    ]
    return Delivery(
        file="wahlamt_integrationsratswahl_2014.csv",
        content=fmt.city_csv(header, rows, encoding="cp1252"),
        format="city_csv",
        domain="election",
        reference_date=ELECTION_DAY,
        origin="Wahlamt der Stadt Bielefeld, Wahl des Integrationsrates am 25.05.2014",
    )


# --- engagement -------------------------------------------------------------------------------

ENGAGEMENT = {  # (registrierte Ehrenamtliche, MSO registriert, MSO gefördert)
    2014: (410, 96, 18),
    2015: (1_340, 99, 19),
    2016: (1_720, 104, 23),
    2017: (1_290, 108, 26),
    2018: (980, 111, 28),
    2019: (860, 115, 30),
}


def _engagement_file(year: int) -> Delivery:
    vol, reg, funded = ENGAGEMENT[year]
    rows = [
        (f"31.12.{year}", "Registrierte Ehrenamtliche in der Flüchtlingshilfe", vol),
        (f"31.12.{year}", "Migrantenselbstorganisationen, registriert", reg),
        (f"31.12.{year}", "Migrantenselbstorganisationen, gefördert", funded),
    ]
    return Delivery(
        file=f"ki_engagement_{year}.csv",
        content=fmt.city_csv(["Stichtag", "Kennzahl", "Anzahl"], rows, encoding="utf-8"),
        format="city_csv",
        domain="engagement",
        reference_date=f"{year}-12-31",
        origin="Kommunales Integrationszentrum, Ehrenamtskoordination und MSO-Förderung",
    )


def deliveries(year: int) -> list[Delivery]:
    """The accommodation, staff and participation deliveries of ``year``."""
    out = [_accommodation_file(year), _staff_file(year), _engagement_file(year)]
    if year == 2014:
        out.append(_election_file())
    return out
