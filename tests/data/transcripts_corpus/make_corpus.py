"""Write the transcript corpus of this folder: transcripts in many tools' layouts, and what they hold.

Run it again after changing a conversation: ``.venv/bin/python tests/data/transcripts_corpus/make_corpus.py``.
The output is deterministic, so the files only change when this script or ``corpus_specs.py`` does.

Writes ``transcripts/`` (26 transcripts: .txt, .vtt, .srt, .sbv, .docx), ``study.toml`` (the
study team's names), ``participants.csv`` (one person interviewed twice; a group interview's
generic labels; a support call's customer) and ``expected.json``: per file the format the
ingest report should name, the turns (label, role, text) after consecutive turns of one
speaker are merged, and which person each participant label is (``"file:label"`` unless
participants.csv gives an id).
"""
from __future__ import annotations

import io
import json
import sys
import uuid
from pathlib import Path

import docx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus_specs as spec  # noqa: E402

Turns = list[tuple[str, str]]
FILES: dict[str, dict] = {}


def _clock(seconds: float, sep: str = ".", hours: bool = True) -> str:
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    millis = int(round((seconds - int(seconds)) * 1000))
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{millis:03d}" if hours else f"{m:02d}:{s:02d}{sep}{millis:03d}"


def _hms(seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


def _times(turns: Turns, start: int = 2, step: int = 7) -> list[int]:
    return [start + i * step for i in range(len(turns))]


def _register(name: str, fmt: str, turns: Turns, roles: dict[str, str] | None = None,
              people: dict[str, str] | None = None, text_of=None) -> None:
    """Record what the file holds: merged turns with roles, and the person behind each participant label."""
    roles = roles or {}
    merged: list[list[str]] = []
    for label, text in turns:
        text = " ".join((text_of(text) if text_of else text).split())
        if merged and merged[-1][0] == label:
            merged[-1][2] = f"{merged[-1][2]} {text}"
        else:
            merged.append([label, roles.get(label, spec.C), text])
    persons = {label: (people or {}).get(label, f"{name}:{label}") for label, role, _ in merged if role == spec.C}
    FILES[name] = {"format": fmt, "turns": merged, "people": persons}


def _plain_text(text: str) -> str:
    return text.replace("&amp;", "&")


# ----------------------------------------------------------------------------- writers


def zoom_vtt(turns: Turns) -> str:
    cues = ["WEBVTT", ""]
    for number, (label, text) in enumerate(turns, start=1):
        start = 1.5 + number * 4.25
        cues += [str(number), f"{_clock(start)} --> {_clock(start + 4)}", f"{label}: {text}", ""]
    return "\n".join(cues)


def zoom_txt(turns: Turns) -> str:
    out = []
    for second, (label, text) in zip(_times(turns, 36000, 11), turns, strict=True):
        out += [f"[{label}] {_hms(second)}", text, ""]
    return "\n".join(out)


def otter_txt(turns: Turns, header: bool) -> str:
    out = ["Energy bills interview", "Tue, 3/4 10:02AM • 12:40", "", "SUMMARY KEYWORDS",
           "direct debit, app, hotline", "", "SPEAKERS", ", ".join(dict.fromkeys(label for label, _ in turns)), ""] if header else []
    for second, (label, text) in zip(_times(turns, 3, 19), turns, strict=True):
        out += [f"{label}  {second // 60}:{second % 60:02d}", *text.split("\n"), ""]
    return "\n".join(out + ["", "Transcribed by https://otter.ai", ""])


def rev_txt(turns: Turns) -> str:
    out = []
    for second, (label, text) in zip(_times(turns, 4, 13), turns, strict=True):
        out += [f"{label} ({_hms(second)}):", *text.split("\n"), ""]
    return "\n".join(out)


def descript_txt(turns: Turns) -> str:
    return "\n\n".join(f"[{_hms(second)}] {label}: {text}" for second, (label, text) in
                       zip(_times(turns, 12, 9), turns, strict=True)) + "\n"


def teams_vtt(turns: Turns) -> str:
    cues = ["WEBVTT", ""]
    meeting = uuid.UUID(int=0x5A17C0DE_0000_4000_8000_00000000ABCD)
    for number, (label, text) in enumerate(turns):
        start = 0.84 + number * 5.1
        cues += [f"{meeting}/{number + 11}-0", f"{_clock(start)} --> {_clock(start + 4.9)}", f"<v {label}>{text}</v>", ""]
    return "\n".join(cues)


def srt(turns: Turns) -> str:
    cues = []
    for number, (label, text) in enumerate(turns, start=1):
        start = 0.5 + number * 6
        cues += [str(number), f"{_clock(start, ',')} --> {_clock(start + 5.5, ',')}", f"{label}: {text}", ""]
    return "\n".join(cues)


def sbv(turns: Turns) -> str:
    cues = []
    for number, (label, text) in enumerate(turns):
        start = 1 + number * 6
        cues += [f"0:{start // 60:02d}:{start % 60:02d}.000,0:{(start + 5) // 60:02d}:{(start + 5) % 60:02d}.500",
                 f"{label}: {text}", ""]
    return "\n".join(cues)


def plain_vtt(turns: Turns) -> str:
    cues = ["WEBVTT", ""]
    for number, (label, text) in enumerate(turns):
        start = 2 + number * 5
        cues += [f"{_clock(start)} --> {_clock(start + 4.5)}", f"{label}: {text}", ""]
    return "\n".join(cues)


def plain_txt(turns: Turns, bold: bool = False) -> str:
    out = ["Interview notes – written up after the session", ""]
    for label, text in turns:
        shown = f"**{label}:**" if bold else f"{label}:"
        out.append(f"{shown} {text}")
    return "\n".join(out) + "\n"


def chat_txt(turns: Turns) -> str:
    return "\n".join(f"{label}: {text}" for label, text in turns) + "\n"


def _docx_bytes(document) -> bytes:  # noqa: ANN001
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def teams_docx(turns: Turns) -> bytes:
    document = docx.Document()
    document.add_paragraph("Transit pass interview")
    document.add_paragraph("12 March 2025, 14:02")
    document.add_paragraph("18m 41s")
    document.add_paragraph(f"{turns[0][0]}   started transcription")
    for second, (label, text) in zip(_times(turns, 3, 23), turns, strict=True):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}   {second // 60}:{second % 60:02d}")
        paragraph.add_run().add_break()
        paragraph.add_run(text)
    document.add_paragraph(f"{turns[0][0]}   stopped transcription")
    return _docx_bytes(document)


def teams_docx_old(turns: Turns) -> bytes:
    document = docx.Document()
    for number, (label, text) in enumerate(turns):
        start = number * 6.2
        document.add_paragraph(f"0:0:{start:.1f} --> 0:0:{start + 5.9:.1f}" if start + 5.9 < 60
                               else f"0:{int(start // 60)}:{start % 60:.1f} --> 0:{int((start + 5.9) // 60)}:{(start + 5.9) % 60:.1f}")
        document.add_paragraph(label)
        document.add_paragraph(text)
        document.add_paragraph("")
    return _docx_bytes(document)


def google_meet_docx(turns: Turns) -> bytes:
    document = docx.Document()
    document.add_heading("Parcel delivery interview - Transcript", level=1)
    document.add_paragraph("Attendees")
    document.add_paragraph(", ".join(dict.fromkeys(label for label, _ in turns)))
    document.add_heading("Transcript", level=2)
    document.add_paragraph("00:00:00")
    for index, (label, text) in enumerate(turns):
        if index == 4:
            document.add_paragraph("00:05:00")
        document.add_paragraph(f"{label}: {text}")
        document.add_paragraph("")
    document.add_paragraph("Meeting ended after 00:09:41 👋")
    document.add_paragraph("This editable transcript was computer generated and might contain errors. "
                           "People can also change the text after it was created.")
    return _docx_bytes(document)


def bold_docx(turns: Turns) -> bytes:
    document = docx.Document()
    document.add_heading("Library app focus group", level=0)
    for label, text in turns:
        first, *rest = text.split("\n")
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}:").bold = True
        paragraph.add_run(f" {first}")
        for line in rest:
            document.add_paragraph(line)
    return _docx_bytes(document)


