"""Speakers as they appear: handles, pipes, brackets, emoji and any script; a colon in a sentence is text.

The readers (``.txt``, ``.vtt``/``.srt``/``.sbv``, ``.docx``) and the label rules of
``workbench.ingest.speakers``; whole vendor layouts are checked by ``test_ingest_corpus.py``.
"""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from workbench.ingest.base import FileReport, Turn, merge_consecutive_turns
from workbench.ingest.docx import read_docx_transcript
from workbench.ingest.speakers import accepted_labels, find_label_candidate, is_speaker_label, label_strength
from workbench.ingest.subtitles import read_subtitles
from workbench.ingest.transcripts import read_txt_transcript
from workbench.ingest.vendors import text_tool, tool_notice

DISPLAY_NAMES = ["jochem-brouwer", "danceratopz", "pk910", "CPerezz", "Saulius Grigaitis | Grandine",
                 "Daniel Lehrner (Besu)", "Иван Петров", "李明", "محمد علي", "🦄 Ana", "@maria", "Okafor, Chidi"]


def _read(tmp_path: Path, name: str, content: str) -> tuple[list[Turn], FileReport]:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    report = FileReport(name, "interview", name.rsplit(".", 1)[-1])
    reader = read_txt_transcript if name.endswith(".txt") else read_subtitles
    return merge_consecutive_turns(reader(path, report)), report


@pytest.mark.parametrize("label", DISPLAY_NAMES)
def test_display_names_are_speaker_labels(label: str) -> None:
    assert label_strength(label) is not None
    candidate = find_label_candidate(f"{label}: I agree with the plan.")
    assert candidate is not None and candidate.line.speaker == label and candidate.line.text == "I agree with the plan."


@pytest.mark.parametrize(
    "line",
    ["Note: the app crashed", "at 10:30 we met", "See https://example.com: it failed", "so I said: no",
     "Also why not: because", "What did you think: good?", "12 March 2025, 14:02", "Update: fixed"],
)
def test_a_colon_in_a_sentence_is_no_label(line: str) -> None:
    candidate = find_label_candidate(line)
    assert candidate is None or not is_speaker_label(candidate.line.speaker) and candidate.strength == "weak"


def test_cast_takes_handles_that_recur_or_fill_the_file_and_leaves_prose() -> None:
    lines = ["owlbyte: the build failed", "kx512: disk full", "owlbyte: again?", "tomas-vidal: I'll split it",
             "john smith: hello", "kx512: thanks"]
    found = [c for c in (find_label_candidate(line) for line in lines) if c is not None]
    assert accepted_labels(found, units=len(lines)) == {"owlbyte", "kx512", "tomas-vidal"}
    # in prose, a one-off lower-case prefix is not a speaker
    prose = ["Maria: The form was long.", "It asked for my id twice", "john smith: was on the form", "Maria: Anyway."]
    found = [c for c in (find_label_candidate(line) for line in prose) if c is not None]
    assert "john smith" not in accepted_labels(found, units=30)


def test_zoom_vtt_with_handles_and_odd_names_gives_every_speaker(tmp_path: Path) -> None:
    cues = ["WEBVTT", ""]
    people = [*DISPLAY_NAMES[:9], "danceratopz"]
    for number, label in enumerate(people, start=1):
        cues += [str(number), f"00:00:{number:02d}.000 --> 00:00:{number:02d}.900", f"{label}: Point number {number}.", ""]
    turns, report = _read(tmp_path, "call.vtt", "\n".join(cues))
    assert [t.speaker for t in turns] == people
    assert [t.text for t in turns] == [f"Point number {n}." for n in range(1, len(people) + 1)]
    assert report.tool == "Zoom"


def test_captions_without_speakers_keep_their_colons_as_text(tmp_path: Path) -> None:
    content = ("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nand then she said: wait for it\n\n"
               "00:00:03.000 --> 00:00:05.000\nthe train left at 10:30 sharp\n\n"
               "00:00:05.000 --> 00:00:07.000\nso the answer was: no\n")
    turns, report = _read(tmp_path, "talk.vtt", content)
    assert [t.speaker for t in turns] == [None]
    assert turns[0].text == "and then she said: wait for it the train left at 10:30 sharp so the answer was: no"
    assert report.tool is None


