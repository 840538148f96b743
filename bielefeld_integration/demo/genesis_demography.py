"""Demo GENESIS exports of official demography: tables 12411, 12511, 12531 and 12711.

Per year four files in the formats of the statistical offices' databases:

- ``itnrw_12411-03i_bevoelkerung_<year>.csv``: population by sex and citizenship on 31.12.
  (Landesdatenbank NRW, classic table CSV, ISO-8859-1; 31.12.2015 exactly 333,090);
- ``regio_12511-01-01-4_einbuergerungen_<year>.csv``: naturalisations by continent
  (Regionaldatenbank, classic, ISO-8859-1, years stacked; the 2014 file holds 2012–2014);
- ``ffcsv_12531-01-01-4_schutzsuchende_<year>.csv``: protection seekers by status and sex
  (flat CSV, current form, UTF-8 with BOM, rounded to 5, consistent with the AZR extract);
- ``regio_12711-02-03-4_wanderungen_<year>.csv``: arrivals and departures across the city
  boundary by origin/destination and citizenship (classic, UTF-8, lone time line).

The numbers are synthetic; each file says so in a footnote (classic) or in the statistic's
label (flat), and the copyright line does not claim an official source.
"""

from __future__ import annotations

import math

from bielefeld_integration.demo import SYNTHETIC_NOTE, Delivery
from bielefeld_integration.demo import _office_formats as fmt
from bielefeld_integration.demo.residence import residence
from bielefeld_integration.demo.world import rng

#: Regions of the classic tables: code, indented name, size relative to Bielefeld.
REGIONS: list[tuple[str, str, float]] = [
    ("05", "Nordrhein-Westfalen", 53.6),
    ("057", "  Detmold, Regierungsbezirk", 6.16),
    ("05711", "    Bielefeld, krfr. Stadt", 1.0),
    ("05754", "    Gütersloh, Kreis", 1.09),
    ("05758", "    Herford, Kreis", 0.75),
    ("05766", "    Lippe, Kreis", 1.05),
]
_NOTE_LATIN1 = SYNTHETIC_NOTE.replace("–", "-")

# --- 12411: official population ------------------------------------------------------------

#: Bielefeld 31.12.: (male German, male foreign, female German, female foreign).
OFFICIAL_POPULATION: dict[int, tuple[int, int, int, int]] = {
    2014: (137_800, 20_700, 151_650, 19_632),
    2015: (138_448, 22_700, 151_094, 20_848),
    2016: (137_500, 24_300, 150_300, 21_400),
    2017: (137_050, 25_350, 149_650, 22_150),
    2018: (136_850, 26_150, 149_350, 22_850),
    2019: (136_600, 26_900, 149_050, 23_550),
}
#: Foreigner share of the other regions relative to Bielefeld.
_FOREIGN_RELATIVE = {
    "05": 0.90,
    "057": 0.75,
    "05711": 1.0,
    "05754": 0.80,
    "05758": 0.66,
    "05766": 0.58,
}


def _rint(x: float) -> int:
    """Round half up to a Python int."""
    return math.floor(float(x) + 0.5)


def _num(n: int) -> str:
    return str(n) if n else "-"


def official_population(year: int) -> dict[str, tuple[int, int, int, int]]:
    """12411 cells per region: (male German, male foreign, female German, female foreign)."""
    m_de, m_aus, w_de, w_aus = OFFICIAL_POPULATION[year]
    total, foreign = m_de + m_aus + w_de + w_aus, m_aus + w_aus
    out = {}
    for code, _name, size in REGIONS:
        if code == "05711":
            out[code] = OFFICIAL_POPULATION[year]
            continue
        g = rng(f"12411-{code}")
        t = _rint(total * size * (1 + 0.002 * (year - 2014)) * (1 + g.normal(0, 0.004)))
        f = _rint(t * foreign / total * _FOREIGN_RELATIVE[code])
        f_m = _rint(f * 0.53)
        d_m = _rint((t - f) * 0.483)
        out[code] = (d_m, f_m, t - f - d_m, f - f_m)
    return out


