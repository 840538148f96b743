"""Demo deliveries of work, livelihood and language courses (synthetic).

Per year: the Bundesagentur für Arbeit's CSV exports of unemployed (annual average), SGB II
beneficiaries (31.12.) and employees at their place of residence (30.06.), IT.NRW table
13111 (employees at their workplace, classic GENESIS table; the 2014 delivery stacks 2013
and 2014 like real exports) and the BAMF's integration course statistics.

Derived from :mod:`.world` (rates applied to the population of each Stadtbezirk) and
calibrated to ``facts.md``: employees at the workplace 30.06.2013–2015 exactly as published,
about one in three unemployed a foreigner in 2016, course entries peaking 2016–2017.

Size: five delivery generators of one domain that share the working-age population and
the district risks; each is 60–100 lines of figures and file layout.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bielefeld_integration.demo import Delivery
from bielefeld_integration.demo import _office_formats as fmt
from bielefeld_integration.demo.world import allocate, allocate_capped, district_population
from bielefeld_integration.geography import STADTBEZIRKE
from bielefeld_integration.tables import COURSE_TYPES

#: Relative labour-market risk per Stadtbezirk (unemployment, SGB II).
DISTRICT_RISK = {
    "01": 1.30,
    "02": 0.90,
    "03": 0.85,
    "04": 1.00,
    "05": 0.55,
    "06": 0.70,
    "07": 1.25,
    "08": 1.10,
    "09": 1.20,
    "10": 0.85,
}
_AGE15 = {"15-24": ["15-17", "18-24"], "25-64": ["25-44", "45-64"]}
_BAND_LABEL = {"15-24": "15 bis unter 25 Jahre", "25-64": "25 bis unter 65 Jahre"}
_CIT_LABEL = {"deutsch": "Deutsche", "auslaendisch": "Ausländer"}
_SEX_LABEL = {"m": "Männer", "w": "Frauen"}


def _sb_label(code: str) -> str:
    return f"{code} {STADTBEZIRKE[code]}"


def _working_age(year: int) -> pd.DataFrame:
    pop = district_population(year, ("citizenship", "sex", "age_group"))
    band = {a: b for b, ages in _AGE15.items() for a in ages}
    pop["age_band"] = pop.age_group.map(band)
    return (
        pop.dropna(subset=["age_band"])
        .groupby(["stadtbezirk", "citizenship", "sex", "age_band"], as_index=False)["count"]
        .sum()
    )


# --- unemployed -------------------------------------------------------------------------------

#: Unemployed, annual average: total and foreigners. 2014–2016 are the real values of
#: Regionaldatenbank 13211-01-03-4 (2016: 15,152, foreigners 5,210); later years synthetic.
UNEMPLOYED = {2014: 15_890, 2015: 15_808, 2016: 15_152, 2017: 14_437, 2018: 13_318, 2019: 12_861}
UNEMPLOYED_FOREIGN = {2014: 4_763, 2015: 5_119, 2016: 5_210, 2017: 5_161, 2018: 4_902, 2019: 4_738}
#: Share of foreign unemployed in the context of flight migration.
FLIGHT_SHARE = {2014: 0.05, 2015: 0.12, 2016: 0.30, 2017: 0.40, 2018: 0.38, 2019: 0.35}
_SGB2_SHARE = {
    ("deutsch", "nein"): 0.68,
    ("auslaendisch", "nein"): 0.76,
    ("auslaendisch", "ja"): 0.95,
}


def unemployed(year: int) -> pd.DataFrame:
    """Unemployed (annual average ``year``) by Stadtbezirk and the BA's breakdowns."""
    wa = _working_age(year)
    wa = wa.groupby(["stadtbezirk", "citizenship"], as_index=False)["count"].sum()
    foreign = UNEMPLOYED_FOREIGN[year]
    rows = []
    for cit, total in (("deutsch", UNEMPLOYED[year] - foreign), ("auslaendisch", foreign)):
        part = wa[wa.citizenship == cit]
        weights = part["count"].to_numpy() * part.stadtbezirk.map(DISTRICT_RISK).to_numpy()
        for sb, n in zip(part.stadtbezirk, allocate(total, weights), strict=True):
            flight = (
                [("nein", 1.0)]
                if cit == "deutsch"
                else [("nein", 1 - FLIGHT_SHARE[year]), ("ja", FLIGHT_SHARE[year])]
            )
            for (fc, _), nf in zip(flight, allocate(int(n), [w for _, w in flight]), strict=True):
                male = 0.56 if cit == "deutsch" else (0.58 if fc == "nein" else 0.72)
                for sex, ns in zip(("m", "w"), allocate(int(nf), [male, 1 - male]), strict=True):
                    young = 0.09 if fc == "nein" else 0.17
                    for band, nb in zip(
                        ("15-24", "25-64"), allocate(int(ns), [young, 1 - young]), strict=True
                    ):
                        s2 = _SGB2_SHARE[(cit, fc)]
                        for ls, k in zip(
                            ("SGB II", "SGB III"), allocate(int(nb), [s2, 1 - s2]), strict=True
                        ):
                            rows.append((sb, cit, sex, band, ls, fc, int(k)))
    return pd.DataFrame(
        rows,
        columns=[
            "stadtbezirk",
            "citizenship",
            "sex",
            "age_band",
            "legal_sphere",
            "flight_context",
            "count",
        ],
    )


