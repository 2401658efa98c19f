"""Write the sample study's ``answer_key.csv`` and ``pii_ledger.csv`` from their two halves.

``interview_data/answer_key.csv`` is ``interview_answer_key.csv`` (hand-written, one theme per
interview turn) followed by ``feedback_answer_key.csv`` (made by ``make_feedback.py``), under
one header; ``interview_data/pii_ledger.csv`` is ``interview_pii_ledger.csv`` (hand-written)
followed by ``feedback_pii_ledger.csv`` the same way. The lines are copied as they are.

Run from the project root, after ``make_feedback.py``::

    python tools/sample_study/merge_keys.py [--study DIR] [--keys DIR]

``--keys DIR`` is where ``make_feedback.py --keys DIR`` wrote the feedback halves; the
interview halves are always read from ``tools/sample_study/``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MERGED = {"answer_key.csv": "_answer_key.csv", "pii_ledger.csv": "_pii_ledger.csv"}


def merge_tables(parts: list[Path], target: Path) -> int:
    """Write the lines of ``parts`` under their one shared header into ``target``; return the rows.

    Example:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> _ = (d / "a.csv").write_text("k,v\\n1,x\\n", encoding="utf-8")
        >>> _ = (d / "b.csv").write_text("k,v\\n2,y\\n", encoding="utf-8")
        >>> merge_tables([d / "a.csv", d / "b.csv"], d / "ab.csv")
        2
        >>> (d / "ab.csv").read_text(encoding="utf-8")
        'k,v\\n1,x\\n2,y\\n'
    """
    header, body = None, []
    for part in parts:
        lines = part.read_bytes().decode("utf-8").splitlines(keepends=True)
        if not lines or not lines[-1].endswith("\n"):
            raise SystemExit(f"{part}: empty, or the last line has no line end; fix the file")
        if header is not None and lines[0] != header:
            raise SystemExit(f"{part}: header {lines[0].strip()!r} differs from {header.strip()!r} "
                             f"in {parts[0]}; make the headers the same")
        header = lines[0]
        body.extend(lines[1:])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((header + "".join(body)).encode("utf-8"))
    return len(body)


def main(argv: list[str] | None = None) -> int:
    """Write both merged tables; print their row counts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--study", type=Path, default=ROOT / "interview_data",
                        help="study folder to write answer_key.csv and pii_ledger.csv into "
                             "(default: interview_data)")
    parser.add_argument("--keys", type=Path, default=HERE,
                        help="folder holding feedback_answer_key.csv and feedback_pii_ledger.csv "
                             "(default: tools/sample_study)")
    args = parser.parse_args(argv)
    for merged, suffix in MERGED.items():
        rows = merge_tables([HERE / f"interview{suffix}", args.keys / f"feedback{suffix}"],
                            args.study / merged)
        print(f"{merged}: {rows} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
