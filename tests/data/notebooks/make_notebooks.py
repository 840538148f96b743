"""Write the small test notebooks of the report tests (run once; the .ipynb are committed).

Usage: ``python tests/data/notebooks/make_notebooks.py``
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent

PARAMS = """period: str = "2019"  # Berichtsjahr, vier Ziffern
data_dir: str = ""  # Ordner der aufbereiteten Daten; leer heißt Standard"""

DISTRICT_PARAMS = """period: str = "2019"  # Berichtsjahr, vier Ziffern
district: str = "01"  # Stadtbezirk (nur Bezirksprofil)
data_dir: str = ""  # Ordner der aufbereiteten Daten; leer heißt Standard"""

CHART = """import datetime as dt

import pandas as pd

from bielefeld_integration.present.charts import format_axis, new_chart, subtitle
from bielefeld_integration.present.display import show_chart, show_table

years = [str(y) for y in range(int(period) - 4, int(period) + 1)]
frame = pd.DataFrame({"jahr": years, "anteil": [12.1, 12.9, 14.2, 15.0, 15.4]})"""


def params_cell(source: str):
    cell = new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    return cell


def write(name: str, cells: list) -> None:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{Path(name).stem[:12]}-{i:02d}"
    nbformat.write(nb, HERE / name)


def main() -> None:
    write(
        "00_ueberblick.ipynb",
        [
            new_markdown_cell("# Überblick"),
            params_cell(PARAMS),
            new_code_cell(CHART),
            new_markdown_cell(
                "## Bevölkerung und Zuwanderung\n\nDer Anteil steigt. "
                "Mehr im Kapitel [Bevölkerung](bevoelkerung.html)."
            ),
            new_code_cell(
                'fig, ax = new_chart("Der Anteil steigt seit fünf Jahren", '
                'subtitle("Anteil an allen Einwohnern in %", "Stadt Bielefeld", '
                'dt.date(int(period), 12, 31), "Testdaten"))\n'
                'ax.bar(frame["jahr"], frame["anteil"])\n'
                'format_axis(ax, "y", percent=True)\n'
                'show_chart(fig, alt=f"Balkendiagramm: Der Anteil stieg bis {period} auf 15,4 %.", '
                'data=frame, name="anteil")'
            ),
            new_markdown_cell("## Übersicht der Größen"),
            new_code_cell(
                'table = pd.DataFrame({"Stadtbezirk": ["Mitte", "Jöllenbeck"], '
                '"Anzahl": ["1.234", "."]})\n'
                'show_table(table, caption=f"Einwohner nach Stadtbezirk, 31.12.{period}", '
                'name="einwohner")'
            ),
            new_code_cell(
                'import warnings\n\nwarnings.warn("WARNUNG_DIE_NICHT_ERSCHEINEN_DARF")\n'
                'print(f"Berichtsjahr {period}")'
            ),
            new_markdown_cell("## Übersicht der Größen\n\nEine doppelte Überschrift."),
        ],
    )
    write(
        "01_bevoelkerung.ipynb",
        [
            new_markdown_cell("# Bevölkerung und Zuwanderung"),
            params_cell(PARAMS),
            new_code_cell(CHART),
            new_markdown_cell("## Ausländische Einwohnerinnen und Einwohner"),
            new_code_cell(
                'fig, ax = new_chart("Mehr Menschen ohne deutschen Pass", '
                'subtitle("Anteil in %", "Stadt Bielefeld", "2015–2019", "Testdaten"))\n'
                'ax.plot(frame["jahr"], frame["anteil"], marker="o")\n'
                'format_axis(ax, "y", decimals=1)\n'
                'show_chart(fig, alt="Liniendiagramm: Anstieg von 12,1 % auf 15,4 %.", '
                'data=frame.set_index("jahr"), name="verlauf")'
            ),
            new_markdown_cell("Zurück zum [Überblick](index.html#Überblick)."),
        ],
    )
    write(
        "20_bezirksprofil.ipynb",
        [
            new_markdown_cell("# Bezirksprofil"),
            params_cell(DISTRICT_PARAMS),
            new_code_cell(
                CHART + "\n\nfrom bielefeld_integration.geography import STADTBEZIRKE\n\n"
                "name = STADTBEZIRKE[district]"
            ),
            new_code_cell('print(f"Stadtbezirk {district} {name}, Berichtsjahr {period}")'),
            new_markdown_cell("## Entwicklung im Stadtbezirk"),
            new_code_cell(
                'fig, ax = new_chart(f"{name}: Anteil steigt", '
                'subtitle("Anteil in %", f"Stadtbezirk {name}", "2015–2019", "Testdaten"))\n'
                'ax.bar(frame["jahr"], frame["anteil"])\n'
                'show_chart(fig, alt=f"Balkendiagramm für {name}: Anstieg auf 15,4 %.", '
                'data=frame, name="anteil")'
            ),
        ],
    )
    write(
        "fails.ipynb",
        [
            new_markdown_cell("# Fehler"),
            params_cell(PARAMS),
            new_code_cell("x = 1"),
            new_code_cell("y = x / 0"),
            new_code_cell("print('nie erreicht')"),
        ],
    )
    write(
        "sleeps.ipynb",
        [
            new_markdown_cell("# Langsam"),
            params_cell(PARAMS),
            new_code_cell("import time\n\ntime.sleep(60)"),
        ],
    )
    write(
        "typed.ipynb",
        [
            new_markdown_cell("# Typen"),
            params_cell(
                PARAMS + "\nthreshold: int = 3  # Mindestfallzahl\n"
                'label: str = "x"  # Beschriftung\nuntyped = None  # ohne Typ'
            ),
            new_code_cell("print(threshold, label)"),
        ],
    )
    write(
        "int_period.ipynb",
        [
            new_markdown_cell("# Periode als Zahl"),
            params_cell("period: int = 2019  # falsch: Perioden sind Text"),
            new_code_cell("print(period)"),
        ],
    )
    write(
        "no_alt.ipynb",
        [
            new_markdown_cell("# Grafik ohne Alternativtext"),
            params_cell(PARAMS),
            new_code_cell(
                "import matplotlib.pyplot as plt\n\nfig, ax = plt.subplots()\nax.plot([1, 2])\n"
                "plt.show()"
            ),
        ],
    )
    write(
        "exits_early.ipynb",
        [
            new_markdown_cell("# Früh beendet"),
            params_cell(PARAMS),
            new_code_cell('import sys\n\nprint("VOR_DEM_ENDE")\nsys.exit(0)'),
            new_code_cell('print("NACH_DEM_ENDE")'),
        ],
    )
    write(
        "leak_a.ipynb",
        [
            params_cell(PARAMS),
            new_code_cell(
                "import matplotlib as mpl\nimport pandas as pd\n\n"
                "LEAKED = 1\nmpl.rcParams['lines.linewidth'] = 9\n"
                "pd.set_option('display.max_rows', 3)\n"
                "import os\n\nprint('a', get_ipython().execution_count, 'pid', os.getpid())"
            ),
        ],
    )
    write(
        "leak_b.ipynb",
        [
            params_cell(PARAMS),
            new_code_cell(
                "import matplotlib as mpl\nimport pandas as pd\n\n"
                "assert 'LEAKED' not in globals(), 'namespace leaked'\n"
                "assert mpl.rcParams['lines.linewidth'] != 9, 'rcParams leaked'\n"
                "assert pd.get_option('display.max_rows') != 3, 'pandas option leaked'\n"
                "import os\n\nprint('b', get_ipython().execution_count, 'pid', os.getpid())"
            ),
        ],
    )


if __name__ == "__main__":
    main()
