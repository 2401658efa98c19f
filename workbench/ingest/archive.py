"""Checks on zip packages (``.docx``, ``.xlsx``) made from the zip directory, before anything is unpacked.

Word and Excel files are zip archives. A hostile or broken one can claim parts that unpack
to gigabytes (a *zip bomb*), hold hundreds of thousands of members, or name members with
``../`` or absolute paths (*path traversal*). The workbench never extracts members to disk,
but it refuses such files outright so that nothing downstream has to be careful.

The sizes checked are the uncompressed sizes in the zip's central directory. Python's
``zipfile`` never returns more bytes for a member than that size (and fails the CRC check
when the data disagrees), so a lying directory cannot smuggle in a larger part.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from workbench.errors import IngestError

#: refuse a package with more members than this (a real .docx/.xlsx has a few dozen)
MAX_ZIP_MEMBERS = 10_000

_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_member_name(name: str) -> bool:
    """Whether a zip member name is absolute, climbs out with ``..``, names a drive, or holds NUL.

    Example:
        >>> [unsafe_member_name(n) for n in ["word/document.xml", "../evil.xml", "/etc/passwd", "C:\\\\x.xml", "a/../../b"]]
        [False, True, True, True, True]
    """
    normalised = name.replace("\\", "/")
    if "\x00" in name or normalised.startswith("/") or _DRIVE.match(normalised):
        return True
    return ".." in normalised.split("/")


def check_zip_package(
    path: Path,
    not_valid: str,
    max_part_bytes: int,
    max_total_bytes: int,
    what_to_do: str,
    limited_suffixes: tuple[str, ...] = (".xml", ".rels"),
) -> list[zipfile.ZipInfo]:
    """Refuse a zip package that is not a zip, is damaged, is too big unpacked, or names unsafe members.

    Args:
        path: the file.
        not_valid: the reason given when it is not a (readable) zip, e.g. "is not a valid .docx …".
        max_part_bytes: the largest uncompressed size allowed for one XML member (those ending in
            ``limited_suffixes``: what the readers parse; images only count towards the total).
        max_total_bytes: the largest uncompressed size allowed for all members together.
        what_to_do: the advice appended to a size refusal ("split the document…").

    Returns the members of the package (its zip directory).

    Raises:
        IngestError: naming the file, the member and the limit where one is exceeded.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "bomb.docx"
        >>> with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        ...     package.writestr("word/document.xml", b" " * 5000)
        >>> check_zip_package(path, "not a .docx", 1000, 10**6, "split it")
        Traceback (most recent call last):
        ...
        workbench.errors.IngestError: .../bomb.docx: its part word/document.xml would unpack to 5000 bytes (limit 1000 bytes), which looks like a zip bomb; refusing to open it. split it
    """
    path = Path(path)
    try:
        is_zip = zipfile.is_zipfile(path)
    except OSError as error:
        raise IngestError(
            path, f"cannot be read ({error.strerror or error}); check that the file exists and that you may read it"
        ) from error
    if not is_zip:
        raise IngestError(path, not_valid)
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, ValueError, EOFError,
            UnicodeDecodeError, OverflowError) as error:
        raise IngestError(path, f"{not_valid} (damaged zip package: {str(error)[:100]})") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise IngestError(
            path, f"holds {len(members)} zip members (limit {MAX_ZIP_MEMBERS}); refusing to open it. {what_to_do}"
        )
    total = 0
    for member in members:
        if unsafe_member_name(member.filename):
            raise IngestError(
                path,
                f"names a part {member.filename[:80]!r} outside the package (an absolute or '..' path); "
                "a genuine Word or Excel file never does this, refusing to open it. Re-save it from Word or Excel",
            )
        if member.file_size > max_part_bytes and member.filename.lower().endswith(limited_suffixes):
            raise IngestError(
                path,
                f"its part {member.filename[:80]} would unpack to {_size(member.file_size)} (limit "
                f"{_size(max_part_bytes)}), which looks like a zip bomb; refusing to open it. {what_to_do}",
            )
        total += member.file_size
    if total > max_total_bytes:
        raise IngestError(
            path,
            f"unpacks to {_size(total)} (limit {_size(max_total_bytes)}), which looks like a zip bomb; "
            f"refusing to open it. {what_to_do}",
        )
    return members


def _size(count: int) -> str:
    """Bytes for people: '5000 bytes', '201 MB'.

    Example:
        >>> _size(201_000_000), _size(12)
        ('201 MB', '12 bytes')
    """
    return f"{count / 1e6:.0f} MB" if count >= 1_000_000 else f"{count} bytes"
