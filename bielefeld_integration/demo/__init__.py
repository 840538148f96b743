"""Generator of the shipped demo deliveries (synthetic data for 2014–2019).

``python -m bielefeld_integration.demo data/raw`` (or ``make demo-data``) writes
``data/raw/<period>/`` with every delivery in the format the real office sends and a
``sources.yaml`` manifest. The output is byte-identical on every run.

Each module of this package that defines ``deliveries(year: int) -> list[Delivery]``
contributes files; the shared population model lives in :mod:`.world`.
"""

from __future__ import annotations

import hashlib
import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from bielefeld_integration.atomic import write_bytes_atomic

YEARS = list(range(2014, 2020))
SYNTHETIC_NOTE = (
    "SYNTHETISCHE DEMODATEN – keine amtlichen Zahlen. Erzeugt von bielefeld_integration.demo, "
    "kalibriert an veröffentlichten Eckwerten der Stadt Bielefeld."
)


@dataclass(frozen=True)
class Delivery:
    """One demo file: its name, bytes and manifest entry."""

    file: str
    content: bytes
    format: str
    domain: str
    reference_date: str
    origin: str


def _modules():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name == "world":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "deliveries"):
            yield module


def deliveries(year: int) -> list[Delivery]:
    """All demo deliveries of one year, sorted by file name."""
    out: list[Delivery] = []
    for module in _modules():
        out.extend(module.deliveries(year))
    names = [d.file for d in out]
    if len(set(names)) != len(names):
        raise RuntimeError(f"duplicate demo file names in {year}: {names}")
    return sorted(out, key=lambda d: d.file)


def manifest(year: int, files: list[Delivery]) -> str:
    """The ``sources.yaml`` text for a list of deliveries."""
    doc = {
        "period": str(year),
        "synthetic": True,
        "note": SYNTHETIC_NOTE,
        "files": [
            {
                "file": d.file,
                "format": d.format,
                "domain": d.domain,
                "reference_date": d.reference_date,
                "origin": d.origin,
                "sha256": hashlib.sha256(d.content).hexdigest(),
            }
            for d in files
        ],
    }
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def generate(out_dir: str | Path, years: list[int] | None = None) -> list[Path]:
    """Write the demo deliveries for ``years`` (default 2014–2019) below ``out_dir``."""
    written = []
    for year in years or YEARS:
        folder = Path(out_dir) / str(year)
        files = deliveries(year)
        for d in files:
            write_bytes_atomic(folder / d.file, d.content)
            written.append(folder / d.file)
        write_bytes_atomic(folder / "sources.yaml", manifest(year, files).encode("utf-8"))
        write_bytes_atomic(folder / "SYNTHETISCH.txt", (SYNTHETIC_NOTE + "\n").encode("utf-8"))
    return written
