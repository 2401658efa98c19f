"""Turn the bytes of a text file into text, whatever encoding it was saved in.

Interview transcripts come from many tools and many computers: UTF-8 with or
without a byte-order mark, UTF-16 from Windows ("Unicode" in Notepad), and old
Windows-1252 / Latin-1 files. :func:`decode_text` never fails on the encoding
(Latin-1 can decode any byte); it only refuses bytes that are clearly not text
(images, zip archives, Word files renamed to ``.txt``).
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from workbench.errors import IngestError
from workbench.ingest.base import FileReport

#: (magic bytes at the start of a file, what that file is) for binary formats people
#: most often rename or save by mistake in place of a transcript.
_KNOWN_BINARY_STARTS: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a zip archive (a .docx, .xlsx or .zip file)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc or .xls)"),
    (b"{\\rtf", "an RTF document"),
)

#: share of control characters above which decoded text is treated as binary
_MAX_CONTROL_SHARE = 0.10

#: how much of the text the binary check looks at
_CONTROL_SAMPLE_CHARS = 1_000_000

#: control characters that do not occur in text (tab, newline, CR, VT and FF excepted)
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _binary_error(path: Path, what: str) -> IngestError:
    return IngestError(
        path,
        f"looks like a binary file ({what}), not text; export it again as text (transcripts: "
        ".txt, .vtt, .srt or Word .docx; feedback: UTF-8 .csv, .jsonl or Excel .xlsx) and use that file instead",
    )


def _mostly_controls(text: str) -> bool:
    """Whether over 10% of the characters (and more than 3) are control characters.

    C0 controls, DEL and C1 controls count; tabs, newlines and form feeds do not.
    """
    sample = text[:_CONTROL_SAMPLE_CHARS]  # binary content shows at the start; keeps big exports fast
    controls = len(_CONTROL_CHARACTERS.findall(sample))
    return controls > 3 and controls > _MAX_CONTROL_SHARE * len(sample)


def normalise_newlines(text: str) -> str:
    """Turn Windows (CRLF) and old Mac (CR) line ends into ``\\n``.

    Example:
        >>> normalise_newlines("a\\r\\nb\\rc\\n")
        'a\\nb\\nc\\n'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """Decode the bytes of a text file and return ``(text, encoding name)``.

    Tries, in order: a byte-order mark (UTF-8, UTF-16, UTF-32), strict UTF-8,
    Windows-1252, then Latin-1, which decodes anything. Line ends are normalised
    to ``\\n`` and a leading byte-order mark is removed.

    Raises:
        IngestError: the bytes are not text: a known binary signature (zip, PDF,
            PNG…), NUL bytes without a UTF-16/32 byte-order mark, or more than 10%
            control characters.

    Example:
        >>> decode_text("José: olá\\r\\n".encode("cp1252"), Path("a.txt"))
        ('José: olá\\n', 'cp1252')
        >>> decode_text(codecs.BOM_UTF8 + b"Dana: hi", Path("a.txt"))
        ('Dana: hi', 'utf-8-sig')
    """
    path = Path(path)
    # BOMs first: UTF-32 LE starts with the UTF-16 LE BOM, so test it before UTF-16.
    boms = (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    text: str | None = None
    encoding = ""
    for bom, name in boms:
        if data.startswith(bom):
            try:
                text = data.decode(name)
                encoding = name
            except UnicodeDecodeError:
                if name == "utf-8-sig":  # a BOM pasted before legacy text
                    text, encoding = _decode_legacy(data[len(bom):])
                else:
                    raise IngestError(
                        path,
                        f"starts with a {name.upper()} byte-order mark but is not valid {name.upper()} "
                        "text (the file may be truncated or corrupt); save it again as UTF-8 text",
                    ) from None
            break
    if text is None:
        for magic, what in _KNOWN_BINARY_STARTS:
            if data.startswith(magic):
                raise _binary_error(path, what)
        if b"\x00" in data:
            half = len(data) / 2
            if data[0::2].count(0) > 0.4 * half or data[1::2].count(0) > 0.4 * half:
                raise _binary_error(
                    path, "it contains NUL bytes; if it is UTF-16 text without a byte-order mark, save it as UTF-8"
                )
            line = data.count(b"\n", 0, data.index(b"\x00")) + 1
            error = _binary_error(path, "it contains NUL bytes")
            raise IngestError(path, error.reason.replace("(it contains NUL bytes)", "(a NUL byte on this line)"), line=line)
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            text, encoding = _decode_legacy(data)
    text = text.lstrip("\ufeff")
    if _mostly_controls(text):
        raise _binary_error(path, "mostly control characters")
    return normalise_newlines(text), encoding


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Windows-1252 where it decodes, else Latin-1 (which decodes every byte)."""
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def read_text_file(path: Path, report: FileReport, max_bytes: int = 50_000_000) -> str:
    """Read and decode a text file, recording the encoding in ``report.encoding``.

    Raises:
        IngestError: the file cannot be read, is larger than ``max_bytes``, or is
            not text (see :func:`decode_text`).

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "t.txt").write_bytes(b"Dana: hi\\r\\n")
        >>> report = FileReport("t.txt", "interview", "txt")
        >>> read_text_file(folder / "t.txt", report), report.encoding
        ('Dana: hi\\n', 'utf-8')
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        reason = error.strerror or str(error)
        raise IngestError(
            path, f"cannot be read ({reason}); check that the file exists and that you may read it"
        ) from error
    if len(data) > max_bytes:
        raise IngestError(
            path,
            f"is too large (over {max_bytes / 1_000_000:g} MB); split it into smaller files",
        )
    text, encoding = decode_text(data, path)
    report.encoding = encoding
    return text
