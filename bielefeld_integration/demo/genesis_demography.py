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

The files are synthetic; each says so in a footnote (classic) or in the statistic's label
(flat), and the copyright line does not claim an official source. Where the real tables in
``data/official/regionalstatistik/`` hold a year (12411: 31.12.2015; 12511: 2012–2016;
12711: 2014–2015) the demo reproduces the real values of every region exactly; the other
years continue each region's own real level with Bielefeld's synthetic trend and a little
region-specific noise, so that the comparison series move like real ones.
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

#: Real 12411-03-03-4 on 31.12.2015 (male German, male foreign, female German, female foreign).
POP_2015: dict[str, tuple[int, int, int, int]] = {
    "05": (7653698, 1114321, 8096996, 1000501),
    "057": (914111, 102727, 955382, 85776),
    "05711": (139681, 21467, 149861, 22081),
    "05754": (157401, 22821, 162443, 17977),
    "05758": (112576, 11359, 118777, 9410),
    "05766": (156972, 15518, 166109, 12151),
}

#: Bielefeld's yearly change factors of the four cells (synthetic, 2015 = 1).
_POP_TREND: dict[int, tuple[float, float, float, float]] = {
    2014: (0.9985, 0.92, 0.9985, 0.922),
    2015: (1.0, 1.0, 1.0, 1.0),
    2016: (0.9878, 1.095, 0.9874, 1.087),
    2017: (0.9797, 1.128, 0.9796, 1.118),
    2018: (0.9757, 1.164, 0.9757, 1.155),
    2019: (0.9736, 1.205, 0.9736, 1.193),
}


def _rint(x: float) -> int:
    """Round half up to a Python int."""
    return math.floor(float(x) + 0.5)


def _num(n: int) -> str:
    return str(n) if n else "-"


def official_population(year: int) -> dict[str, tuple[int, int, int, int]]:
    """12411 cells per region: (male German, male foreign, female German, female foreign).

    31.12.2015 is real for every region; other years apply Bielefeld's trend with a small
    region-specific deviation (Bielefeld itself without deviation).
    """
    out = {}
    for code, _name, _size in REGIONS:
        g = rng(f"12411-{code}")
        drift = g.normal(0, 0.004, size=4) if code != "05711" else [0.0] * 4
        cells = []
        for real, trend, d in zip(POP_2015[code], _POP_TREND[year], drift, strict=True):
            cells.append(_rint(real * (trend + d * (year - 2015))))
        out[code] = (cells[0], cells[1], cells[2], cells[3])
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

#: Real 12511-01-01-4 per region and year: Afrika, Amerika, Asien, Australien und Ozeanien,
#: Europa, unbekannt.
NATURALISATIONS_OFFICIAL: dict[str, dict[int, tuple[int, ...]]] = {
    "DG": {
        2012: (9904, 3925, 26132, 83, 70632, 1672),
        2013: (10872, 4652, 26155, 100, 69033, 1541),
        2014: (11169, 4645, 26525, 125, 64390, 1568),
        2015: (11641, 4681, 26392, 94, 62998, 1511),
        2016: (11416, 4915, 26925, 145, 65593, 1389),
    },
    "05": {
        2012: (3122, 541, 5621, 4, 20598, 396),
        2013: (3376, 608, 5633, 4, 19647, 361),
        2014: (3504, 623, 5637, 1, 17551, 421),
        2015: (3715, 637, 5897, 2, 16012, 310),
        2016: (3730, 667, 6221, 4, 16088, 317),
    },
    "057": {
        2012: (146, 52, 701, 0, 2133, 46),
        2013: (160, 62, 606, 1, 1707, 45),
        2014: (167, 51, 607, 0, 1550, 63),
        2015: (170, 40, 542, 0, 1319, 42),
        2016: (201, 58, 703, 0, 1540, 42),
    },
    "05711": {
        2012: (65, 8, 228, 0, 719, 3),
        2013: (66, 14, 172, 0, 419, 6),
        2014: (40, 16, 96, 0, 371, 3),
        2015: (29, 2, 96, 0, 261, 3),
        2016: (48, 11, 116, 0, 280, 1),
    },
    "05754": {
        2012: (23, 6, 99, 0, 404, 4),
        2013: (13, 20, 90, 0, 392, 9),
        2014: (19, 10, 92, 0, 278, 11),
        2015: (30, 6, 79, 0, 300, 7),
        2016: (40, 13, 100, 0, 354, 6),
    },
    "05758": {
        2012: (6, 9, 32, 0, 236, 5),
        2013: (13, 4, 47, 0, 230, 6),
        2014: (12, 3, 58, 0, 218, 13),
        2015: (11, 6, 36, 0, 172, 11),
        2016: (11, 3, 55, 0, 189, 10),
    },
    "05766": {
        2012: (12, 14, 87, 0, 249, 18),
        2013: (16, 5, 90, 1, 256, 9),
        2014: (15, 5, 95, 0, 228, 10),
        2015: (19, 4, 88, 0, 180, 4),
        2016: (24, 10, 96, 0, 214, 5),
    },
}

