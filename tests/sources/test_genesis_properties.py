"""Property tests of the GENESIS reader: generated classic and flat files read back exactly.

Hypothesis builds tables in the layouts the portals produce — random regions (Germany,
Land, Regierungsbezirk, Kreis, Gemeinde), row dimensions (label or code + label), column
classifications with name rows, one or two measures, the time stacked in a column, as lone
time lines before repeated headers, or in the column headers (optionally under a
``Stichtag`` row), the measure in a title line ``… (Anzahl)`` instead of a header row, IT.NRW
tables (``Tabelle:``, a statistic row on top, region names without keys),
numbers with decimal commas and table symbols, quoted multi-line footnotes with ``;``, tabs
and blank lines, UTF-8 with or without BOM or cp1252, LF or CRLF — and flat files in the
current (English keys, German or English labels) and older form, the region variable in any
position, rows in random order. The reader must return exactly the generated cells; and
when one data row of a generated table is spoilt (a cell short, a cell too many, an unknown
symbol), it must refuse the file naming that row's line.
"""

from __future__ import annotations

import csv
import io
import itertools
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bielefeld_integration.errors import DataError
from bielefeld_integration.sources.genesis import read_genesis
from bielefeld_integration.sources.genesis.regions import region_code_for_name

SETTINGS = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,  # the same examples on every run: no flaky CI
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

REGIONS = [
    ("DG", "Deutschland", 0),
    ("01", "Schleswig-Holstein", 1),
    ("05", "Nordrhein-Westfalen", 1),
    ("057", "Detmold, Regierungsbezirk", 2),
    ("091", "Oberbayern, Regierungsbezirk", 2),
    ("05711", "Bielefeld, Kreisfreie Stadt", 3),
    ("05754", "Gütersloh, Kreis", 3),
    ("01001", "Flensburg, Kreisfreie Stadt", 3),
    ("05711000", "Bielefeld, Stadt", 4),
    ("03241001", "Hannover, Landeshauptstadt", 4),
]
#: Regions whose name alone is in the gazetteer with this key (tables of names only).
NAMED_REGIONS = [r for r in REGIONS if region_code_for_name(r[1]) == r[0]]
STATISTIC = "Fortschreibung des Bevölkerungsstandes"
LABELS = [
    "Insgesamt", "männlich", "weiblich", "Deutsche", "Ausländer(innen)", "unter 18 Jahre",
    "18 bis unter 25 Jahre", "Europa", "Afrika", "Grundschulen", "Tageseinrichtung",
    "Tagespflege", "öffentliche Träger", "ohne Abschluss", "Straße und Größe",
    "Staatenlos, unbekannt, ungeklärt", "dar. Mädchen", "Ausland; übrige",
]  # fmt: skip
CLASSES = ["Geschlecht", "Altersgruppe", "Kontinente (einschl. staatenlos etc.)", "und zwar",
           "Art der Leistung", "Träger; Art"]  # fmt: skip
MEASURES = ["Bevölkerungsstand", "Zuzüge über die Gemeindegrenzen", "Einbürgerungen",
            "Betreute Kinder"]  # fmt: skip
SYMBOLS = ["-", ".", "x", "/", "..."]

cells = st.one_of(
    st.integers(-1000, 10**8).map(str),
    st.tuples(st.integers(0, 99999), st.integers(1, 99)).map(lambda t: f"{t[0]},{t[1]}"),
    st.sampled_from(SYMBOLS),
)


def expected_cell(text: str) -> tuple[float | None, str]:
    if text in SYMBOLS:
        return None, text
    return float(text.replace(",", ".")), ""


def same_value(got: float, want: float | None) -> bool:
    return math.isnan(got) if want is None else got == want


def encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding)


# --------------------------------------------------------------------------- classic