def official_population_extract(year: int) -> bytes:
    """The file ``itnrw_12411-03i_bevoelkerung_<year>.csv`` (ISO-8859-1)."""
    n = 9
    lines = fmt.genesis_head(
        "Tabelle: 12411-03i",
        ["Bevölkerung nach Geschlecht und Nationalität - Stichtag - kreisfreie Städte und Kreise"],
        [
            ["Bevölkerungsstand"] * n,
            ["Geschlecht"] * n,
            [g for g in ("Insgesamt", "männlich", "weiblich") for _ in range(3)],
            ["Nationalität"] * n,
            ["Insgesamt", "Deutsche", "Ausländer"] * 3,
            ["Anzahl"] * n,
        ],
        lead=3,
    )
    for code, name, _size in REGIONS:
        m_de, m_aus, w_de, w_aus = official_population(year)[code]
        cells = [
            m_de + m_aus + w_de + w_aus,
            m_de + w_de,
            m_aus + w_aus,
            m_de + m_aus,
            m_de,
            m_aus,
            w_de + w_aus,
            w_de,
            w_aus,
        ]
        lines.append(f"31.12.{year};{code};{name};" + ";".join(str(c) for c in cells))
    footnote = (
        f"{_NOTE_LATIN1}\n"
        "Die Fortschreibung des Bevölkerungsstandes basiert ab dem\n"
        "Jahr 2011 auf den Ergebnissen des Zensus 2011;\n"
        "Ausländer: Personen ohne deutsche Staatsangehörigkeit."
    )
    lines += fmt.genesis_footer(
        footnote,
        "© Synthetische Demodaten im Exportformat der Landesdatenbank NRW (IT.NRW); "
        "keine amtlichen Zahlen.",
        f"14.06.{year + 1} / 09:41:17",
        blank_before=True,
    )
    return fmt.encode(lines, encoding="iso-8859-1")


# --- 12511: naturalisations --------------------------------------------------------------

#: Bielefeld: Afrika, Amerika, Asien, Australien und Ozeanien, Europa, unbekannt.
NATURALISATIONS: dict[int, tuple[int, int, int, int, int, int]] = {
    2012: (65, 8, 228, 0, 719, 3),
    2013: (66, 14, 172, 0, 419, 6),
    2014: (40, 16, 96, 0, 371, 3),
    2015: (29, 2, 96, 0, 261, 3),
    2016: (48, 11, 116, 0, 280, 1),
    2017: (45, 12, 140, 0, 270, 3),
    2018: (50, 14, 165, 1, 272, 3),
    2019: (58, 15, 190, 0, 274, 3),
}
_NAT_REGIONS = [("DG", "Deutschland", 240.0), *REGIONS]


def naturalisations_extract(year: int) -> bytes:
    """The file ``regio_12511-01-01-4_einbuergerungen_<year>.csv`` (ISO-8859-1)."""
    continents = [
        "Insgesamt",
        "Afrika",
        "Amerika",
        "Asien",
        "Australien und Ozeanien",
        "Europa",
        "Staatenlos, unbekannt, ungeklärt, ohne Angabe",
    ]
    n = len(continents)
    lines = fmt.genesis_head(
        "GENESIS-Tabelle: 12511-01-01-4",
        [
            "Einbürgerungen von Ausländern nach Kontinenten",
            "- Jahr - regionale Tiefe: Kreise und krfr. Städte",
            "Einbürgerungsstatistik",
        ],
        [
            ["Einbürgerungen von Ausländern"] * n,
            ["Kontinente (einschl. staatenlos etc.)"] * n,
            continents,
            ["Anzahl"] * n,
        ],
        lead=3,
    )
    years = [2014, 2013, 2012] if year == 2014 else [year]
    for y in years:
        bi = NATURALISATIONS[y]
        for code, name, size in _NAT_REGIONS:
            if code == "05711":
                parts = bi
            else:
                g = rng(f"12511-{code}-{y}")
                scale = size * (1 + g.normal(0, 0.05))
                parts = tuple(_rint(v * scale * (1 + g.normal(0, 0.08))) for v in bi)
            name = name if code in ("DG",) else ("  " + name)
            lines.append(f"{y};{code};{name};{sum(parts)};" + ";".join(_num(p) for p in parts))
    footnote = (
        f'zu "gesamte Tabelle":\n{_NOTE_LATIN1}\n'
        "Differenzen zu bereits vorliegenden Veröffentlichungen sind auf\n"
        "nachträgliche Korrekturen zurückzuführen."
    )
    lines += fmt.genesis_footer(
        footnote,
        "© Synthetische Demodaten im Exportformat der Regionaldatenbank Deutschland; "
        "keine amtlichen Zahlen.",
        f"27.02.{year + 2} / 13:00:56",
        blank_before=True,
    )
    return fmt.encode(lines, encoding="iso-8859-1")