def _unemployed_file(year: int) -> Delivery:
    df = unemployed(year)
    header = [
        "Stadtbezirk",
        "Staatsangehörigkeit",
        "Geschlecht",
        "Alter",
        "Rechtskreis",
        "Kontext Fluchtmigration",
        "Arbeitslose",
    ]
    rows = [
        [
            _sb_label(r.stadtbezirk),
            _CIT_LABEL[r.citizenship],
            _SEX_LABEL[r.sex],
            _BAND_LABEL[r.age_band],
            r.legal_sphere,
            r.flight_context,
            fmt.thousands(r.count),
        ]
        for r in df.itertuples()
    ]
    rows.append(["Insgesamt"] * 6 + [fmt.thousands(int(df["count"].sum()))])
    content = fmt.ba_export(
        "Arbeitslose nach Stadtbezirken und ausgewählten Merkmalen",
        [
            "Region: Bielefeld, Stadt (05711000)",
            f"Berichtszeitraum: Jahresdurchschnitt {year}",
            f"Erstellungsdatum: 14.02.{year + 1}",
        ],
        header,
        rows,
        footer=[
            "Jahresdurchschnitte: Mittelwert der zwölf Monatsstichtage.",
            f"© Statistik der Bundesagentur für Arbeit, {year + 1}",
        ],
    )
    return Delivery(
        file=f"ba_arbeitslose_stadtbezirke_{year}.csv",
        content=content,
        format="ba_csv",
        domain="unemployed",
        reference_date=f"{year}-12-31",
        origin="Statistik der Bundesagentur für Arbeit, Sonderauswertung Arbeitslose nach "
        "Stadtbezirken (Jahresdurchschnitt)",
    )


# --- SGB II -----------------------------------------------------------------------------------

_SGB2_RATES = {  # (unter 15, 15 bis Regelaltersgrenze) per citizenship and year
    "deutsch": {y: (0.170, 0.086) for y in range(2014, 2020)},
    "auslaendisch": {
        2014: (0.42, 0.25),
        2015: (0.45, 0.27),
        2016: (0.52, 0.32),
        2017: (0.56, 0.35),
        2018: (0.55, 0.34),
        2019: (0.52, 0.32),
    },
}
#: SGB II beneficiaries on 31.12.: (total, foreigners). 2014–2016 are the real
#: Regelleistungsberechtigte of Regionaldatenbank 22811-02-02-4; later years synthetic.
SGB2_TOTALS = {
    2014: (35_550, 12_623),
    2015: (36_373, 13_765),
    2016: (37_332, 15_494),
    2017: (38_117, 16_842),
    2018: (37_694, 16_951),
    2019: (36_958, 16_703),
}
_UNDER15 = ["00-02", "03-05", "06-09", "10-14"]
_TO_RETIREMENT = ["15-17", "18-24", "25-44", "45-64"]


def sgb2(year: int) -> pd.DataFrame:
    """SGB II beneficiaries on 31.12.``year`` by Stadtbezirk, citizenship and age band."""
    pop = district_population(year, ("citizenship", "age_group"))
    band = {
        **dict.fromkeys(_UNDER15, "unter 15"),
        **dict.fromkeys(_TO_RETIREMENT, "15 bis Regelaltersgrenze"),
    }
    pop["age_band"] = pop.age_group.map(band)
    n = pop.groupby(["stadtbezirk", "citizenship", "age_band"])["count"].sum().to_dict()
    rows = []
    for cit in ("deutsch", "auslaendisch"):
        keys, weights, caps = [], [], []
        young, adult = _SGB2_RATES[cit][year]
        for sb in STADTBEZIRKE:
            risk = DISTRICT_RISK[sb]
            for ab, rate, cap in (
                ("unter 15", young, 0.8),
                ("15 bis Regelaltersgrenze", adult, 0.7),
            ):
                keys.append((sb, cit, ab))
                weights.append(n[(sb, cit, ab)] * min(rate * risk, cap))
                caps.append(int(n[(sb, cit, ab)] * cap))
        total, foreign = SGB2_TOTALS[year]
        target = foreign if cit == "auslaendisch" else total - foreign
        counts = allocate_capped(target, weights, caps)
        rows += [(*k, int(c)) for k, c in zip(keys, counts, strict=True)]
    return pd.DataFrame(rows, columns=["stadtbezirk", "citizenship", "age_band", "count"])