@st.composite
def classic_tables(draw: st.DrawFn, corrupt: bool = False) -> tuple[bytes, list[tuple], str]:
    """A classic table and its cells; with ``corrupt``, one data row is spoilt and the
    expected cells are replaced by the line of that row (the reader must refuse it)."""
    time_layout = draw(st.sampled_from(["column", "lines", "header"]))
    dated = draw(st.booleans())
    years = sorted(draw(st.sets(st.integers(1995, 2030), min_size=1, max_size=3)))
    raw_times = [f"31.12.{y}" if dated else str(y) for y in years]
    parsed = [f"{y}-12-31" if dated else str(y) for y in years]
    names_only = draw(st.booleans())  # IT.NRW tables without a key column
    pool = NAMED_REGIONS if names_only else REGIONS
    regions = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4, unique=True))
    n_row_dims = draw(st.integers(0, 2))
    row_dims = []
    for _ in range(n_row_dims):
        labels = draw(st.lists(st.sampled_from(LABELS), min_size=1, max_size=3, unique=True))
        coded = draw(st.booleans())
        codes = [f"{121 + 13 * k}" for k in range(len(labels))] if coded else None
        row_dims.append((codes, labels))
    classes = draw(st.lists(st.sampled_from(CLASSES), min_size=0, max_size=2, unique=True))
    class_attrs = [
        draw(st.lists(st.sampled_from(LABELS), min_size=1, max_size=3, unique=True))
        for _ in classes
    ]
    title_measure = bool(classes) and draw(st.booleans())
    measures = (
        [draw(st.sampled_from(MEASURES))]
        if title_measure
        else draw(st.lists(st.sampled_from(MEASURES), min_size=1, max_size=2, unique=True))
    )
    unit = "Anzahl"
    itnrw = not title_measure and draw(st.booleans())  # "Tabelle:", statistic row on top
    stichtag_row = time_layout == "header" and draw(st.booleans())

    # value columns: (time or None, measure, attrs...)
    col_times = raw_times if time_layout == "header" else [None]
    columns = list(itertools.product(col_times, measures, *class_attrs))
    n_key = (
        (1 if time_layout == "column" else 0)
        + (1 if names_only else 2)
        + sum(2 if c is not None else 1 for c, _ in row_dims)
    )
    pad = [""] * n_key
    header: list[list[str]] = []
    if time_layout == "header":
        if stichtag_row:
            header.append(pad + ["Stichtag"] * len(columns))
        header.append(pad + [c[0] for c in columns])
    if itnrw:
        header.append(pad + [STATISTIC] * len(columns))
    if not title_measure:
        header.append(pad + [c[1] for c in columns])
    for k, name in enumerate(classes):
        header.append(pad + [name] * len(columns))
        header.append(pad + [c[2 + k] for c in columns])
    if not title_measure:
        header.append(pad + [unit] * len(columns))

    rows_by_time: list[tuple[str | None, list[list[str]]]] = []
    expected: list[tuple] = []
    row_times = list(zip(raw_times, parsed, strict=True)) if time_layout != "header" else [None]
    combos = list(itertools.product(*[range(len(labels)) for _, labels in row_dims]))
    for rt in row_times:
        block = []
        for code, name, level in regions:
            for combo in combos:
                key = [rt[0]] if time_layout == "column" else []
                key += ["  " * level + name] if names_only else [code, "  " * level + name]
                dims = []
                for (codes, labels), j in zip(row_dims, combo, strict=True):
                    if codes is not None:
                        key += [codes[j], "  " + labels[j]]
                        dims.append((codes[j], labels[j]))
                    else:
                        key.append(labels[j])
                        dims.append((None, labels[j]))
                values = draw(st.lists(cells, min_size=len(columns), max_size=len(columns)))
                block.append(key + values)
                for col, v in zip(columns, values, strict=True):
                    t = rt[1] if rt is not None else parsed[raw_times.index(col[0])]
                    expected.append((t, code, name, tuple(dims), col[1:], unit, *expected_cell(v)))
        rows_by_time.append((rt[0] if rt is not None else None, block))

    title = ["Tabelle mit erzeugten Werten", "Teststatistik"]
    if title_measure:
        title.append(f"{measures[0]} ({unit})")
    first = "Tabelle: 12411-99i" if itnrw else "GENESIS-Tabelle: 99999-01-01-4"
    lines: list[list[str]] = [[first]] + [[t, "", ""] for t in title]
    data_rows: list[int] = []
    for k, (t, block) in enumerate(rows_by_time):
        if time_layout == "lines":
            if k > 0:
                lines.append([])
            lines.append([t, "", ""])
        if k == 0 or time_layout == "lines":
            lines += header
        data_rows = [*data_rows, *range(len(lines), len(lines) + len(block))]
        lines += block
    if corrupt:  # one cell short, one cell too many, or an unknown symbol
        i = draw(st.sampled_from(data_rows))
        kind = draw(st.sampled_from(["short", "long", "symbol"]))
        row = lines[i]
        spoilt = {"short": row[:-1], "long": [*row, "5"], "symbol": [*row[:-1], "k.A."]}
        lines[i] = spoilt[kind]
        expected = [(i + 1, kind)]
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    note = draw(st.sampled_from(["", "zu »Tabelle«:\n2016:\tvorläufig; geschätzt\n\nEnde"]))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator=eol).writerows(lines)
    footer = ["__________"]
    if note:
        footer.append('"' + note.replace("\n", eol).replace('"', '""') + '"')
    footer += ["© Statistische Ämter des Bundes und der Länder, 2024.", "Stand: 05.03.2024"]
    text = out.getvalue() + eol.join(footer) + eol
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return encode(text, encoding), expected, STATISTIC if itnrw else ""


