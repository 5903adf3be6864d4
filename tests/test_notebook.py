"""examples/tour.ipynb runs top to bottom in a real Jupyter kernel, and is stored without outputs.

The kernel is this interpreter's own (nbclient starts it through ipykernel), so the notebook sees
the installed actviz. Every report cell must show HTML, every picture cell a PNG, and nothing may
have imported matplotlib.pyplot before the last section, where the reader uses pyplot's
``subplots`` for Axes of their own.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

TOUR = Path(__file__).resolve().parent.parent / "examples" / "tour.ipynb"


def test_the_stored_notebook_has_no_outputs():
    nb = nbformat.read(TOUR, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source


def test_the_tour_runs_in_a_kernel(tmp_path, monkeypatch):
    # As in Jupyter: the kernel's own inline backend (CI exports MPLBACKEND=Agg, under which
    # pyplot shows nothing and the last section's picture would be missing).
    monkeypatch.delenv("MPLBACKEND", raising=False)
    nb = nbformat.read(TOUR, as_version=4)
    run = copy.deepcopy(nb)
    own = next(i for i, c in enumerate(run.cells) if "import matplotlib.pyplot" in c.source)
    run.cells.insert(own, nbformat.v4.new_code_cell("import sys\n'matplotlib.pyplot' in sys.modules"))
    client = nbclient.NotebookClient(run, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    code = [c for c in run.cells if c.cell_type == "code"]
    for cell in code:
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
        assert not [o for o in cell.outputs if o.get("name") == "stderr"], cell.source

    def mimes(source_start: str) -> set[str]:
        cell = next(c for c in code if c.source.startswith(source_start))
        shown = ("execute_result", "display_data")
        return {m for o in cell.outputs if o.output_type in shown for m in o.data}

    assert "text/html" in mimes('actviz.get("sigmoid")')
    assert "image/png" in mimes('actviz.plot("sigmoid", grad=True)')
    assert "text/html" in mimes("flo = actviz.flow")
    assert "image/png" in mimes("flo.figure()")
    assert "text/html" in mimes("scores =")
    assert "text/html" in mimes('actviz.recommend("multiclass"')
    assert "image/png" in mimes("import matplotlib.pyplot")
    probe = next(c for c in code if c.source.startswith("import sys"))
    assert probe.outputs[0]["data"]["text/plain"] == "False"  # no actviz call imported pyplot
    assert list(tmp_path.iterdir()) == []  # and none wrote a file