def _sgb2_file(year: int) -> Delivery:
    df = sgb2(year).set_index(["stadtbezirk", "citizenship", "age_band"])["count"]
    header = [
        "Stadtbezirk",
        "Staatsangehörigkeit",
        "Leistungsberechtigte insgesamt",
        "davon unter 15 Jahre",
        "davon 15 Jahre bis Regelaltersgrenze",
    ]
    rows = []
    for sb in STADTBEZIRKE:
        for cit in ("deutsch", "auslaendisch"):
            a, b = int(df[(sb, cit, "unter 15")]), int(df[(sb, cit, "15 bis Regelaltersgrenze")])
            rows.append([_sb_label(sb), _CIT_LABEL[cit], *map(fmt.thousands, (a + b, a, b))])
    u15 = int(df.xs("unter 15", level="age_band").sum())
    o15 = int(df.sum()) - u15
    rows.append(["Insgesamt", "Insgesamt", *map(fmt.thousands, (u15 + o15, u15, o15))])
    content = fmt.ba_export(
        "Leistungsberechtigte (LB) nach dem SGB II nach Stadtbezirken",
        [
            "Region: Bielefeld, Stadt (05711000)",
            f"Stichtag: 31.12.{year}",
            "Datenstand: vorläufig, hochgerechnet nach 3 Monaten Wartezeit",
        ],
        header,
        rows,
        footer=[f"© Statistik der Bundesagentur für Arbeit, {year + 1}"],
    )
    return Delivery(
        file=f"ba_sgb2_leistungsberechtigte_{year}.csv",
        content=content,
        format="ba_csv",
        domain="sgb2",
        reference_date=f"{year}-12-31",
        origin="Statistik der Bundesagentur für Arbeit, Grundsicherung für Arbeitsuchende "
        "(SGB II), Sonderauswertung nach Stadtbezirken",
    )


# --- employees at the place of residence ------------------------------------------------------

_EMPLOYMENT_LABEL = {
    "svb": "sozialversicherungspflichtig Beschäftigte",
    "geringfuegig": "ausschließlich geringfügig Beschäftigte",
}


def _employment_rates(cit: str, sex: str, band: str, year: int) -> tuple[float, float]:
    """(svb, ausschließlich geringfügig) per inhabitant of the group."""
    t = year - 2014
    if cit == "deutsch":
        svb = {"15-24": 0.38, "25-64": 0.61}[band] * (1.0 if sex == "m" else 0.92)
        gb = {"15-24": 0.11, "25-64": 0.05}[band]
    else:
        svb = ({"15-24": 0.24, "25-64": 0.40}[band] + 0.008 * t) * (1.0 if sex == "m" else 0.74)
        gb = {"15-24": 0.07, "25-64": 0.07}[band]
    return svb, gb


#: Employees subject to social insurance living in Bielefeld on 30.06.: (total, foreigners).
#: 2014 and 2015 are the real values of Regionaldatenbank 13111-02-02-4; later years synthetic.
RESIDENCE_EMPLOYEES = {
    2014: (113_808, 11_530),
    2015: (116_295, 12_333),
    2016: (118_912, 13_402),
    2017: (121_488, 14_511),
    2018: (123_905, 15_467),
    2019: (125_637, 16_218),
}