@SETTINGS
@given(classic_tables())
def test_generated_classic_tables_read_back_exactly(table: tuple[bytes, list[tuple], str]) -> None:
    raw, expected, statistic = table
    df = read_genesis(io.BytesIO(raw))
    assert df.attrs["statistic"] == statistic
    assert len(df) == len(expected)
    row_dim_cols = [c for c in df.columns if c.startswith("Merkmal_") and not c.endswith("_code")]
    class_cols = [
        c
        for c in df.columns
        if c not in ("time", "region_code", "region_name", "measure", "unit", "value", "symbol")
        and not c.startswith("Merkmal_")
    ]
    for (_, row), want in zip(df.iterrows(), expected, strict=True):
        t, code, name, dims, col, unit, value, symbol = want
        assert (row["time"], row["region_code"], row["region_name"]) == (t, code, name)
        got_dims = tuple((row.get(f"{c}_code"), row[c]) for c in row_dim_cols)
        assert got_dims == dims
        assert row["measure"] == col[0] and row["unit"] == unit
        assert tuple(row[c] for c in class_cols) == col[1:]
        assert same_value(row["value"], value) and row["symbol"] == symbol


# --------------------------------------------------------------------------- flat

REGION_VARIABLES = {
    "KREISE": [("05711", "Bielefeld, kreisfreie Stadt"), ("05754", "Gütersloh, Kreis"),
               ("DG", "Deutschland"), ("05", "Nordrhein-Westfalen")],
    "GEMEINDE": [("05711000", "Bielefeld, Stadt"), ("05754008", "Gütersloh, Stadt")],
    "DLAND": [("05", "Nordrhein-Westfalen"), ("09", "Bayern")],
    "REGBEZ": [("057", "Detmold, Regierungsbezirk"), ("051", "Düsseldorf, Regierungsbezirk")],
    "DINSG": [("DG", "Deutschland")],
}  # fmt: skip
OTHER_VARIABLES = [
    ("GES", "Geschlecht", "Sex", [("GESM", "männlich"), ("GESW", "weiblich")]),
    ("NAT", "Nationalität", "Citizenship", [("NATD", "Deutsche"), ("NATA", "Ausländer")]),
    ("ALT", "Altersgruppen", "Age groups", [("ALT0", "unter 3 Jahre"), ("ALT3", "3 bis 6")]),
]


