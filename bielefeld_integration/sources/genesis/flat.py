"""Flat CSV ("ffcsv") of GENESIS-Online and the Regionaldatenbank: one row per cell.

Current form (English keys, also in English-language exports), UTF-8 with BOM::

    statistics_code;statistics_label;time_code;time_label;time;1_variable_code;
      1_variable_label;1_variable_attribute_code;1_variable_attribute_label;...;
      value;value_unit;value_variable_code;value_variable_label[;value_q]
    12411;Fortschreibung ...;STAG;Stichtag;2024-12-31;KREISE;Kreise ...;05711;
      Bielefeld, kreisfreie Stadt;GES;Geschlecht;;Insgesamt;331605;Anzahl;BEVSTD;...

Older form (German keys, one column per measure named ``CODE__Label__unit``)::

    Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;
      1_Auspraegung_Code;1_Auspraegung_Label;BEVSTD__Bevoelkerungsstand__Anzahl
    12411;...;31.12.2022;KREISE;...;05711;      Bielefeld, kreisfreie Stadt;338332

The region is the variable whose code is a regional classification (``KREISE``,
``GEMEIN``, ``DLAND``, ``REGBEZ``, ``DINSG``, Zensus ``GEO…``) or whose attribute codes are
all region keys under a regional label, in whichever position it stands. A file without
such a variable, or with two, is refused. A total is a row with an empty attribute code
labelled ``Insgesamt``; it is kept, nothing is summed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.sources.genesis.records import (
    BOM,
    Record,
    check_unique,
    parse_time,
    string_columns,
    trim,
    unique_name,
)
from bielefeld_integration.sources.genesis.regions import is_region_key, is_region_variable
from bielefeld_integration.sources.genesis.symbols import Where, parse_values

__all__ = ["FLAT_KEYS", "read_flat"]

#: First header cell of a flat CSV (lower case).
FLAT_KEYS = {"statistics_code", "statistik_code", "statistic_code"}
_ALIASES = {
    "statistic_code": ("statistics_code", "statistik_code", "statistic_code"),
    "statistic": ("statistics_label", "statistik_label", "statistic_label"),
    "time_code": ("time_code", "zeit_code"),
    "time_label": ("time_label", "zeit_label"),
    "time": ("time", "zeit"),
}
_VAR_RE = re.compile(
    r"^(\d+)_(variable_code|variable_label|variable_attribute_code|variable_attribute_label"
    r"|merkmal_code|merkmal_label|auspraegung_code|auspraegung_label)$"
)
_VAR_PARTS = {
    "variable_code": "code", "variable_label": "label",
    "variable_attribute_code": "attr_code", "variable_attribute_label": "attr_label",
    "merkmal_code": "code", "merkmal_label": "label",
    "auspraegung_code": "attr_code", "auspraegung_label": "attr_label",
}  # fmt: skip
_VALUE_KEYS = ("value", "value_unit", "value_variable_code", "value_variable_label")
_TABLE_CODE_IN_NAME_RE = re.compile(
    r"(?<![0-9A-Za-z-])(\d{3,5}[A-Z]?(?:-\d{1,4}[a-z]?){1,4})(?![0-9A-Za-z-])"
)


def read_flat(records: list[Record], first: Record, source: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Read a flat CSV; returns the frame and the line of each of its rows."""
    header = [c.strip().removeprefix(BOM) for c in first.cells]
    lower = [h.lower() for h in header]
    idx = {h: j for j, h in enumerate(lower)}
    pick = {k: next((idx[a] for a in names if a in idx), None) for k, names in _ALIASES.items()}
    old = "value" not in idx and any("__" in h for h in header)
    missing = [_ALIASES[k][0] for k in ("statistic_code", "statistic", "time") if pick[k] is None]
    if not old:
        missing += [k for k in _VALUE_KEYS if k not in idx]
    if missing:
        raise DataError(
            f"Kopf einer GENESIS-Flat-CSV unvollständig, es fehlt: {', '.join(missing)}",
            file=source,
            row=first.line,
        )
    known = {j for j in pick.values() if j is not None}
    variables: dict[int, dict[str, int]] = {}
    for j, h in enumerate(lower):
        m = _VAR_RE.match(h)
        if m:
            variables.setdefault(int(m.group(1)), {})[_VAR_PARTS[m.group(2)]] = j
            known.add(j)
    for number, parts in variables.items():
        if set(parts) != {"code", "label", "attr_code", "attr_label"}:
            raise DataError(
                f"Merkmal {number} im Kopf unvollständig (Code, Label, Ausprägung Code/Label)",
                file=source,
                row=first.line,
            )
    measures: list[tuple[int, str, str, str, int | None]] = []  # col, code, label, unit, q col
    if old:
        for j, h in enumerate(header):
            parts = h.split("__")
            if j in known or h.endswith("__q") or len(parts) < 3:
                continue
            q = header.index(h + "__q") if h + "__q" in header else None
            measures.append((j, parts[0], parts[1], "__".join(parts[2:]), q))
            known |= {j} if q is None else {j, q}
        if not measures:
            raise DataError(
                "keine Wertspalte (»value« oder »CODE__Label__Einheit«) im Kopf der Flat-CSV",
                file=source,
                row=first.line,
            )
    else:
        known |= {idx[k] for k in (*_VALUE_KEYS, "value_q") if k in idx}
    extra = [j for j in range(len(header)) if j not in known and header[j]]

    # --- rows: exactly as wide as the header
    n_cols = len(header)
    body = [r for r in records[records.index(first) + 1 :] if not r.blank]
    if not body:
        raise DataError("Kopfzeile gefunden, aber keine Datenzeilen", file=source, row=first.line)
    for rec in body:
        if len(rec.cells) < n_cols:
            raise DataError(
                f"Datenzeile hat nur {len(rec.cells)} von {n_cols} Zellen – die Datei ist "
                "abgeschnitten oder beschädigt",
                file=source,
                row=rec.line,
            )
        if len(rec.cells) > n_cols and any(c.strip() for c in rec.cells[n_cols:]):
            raise DataError(
                f"Datenzeile hat {len(trim(rec.cells))} Zellen, der Kopf nur {n_cols}",
                file=source,
                row=rec.line,
            )
    data = np.array([r.cells[:n_cols] for r in body], dtype=object)
    lines = np.array([r.line for r in body])

    def col(j: int) -> np.ndarray:
        return np.char.strip(data[:, j].astype(str)).astype(object)

    times = _times(col(pick["time"]), lines, source, header[pick["time"]])  # type: ignore[index]
    region = _region_variable(variables, col, lines, source)
    codes = col(variables[region]["attr_code"])
    bad = [i for i, c in enumerate(codes) if not is_region_key(c)]
    if bad:
        raise DataError(
            f"Regionalschlüssel »{codes[bad[0]]}« der Regionsvariablen unlesbar",
            file=source,
            row=int(lines[bad[0]]),
            column=header[variables[region]["attr_code"]],
        )
    out: dict[str, np.ndarray] = {
        "time": times,
        "region_code": codes,
        "region_name": col(variables[region]["attr_label"]),
    }
    used = {"time", "region_code", "region_name"}
    stat_codes = col(pick["statistic_code"])  # type: ignore[arg-type]
    stat_labels = col(pick["statistic"])  # type: ignore[arg-type]
    if len(set(stat_codes)) > 1:
        out["statistic"], out["statistic_code"] = stat_labels, stat_codes
        used |= {"statistic", "statistic_code"}
    for number in sorted(variables):
        if number == region:
            continue
        parts = variables[number]
        labels = col(parts["label"])
        if len(set(col(parts["code"]))) == 1:
            name = unique_name(str(labels[0]) or str(col(parts["code"])[0]), used)
        else:  # different variables at this position: say which one in an extra column
            name = unique_name(f"Merkmal_{number}", used)
            out[f"{name}_variable"] = labels
        out[name] = col(parts["attr_label"])
        out[f"{name}_code"] = col(parts["attr_code"])
    for j in extra:
        out[unique_name(header[j], used)] = col(j)

    n = len(body)
    if old:
        m = len(measures)
        cells = np.column_stack([data[:, c[0]] for c in measures]).reshape(-1)
        quality = np.column_stack(
            [col(c[4]) if c[4] is not None else np.full(n, "", dtype=object) for c in measures]
        ).reshape(-1)
        out = {k: np.repeat(v, m) for k, v in out.items()}
        out["measure"] = np.tile(np.array([c[2] for c in measures], dtype=object), n)
        out["measure_code"] = np.tile(np.array([c[1] for c in measures], dtype=object), n)
        out["unit"] = np.tile(np.array([c[3] for c in measures], dtype=object), n)
        where = Where(source, lines.tolist(), [header[c[0]] for c in measures])
        cell_lines = np.repeat(lines, m)
    else:
        cells = data[:, idx["value"]]
        quality = col(idx["value_q"]) if "value_q" in idx else np.full(n, "", dtype=object)
        out["measure"] = col(idx["value_variable_label"])
        out["measure_code"] = col(idx["value_variable_code"])
        out["unit"] = col(idx["value_unit"])
        where = Where(source, lines.tolist(), [header[idx["value"]]])
        cell_lines = lines
    quality = np.array([str(q).strip() for q in quality], dtype=object)
    values, symbols = parse_values(cells, where, allow_empty=quality != "")
    out["value"] = values
    out["symbol"] = np.where(
        quality == "", symbols, np.where(symbols == "", quality, symbols + " " + quality)
    )
    df = string_columns(pd.DataFrame(out))
    check_unique(df, cell_lines, source)

    tl = pick["time_label"]
    statistic = " / ".join(sorted(set(stat_labels)))
    name_match = _TABLE_CODE_IN_NAME_RE.search(Path(source).name)
    table_code = name_match.group(1) if name_match else ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", table_code):
        table_code = ""
    df.attrs.update(
        family="flat_old" if old else "flat",
        table_code=table_code,
        title=statistic,
        title_lines=[statistic] if statistic else [],
        statistic=statistic,
        statistic_code=" / ".join(sorted(set(stat_codes))),
        footnotes=[],
        copyright="",
        stand="",
        time_label=" / ".join(sorted(set(col(tl)))) if tl is not None else "",
    )
    return df, cell_lines


