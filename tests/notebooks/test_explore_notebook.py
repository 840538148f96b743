"""notebooks/explore.ipynb runs on the demo store and is committed without outputs."""

import json

import pytest

from bielefeld_integration.report.resources import NOTEBOOKS_DIR

NOTEBOOK = NOTEBOOKS_DIR / "explore.ipynb"


def test_committed_without_outputs():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")


@pytest.mark.slow
def test_explore_notebook_runs(demo_store, tmp_path):
    import papermill

    out = tmp_path / "explore.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"data_dir": str(demo_store)},
        kernel_name="python3",
        progress_bar=False,
    )
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    text = json.dumps(cells, ensure_ascii=False)
    assert '"output_type": "error"' not in text
    assert "'2014'" in text and "'2019'" in text
    assert "Heepen" in text