# --- 12711: migration ----------------------------------------------------------------------

#: Bielefeld: (arrivals from abroad: German, foreign; from the rest of Germany: German,
#: foreign; departures abroad: German, foreign; to the rest of Germany: German, foreign).
MIGRATION: dict[int, tuple[int, ...]] = {
    2014: (720, 4_480, 9_550, 3_550, 960, 1_940, 10_200, 3_000),
    2015: (900, 5_844, 9_600, 3_483, 1_000, 2_100, 10_300, 2_931),
    2016: (760, 4_840, 9_500, 3_800, 1_050, 2_450, 10_500, 3_200),
    2017: (700, 4_400, 9_450, 3_650, 1_000, 2_400, 10_450, 3_250),
    2018: (680, 4_220, 9_400, 3_600, 980, 2_320, 10_450, 3_250),
    2019: (660, 4_040, 9_350, 3_550, 960, 2_240, 10_400, 3_300),
}
_MIG_REGIONS = [r for r in REGIONS if len(r[0]) == 5]


def migration_extract(year: int) -> bytes:
    """The file ``regio_12711-02-03-4_wanderungen_<year>.csv`` (UTF-8, lone time line)."""
    lines = fmt.genesis_head(
        "GENESIS-Tabelle: 12711-02-03-4",
        [
            "Zu- und Fortzüge nach Herkunfts-/Zielgebiet und Staatsangehörigkeit",
            "(über Gemeindegrenzen) - Jahressumme -",
            "regionale Tiefe: Kreise und krfr. Städte",
            "Wanderungsstatistik",
            str(year),  # the lone time line
        ],
        [
            ["Zuzüge über die Gemeindegrenzen"] * 3 + ["Fortzüge über die Gemeindegrenzen"] * 3,
            ["Staatsangehörigkeit"] * 6,
            ["Insgesamt", "Deutsche", "Ausländer"] * 2,
            ["Anzahl"] * 6,
        ],
        lead=3,
    )
    for code, name, size in _MIG_REGIONS:
        if code == "05711":
            v = MIGRATION[year]
        else:
            g = rng(f"12711-{code}-{year}")
            v = tuple(_rint(x * size * 0.8 * (1 + g.normal(0, 0.06))) for x in MIGRATION[year])
        zu_a, zu_i, fo_a, fo_i = (v[0], v[1]), (v[2], v[3]), (v[4], v[5]), (v[6], v[7])
        blocks = [
            ("Ausland", zu_a, fo_a),
            ("übriges Bundesgebiet", zu_i, fo_i),
            (
                "Insgesamt",
                (zu_a[0] + zu_i[0], zu_a[1] + zu_i[1]),
                (fo_a[0] + fo_i[0], fo_a[1] + fo_i[1]),
            ),
        ]
        for label, zu, fo in blocks:
            cells = [sum(zu), zu[0], zu[1], sum(fo), fo[0], fo[1]]
            lines.append(
                f"{code};{name.strip().rjust(len(name.strip()) + 6)};{label};"
                + ";".join(str(c) for c in cells)
            )
    footnote = (
        f"{SYNTHETIC_NOTE}\n"
        "Herkunfts-/Zielgebiet »übriges Bundesgebiet«: Wanderungen über die Kreisgrenze\n"
        "innerhalb Deutschlands; ohne Fälle mit ungeklärtem Herkunfts-/Zielgebiet."
    )
    lines += fmt.genesis_footer(
        footnote,
        "© Synthetische Demodaten im Exportformat der Regionaldatenbank Deutschland; "
        "keine amtlichen Zahlen.",
        f"10.10.{year + 2} / 13:17:45",
        blank_before=True,
    )
    return fmt.encode(lines, encoding="utf-8")


# --- 12531: protection seekers (flat CSV) --------------------------------------------------


def _round5(x: float) -> int:
    return 5 * _rint(x / 5)


def protection_seekers(year: int) -> dict[tuple[str, str], int]:
    """Bielefeld's protection seekers (not rounded) by status and sex, from the AZR extract.

    offen = asylum procedure + follow-up procedure; anerkannt = humanitarian title;
    abgelehnt = Duldung plus about a quarter more obliged to leave without Duldung.
    """
    r = residence(year)
    by = r.groupby(["residence_status", "sex"])["count"].sum()
    out = {}
    for sex in ("m", "w"):
        out[("offen", sex)] = int(
            by.get(("asylverfahren", sex), 0) + by.get(("folgeverfahren", sex), 0)
        )
        out[("anerkannt", sex)] = int(by.get(("schutz", sex), 0))
        duldung = int(by.get(("duldung", sex), 0))
        out[("abgelehnt", sex)] = duldung + _rint(duldung * 0.25)
    return out