def table_docx(turns: Turns) -> bytes:
    document = docx.Document()
    document.add_paragraph("Car sharing interview, 2 May")
    table = document.add_table(rows=len(turns) + 1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Speaker", "Text"
    for row, (label, text) in zip(table.rows[1:], turns, strict=True):
        row.cells[0].text, row.cells[1].text = label, text
    return _docx_bytes(document)


# ----------------------------------------------------------------------------- the corpus


def build() -> dict[str, str | bytes]:
    """Every file of the corpus (path relative to this folder -> content), and FILES filled."""
    FILES.clear()
    out: dict[str, str | bytes] = {}

    def add(name: str, content: str | bytes, fmt: str, turns: Turns, roles=None, people=None, text_of=None) -> None:
        out[f"transcripts/{name}"] = content
        _register(f"transcripts/{name}", fmt, turns, roles, people, text_of)

    call = spec.community_call()
    add("community_call.vtt", zoom_vtt(call), "vtt (Zoom)", call)
    zoom = spec.zoom_saved_transcript()
    add("maintainers_call.txt", zoom_txt(zoom), "txt (Zoom)", zoom)
    tomasz = {"Tomasz Wiśniewski": "P30"}
    add("otter_energy.txt", otter_txt(spec.OTTER, header=True), "txt (Otter.ai)", spec.OTTER, {"Kim Osei": spec.I}, tomasz)
    add("otter_groceries.txt", otter_txt(spec.OTTER_DIARISED, header=False), "txt (Otter.ai)", spec.OTTER_DIARISED,
        {"Speaker 1": spec.I})
    add("rev_doctor.txt", rev_txt(spec.REV), "txt (Rev)", spec.REV, {"Ravi Menon": spec.I})
    add("descript_budget.txt", descript_txt(spec.DESCRIPT), "txt (Descript)", spec.DESCRIPT, {"Moderator": spec.I})
    add("teams_shifts.vtt", teams_vtt(spec.TEAMS_VTT), "vtt (Microsoft Teams)", spec.TEAMS_VTT,
        {"Okafor, Chidi": spec.I}, text_of=_plain_text)
    add("teams_transit.docx", teams_docx(spec.TEAMS_DOCX), "docx (Microsoft Teams)", spec.TEAMS_DOCX, {"Ayşe Demir": spec.I})
    add("teams_bank_old.docx", teams_docx_old(spec.TEAMS_DOCX_OLD), "docx (Microsoft Teams)", spec.TEAMS_DOCX_OLD,
        {"Facilitator": spec.I})
    add("meet_parcels.docx", google_meet_docx(spec.GOOGLE_MEET), "docx (Google Meet)", spec.GOOGLE_MEET,
        {"Noor Al-Sayed": spec.I})
    add("meet_topup.sbv", sbv(spec.SBV), "sbv (YouTube / Google Meet captions)", spec.SBV, {"Interviewer": spec.I})
    for number, turns in enumerate(spec.AI_INTERVIEWS, start=1):
        content = plain_txt(turns, bold=number == 2)
        add(f"ai_pharmacy_{number:02d}.txt", content, "txt", turns, {"Assistant": spec.I})
    add("support_broadband.srt", srt(spec.SUPPORT_CALL), "srt", spec.SUPPORT_CALL, {"AGENT": spec.A}, {"CUSTOMER": "P35"})
    group_people = {f"Participant {n}": f"P{30 + n}" for n in range(1, 5)}
    add("group_trains.txt", plain_txt(spec.GROUP), "txt", spec.GROUP, {"Moderator 1": spec.I, "Moderator 2": spec.I},
        group_people)
    add("focus_library.docx", bold_docx(spec.FOCUS_GROUP), "docx", spec.FOCUS_GROUP,
        {"Kim Osei": spec.I, "Ravi Menon": spec.I})
    add("table_carshare.docx", table_docx(spec.TABLE), "docx", spec.TABLE, {"I": spec.I})
    add("parking.txt", plain_txt(spec.PLAIN), "txt", spec.PLAIN, {"Interviewer": spec.I})
    add("library_desk.txt", plain_txt(spec.PLAIN_REPEAT), "txt", spec.PLAIN_REPEAT, {"Interviewer": spec.I})
    add("otter_energy_followup.txt", plain_txt(spec.FOLLOWUP), "txt", spec.FOLLOWUP, {"Kim Osei": spec.I}, tomasz)
    add("rent_split.vtt", plain_vtt(spec.DIARISED_THREE), "vtt", spec.DIARISED_THREE, {"Speaker 2": spec.I})
    add("ci_chat.txt", chat_txt(spec.HANDLES_CHAT), "txt", spec.HANDLES_CHAT)
    add("trains_ru.txt", plain_txt(spec.CYRILLIC), "txt", spec.CYRILLIC, {"Интервьюер": spec.I})
    add("pension.srt", srt(spec.TWO_INTERVIEWERS), "srt", spec.TWO_INTERVIEWERS, {"KIM": spec.I, "RAVI": spec.I})

    names = ", ".join(f'"{name}"' for name in spec.INTERVIEWER_NAMES)
    out["study.toml"] = (
        "# The transcript corpus: interviews, calls and group sessions in many tools' layouts.\n"
        "[study]\nname = \"Transcript corpus\"\n\n[ingest]\n"
        f"interviewer_names = [{names}]\n\n[privacy]\nkeep_words = [\"Lumen\", \"Tessera\", \"Relay\", \"Arbor\", \"Nodewise\", \"Lighthouse\"]\n"
    )
    rows = ["participant_id,name,interview_file,speaker,segment",
            "P30,Tomasz Wiśniewski,transcripts/otter_energy.txt,,household",
            *[f"P{30 + n},,transcripts/group_trains.txt,Participant {n},commuter" for n in range(1, 5)],
            "P35,,transcripts/support_broadband.srt,,household"]
    out["participants.csv"] = "\n".join(rows) + "\n"
    out["expected.json"] = json.dumps(FILES, ensure_ascii=False, indent=1) + "\n"
    return out


def main() -> None:
    for relative, content in build().items():
        path = HERE / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    print(f"wrote {len(FILES)} transcripts to {HERE / 'transcripts'}")


if __name__ == "__main__":
    main()
