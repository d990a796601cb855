"""The kernel the report notebooks run in: this interpreter, whatever kernelspecs are installed.

papermill's ``kernel_name="python3"`` looks the name up in the Jupyter kernelspec folders
(``JUPYTER_PATH``, then the user's ``~/.local/share/jupyter``, then the environment's,
then the system's). A ``python3`` kernelspec in the user's folder that points at another
Python — one with another (or no) ``monitoranalyse`` installed — would then run the
notebooks: reports computed by another version of the package, or a failing import.

:class:`KernelDezeInterpreter` is a jupyter_client kernel manager whose kernelspec
manager answers every name with ipykernel's own kernelspec for ``sys.executable``
(:func:`ipykernel.kernelspec.make_ipkernel_cmd`, the command ``ipykernel install``
writes), so the batch and its notebooks always share one interpreter and one installed
package. Pass it to papermill as ``kernel_manager_class``; nbclient hands it on.
"""

from __future__ import annotations

import sys

from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from traitlets import default

__all__ = ["KernelDezeInterpreter", "kernelspec_deze_interpreter", "EenKernelPerGemeente", "ENGINE"]


def kernelspec_deze_interpreter() -> KernelSpec:
    """ipykernel's kernelspec for the running interpreter (``argv[0] == sys.executable``)."""
    from ipykernel.kernelspec import RESOURCES, make_ipkernel_cmd

    return KernelSpec(argv=make_ipkernel_cmd(executable=sys.executable), language="python",
                      display_name=f"monitoranalyse ({sys.executable})", resource_dir=RESOURCES)


class _SpecsDezeInterpreter(KernelSpecManager):
    """A kernelspec manager that knows one kernel: this interpreter's."""

    def find_kernel_specs(self) -> dict[str, str]:
        from ipykernel.kernelspec import RESOURCES

        return {"python3": RESOURCES}

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return kernelspec_deze_interpreter()


class KernelDezeInterpreter(AsyncKernelManager):
    """Kernel manager that starts the notebook kernel with ``sys.executable``."""

    @default("kernel_spec_manager")
    def _kernel_spec_manager_default(self) -> KernelSpecManager:
        return _SpecsDezeInterpreter(data_dir=self.data_dir)

    async def _async_interrupt_kernel(self) -> None:
        """No interrupt while shutting down.

        jupyter_client's ``shutdown_kernel`` interrupts the kernel before asking it to shut
        down (to stop running code). The report notebooks have finished by then, and the
        SIGINT only makes ipykernel print an English "KeyboardInterrupt caught in kernel."
        on the user's terminal. The shutdown request itself goes over the control channel
        and is handled even by a busy kernel; jupyter_client kills the kernel if it does not
        stop in time. An interrupt outside shutdown (nbclient's cell timeout) still goes
        through."""
        if self.shutting_down:
            return
        await super()._async_interrupt_kernel()


# ---------------------------------------------------------------------------
# One kernel per gemeente (issue 16)
# ---------------------------------------------------------------------------

#: Run after each notebook in a reused kernel: no figure, variable or output history of that
#: notebook reaches the next one (modules stay imported: that is the time saved), and the next
#: notebook's cells are numbered from 1 again, as in a fresh kernel.
OPSCHONEN = """\
import sys as _sys
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
del _sys
get_ipython().run_line_magic("reset", "-f")
get_ipython().execution_count = 1
"""

ENGINE = "monitoranalyse-een-kernel"


def _registreer_engine() -> None:
    """Register :data:`ENGINE` with papermill: its nbclient engine, plus — when a kernel manager
    ``km`` is passed — a clean-up of the kernel's namespace after the notebook and closed client
    channels, so that the caller can run the next notebook of the same gemeente in the same kernel.

    This is papermill's documented extension point (a registered engine; papermill issues 326,
    583 and 616 discuss reusing kernels this way); nbclient accepts an existing kernel manager.
    Without ``km`` it behaves exactly as papermill's default engine."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    class EenKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
            km = kwargs.get("km")
            if km is None:
                return super().execute_managed_notebook(
                    nb_man, kernel_name, log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file,
                    start_timeout=start_timeout, execution_timeout=execution_timeout, **kwargs)
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(kwargs, timeout=execution_timeout, startup_timeout=start_timeout,
                                 kernel_name=kernel_name, log=logger, log_output=log_output,
                                 stdout_file=stdout_file, stderr_file=stderr_file)
            client = PapermillNotebookClient(nb_man, **final)
            try:
                return client.execute()
            finally:
                if client.kc is not None:
                    try:
                        msg_id = client.kc.execute(OPSCHONEN, silent=True, store_history=False)
                        client.wait_for_reply(msg_id)
                    finally:
                        client.kc.stop_channels()

    papermill_engines.register(ENGINE, EenKernelEngine)


class EenKernelPerGemeente:
    """A context manager holding one kernel for the notebooks of one gemeente (issue 16).

    ``with EenKernelPerGemeente() as km:`` then ``papermill.execute_notebook(...,
    engine_name=ENGINE, km=km)`` for each notebook. The kernel starts (through nbclient) with
    the first notebook, its namespace is emptied after every notebook (:data:`OPSCHONEN`), and it
    is shut down when the block ends — so no state of one gemeente ever reaches another, and
    each notebook still runs by hand in a fresh kernel exactly as in the batch. Saves a kernel
    start and the imports (pandas, matplotlib, statsmodels, the package) for every notebook but
    the first."""

    def __enter__(self):
        _registreer_engine()
        self.km = KernelDezeInterpreter(kernel_name="python3")
        return self.km

    def __exit__(self, *exc):
        from jupyter_core.utils import run_sync

        try:
            if self.km.has_kernel:
                run_sync(self.km.shutdown_kernel)(now=False)
        finally:
            run_sync(self.km.cleanup_resources)()
        return False