def test_txt_with_handles_keeps_one_off_speakers_and_notes(tmp_path: Path) -> None:
    content = ("owlbyte: morning all, the nightly failed\n"
               "kx512: the runner ran out of disk\n"
               "owlbyte: still fails\nso basically: the disk fills up\n"
               "pk-atlas: I'll split the job\nnote: it needs a shared cache\n"
               "kx512: thanks\n")
    turns, _ = _read(tmp_path, "chat.txt", content)
    assert [(t.speaker, t.text) for t in turns] == [
        ("owlbyte", "morning all, the nightly failed"),
        ("kx512", "the runner ran out of disk"),
        ("owlbyte", "still fails so basically: the disk fills up"),
        ("pk-atlas", "I'll split the job note: it needs a shared cache"),
        ("kx512", "thanks"),
    ]


def test_txt_one_off_label_of_a_plain_word_is_text_but_numbered_labels_are_speakers(tmp_path: Path) -> None:
    content = ("Moderator 1: How do you book?\nParticipant 1: The app.\nModerator 1: And you?\n"
               "Participant 1: Also the app and\nAlso: the website.\nModerator 2: Why?\nParticipant 1: Habit.\n")
    turns, report = _read(tmp_path, "group.txt", content)
    assert [t.speaker for t in turns] == ["Moderator 1", "Participant 1", "Moderator 1", "Participant 1",
                                          "Moderator 2", "Participant 1"]
    assert turns[3].text == "Also the app and Also: the website."
    assert any("'Also:' read as part of the text above" in note for note in report.notes)


def test_markdown_bold_labels_and_fullwidth_colon(tmp_path: Path) -> None:
    content = "**Assistant:** How do you order?\n**User**: Online.\n李明：用手机。\nAssistant: Why?\n李明：很方便。\n"
    turns, _ = _read(tmp_path, "ai.txt", content)
    assert [(t.speaker, t.text) for t in turns] == [("Assistant", "How do you order?"), ("User", "Online."),
                                                    ("李明", "用手机。"), ("Assistant", "Why?"), ("李明", "很方便。")]


@pytest.mark.parametrize(
    ("lines", "tool"),
    [
        (["[Ana Souza] 10:02:03", "Hello.", "[pk910] 10:02:09", "Hi."], "Zoom"),
        (["Speaker 1 (00:00:05):", "Hello.", "Speaker 2 (00:00:09):", "Hi."], "Rev"),
        (["Ana Souza  0:03", "Hello.", "pk910  0:09", "Hi."], "Otter.ai"),
        (["[00:00:12] Ana Souza: Hello.", "[00:00:20] pk910: Hi."], "Descript"),
        (["Ana: Hello.", "Bo: Hi."], None),
    ],
)
def test_text_tools_are_named(lines: list[str], tool: str | None) -> None:
    assert text_tool(lines) == tool


def test_tool_notices_are_skipped_not_glued(tmp_path: Path) -> None:
    content = ("Ana Souza  0:03\nHow was the delivery?\n\nbo_k  0:09\nLate, again.\n\n"
               "Transcribed by https://otter.ai\n")
    turns, report = _read(tmp_path, "otter.txt", content)
    assert [(t.speaker, t.text, t.start_s) for t in turns] == [
        ("Ana Souza", "How was the delivery?", 3.0), ("bo_k", "Late, again.", 9.0)]
    assert [(s.location, s.reason) for s in report.skipped] == [("line 7", "Otter.ai notice, not speech")]
    assert tool_notice("Ana Souza started transcription") == "Microsoft Teams"


def test_teams_docx_layouts_and_google_meet_time_marks(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Ana Souza   started transcription")
    for label, time, text in [("Ana Souza", "0:03", "How did you pay?"), ("Okafor, Chidi", "0:11", "By card.")]:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}   {time}")
        paragraph.add_run().add_break()
        paragraph.add_run(text)
    document.add_paragraph("00:05:00")
    paragraph = document.add_paragraph()
    paragraph.add_run("pk910:").bold = True
    paragraph.add_run(" Me too.")
    path = tmp_path / "teams.docx"
    document.save(path)
    report = FileReport("teams.docx", "interview", "docx")
    turns = read_docx_transcript(path, report)
    assert [(t.speaker, t.text, t.start_s) for t in turns] == [
        ("Ana Souza", "How did you pay?", 3.0), ("Okafor, Chidi", "By card.", 11.0), ("pk910", "Me too.", None)]
    assert report.tool == "Microsoft Teams"
    assert any("only a time" in note for note in report.notes)
    assert report.skipped[0].reason == "Microsoft Teams notice, not speech"
