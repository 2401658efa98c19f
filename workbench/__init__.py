"""CX Workbench: customer stories in, pain points, personas and journey maps out.

``import workbench`` stays fast: heavy libraries (bertopic, torch, umap…) are imported
inside the functions that need them.

Example:
    >>> import workbench
    >>> workbench.__version__ != ""
    True
"""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from workbench.errors import IngestError, StudyError, WorkbenchError

try:
    __version__ = version("cx-workbench")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["IngestError", "StudyError", "WorkbenchError", "__version__"]