def employees(year: int) -> pd.DataFrame:
    """Employees living in Bielefeld on 30.06.``year`` (svb and exclusively marginal)."""
    wa = _working_age(year)
    rows = []
    svb_raw = []
    for r in wa.itertuples():
        svb, gb = _employment_rates(r.citizenship, r.sex, r.age_band, year)
        risk = DISTRICT_RISK[r.stadtbezirk]
        svb_raw.append(r.count * svb * (1.1 - 0.1 * risk))
        rows.append((r.stadtbezirk, r.citizenship, r.sex, r.age_band, "svb", 0))
        rows.append(
            (r.stadtbezirk, r.citizenship, r.sex, r.age_band, "geringfuegig", round(r.count * gb))
        )
    df = pd.DataFrame(
        rows, columns=["stadtbezirk", "citizenship", "sex", "age_band", "employment", "count"]
    )
    total, foreign = RESIDENCE_EMPLOYEES[year]
    svb_rows = df.index[df.employment == "svb"].to_numpy()
    cit = df.loc[svb_rows, "citizenship"].to_numpy()
    raw = np.asarray(svb_raw)
    for c, target in (("auslaendisch", foreign), ("deutsch", total - foreign)):
        mask = cit == c
        df.loc[svb_rows[mask], "count"] = allocate(target, raw[mask])
    return df


def _employees_file(year: int) -> Delivery:
    df = employees(year)
    header = [
        "Stadtbezirk",
        "Staatsangehörigkeit",
        "Geschlecht",
        "Alter",
        "Beschäftigungsart",
        "Beschäftigte am Wohnort",
    ]
    rows = [
        [
            _sb_label(r.stadtbezirk),
            _CIT_LABEL[r.citizenship],
            _SEX_LABEL[r.sex],
            _BAND_LABEL[r.age_band],
            _EMPLOYMENT_LABEL[r.employment],
            fmt.thousands(r.count),
        ]
        for r in df.itertuples()
    ]
    for emp, label in _EMPLOYMENT_LABEL.items():
        total = int(df.loc[df.employment == emp, "count"].sum())
        rows.append(["Insgesamt"] * 4 + [label, fmt.thousands(total)])
    content = fmt.ba_export(
        "Sozialversicherungspflichtig und ausschließlich geringfügig Beschäftigte am Wohnort "
        "nach Stadtbezirken",
        ["Region: Bielefeld, Stadt (05711000)", f"Stichtag: 30.06.{year}"],
        header,
        rows,
        footer=[f"© Statistik der Bundesagentur für Arbeit, {year + 1}"],
    )
    return Delivery(
        file=f"ba_beschaeftigte_wohnort_{year}.csv",
        content=content,
        format="ba_csv",
        domain="employees",
        reference_date=f"{year}-06-30",
        origin="Statistik der Bundesagentur für Arbeit, Beschäftigungsstatistik, "
        "Sonderauswertung nach Stadtbezirken (Wohnort)",
    )


# --- employees at the workplace (13111) -------------------------------------------------------

#: 30.06.: (total, foreign); 2013–2015 as published, later years growing.
WORKPLACE = {
    2013: (138_916, 10_901),
    2014: (141_143, 11_475),
    2015: (144_063, 12_454),
    2016: (147_180, 13_620),
    2017: (150_420, 14_910),
    2018: (153_260, 16_080),
    2019: (155_480, 16_950),
}
#: Employees whose nationality is not known (in the total, neither German nor foreign).
_UNKNOWN = 0.0004


def _genesis_13111(year: int) -> Delivery:
    years = [2013, 2014] if year == 2014 else [year]
    rows = []
    for y in years:
        for code, name, factor in fmt.REGIONS:
            total, foreign = WORKPLACE[y]
            if code != "05711":
                total, foreign = round(total * factor * 0.83), round(foreign * factor * 0.95)
            german = total - foreign - round(total * _UNKNOWN)
            rows.append([f"30.06.{y}", code, name, total, german, foreign])
    content = fmt.genesis_classic(
        code="13111-01-03-4",
        title=[
            "Sozialversicherungspflichtig Beschäftigte am Arbeitsort nach Nationalität",
            "- Stichtag 30.06. - regionale Tiefe: Kreise und krfr. Städte",
            "Beschäftigtenstatistik der Bundesagentur für Arbeit (SYNTHETISCHE DEMODATEN)",
        ],
        col_headers=[
            ["Sozialversicherungspflichtig Beschäftigte am Arbeitsort"] * 3,
            ["Nationalität"] * 3,
            ["Insgesamt", "Deutsche", "Ausländer"],
            ["Anzahl"] * 3,
        ],
        rows=rows,
        lead=3,
        footnote="SYNTHETISCHE DEMODATEN - keine amtlichen Zahlen.\n"
        "Insgesamt: einschließlich Fälle ohne Angabe zur Nationalität.",
        stand=f"21.03.{year + 1} / 09:41:07",
        year=year + 1,
        crlf=True,
    )
    return Delivery(
        file=f"regio_13111-01-03-4_beschaeftigte_arbeitsort_{year}.csv",
        content=content,
        format="genesis_classic",
        domain="employees_workplace",
        reference_date=f"{year}-06-30",
        origin="Regionaldatenbank Deutschland, Statistik 13111 (Tabelle 13111-01-03-4, CSV)",
    )