#: Bielefeld after the real series (synthetic).
_NATURALISATIONS_LATER: dict[int, tuple[int, ...]] = {
    2017: (45, 12, 140, 0, 270, 3),
    2018: (50, 14, 165, 1, 272, 3),
    2019: (58, 15, 190, 0, 274, 3),
}
#: Bielefeld's naturalisations per year (real up to 2016).
NATURALISATIONS: dict[int, tuple[int, ...]] = {
    **NATURALISATIONS_OFFICIAL["05711"],
    **_NATURALISATIONS_LATER,
}


def naturalisations(code: str, year: int) -> tuple[int, ...]:
    """Naturalisations of one region by continent: real up to 2016, then trended."""
    real = NATURALISATIONS_OFFICIAL[code]
    if year in real:
        return real[year]
    if code == "05711":
        return NATURALISATIONS[year]
    g = rng(f"12511-{code}-{year}")
    bi, bi16 = NATURALISATIONS[year], NATURALISATIONS[2016]
    return tuple(
        _rint(v * (b / b16 if b16 else 1.0) * (1 + g.normal(0, 0.05)))
        for v, b, b16 in zip(real[2016], bi, bi16, strict=True)
    )


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
        for code, name, _size in _NAT_REGIONS:
            parts = naturalisations(code, y)
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

#: Real 12711-03-02-4 per region: (arrivals from abroad: German, foreign; from the rest of
#: Germany: German, foreign; departures abroad: German, foreign; to the rest of Germany:
#: German, foreign).
MIGRATION_OFFICIAL: dict[str, dict[int, tuple[int, ...]]] = {
    "05711": {
        2014: (470, 3526, 10136, 1964, 515, 2564, 10372, 1645),
        2015: (509, 6235, 9800, 3283, 466, 2544, 10780, 2541),
    },
    "05754": {
        2014: (359, 8368, 10742, 4030, 464, 6321, 11285, 3386),
        2015: (327, 11617, 11242, 6554, 417, 6584, 11771, 4679),
    },
    "05758": {
        2014: (206, 1980, 9777, 1744, 238, 1256, 10172, 1235),
        2015: (221, 4203, 9845, 3424, 314, 1549, 10254, 1934),
    },
    "05766": {
        2014: (400, 2871, 13173, 2185, 442, 1597, 14343, 1586),
        2015: (354, 19454, 13326, 4664, 449, 4729, 13707, 12120),
    },
}

#: Bielefeld's change against 2015 per cell in the later years (synthetic).
_MIGRATION_TREND: dict[int, tuple[float, ...]] = {
    2016: (1.07, 0.79, 0.98, 1.13, 1.09, 1.11, 0.99, 1.21),
    2017: (1.02, 0.71, 0.97, 1.09, 1.05, 1.08, 0.98, 1.24),
    2018: (0.98, 0.68, 0.96, 1.07, 1.03, 1.04, 0.98, 1.22),
    2019: (0.95, 0.66, 0.95, 1.06, 1.01, 1.01, 0.97, 1.25),
}


def migration(code: str, year: int) -> tuple[int, ...]:
    """The eight migration cells of one region: real for 2014/2015, then trended."""
    real = MIGRATION_OFFICIAL[code]
    if year in real:
        return real[year]
    g = rng(f"12711-{code}-{year}")
    return tuple(
        _rint(v * t * (1 + g.normal(0, 0.03)))
        for v, t in zip(real[2015], _MIGRATION_TREND[year], strict=True)
    )


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
    for code, name, _size in _MIG_REGIONS:
        v = migration(code, year)
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


#: Bielefeld's official population (12411) per 31.12.: cells as in :func:`official_population`.
OFFICIAL_POPULATION: dict[int, tuple[int, int, int, int]] = {
    y: official_population(y)["05711"] for y in range(2014, 2020)
}
#: Bielefeld's eight migration cells per year (see :data:`MIGRATION_OFFICIAL`).
MIGRATION: dict[int, tuple[int, ...]] = {y: migration("05711", y) for y in range(2014, 2020)}


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
