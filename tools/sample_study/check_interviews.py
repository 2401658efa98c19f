"""Check the sample study's interview half against its answer key and PII ledger.

Parses the 18 transcripts with small format-specific readers of its own (independent of
``workbench.ingest``), merges consecutive turns of one speaker, and asserts:

* 18 files: 5 ``.txt``, 5 ``.vtt``, 4 ``.srt``, 4 ``.docx``; each with 15–40 turns, two speakers,
  alternating after merging;
* the answer key has one row per turn, interviewer rows exactly on the interviewer's turns,
  2–5 pain themes plus a ``delight`` and a ``purchase`` turn in every interview, and every
  theme in at least 3 interviews;
* every PII-ledger value occurs in the text of its turn (card numbers pass Luhn, the
  ``not_pii_number`` ones do not, booking references look like ``SKY-XXXXXX``);
* ``participants.csv`` names each file once, with allowed values and recognisable segments;
* the format quirks the importers must meet are really there (cp1252, BOM + CRLF, NOTE and
  STYLE blocks, voice tags, numeric cue ids, CRLF subtitles, heading paragraphs in .docx).

Run from the project root::

    python tools/sample_study/check_interviews.py
"""
from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from docx import Document

ROOT = Path(__file__).resolve().parents[2]
STUDY = ROOT / "interview_data"
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import LEDGER_KINDS, OTHER_THEMES, PAIN_THEMES, luhn_ok  # noqa: E402

THEMES = set(PAIN_THEMES)
LABELS = THEMES | set(OTHER_THEMES) | {"interviewer"}
SPEAKER = re.compile(r"^([A-Z][\w .'\-]{0,40}):\s+(.*)$")
TIMING = re.compile(r"^(?:\d{2}:)?\d{2}:\d{2}[.,]\d{3}\s+-->\s+(?:\d{2}:)?\d{2}:\d{2}[.,]\d{3}")
TAG = re.compile(r"</?(?:[a-z]+)(?:\.[\w.-]+)?(?:\s[^>]*)?>")


