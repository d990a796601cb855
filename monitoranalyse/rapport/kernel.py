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

__all__ = ["KernelDezeInterpreter", "kernelspec_deze_interpreter"]


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