def protection_seekers_extract(year: int) -> bytes:
    """The file ``ffcsv_12531-01-01-4_schutzsuchende_<year>.csv`` (UTF-8 with BOM, unsorted)."""
    header = (
        "statistics_code;statistics_label;time_code;time_label;time;"
        "1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label;"
        "2_variable_code;2_variable_label;2_variable_attribute_code;2_variable_attribute_label;"
        "3_variable_code;3_variable_label;3_variable_attribute_code;3_variable_attribute_label;"
        "value;value_unit;value_variable_code;value_variable_label"
    )
    status = {
        "offen": ("SCHUTZ01", "offener Schutzstatus"),
        "anerkannt": ("SCHUTZ02", "anerkannter Schutzstatus"),
        "abgelehnt": ("SCHUTZ03", "abgelehnter Schutzstatus"),
        "": ("", "Insgesamt"),
    }
    sexes = {"m": ("GESM", "männlich"), "w": ("GESW", "weiblich"), "": ("", "Insgesamt")}
    regions = [
        ("05711", "Bielefeld, kreisfreie Stadt", 1.0),
        ("05754", "Gütersloh, Kreis", 0.74),
        ("05758", "Herford, Kreis", 0.52),
        ("05766", "Lippe, Kreis", 0.93),
        ("05770", "Minden-Lübbecke, Kreis", 0.71),
        ("05774", "Paderborn, Kreis", 0.81),
    ]
    base = protection_seekers(year)
    rows = []
    for code, name, size in regions:
        g = rng(f"12531-{code}")
        exact = {
            k: (v if code == "05711" else v * size * (1 + g.normal(0, 0.1)))
            for k, v in sorted(base.items())
        }
        cells = dict(exact)
        for st in ("offen", "anerkannt", "abgelehnt"):
            cells[(st, "")] = exact[(st, "m")] + exact[(st, "w")]
        for sx in ("m", "w"):
            cells[("", sx)] = sum(exact[(st, sx)] for st in ("offen", "anerkannt", "abgelehnt"))
        cells[("", "")] = sum(exact.values())
        for (st, sx), value in cells.items():
            rows.append(
                f"12531;Statistik über Schutzsuchende (SYNTHETISCHE DEMODATEN);STAG;Stichtag;"
                f"{year}-12-31;KREISE;Kreise und kreisfreie Städte;{code};{name};"
                f"SCHUTZ;Schutzstatus;{status[st][0]};{status[st][1]};"
                f"GES;Geschlecht;{sexes[sx][0]};{sexes[sx][1]};"
                f"{_round5(value)};Anzahl;BEVSCH;Schutzsuchende"
            )
    order = rng(f"12531-order-{year}").permutation(len(rows))
    return fmt.encode([header, *(rows[i] for i in order)], encoding="utf-8", bom=True)


def deliveries(year: int) -> list[Delivery]:
    """The GENESIS demography exports of one year."""
    ref = f"{year}-12-31"
    regio = "Regionaldatenbank Deutschland (Export, synthetische Demodaten)"
    return [
        Delivery(
            f"itnrw_12411-03i_bevoelkerung_{year}.csv",
            official_population_extract(year),
            "genesis_classic",
            "population_official",
            ref,
            "IT.NRW, Landesdatenbank NRW 12411-03i (Export, synthetische Demodaten)",
        ),
        Delivery(
            f"regio_12511-01-01-4_einbuergerungen_{year}.csv",
            naturalisations_extract(year),
            "genesis_classic",
            "naturalisations",
            ref,
            f"{regio}, Tabelle 12511-01-01-4",
        ),
        Delivery(
            f"ffcsv_12531-01-01-4_schutzsuchende_{year}.csv",
            protection_seekers_extract(year),
            "genesis_flat",
            "protection_seekers",
            ref,
            "Statistisches Bundesamt, GENESIS-Online 12531 (Flat-CSV, synthetische Demodaten)",
        ),
        Delivery(
            f"regio_12711-02-03-4_wanderungen_{year}.csv",
            migration_extract(year),
            "genesis_classic",
            "migration",
            ref,
            f"{regio}, Tabelle 12711-02-03-4",
        ),
    ]


__all__ = ["deliveries"]
