"""Demo deliveries of early education and school (synthetic).

Per year: the Jugendamt's KJH extract of children in day care (01.03.), IT.NRW table 22541
(day-care facilities and approved places, older German-keyed flat CSV), the health office's
school entry examination, the school statistics table 21111 (classic GENESIS table, pupils
by school type, grade and nationality, 15.10.), the school office's school leavers and the
newcomer pupils of the KI school counselling.

All figures derive from :mod:`.world`: children in day care never exceed the children of
that age in a Stadtbezirk, pupils follow the matching age groups. Calibrated to
``facts.md``: 01.03.2016 200 facilities and 11,537 approved places; primary schools 2015/16
47 schools, 12,168 pupils, 1,434 foreign; school leavers 2016 44 % (German) vs 18 %
(foreign) with Abitur.

Size: six delivery generators of one domain that share the calibration tables of
:mod:`.world`; each is 60–100 lines of figures and file layout, none of them is reused elsewhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bielefeld_integration.demo import Delivery
from bielefeld_integration.demo import _office_formats as fmt
from bielefeld_integration.demo.world import (
    allocate,
    allocate_capped,
    district_population,
    population,
    rng,
)
from bielefeld_integration.geography import STADTBEZIRKE
from bielefeld_integration.tables import FOREIGN_NATIONALITIES, SCHOOL_TYPES

# --- day care ---------------------------------------------------------------------------------

#: Approved places and facilities per 01.03. (22541); 2016 is the published anchor.
DAYCARE_FACILITIES = {2014: 191, 2015: 196, 2016: 200, 2017: 205, 2018: 211, 2019: 218}
DAYCARE_PLACES = {
    2014: 11_020,
    2015: 11_260,
    2016: 11_537,
    2017: 11_840,
    2018: 12_190,
    2019: 12_560,
}
#: Share of places (and facilities) of public bodies (Träger) in 22541.
PUBLIC_SHARE = 0.31


def _daycare_rates(year: int) -> dict[tuple[str, str], float]:
    """Betreuungsquote by (age group, migration background)."""
    t = year - 2014
    return {
        ("unter 3", "ohne"): 0.330 + 0.012 * t,
        ("unter 3", "mit"): 0.150 + 0.012 * t,
        ("3 bis unter 6", "ohne"): 0.955 + 0.002 * t,
        ("3 bis unter 6", "mit"): 0.870 + 0.004 * t,
    }


#: Children in day care (Tageseinrichtungen and Tagespflege) on 01.03.: (under 3, 3 to 6,
#: with at least one parent of foreign origin). 2014–2016 are the real values of
#: Regionaldatenbank 22543-01-02-4 (the last one estimated for the under-6 from the real count
#: of all children under 14 in proportion); later years synthetic.
DAYCARE_CHILDREN = {
    2014: (2_654, 8_151, 5_224),
    2015: (2_695, 8_300, 5_346),
    2016: (2_662, 8_371, 5_318),
    2017: (2_781, 8_462, 5_401),
    2018: (2_903, 8_590, 5_512),
    2019: (3_012, 8_701, 5_633),
}
_DAYCARE_AGES = (("unter 3", "00-02"), ("3 bis unter 6", "03-05"))


def daycare(year: int) -> pd.DataFrame:
    """Children in day care on 01.03.``year`` by Stadtbezirk, age, MH and family language."""
    pop = district_population(year, ("age_group", "migration_background"))
    pop["mh"] = np.where(pop.migration_background == "ohne", "ohne", "mit")
    kids = pop.groupby(["stadtbezirk", "age_group", "mh"])["count"].sum()
    rates = _daycare_rates(year)
    g = rng(f"daycare-{year}")
    wiggle = {sb: float(g.uniform(0.95, 1.04)) for sb in STADTBEZIRKE}
    raw = {
        (age, mh): [
            kids.get((sb, ag, mh), 0) * min(rates[(age, mh)] * wiggle[sb], 0.99)
            for sb in STADTBEZIRKE
        ]
        for age, ag in _DAYCARE_AGES
        for mh in ("mit", "ohne")
    }
    under3, from3, with_mh = DAYCARE_CHILDREN[year]
    mh_by_age = allocate(with_mh, [sum(raw[(age, "mit")]) for age, _ in _DAYCARE_AGES])
    cared = {}
    for (age, ag), total, mh_total in zip(_DAYCARE_AGES, (under3, from3), mh_by_age, strict=True):
        for mh, target in (("mit", int(mh_total)), ("ohne", total - int(mh_total))):
            caps = [int(kids.get((sb, ag, mh), 0)) for sb in STADTBEZIRKE]
            cared[(age, mh)] = allocate_capped(target, raw[(age, mh)], caps)
    nonger = {"unter 3": 0.55, "3 bis unter 6": 0.58}
    rows = []
    for i, sb in enumerate(STADTBEZIRKE):
        for age, _ag in _DAYCARE_AGES:
            for mh in ("mit", "ohne"):
                n = int(cared[(age, mh)][i])
                ng = round(n * nonger[age]) if mh == "mit" else 0
                rows.append((sb, age, mh, "deutsch", n - ng))
                rows.append((sb, age, mh, "nichtdeutsch", ng))
    return pd.DataFrame(
        rows,
        columns=["stadtbezirk", "age_group", "migration_background", "family_language", "count"],
    )


def _kjh_file(year: int) -> Delivery:
    ref = f"{year}-03-01"
    df = daycare(year)
    age = {"unter 3": "unter 3 Jahre", "3 bis unter 6": "3 bis unter 6 Jahre"}
    mh = {"mit": "ja", "ohne": "nein"}
    lang = {"deutsch": "deutsch", "nichtdeutsch": "nicht deutsch"}
    rows = [
        (
            fmt.german_date(ref),
            r.stadtbezirk,
            age[r.age_group],
            mh[r.migration_background],
            lang[r.family_language],
            r.count,
        )
        for r in df.itertuples()
    ]
    header = [
        "Stichtag",
        "Stadtbezirk",
        "Altersgruppe",
        "Migrationshintergrund",
        "Familiensprache",
        "Kinder",
    ]
    return Delivery(
        file=f"jugendamt_kjh_kindertagesbetreuung_{year}.csv",
        content=fmt.city_csv(header, rows, encoding="cp1252", crlf=True),
        format="city_csv",
        domain="daycare",
        reference_date=ref,
        origin="Jugendamt Bielefeld, KJH-Statistik Kindertagesbetreuung (Auszug)",
    )


def _genesis_22541(year: int) -> Delivery:
    ref = f"{year}-03-01"
    g = rng(f"22541-{year}")
    rows = []
    dims = [("KREISE", "Kreise und kreisfreie Städte"), ("TRAEG1", "Art des Trägers")]
    for code, name, factor in fmt.REGIONS:
        f = 1.0 if code == "05711" else factor * float(g.uniform(0.93, 1.07))
        fac = round(DAYCARE_FACILITIES[year] * f)
        places = round(DAYCARE_PLACES[year] * f)
        pub_fac, pub_pl = round(fac * PUBLIC_SHARE), round(places * PUBLIC_SHARE)
        for attr, vals in (
            (("", "Insgesamt"), (fac, places)),
            (("TRAEG01", "öffentliche Träger"), (pub_fac, pub_pl)),
            (("TRAEG02", "freie Träger"), (fac - pub_fac, places - pub_pl)),
        ):
            rows.append((fmt.german_date(ref), [(code, name), attr], vals))
    content = fmt.genesis_flat_old(
        code="22541",
        label="Statistik der Kinder und tätigen Personen in Tageseinrichtungen "
        "(SYNTHETISCHE DEMODATEN)",
        time_code="STAG",
        time_label="Stichtag",
        dims=dims,
        measures=["KTE001__Tageseinrichtungen__Anzahl", "KTE002__Genehmigte_Plaetze__Anzahl"],
        rows=rows,
    )
    return Delivery(
        file=f"ffcsv_22541-01-01-4_kindertageseinrichtungen_{year}.csv",
        content=content,
        format="genesis_flat",
        domain="daycare_facilities",
        reference_date=ref,
        origin="IT.NRW, Landesdatenbank NRW, Statistik 22541 (Flat-CSV)",
    )


# --- school entry examination -----------------------------------------------------------------

#: Share of children by Kita duration, per family language (keine, unter 2, 2 und mehr).
_KITA_SHARES = {"deutsch": [0.02, 0.09, 0.89], "nichtdeutsch": [0.05, 0.19, 0.76]}
#: Language assessment (ausreichend, Förderbedarf, intensiver Förderbedarf).
_ASSESSMENT = {
    ("deutsch", "keine"): [0.70, 0.22, 0.08],
    ("deutsch", "unter 2 Jahre"): [0.80, 0.16, 0.04],
    ("deutsch", "2 Jahre und mehr"): [0.88, 0.10, 0.02],
    ("nichtdeutsch", "keine"): [0.16, 0.34, 0.50],
    ("nichtdeutsch", "unter 2 Jahre"): [0.30, 0.40, 0.30],
    ("nichtdeutsch", "2 Jahre und mehr"): [0.57, 0.32, 0.11],
}
_KITA = ["keine", "unter 2 Jahre", "2 Jahre und mehr"]
_ASSESS = ["ausreichend", "foerderbedarf", "intensiver_foerderbedarf"]


def school_entry(year: int) -> pd.DataFrame:
    """Children examined before school entry ``year`` (about one cohort of 5-year-olds)."""
    pop = district_population(year, ("age_group", "migration_background"))
    pop = pop[pop.age_group == "03-05"]
    kids = pop.groupby("stadtbezirk")["count"].sum().to_dict()
    mit = pop[pop.migration_background != "ohne"].groupby("stadtbezirk")["count"].sum().to_dict()
    refugee = {2016: 0.05, 2017: 0.04, 2018: 0.02}.get(year, 0.0)
    rows = []
    for sb in STADTBEZIRKE:
        total = round(kids[sb] * 0.32)
        ng = round(total * 0.60 * mit[sb] / kids[sb])
        for lang, n in (("deutsch", total - ng), ("nichtdeutsch", ng)):
            shares = list(_KITA_SHARES[lang])
            if lang == "nichtdeutsch":
                shares = [shares[0] + refugee, shares[1] + refugee, shares[2] - 2 * refugee]
            for kita, k in zip(_KITA, allocate(int(n), shares), strict=True):
                for res, m in zip(
                    _ASSESS, allocate(int(k), _ASSESSMENT[(lang, kita)]), strict=True
                ):
                    rows.append((sb, lang, kita, res, int(m)))
    return pd.DataFrame(
        rows,
        columns=["stadtbezirk", "family_language", "kita_duration", "language_assessment", "count"],
    )


def _school_entry_file(year: int) -> Delivery:
    df = school_entry(year)
    lang = {"deutsch": "Deutsch", "nichtdeutsch": "nicht Deutsch"}
    kita = {
        "keine": "kein Kita-Besuch",
        "unter 2 Jahre": "unter 2 Jahre",
        "2 Jahre und mehr": "2 Jahre und länger",
    }
    res = {
        "ausreichend": "ausreichend",
        "foerderbedarf": "Förderbedarf",
        "intensiver_foerderbedarf": "intensiver Förderbedarf",
    }
    rows = [
        (
            year,
            STADTBEZIRKE[r.stadtbezirk],
            lang[r.family_language],
            kita[r.kita_duration],
            res[r.language_assessment],
            r.count,
        )
        for r in df.itertuples()
    ]
    header = [
        "Untersuchungsjahr",
        "Stadtbezirk",
        "Familiensprache",
        "Dauer Kita-Besuch",
        "Sprachkompetenz Deutsch",
        "Anzahl Kinder",
    ]
    return Delivery(
        file=f"gesundheitsamt_schuleingangsuntersuchung_{year}.csv",
        content=fmt.city_csv(header, rows, encoding="utf-8", bom=True),
        format="city_csv",
        domain="school_entry",
        reference_date=f"{year}-12-31",
        origin="Gesundheits-, Veterinär- und Lebensmittelüberwachungsamt, "
        "Schuleingangsuntersuchung",
    )


# --- pupils (21111) ---------------------------------------------------------------------------

#: Schools per type and year (Hauptschulen are being closed, one Gesamtschule founded in 2016).
SCHOOLS = {
    "Grundschule": [48, 47, 47, 47, 47, 47],
    "Hauptschule": [7, 6, 5, 5, 4, 4],
    "Realschule": [9, 9, 9, 9, 9, 9],
    "Gymnasium": [13, 13, 13, 13, 13, 13],
    "Gesamtschule": [6, 6, 7, 7, 7, 7],
    "Sekundarschule": [2, 2, 2, 2, 2, 2],
    "Förderschule": [10, 9, 9, 8, 8, 8],
    "Berufskolleg": [10, 10, 10, 10, 10, 10],
}
_SEK1 = ["Hauptschule", "Realschule", "Gymnasium", "Gesamtschule", "Sekundarschule", "Förderschule"]
#: Distribution of the Sek-I cohort (ages 10–15) over school types, per citizenship.
_SEK1_SHARES = {
    "deutsch": [0.06, 0.19, 0.38, 0.27, 0.05, 0.05],
    "auslaendisch": [0.17, 0.19, 0.16, 0.33, 0.06, 0.09],
}
_GRADE5_SHARES = {
    "deutsch": [0.03, 0.19, 0.42, 0.29, 0.05, 0.02],
    "auslaendisch": [0.09, 0.22, 0.22, 0.38, 0.06, 0.03],
}
#: Upper secondary (two cohorts of the 15–17 group) at Gymnasium and Gesamtschule.
_OBERSTUFE = {"deutsch": (0.42, 0.14), "auslaendisch": (0.18, 0.12)}
#: Primary pupils per child aged 6–9, calibrated to 2015/16 (12,168 pupils, 1,434 foreign).
_PRIMARY_FOREIGN_2015 = 1_434
_PRIMARY_TOTAL_2015 = 12_168
_PLURAL = {
    "Grundschule": "Grundschulen",
    "Hauptschule": "Hauptschulen",
    "Realschule": "Realschulen",
    "Gymnasium": "Gymnasien",
    "Gesamtschule": "Gesamtschulen",
    "Sekundarschule": "Sekundarschulen",
    "Förderschule": "Förderschulen",
    "Berufskolleg": "Berufskollegs",
}


def _ages(year: int) -> pd.DataFrame:
    return population(year).groupby(["age_group", "citizenship"])["count"].sum().unstack()


def pupils(year: int) -> pd.DataFrame:
    """Pupils on 15.10.``year`` by school type, grade (alle / 5) and citizenship."""
    a = _ages(year)
    a15 = _ages(2015)
    f_foreign = _PRIMARY_FOREIGN_2015 / a15.loc["06-09", "auslaendisch"]
    f_german = (_PRIMARY_TOTAL_2015 - _PRIMARY_FOREIGN_2015) / a15.loc["06-09", "deutsch"]
    rows = []
    idx = year - 2014
    for cit in ("deutsch", "auslaendisch"):
        factor = f_german if cit == "deutsch" else f_foreign
        counts = {"Grundschule": round(a.loc["06-09", cit] * factor)}
        sek1 = a.loc["10-14", cit] + a.loc["15-17", cit] / 3
        for st, n in zip(_SEK1, allocate(round(sek1 * 0.99), _SEK1_SHARES[cit]), strict=True):
            counts[st] = int(n)
        gym, ges = _OBERSTUFE[cit]
        counts["Gymnasium"] += round(a.loc["15-17", cit] * 2 / 3 * gym)
        counts["Gesamtschule"] += round(a.loc["15-17", cit] * 2 / 3 * ges)
        bk = 0.45 if cit == "deutsch" else 0.28  # many young foreign adults are not at school
        counts["Berufskolleg"] = round(a.loc["18-24", cit] * bk + a.loc["15-17", cit] * 0.30)
        grade5 = allocate(round(a.loc["10-14", cit] / 5 * 0.99), _GRADE5_SHARES[cit])
        for st in SCHOOL_TYPES:
            rows.append((st, "alle", cit, counts[st], SCHOOLS[st][idx]))
        for st, n in zip(_SEK1, grade5, strict=True):
            rows.append((st, "5", cit, int(n), SCHOOLS[st][idx]))
    return pd.DataFrame(rows, columns=["school_type", "grade", "citizenship", "count", "schools"])


def _genesis_21111(year: int) -> Delivery:
    ref = f"{year}-10-15"
    df = pupils(year)
    counts = {
        (r.school_type, r.grade, r.citizenship): (r.count, r.schools) for r in df.itertuples()
    }
    g = rng(f"21111-{year}")
    rows = []
    for code, name, factor in fmt.REGIONS:
        f = 1.0 if code == "05711" else factor * float(g.uniform(0.92, 1.06))
        for st in SCHOOL_TYPES:
            for grade, glabel in (("alle", "Insgesamt"), ("5", "Jahrgangsstufe 5")):
                if (st, grade, "deutsch") not in counts:
                    vals: list[object] = ["x", "x", "x", "x"]
                else:
                    ger = round(counts[(st, grade, "deutsch")][0] * f)
                    aus = round(counts[(st, grade, "auslaendisch")][0] * f)
                    schools = round(counts[(st, grade, "deutsch")][1] * f)
                    vals = [schools, ger + aus, ger, aus]
                    vals = [v if v != 0 else "-" for v in vals]
                rows.append([fmt.german_date(ref), code, name, _PLURAL[st], glabel, *vals])
    content = fmt.genesis_classic(
        code="21111-02-06-4",
        title=[
            "Schulen und Schüler/-innen nach Schularten, Jahrgangsstufen und Nationalität",
            "- Stichtag 15.10. - regionale Tiefe: Kreise und krfr. Städte",
            "Statistik der allgemeinbildenden Schulen und der Berufskollegs "
            "(SYNTHETISCHE DEMODATEN)",
        ],
        col_headers=[
            ["Schulen", "Schüler/-innen", "Schüler/-innen", "Schüler/-innen"],
            ["", "Nationalität", "Nationalität", "Nationalität"],
            ["", "Insgesamt", "Deutsche", "Ausländer"],
            ["Anzahl", "Anzahl", "Anzahl", "Anzahl"],
        ],
        rows=rows,
        lead=5,
        footnote="SYNTHETISCHE DEMODATEN - keine amtlichen Zahlen.\n"
        "Berufskollegs: Schülerinnen und Schüler aller Bildungsgänge.",
        stand=f"12.05.{year + 1} / 10:14:32",
        year=year + 1,
    )
    return Delivery(
        file=f"regio_21111-02-06-4_schulen_schueler_{year}.csv",
        content=content,
        format="genesis_classic",
        domain="pupils",
        reference_date=ref,
        origin="IT.NRW, Regionaldatenbank, Statistik 21111 (Tabelle, CSV)",
    )


# --- school leavers ---------------------------------------------------------------------------

#: Degree distribution (ohne_hsa, hsa, msa, fhr, ahr) of 2016 and the yearly drift.
_DEGREES_2016 = {
    "deutsch": [0.05, 0.14, 0.31, 0.06, 0.44],
    "auslaendisch": [0.15, 0.26, 0.34, 0.07, 0.18],
}
_DEGREES = ["ohne_hsa", "hsa", "msa", "fhr", "ahr"]


def school_leavers(year: int) -> pd.DataFrame:
    """Leavers of general schools in the school year ending in ``year``."""
    a = _ages(year)
    t = year - 2016
    rows = []
    for cit in ("deutsch", "auslaendisch"):
        n = round(a.loc["15-17", cit] / 3 * (1.05 if cit == "deutsch" else 0.85))
        shares = list(_DEGREES_2016[cit])
        shares[4] += 0.005 * t
        shares[1] -= 0.005 * t
        if cit == "auslaendisch" and year in (2017, 2018, 2019):
            shares[0] += 0.01  # late newcomers leave without a degree more often
            shares[2] -= 0.01
        for sex, ns in zip(("m", "w"), allocate(n, [0.51, 0.49]), strict=True):
            sx = list(shares)
            if sex == "w":  # girls reach the Abitur more often
                sx[4] += 0.04
                sx[0] -= 0.015
                sx[1] -= 0.025
            else:
                sx[4] -= 0.04
                sx[0] += 0.015
                sx[1] += 0.025
            for deg, k in zip(_DEGREES, allocate(int(ns), sx), strict=True):
                rows.append((deg, cit, sex, int(k)))
    return pd.DataFrame(rows, columns=["degree", "citizenship", "sex", "count"])


def _leavers_file(year: int) -> Delivery:
    df = school_leavers(year).set_index(["citizenship", "sex", "degree"])["count"]
    header = [
        "Abgangsjahr",
        "Staatsangehörigkeit",
        "Geschlecht",
        "ohne Hauptschulabschluss",
        "Hauptschulabschluss",
        "Fachoberschulreife",
        "Fachhochschulreife",
        "Allgemeine Hochschulreife",
        "Insgesamt",
    ]
    rows = []
    for cit, clabel in (("deutsch", "Deutsche"), ("auslaendisch", "Ausländer/-innen")):
        for sex, slabel in (("m", "männlich"), ("w", "weiblich")):
            vals = [int(df[(cit, sex, d)]) for d in _DEGREES]
            rows.append([f"{year - 1}/{year % 100:02d}", clabel, slabel, *vals, sum(vals)])
    return Delivery(
        file=f"schulamt_schulabgaenger_{year}.csv",
        content=fmt.city_csv(header, rows, encoding="cp1252"),
        format="city_csv",
        domain="school_leavers",
        reference_date=f"{year}-07-31",
        origin="Amt für Schule, Schulstatistik (Abgängerinnen und Abgänger allgemeinbildender "
        "Schulen)",
    )


# --- newcomer pupils --------------------------------------------------------------------------

NEWCOMER_TOTAL = {2014: 290, 2015: 560, 2016: 820, 2017: 760, 2018: 470, 2019: 400}
_NEWCOMER_MAIN = {  # Syrien, Irak, Afghanistan, Bulgarien, Rumänien
    2014: [0.08, 0.06, 0.03, 0.16, 0.17],
    2015: [0.22, 0.12, 0.07, 0.12, 0.12],
    2016: [0.32, 0.17, 0.09, 0.10, 0.10],
    2017: [0.24, 0.22, 0.08, 0.11, 0.11],
    2018: [0.15, 0.15, 0.06, 0.15, 0.15],
    2019: [0.11, 0.12, 0.05, 0.17, 0.17],
}
_NEWCOMER_OTHER = {
    "Polen": 3,
    "Griechenland": 2,
    "Türkei": 2,
    "Italien": 1,
    "Kroatien": 1,
    "Sonstige EU": 2,
    "Kosovo": 2,
    "Serbien": 2,
    "Iran": 2,
    "Eritrea": 2,
    "Sonstiges Europa": 2,
    "Sonstiges Afrika": 2,
    "Sonstiges Asien": 2,
    "Russische Föderation": 1,
    "Ukraine": 1,
}


def newcomer_pupils(year: int) -> pd.DataFrame:
    """Newly arrived pupils counselled by the KI in ``year`` by school level and nationality."""
    main = ["Syrien", "Irak", "Afghanistan", "Bulgarien", "Rumänien"]
    shares = _NEWCOMER_MAIN[year]
    rest = 1 - sum(shares)
    w = dict(zip(main, shares, strict=True))
    tot_other = sum(_NEWCOMER_OTHER.values())
    w.update({k: rest * v / tot_other for k, v in _NEWCOMER_OTHER.items()})
    nats = [n for n in FOREIGN_NATIONALITIES if n in w]
    by_nat = allocate(NEWCOMER_TOTAL[year], [w[n] for n in nats])
    levels = {"primar": 0.42, "sek1": 0.45, "sek2": 0.13}
    rows = []
    for nat, n in zip(nats, by_nat, strict=True):
        for lvl, k in zip(levels, allocate(int(n), list(levels.values())), strict=True):
            rows.append((lvl, nat, int(k)))
    return pd.DataFrame(rows, columns=["school_level", "nationality", "count"])


def _newcomer_file(year: int) -> Delivery:
    df = newcomer_pupils(year)
    level = {"primar": "Primarstufe", "sek1": "Sekundarstufe I", "sek2": "Sekundarstufe II"}
    rows = [
        (year, level[r.school_level], r.nationality, r.count)
        for r in df.itertuples()
        if r.count > 0
    ]
    return Delivery(
        file=f"ki_schulberatung_seiteneinsteiger_{year}.csv",
        content=fmt.city_csv(
            ["Jahr", "Schulstufe", "Staatsangehörigkeit", "Schülerinnen und Schüler"],
            rows,
            encoding="utf-8",
        ),
        format="city_csv",
        domain="newcomer_pupils",
        reference_date=f"{year}-12-31",
        origin="Kommunales Integrationszentrum, Schulberatung für neu zugewanderte Kinder und "
        "Jugendliche",
    )


def deliveries(year: int) -> list[Delivery]:
    """The education deliveries of ``year``."""
    return [
        _kjh_file(year),
        _genesis_22541(year),
        _school_entry_file(year),
        _genesis_21111(year),
        _leavers_file(year),
        _newcomer_file(year),
    ]