def decode(raw: bytes) -> str:
    """UTF-8 (BOM stripped), else cp1252.

    Example:
        >>> decode("Zoë".encode("cp1252"))
        'Zoë'
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def merge(turns: list[tuple[str | None, str]]) -> list[list[str]]:
    """Merge consecutive same-speaker (or speakerless) turns.

    Example:
        >>> merge([("A", "x"), (None, "y"), ("B", "z")])
        [['A', 'x y'], ['B', 'z']]
    """
    out: list[list[str]] = []
    for speaker, text in turns:
        text = " ".join(text.split())
        if out and (speaker is None or speaker == out[-1][0]):
            out[-1][1] = f"{out[-1][1]} {text}".strip()
        else:
            assert speaker is not None, f"text before the first speaker: {text[:40]!r}"
            out.append([speaker, text])
    return out


def read_txt(text: str) -> list[tuple[str | None, str]]:
    turns = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = re.sub(r"^[\[(]\d{2}:\d{2}:\d{2}[\])]\s*", "", line.strip())
        if not line:
            continue
        m = SPEAKER.match(line)
        turns.append((m.group(1), m.group(2)) if m else (None, line))
    return turns


def blocks(text: str) -> list[list[str]]:
    return [b.split("\n") for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())]


def read_vtt(text: str) -> list[tuple[str | None, str]]:
    assert text.startswith("WEBVTT"), "no WEBVTT header"
    turns = []
    for block in blocks(text)[1:]:
        if block[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        i = next(k for k, line in enumerate(block) if "-->" in line)
        assert TIMING.match(block[i]), block[i]
        body = " ".join(block[i + 1:])
        v = re.match(r"^<v(?:\.[\w.]+)?\s+([^>]+)>(.*)$", body)
        if v:
            turns.append((v.group(1).strip(), TAG.sub("", v.group(2))))
            continue
        body = TAG.sub("", body)
        m = SPEAKER.match(body)
        turns.append((m.group(1), m.group(2)) if m else (None, body))
    return turns


def read_srt(text: str) -> list[tuple[str | None, str]]:
    turns = []
    for block in blocks(text):
        assert block[0].strip().isdigit() and TIMING.match(block[1]), block[:2]
        body = " ".join(block[2:])
        m = SPEAKER.match(body)
        turns.append((m.group(1), m.group(2)) if m else (None, body))
    return turns


def read_docx(path: Path) -> list[tuple[str | None, str]]:
    doc = Document(str(path))
    turns = []
    if doc.tables:
        rows = doc.tables[0].rows
        assert [c.text for c in rows[0].cells] == ["Speaker", "Text"], "table header row"
        for row in rows[1:]:
            turns.append((row.cells[0].text.strip() or None, row.cells[1].text))
        return turns
    styles = [p.style.name for p in doc.paragraphs if p.text.strip()]
    assert styles[:2] == ["Heading 1", "Heading 2"], styles[:2]
    for p in doc.paragraphs:
        if not p.text.strip() or p.style.name.startswith("Heading"):
            continue
        m = SPEAKER.match(p.text.strip())
        turns.append((m.group(1), m.group(2)) if m else (None, p.text))
    return turns


def main() -> int:
    """Run every check; print a summary; return 0 when all pass.

    Example:
        >>> main() == 0  # doctest: +SKIP
        True
    """
    files = sorted((STUDY / "transcripts").glob("interview_*.*"))
    ext = Counter(f.suffix for f in files)
    assert ext == {".txt": 5, ".vtt": 5, ".srt": 4, ".docx": 4}, ext
    key = defaultdict(list)
    with open(HERE / "interview_answer_key.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            key[row["source_id"]].append((int(row["key"]), row["theme"]))
    ledger = list(csv.DictReader(open(HERE / "interview_pii_ledger.csv", encoding="utf-8", newline="")))
    people = list(csv.DictReader(open(STUDY / "participants.csv", encoding="utf-8", newline="")))
    texts: dict[str, list[list[str]]] = {}
    theme_files: dict[str, set[str]] = defaultdict(set)
    for path in files:
        sid = f"transcripts/{path.name}"
        raw = path.read_bytes()
        if path.suffix == ".docx":
            turns = merge(read_docx(path))
        else:
            text = decode(raw)
            turns = merge({".txt": read_txt, ".vtt": read_vtt, ".srt": read_srt}[path.suffix](text))
        texts[sid] = turns
        speakers = [s for s, _ in turns]
        assert 15 <= len(turns) <= 40, (sid, len(turns))
        assert len(set(speakers)) == 2, (sid, Counter(speakers))
        rows = sorted(key[sid])
        assert [k for k, _ in rows] == list(range(1, len(turns) + 1)), (sid, len(rows), len(turns))
        for (k, theme), (speaker, _) in zip(rows, turns):
            assert theme in LABELS, (sid, k, theme)
            assert (theme == "interviewer") == (speaker == speakers[0]), (sid, k, theme, speaker)
        labels = Counter(t for _, t in rows)
        pains = set(labels) & THEMES
        assert 2 <= len(pains) <= 5 and labels["delight"] and labels["purchase"], (sid, labels)
        for t in pains:
            theme_files[t].add(sid)
        print(f"{sid:32} {len(turns):3} turns  speakers={speakers[0]!r}/{speakers[1]!r}  themes={sorted(pains)}")
    for t in sorted(THEMES):
        assert len(theme_files[t]) >= 3, (t, theme_files[t])
    print("theme coverage:", {t: len(theme_files[t]) for t in sorted(THEMES)})
    # ledger
    for row in ledger:
        sid, k, kind, value = row["source_id"], int(row["key"]), row["kind"], row["value"]
        assert kind in LEDGER_KINDS, row
        assert value in texts[sid][k - 1][1], f"{sid} turn {k}: {value!r} not in {texts[sid][k - 1][1][:80]!r}"
        digits = re.sub(r"\D", "", value)
        if kind == "card":
            assert luhn_ok(digits) and 13 <= len(digits) <= 19, row
        if kind == "not_pii_number":
            assert len(digits) == 16 and not luhn_ok(digits), row
        if kind == "booking_ref":
            assert re.fullmatch(r"SKY-[A-Z0-9]{6}", value), row
        if kind == "email":
            assert re.search(r"@(example\.com|example\.org|mail\.test)$", value), row
    ledger_kinds = Counter(r["kind"] for r in ledger)
    print("ledger:", dict(ledger_kinds))
    # participants
    assert [p["participant_id"] for p in people] == [f"P{i:02d}" for i in range(1, 19)]
    assert sorted(p["interview_file"] for p in people) == sorted(texts)
    seg = Counter(p["segment"] for p in people)
    assert set(seg) <= {"business", "leisure", "family", "student", "retiree"}, seg
    assert all(seg[s] >= 3 for s in ("business", "leisure", "family")), seg
    for p in people:
        assert p["loyalty_tier"] in {"none", "Silver", "Gold", "Platinum"}, p
        assert p["primary_channel"] in {"mobile app", "website", "call centre", "email", "airport desk", "social media"}, p
        assert re.fullmatch(r"\d{2}-\d{2}", p["age_band"]) and re.fullmatch(r"2026-\d{2}-\d{2}", p["interview_date"]), p
        customer = texts[p["interview_file"]][1][0]
        first = p["name"].split()[0]
        assert customer in {p["name"], first, first.upper(), "A"}, (p["name"], customer)
    # format quirks the importers must handle
    raw = {f.name: f.read_bytes() for f in files}
    cp = [n for n, b in raw.items() if n.endswith(".txt") and not _is_utf8(b)]
    assert len(cp) == 1 and "Zoë" in raw[cp[0]].decode("cp1252") and "“" in raw[cp[0]].decode("cp1252"), cp
    assert any(b.startswith(b"\xef\xbb\xbf") and b"\r\n" in b for n, b in raw.items() if n.endswith(".txt"))
    assert sum(bool(re.search(rb"^[\[(]\d\d:\d\d:\d\d[\])]", b, re.M)) for n, b in raw.items() if n.endswith(".txt")) == 2
    vtts = {n: b.decode() for n, b in raw.items() if n.endswith(".vtt")}
    assert any("\nNOTE" in t and "\nSTYLE" in t for t in vtts.values())
    assert any(re.search(r"\n\n1\n\d", t) for t in vtts.values())
    assert any("<v " in t for t in vtts.values()) and any(re.search(r"^\d\d:\d\d.*\n[A-Z][a-z]+ [A-Z][a-z]+: ", t, re.M) for t in vtts.values())
    assert any("<i>" in t for t in vtts.values()) and any("<c." in t for t in vtts.values())
    assert any(b"\r\n" in b for n, b in raw.items() if n.endswith(".srt"))
    print("all interview checks passed")
    return 0


def _is_utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


if __name__ == "__main__":
    sys.exit(main())
