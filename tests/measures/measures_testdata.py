"""Test data of the measures register tests: a good row, a CSV writer, the fixture files."""

from __future__ import annotations

from pathlib import Path

from bielefeld_integration import measures as m

DATA = Path(__file__).resolve().parents[1] / "data" / "measures"
HEADER = list(m.HEADERS)
CATALOGUE = {"ARB-01", "ARB-02", "ARB-05", "SPR-01", "KITA-01", "WOH-01", "FLU-03"}

GOOD_ROW = {
    "ID": "X-01",
    "Titel": "Testmaßnahme",
    "Kurzbeschreibung": "",
    "Verantwortliche Stelle": "Jugendamt",
    "Art der Stelle": "städtisch",
    "Handlungsfeld": "Betreuung/Erziehung/Bildung",
    "Schwerpunktziele": "1",
    "Zielgruppen": "Kinder",
    "Herkunft": "neu initiiert",
    "Status": "laufend",
    "Beginn": "02.2016",
    "Ende": "",
    "Stand": "30.06.2018",
    "Teilnehmende": "10",
    "Budget (EUR)": "1.000",
    "Finanzierung": "Stadt",
    "Indikatoren": "",
}


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    lines = [";".join(header)] + [";".join(r.get(h, "") for h in header) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def fixture_register():
    """The register of the test data for 2018 (ids checked against :data:`CATALOGUE`)."""
    return m.load_register(DATA / "register_2018.csv", known_indicators=CATALOGUE, period=2018)


def fixture_previous():
    """The register of the test data for 2017."""
    return m.load_register(DATA / "register_2017.csv", period="2017")
