"""A codebook file of any kind: YAML (:mod:`~workbench.coding.yaml_codebook`) or REFI-QDA ``.qdc`` (:mod:`~workbench.coding.qdc`).

:func:`load_codebook` picks the reader by the file's suffix, so the CLI and the notebooks take
either kind of file where a codebook is asked for.

Example:
    >>> import tempfile
    >>> from workbench.coding.codebook import Code, Codebook
    >>> from workbench.coding.qdc import write_qdc
    >>> path = write_qdc(Codebook([Code("fees", "Fees")]), Path(tempfile.mkdtemp()) / "book.qdc")
    >>> load_codebook(path).names()
    {'fees': 'Fees'}
"""
from __future__ import annotations

from pathlib import Path

from workbench.coding.codebook import Codebook
from workbench.coding.qdc import read_qdc
from workbench.coding.yaml_codebook import read_yaml_codebook


def load_codebook(path: Path | str) -> Codebook:
    """Read a codebook from YAML (``name:`` and a list of ``codes:``) or from a REFI-QDA ``.qdc`` file.

    A ``.qdc`` file is read by :func:`~workbench.coding.qdc.read_qdc`, any other by
    :func:`~workbench.coding.yaml_codebook.read_yaml_codebook` (see there for the YAML layout).

    Raises:
        CodebookError: naming the file, the code and the fix.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "codebook.yaml"
        >>> _ = path.write_text("name: Refunds\\ncodes:\\n  - name: Refunds\\n  - name: Slow refund\\n    parent: Refunds\\n")
        >>> book = load_codebook(path)
        >>> book.get("slow-refund").parent
        'refunds'
        >>> _ = path.write_text("codes:\\n  - name: Slow refund\\n    parent: Refunds\\n")
        >>> load_codebook(path)
        Traceback (most recent call last):
        ...
        workbench.coding.codebook.CodebookError: .../codebook.yaml, code 'slow-refund': parent 'Refunds' is not a code of this codebook; add it or remove the parent
    """
    path = Path(path)
    if path.suffix.lower() == ".qdc":
        return read_qdc(path)
    return read_yaml_codebook(path)
