"""The Kreise of the BKG shapefile and the map of NRW."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from bielefeld_integration.errors import DataError
from bielefeld_integration.official.geometry import nrw_map, read_kreise

SHP = Path(__file__).resolve().parents[2] / "data" / "official" / "geometry" / "VG2500_KRS.shp"


@pytest.fixture(scope="module")
def kreise() -> pd.DataFrame:
    return read_kreise(SHP)


def test_read_kreise_gives_400_kreise_in_utm(kreise):
    assert kreise.ags.nunique() == 400
    bielefeld = kreise[kreise.ags == "05711"]
    assert set(bielefeld.name) == {"Bielefeld"} and set(bielefeld.kind) == {"Kreisfreie Stadt"}
    # EPSG:25832 metres: Bielefeld lies around 470 km east, 5760 km north
    assert 450_000 < bielefeld.x.mean() < 490_000 and 5_740_000 < bielefeld.y.mean() < 5_780_000


def test_nrw_map_outlines_bielefeld(kreise):
    fig = nrw_map(kreise, "05711", values=pd.Series({"05711": 13.1, "05111": 18.7}))
    ax = fig.axes[0]
    fills, outline = ax.collections
    assert len(fills.get_paths()) >= 53  # one path per ring of the 53 Kreise
    assert len(outline.get_paths()) == kreise[kreise.ags == "05711"].ring.nunique()
    assert [t.get_text() for t in ax.texts] == ["Bielefeld"]
    plt.close(fig)


def test_nrw_map_refuses_unknown_kreis(kreise):
    with pytest.raises(DataError, match="09162"):
        nrw_map(kreise, "09162")


def test_read_kreise_refuses_a_non_shapefile(tmp_path):
    bad = tmp_path / "x.shp"
    bad.write_bytes(b"no shapefile")
    with pytest.raises(DataError, match="Shape"):
        read_kreise(bad)
