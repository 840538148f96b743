"""German tables of the projection and the CSV/XLSX export."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bielefeld_integration import scenario as sc
from bielefeld_integration.errors import DataError

# --- tables and export ------------------------------------------------------------------------


def test_needs_table_is_german(tiny: pd.DataFrame) -> None:
    table = sc.needs_table(tiny, stadtbezirk="stadt", needs=["kita", "kurs_eintritte"])
    assert list(table.columns) == [
        "Jahr", "Gebiet", "Bedarf", "Art", "Einheit", "Wert", "untere Grenze", "obere Grenze",
    ]  # fmt: skip
    assert list(table["Bedarf"]) == [sc.NEEDS["kita"].label, sc.NEEDS["kurs_eintritte"].label] * 2
    assert set(table["Gebiet"]) == {"Bielefeld insgesamt"}
    assert table.loc[0, "Wert"] == 4  # 4.5 rounded half to even
    assert table["Wert"].dtype == "int64"
    assert sc.needs_table(tiny, stadtbezirk="01")["Gebiet"].iloc[0] == "01 Mitte"
    with pytest.raises(DataError, match="unbekannte Bedarfe"):
        sc.needs_table(tiny, needs=["raumschiffe"])


def test_export_csv_and_xlsx(tiny: pd.DataFrame, tmp_path: Path) -> None:
    csv = sc.export(tiny, tmp_path / "out" / "szenario.csv")
    text = csv.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "Jahr;Gebiet;Bedarf;Art;Einheit;Wert;untere Grenze;obere Grenze"
    assert "Bielefeld insgesamt;Kinder unter 3 Jahren" in text
    back = pd.read_csv(csv, sep=";", encoding="utf-8")
    assert len(back) == len(tiny)
    xlsx = sc.export(tiny, tmp_path / "szenario.xlsx")
    sheets = pd.read_excel(xlsx, sheet_name=None)
    assert set(sheets) == {"Bedarfe", "Annahmen", "Szenario"}
    assert len(sheets["Bedarfe"]) == len(tiny)
    assert "kurs_teilnahme" in set(sheets["Annahmen"]["Kennzahl"])
    assert not list(tmp_path.glob(".*"))  # no temporary files left
    with pytest.raises(DataError, match="Ausgabeformat"):
        sc.export(tiny, tmp_path / "x.json")


def test_export_failure_keeps_previous_file(tiny: pd.DataFrame, tmp_path: Path) -> None:
    target = tmp_path / "s.csv"
    target.write_text("alt", encoding="utf-8")
    broken = tiny.copy()
    broken.loc[0, "need"] = "gibt_es_nicht"
    with pytest.raises(DataError, match="unbekannte Bedarfe gibt_es_nicht"):
        sc.export(broken, target)
    assert target.read_text(encoding="utf-8") == "alt"
