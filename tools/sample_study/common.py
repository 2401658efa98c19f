"""What the sample study's make and check scripts share.

* the vocabularies of the answer keys and PII ledgers (``PAIN_THEMES``, ``OTHER_THEMES``,
  ``LEDGER_KINDS``) and the Luhn check used on planted card numbers;
* ``write_table`` (the CSV dialect of every generated table) and ``write_stable_zip``
  (re-packs an .xlsx/.docx with fixed zip timestamps, so a rebuild is byte-identical).
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

PAIN_THEMES = [
    "payment_no_confirmation", "ivr_hold_loop", "refund_delay", "hidden_fees", "app_login_crash",
    "loyalty_points_missing", "booking_change_hard", "hotel_reservation_mismatch",
    "channel_inconsistency", "disruption_notification",
]
OTHER_THEMES = ["delight", "purchase", "other"]
LEDGER_KINDS = {"name", "email", "phone", "card", "iban", "booking_ref", "address", "not_pii_number"}


def luhn_ok(number: str) -> bool:
    """True when the digits of ``number`` pass the Luhn check (other characters are ignored).

    Example:
        >>> luhn_ok("4111 1111 1111 1111"), luhn_ok("4111111111111112")
        (True, False)
    """
    digits = [int(ch) for ch in number if ch.isdigit()]
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def write_table(path: Path, header: list[str], rows: list[tuple]) -> None:
    """Write a UTF-8 CSV with ``\\n`` line ends (the dialect of every generated table).

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "t.csv"
        >>> write_table(p, ["a", "b"], [(1, "x, y")])
        >>> p.read_text(encoding="utf-8")
        'a,b\\n1,"x, y"\\n'
    """
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_stable_zip(blob: bytes, path: Path, date_time: tuple[int, int, int, int, int, int], *,
                     external_attr: int = 0,
                     patch: Callable[[str, bytes], bytes] | None = None) -> None:
    """Re-pack the zip ``blob`` (an .xlsx or .docx) into ``path`` with fixed member metadata.

    Every member keeps its name, order and content (``patch(name, data)`` may rewrite it) and
    gets ``date_time``, ``external_attr`` and a Unix ``create_system``, so the same content
    always gives the same bytes (with the same zlib).

    Example:
        >>> import tempfile
        >>> buffer = io.BytesIO()
        >>> with zipfile.ZipFile(buffer, "w") as z:
        ...     z.writestr("a.xml", "<a/>")
        >>> p = Path(tempfile.mkdtemp()) / "a.zip"
        >>> write_stable_zip(buffer.getvalue(), p, (2026, 9, 1, 9, 0, 0))
        >>> first = p.read_bytes()
        >>> write_stable_zip(buffer.getvalue(), p, (2026, 9, 1, 9, 0, 0))
        >>> p.read_bytes() == first, zipfile.ZipFile(p).infolist()[0].date_time
        (True, (2026, 9, 1, 9, 0, 0))
    """
    with zipfile.ZipFile(io.BytesIO(blob)) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=date_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3
            fixed.external_attr = external_attr
            data = source.read(info.filename)
            if patch is not None:
                data = patch(info.filename, data)
            target.writestr(fixed, data)