def _times(raw: np.ndarray, lines: np.ndarray, source: str, column: str) -> np.ndarray:
    cache: dict[str, str | None] = {}
    out = np.empty(len(raw), dtype=object)
    for k, t in enumerate(raw):
        if t not in cache:
            cache[t] = parse_time(t)
        if cache[t] is None:
            raise DataError(
                f"unbekannte Zeitangabe »{t}«", file=source, row=int(lines[k]), column=column
            )
        out[k] = cache[t]
    return out


def _region_variable(
    variables: dict[int, dict[str, int]],
    col: Callable[[int], np.ndarray],
    lines: np.ndarray,
    source: str,
) -> int:
    """The number of the one regional variable; DataError if there is none or several."""
    found: list[int] = []
    for number in sorted(variables):
        codes = col(variables[number]["code"])
        labels = col(variables[number]["label"])
        keys = col(variables[number]["attr_code"])
        known = {c: is_region_variable(c, [], []) for c in set(codes)}
        regional = np.array([known[c] for c in codes], dtype=bool)
        if regional.all() or (
            len(set(codes)) == 1 and is_region_variable(codes[0], labels, list(keys))
        ):
            found.append(number)
        elif regional.any():
            i = int(np.flatnonzero(~regional)[0])
            raise DataError(
                f"die Regionsvariable steht nicht in jeder Zeile an Stelle {number} "
                f"(hier »{codes[i]}«) – Datei nicht sicher lesbar",
                file=source,
                row=int(lines[i]),
            )
    if len(found) != 1:
        what = (
            "keine Regionsvariable (KREISE, GEMEIN, DLAND, …)"
            if not found
            else (f"{len(found)} Regionsvariablen (Merkmal {', '.join(map(str, found))})")
        )
        raise DataError(
            f"{what} gefunden – ohne eindeutige Region ist die Datei nicht sicher lesbar",
            file=source,
            row=int(lines[0]),
        )
    return found[0]
