"""The report notebooks run in a kernel of the interpreter that runs the batch (issue 13).

A planted trap: a ``python3`` kernelspec in JUPYTER_PATH (searched before the environment's
own kernelspecs) whose kernel is another program. papermill's plain ``kernel_name="python3"``
takes it (the control below shows the trap works); with
:class:`monitoranalyse.rapport.kernel.KernelDezeInterpreter` the kernel is ``sys.executable``.
"""

from __future__ import annotations

import json
import signal
import sys

import nbformat
import pytest

from monitoranalyse.rapport import batch
from monitoranalyse.rapport.kernel import KernelDezeInterpreter, kernelspec_deze_interpreter

pytestmark = pytest.mark.traag


def _notebook(pad):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nb.cells = [nbformat.v4.new_code_cell("import sys\nprint(sys.executable)")]
    nbformat.write(nb, pad)
    return pad


@pytest.fixture
def valse_python3(tmp_path, monkeypatch):
    """A ``python3`` kernelspec that starts ``/bin/false`` instead of a kernel."""
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps(
        {"argv": ["/bin/false", "{connection_file}"], "display_name": "vals", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    return spec


def test_spec_is_deze_interpreter():
    assert kernelspec_deze_interpreter().argv[0] == sys.executable


def test_controle_valse_kernelspec_wint_zonder_onze_kernelmanager(valse_python3, tmp_path):
    # control: without KernelDezeInterpreter the planted spec is found first
    from jupyter_client.kernelspec import KernelSpecManager

    assert KernelSpecManager().get_kernel_spec("python3").argv[0] == "/bin/false"


def test_notebook_draait_in_deze_interpreter(valse_python3, tmp_path):
    import papermill as pm

    uit = pm.execute_notebook(str(_notebook(tmp_path / "nb.ipynb")), str(tmp_path / "uit.ipynb"),
                              kernel_name="python3", kernel_manager_class=KernelDezeInterpreter,
                              progress_bar=False, start_timeout=60)
    assert uit.cells[0].outputs[0]["text"].strip() == sys.executable


def test_notebooks_uit_pakketdata_en_omgevingsvariabele(tmp_path, monkeypatch):
    monkeypatch.delenv("MONITORANALYSE_NOTEBOOKS", raising=False)
    map_ = batch.notebook_map()
    # package data of monitoranalyse.rapport, whatever the working directory
    assert map_.name == "notebooks" and map_.parent.name == "rapport"
    assert {f"{n}.ipynb" for n in batch.NOTEBOOKS} <= {p.name for p in map_.iterdir()}
    monkeypatch.setenv("MONITORANALYSE_NOTEBOOKS", str(tmp_path))
    assert batch.notebook_map() == tmp_path



def test_afsluiten_zonder_interrupt(tmp_path):
    """jupyter_client interrupts a kernel (SIGINT) before shutting it down; when the signal lands
    in a message handler, ipykernel prints an English "KeyboardInterrupt caught in kernel." on
    the user's terminal (seen on a fresh clone's main command). Our kernel manager sends no
    interrupt while shutting down; the test records the signals the kernel gets."""
    import papermill as pm

    signalen = []

    class Opnemer(KernelDezeInterpreter):
        async def _async_signal_kernel(self, signum):
            signalen.append(signum)
            await super()._async_signal_kernel(signum)

    uit = pm.execute_notebook(str(_notebook(tmp_path / "nb.ipynb")), str(tmp_path / "uit.ipynb"),
                              kernel_name="python3", kernel_manager_class=Opnemer,
                              progress_bar=False, start_timeout=60)
    assert uit.cells[0].outputs[0]["text"].strip() == sys.executable
    assert signal.SIGINT not in signalen