# --- integration courses (BAMF) ---------------------------------------------------------------

COURSE_ENTRIES = {2014: 1_150, 2015: 1_640, 2016: 2_930, 2017: 2_620, 2018: 1_720, 2019: 1_480}
COURSE_EXITS = {2014: 1_010, 2015: 1_240, 2016: 1_890, 2017: 2_580, 2018: 2_060, 2019: 1_560}
_COURSE_MIX = {
    "allgemein": 0.55,
    "jugend": 0.05,
    "eltern_frauen": 0.12,
    "alphabetisierung": 0.20,
    "sonstige": 0.08,
}
_B1_RATE = {
    "allgemein": 0.64,
    "jugend": 0.70,
    "eltern_frauen": 0.56,
    "alphabetisierung": 0.24,
    "sonstige": 0.52,
}


def integration_courses(year: int) -> pd.DataFrame:
    """Course entries, exits, exam participants and B1 passes in ``year`` (BAMF)."""
    mix = dict(_COURSE_MIX)
    if year in (2016, 2017):
        mix["alphabetisierung"] += 0.05
        mix["allgemein"] -= 0.05
    male = {2014: 0.42, 2015: 0.48, 2016: 0.57, 2017: 0.55, 2018: 0.49, 2019: 0.46}[year]
    rows = []
    for measure, total in (("eintritte", COURSE_ENTRIES[year]), ("austritte", COURSE_EXITS[year])):
        for ct, n in zip(
            COURSE_TYPES, allocate(total, [mix[c] for c in COURSE_TYPES]), strict=True
        ):
            m = 0.05 if ct == "eltern_frauen" else male
            for sex, k in zip(("m", "w"), allocate(int(n), [m, 1 - m]), strict=True):
                rows.append((ct, sex, measure, int(k)))
    out = pd.DataFrame(rows, columns=["course_type", "sex", "measure", "count"])
    exits = out[out.measure == "austritte"]
    extra = []
    for r in exits.itertuples():
        exams = round(r.count * 0.78)
        passed = round(exams * _B1_RATE[r.course_type])
        extra += [
            (r.course_type, r.sex, "pruefungen", exams),
            (r.course_type, r.sex, "b1_bestanden", passed),
        ]
    return pd.concat([out, pd.DataFrame(extra, columns=out.columns)], ignore_index=True)


def _bamf_file(year: int) -> Delivery:
    df = integration_courses(year).set_index(["course_type", "sex", "measure"])["count"]
    label = {
        "allgemein": "Allgemeiner Integrationskurs",
        "jugend": "Jugendintegrationskurs",
        "eltern_frauen": "Eltern- bzw. Frauenintegrationskurs",
        "alphabetisierung": "Integrationskurs mit Alphabetisierung",
        "sonstige": "Sonstige Kursarten (Förder-, Intensiv-, Zweitschriftlernerkurs)",
    }
    header = [
        "Berichtsjahr",
        "Kreis",
        "Kursart",
        "Geschlecht",
        "Kurseintritte",
        "Kursaustritte",
        "Prüfungsteilnahmen DTZ",
        "darunter Niveau B1 erreicht",
    ]
    rows = []
    for ct in COURSE_TYPES:
        for sex, slabel in (("m", "männlich"), ("w", "weiblich")):
            vals = [
                int(df[(ct, sex, m)])
                for m in ("eintritte", "austritte", "pruefungen", "b1_bestanden")
            ]
            rows.append(
                [year, "05711 Bielefeld, Stadt", label[ct], slabel, *map(fmt.thousands, vals)]
            )
    return Delivery(
        file=f"bamf_integrationskurse_{year}.csv",
        content=fmt.city_csv(header, rows, encoding="utf-8", bom=True, crlf=True),
        format="bamf_csv",
        domain="integration_courses",
        reference_date=f"{year}-12-31",
        origin="Bundesamt für Migration und Flüchtlinge, Integrationskursgeschäftsstatistik "
        "(Auswertung für die kreisfreie Stadt Bielefeld)",
    )


def deliveries(year: int) -> list[Delivery]:
    """The labour-market and course deliveries of ``year``."""
    return [
        _unemployed_file(year),
        _sgb2_file(year),
        _employees_file(year),
        _genesis_13111(year),
        _bamf_file(year),
    ]