@st.composite
def flat_files(draw: st.DrawFn) -> tuple[bytes, list[tuple]]:
    old = draw(st.booleans())
    english = not old and draw(st.booleans())
    decimal = draw(st.sampled_from([",", "."]))
    region_code = draw(st.sampled_from(sorted(REGION_VARIABLES)))
    regions = draw(st.lists(st.sampled_from(REGION_VARIABLES[region_code]), min_size=1,
                            max_size=3, unique=True))  # fmt: skip
    others = draw(st.lists(st.sampled_from(OTHER_VARIABLES), max_size=2, unique_by=lambda v: v[0]))
    position = draw(st.integers(0, len(others)))
    total = "Total" if english else "Insgesamt"
    variables: list[tuple[str, str, list[tuple[str, str]]]] = [
        (code, en if english else de, [("", total), *attrs]) for code, de, en, attrs in others
    ]
    variables.insert(position, (region_code, "Regions" if english else "Regionen", regions))
    measures = (
        draw(st.lists(st.sampled_from([("BEVSTD", "Bevoelkerungsstand"), ("BEVZUW", "Zuwachs")]),
                      min_size=1, max_size=2, unique=True))
        if old else [("BEVSTD", "Population" if english else "Bevölkerungsstand")]
    )  # fmt: skip
    quality = not old and draw(st.booleans())
    time_raw, time = ("31.12.2022", "2022-12-31") if old else ("2023", "2023")

    number = st.one_of(
        st.integers(0, 10**8).map(str),
        st.tuples(st.integers(0, 9999), st.integers(1, 9)).map(lambda t: f"{t[0]}{decimal}{t[1]}"),
        st.sampled_from(SYMBOLS),
    )
    keys = (
        ["Statistik_Code", "Statistik_Label", "Zeit_Code", "Zeit_Label", "Zeit"]
        if old
        else ["statistics_code", "statistics_label", "time_code", "time_label", "time"]
    )
    for k in range(1, len(variables) + 1):
        parts = (
            ["Merkmal_Code", "Merkmal_Label", "Auspraegung_Code", "Auspraegung_Label"]
            if old
            else ["variable_code", "variable_label", "variable_attribute_code",
                  "variable_attribute_label"]
        )  # fmt: skip
        keys += [f"{k}_{p}" for p in parts]
    if old:
        keys += [f"{c}__{lab}__Anzahl" for c, lab in measures]
    else:
        keys += ["value", "value_unit", "value_variable_code", "value_variable_label"]
        keys += ["value_q"] if quality else []

    rows, expected = [], []
    for combo in itertools.product(*[attrs for _, _, attrs in variables]):
        base = ["12411", "Population" if english else "Bevölkerung", "STAG", "Stichtag", time_raw]
        for (code, label, _), (a_code, a_label) in zip(variables, combo, strict=True):
            base += [code, label, a_code, ("      " if old else "") + a_label]
        dims = tuple((label, a) for (code, label, _), a in zip(variables, combo, strict=True)
                     if code != region_code)  # fmt: skip
        region = combo[position]
        values = draw(st.lists(number, min_size=len(measures), max_size=len(measures)))
        flag = draw(st.sampled_from(["", "e"])) if quality else ""
        if old:
            rows.append(base + values)
        else:
            rows.append(base + [values[0], "Anzahl", measures[0][0], measures[0][1]]
                        + ([flag] if quality else []))  # fmt: skip
        for (m_code, m_label), v in zip(measures, values, strict=True):
            value, symbol = expected_cell(v if v in SYMBOLS else v.replace(decimal, ","))
            symbol = f"{symbol} {flag}".strip()
            expected.append((time, *region, dims, m_code, m_label, value, symbol))
    order = draw(st.permutations(range(len(rows))))
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator=eol)
    writer.writerow(keys)
    writer.writerows(rows[i] for i in order)
    per_row = len(measures)
    expected = [expected[i * per_row + m] for i in order for m in range(per_row)]
    bom = draw(st.booleans())
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8"), expected


@SETTINGS
@given(flat_files())
def test_generated_flat_files_read_back_exactly(table: tuple[bytes, list[tuple]]) -> None:
    raw, expected = table
    df = read_genesis(io.BytesIO(raw))
    assert len(df) == len(expected)
    for (_, row), want in zip(df.iterrows(), expected, strict=True):
        time, code, name, dims, m_code, m_label, value, symbol = want
        assert (row["time"], row["region_code"], row["region_name"]) == (time, code, name)
        for label, (a_code, a_label) in dims:
            assert (row[f"{label}_code"], row[label]) == (a_code, a_label)
        assert (row["measure_code"], row["measure"]) == (m_code, m_label)
        assert same_value(row["value"], value) and row["symbol"] == symbol


@SETTINGS
@given(classic_tables(corrupt=True))
def test_a_spoilt_data_row_is_refused_with_its_line(table: tuple[bytes, list[tuple], str]) -> None:
    raw, ((line, kind),), _ = table
    with pytest.raises(DataError) as info:
        read_genesis(io.BytesIO(raw))
    assert info.value.row == line, (kind, str(info.value))
