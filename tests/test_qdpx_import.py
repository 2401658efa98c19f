"""REFI-QDA both ways: projects of other tools (and our own exports) imported into a study and exported again.

The fixtures (``tests/qdpx_fixtures.py``) are hand-built from Project.xsd as MAXQDA-, NVivo- and
ATLAS.ti-style exports. An import maps sources, codebook, codings (exact character offsets), memos and Cases with
Variables into the study, reports what it cannot map, and an export writes every element back.
"""
from __future__ import annotations

import csv
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from coding_fixtures import make_study
from qdpx_fixtures import CLINIC, G, H, HOTEL, INTERVIEW_A, atlas_style_project, maxqda_style_project, nvivo_style_project

from workbench.coding.codebook import Code, Codebook
from workbench.coding.qda_archive import QdpxError, project_elements, read_qdpx
from workbench.coding.qdpx import export_qdpx, study_units
from workbench.coding.qdpx_import import import_qdpx
from workbench.coding.records import code_assignments, store_codebook, stored_codebook
from workbench.coding.spans import TurnIndex, TurnSpan, coded_spans, span_key
from workbench.storage.locations import store_url, study_key
from workbench.storage.store import Store


def _elements(path: Path) -> dict[str, set[tuple]]:
    archive = read_qdpx(path)
    return project_elements(archive.root, archive.texts)


def _store(study: Path) -> Store:
    return Store(store_url(study / ".workbench"))


def _coded_texts(study: Path) -> set[tuple[str, str, str]]:
    """(coder, code name, coded redacted text) of every coding in force in the study."""
    segments, passages = study_units(study)
    text = dict(zip(segments["segment_id"], segments["text_redacted"]))
    names = stored_codebook(_store(study), study_key(study)).names()
    spans, _ = coded_spans(_store(study), study_key(study), TurnIndex(passages, segments))
    return {(c.coder, names[c.code_id], text[c.span.segment_id][c.span.start:c.span.end]) for c in spans}


@pytest.fixture
def coded_study(tmp_path: Path) -> Path:
    """The tiny study coded by two coders: whole passages, a span across two passages, an interviewer's turn, memos."""
    study, results = make_study(tmp_path)
    store, key = Store(store_url(results)), study_key(study)
    store_codebook(store, key, Codebook([Code("money", "Money", codable=False, colour="#d97706"),
                                         Code("refunds", "Refunds", "Getting money back", parent="money"),
                                         Code("app", "App problems")]))
    store.record_coding(key, "dana", "s-i2-1", "refunds", segment_id="s-i2")
    store.record_coding(key, "lee", "s-i2-1", "refunds", segment_id="s-i2", char_start=26, char_end=72)  # runs into s-i2-2
    store.record_coding(key, "dana", "s-i3", "app", segment_id="s-i3", char_start=9, char_end=16)  # the interviewer's turn
    store.record_coding(key, "lee", "s-i4-1", "app", segment_id="s-i4")
    store.set_memo(key, "dana", "span", span_key(TurnSpan("s-i2", 26, 72)), "Seven weeks: the longest wait")
    store.set_memo(key, "lee", "code", "app", "Logins and crashes")
    store.set_memo(key, "dana", "study", key, "Refunds dominate")
    return study


def test_our_export_imported_into_a_fresh_study_exports_the_same_elements(coded_study: Path, tmp_path: Path) -> None:
    first = export_qdpx(coded_study, tmp_path / "first.qdpx").path
    imported = import_qdpx(first, tmp_path / "fresh")
    assert imported.n_codings == 4 and imported.n_memos == 3 and imported.n_codes == 3
    second = export_qdpx(tmp_path / "fresh", tmp_path / "second.qdpx").path
    before, after = _elements(first), _elements(second)
    for kind in before:
        assert after[kind] == before[kind], kind
    assert len(before["codings"]) == 4 and len(before["notes"]) == 3 and len(before["sources"]) == 3
    # the coded words are the same words in the fresh study
    assert ("lee", "Refunds", "The refund took seven weeks. I emailed [EMAIL]") in _coded_texts(tmp_path / "fresh")
    assert ("dana", "App problems", "the app") in _coded_texts(tmp_path / "fresh")


def test_a_maxqda_style_project_is_mapped_and_what_does_not_fit_is_reported(tmp_path: Path) -> None:
    study = tmp_path / "bank"
    imported = import_qdpx(maxqda_style_project(tmp_path), study)
    store, key = _store(study), study_key(study)

    book = stored_codebook(store, key)
    assert [(c.name, book.names().get(c.parent)) for _, c in book.walk()] == [
        ("Onboarding", None), ("App failures", "Onboarding"), ("Documents asked again", "Onboarding"),
        ("Card problems", None)]
    assert book.get("App failures").guid == G["app"] and book.get("App failures").colour == "#d62728"
    assert not book.get("Onboarding").codable

    coded = _coded_texts(study)
    assert coded == {
        ("Ingrid Nakamura", "App failures", "The app asked for my passport three times and then froze"),
        ("Tomás Ferreira", "App failures", "The app asked for my passport three times and then froze"),
        ("Ingrid Nakamura", "Documents asked again", "asked for my passport three times"),
        ("Tomás Ferreira", "Documents asked again", "a letter came asking for the same documents"),
        ("Tomás Ferreira", "Card problems", "The card arrived broken."),
    }
    memos = {(m.coder, m.target_kind, m.text) for m in store.memos(key)}
    assert ("Ingrid Nakamura", "code", "Only crashes, not slowness.") in memos
    assert ("Tomás Ferreira", "span", "Same loop as in R07's story.") in memos
    assert ("Ingrid Nakamura", "study", "Onboarding is the theme of the round.") in memos

    with open(study / "participants.csv", newline="", encoding="utf-8") as handle:
        rows = {row["participant_id"]: row for row in csv.DictReader(handle)}
    assert rows["R01"]["Segment"] == "student" and rows["R01"]["Age"] == "22" and rows["R01"]["Existing customer"] == "false"
    assert rows["R01"]["interview_file"] == "transcripts/Interview R01.txt" and rows["R02"]["Age"] == "51"
    assert (study / "transcripts" / "Interview R01.txt").read_text(encoding="utf-8") == INTERVIEW_A

    report = "\n".join(imported.not_mapped)
    for expected in ("PDFSource 'Branch leaflet'", "is not inside one turn", "which is not in the codebook",
                     "Set 'Key themes'", "Link 'causes'", "memo 'Free memo'"):
        assert expected in report, expected
    assert imported.n_sources == 2 and imported.n_cases == 2 and imported.n_variables == 4 and imported.n_sets == 1
    assert len(imported.not_mapped) == 6 and "6 elements not mapped (kept for export)" in imported.summary()


def test_a_foreign_project_exports_again_with_every_element(tmp_path: Path) -> None:
    original = maxqda_style_project(tmp_path)
    import_qdpx(original, tmp_path / "bank")
    again = export_qdpx(tmp_path / "bank", tmp_path / "again.qdpx").path
    before, after = _elements(original), _elements(again)
    for kind in before:
        assert after[kind] == before[kind], kind
    assert zipfile.ZipFile(again).read(f"sources/{G['pdf']}.pdf") == b"%PDF-1.4 not a real leaflet"


def test_coders_changes_after_an_import_are_in_the_export(tmp_path: Path) -> None:
    original = maxqda_style_project(tmp_path)
    study = tmp_path / "bank"
    import_qdpx(original, study)
    store, key = _store(study), study_key(study)
    segments, passages = study_units(study)
    index = TurnIndex(passages, segments)
    turn = segments[segments["text_redacted"].str.contains("a letter came", na=False)].iloc[0]
    start = turn["text_redacted"].index("the same documents")
    where = index.to_record(TurnSpan(turn["segment_id"], start, start + len("the same documents")))
    store.record_coding(key, "mika", where[0], "card-problems", segment_id=turn["segment_id"],
                        char_start=where[1], char_end=where[2])  # a new coder, a new coding
    gone = next(a for a in code_assignments(store, key).to_dict("records")
                if a["coder"] == "Ingrid Nakamura" and a["code_id"] == "documents-asked-again")
    store.record_coding(key, gone["coder"], gone["passage_id"], gone["code_id"], "remove",
                        char_start=gone["char_start"], char_end=gone["char_end"])  # a coding taken off
    archive = read_qdpx(export_qdpx(study, tmp_path / "changed.qdpx").path)
    before, after = _elements(original), project_elements(archive.root, archive.texts)
    assert before["codings"] - after["codings"] == {
        c for c in before["codings"] if c[1] == "c1000000-0000-4000-8000-000000000003"}
    new = after["codings"] - before["codings"]
    assert len(new) == 1
    selection = next(s for s in archive.root.iter("{urn:QDA-XML:project:1.0}PlainTextSelection")
                     if s.get("guid") == next(iter(new))[0])
    text = archive.texts[G["sa"]]
    assert text[int(selection.get("startPosition")):int(selection.get("endPosition"))] == "the same documents"
    assert "mika" in {u[1] for u in after["users"]}
    for kind in ("cases", "variables", "sets", "links", "sources", "notes"):
        assert after[kind] == before[kind], kind


def test_redaction_inside_a_coded_turn_moves_offsets_exactly(tmp_path: Path) -> None:
    original = nvivo_style_project(tmp_path)
    study = tmp_path / "clinic"
    imported = import_qdpx(original, study)
    assert imported.n_codings == 1 and imported.not_mapped == []
    assert _coded_texts(study) == {("Dr. Amara Osei", "Information gaps", "the nurse said nothing about side effects")}
    segments, _ = study_units(study)
    assert "lena.okafor@example.org" not in " ".join(segments["text_redacted"])  # the coder sees redacted text
    again = export_qdpx(study, tmp_path / "again.qdpx").path
    assert _elements(again) == _elements(original)
    assert read_qdpx(again).texts == {"{CCCCCCCC-0000-4000-8000-000000000001}": CLINIC}


def test_import_refuses_a_second_project_and_bad_files(tmp_path: Path) -> None:
    study = tmp_path / "clinic"
    import_qdpx(nvivo_style_project(tmp_path), study)
    with pytest.raises(QdpxError, match="already holds an imported project"):
        import_qdpx(nvivo_style_project(tmp_path), study)
    broken = tmp_path / "broken.qdpx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("readme.txt", "no project here")
    with pytest.raises(QdpxError, match=r"broken\.qdpx: no project\.qde inside"):
        import_qdpx(broken, tmp_path / "other")
    wrong = tmp_path / "wrong.qde"
    wrong.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>')
    with pytest.raises(QdpxError, match="not a REFI-QDA <Project>"):
        import_qdpx(wrong, tmp_path / "other")


def test_cli_import_then_export(tmp_path: Path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "workbench.cli", *args], capture_output=True, text=True, timeout=300)

    project = maxqda_style_project(tmp_path)
    result = cli("import-qdpx", str(project), "--study", str(tmp_path / "bank"))
    assert result.returncode == 0, result.stderr
    assert "Retail bank onboarding: 2 sources, 4 codes, 5 codings" in result.stdout
    assert "not mapped: PDFSource 'Branch leaflet'" in result.stdout
    result = cli("export-qdpx", str(tmp_path / "bank"), "--out", str(tmp_path / "back.qdpx"))
    assert result.returncode == 0, result.stderr
    assert _elements(tmp_path / "back.qdpx") == _elements(project)
    result = cli("import-qdpx", str(tmp_path / "nowhere.qdpx"), "--study", str(tmp_path / "x"))
    assert result.returncode == 2 and "no such project file" in result.stderr and "Traceback" not in result.stderr


def test_study_units_reads_an_imported_study_without_results(tmp_path: Path) -> None:
    import_qdpx(maxqda_style_project(tmp_path), tmp_path / "bank")
    segments, passages = study_units(tmp_path / "bank")
    assert "text" not in segments.columns and set(passages["segment_id"]) <= set(segments["segment_id"])
    assert isinstance(passages, pd.DataFrame) and len(passages) >= 3


def test_windows_line_breaks_inside_a_turn_keep_offsets_exact(tmp_path: Path) -> None:
    text = ("Interviewer: How was the call?\r\n\r\nCustomer: I waited on hold for an hour\r\n"
            "and then the line dropped before the refund was done.\r\n")
    sel = [("hold for an hour\r\nand then", "5e000000-0000-4000-8000-000000000001"),
           ("the refund was done", "5e000000-0000-4000-8000-000000000002")]
    selections = "".join(
        f'<PlainTextSelection guid="{guid}" startPosition="{text.index(p)}" endPosition="{text.index(p) + len(p)}">'
        f'<Coding guid="{guid[:-1]}9" creatingUser="0a000000-0000-4000-8000-0000000000aa">'
        '<CodeRef targetGUID="0c000000-0000-4000-8000-0000000000aa"/></Coding></PlainTextSelection>'
        for p, guid in sel)
    project = tmp_path / "crlf.qdpx"
    with zipfile.ZipFile(project, "w") as archive:
        archive.writestr("project.qde", (
            '<Project xmlns="urn:QDA-XML:project:1.0" name="Call centre">'
            '<Users><User guid="0a000000-0000-4000-8000-0000000000aa" name="Sipho"/></Users>'
            '<CodeBook><Codes><Code guid="0c000000-0000-4000-8000-0000000000aa" name="Waiting" isCodable="true"/>'
            '</Codes></CodeBook><Sources><TextSource guid="05000000-0000-4000-8000-0000000000aa" name="call 3" '
            f'plainTextPath="internal://c3.txt">{selections}</TextSource></Sources></Project>'))
        archive.writestr("sources/c3.txt", text.encode("utf-16"))  # a Windows tool's UTF-16 with BOM
    study = tmp_path / "calls"
    imported = import_qdpx(project, study)
    assert imported.n_codings == 2 and imported.not_mapped == []
    assert {t for _, _, t in _coded_texts(study)} == {"hold for an hour and then", "the refund was done"}
    # a new coding after the line break lands on the same characters of the source text
    segments, passages = study_units(study)
    turn = segments[segments["text_redacted"].str.contains("line dropped", na=False)].iloc[0]
    start = turn["text_redacted"].index("line dropped")
    where = TurnIndex(passages, segments).to_record(TurnSpan(turn["segment_id"], start, start + len("line dropped")))
    _store(study).record_coding(study_key(study), "Sipho", where[0], "waiting", segment_id=turn["segment_id"],
                                char_start=where[1], char_end=where[2])
    back = read_qdpx(export_qdpx(study, tmp_path / "back.qdpx").path)
    found = {back.texts["05000000-0000-4000-8000-0000000000aa"][int(s.get("startPosition")):int(s.get("endPosition"))]
             for s in back.root.iter("{urn:QDA-XML:project:1.0}PlainTextSelection")}
    assert found == {"hold for an hour\r\nand then", "the refund was done", "line dropped"}


def test_an_atlas_style_project_reports_every_element_it_cannot_map_and_exports_them_all(tmp_path: Path) -> None:
    """Source variables, whole-source codings, audio and picture selections, a case's codes, a Graph: kept, reported."""
    original = atlas_style_project(tmp_path)
    study = tmp_path / "hotel"
    imported = import_qdpx(original, study)
    assert _coded_texts(study) == {("Keanu Palakiko", "Waiting", "Check-in took forty minutes because the system was down.")}
    assert (study / "transcripts" / "G-114 interview.txt").read_text(encoding="utf-8") == HOTEL
    with open(study / "participants.csv", newline="", encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    assert (row["participant_id"], row["Stay nights"], row["Interviewed at"]) == ("G-114", "2.5", "2026-08-03T14:30:00Z")
    report = "\n".join(imported.not_mapped)
    for expected in ("variables of source 'G-114 interview.txt'", "1 codings of the whole source",
                     f"memo {H['srcmemo']} on the whole source", "AudioSource 'G-114 call'", "PictureSource 'Receipt'",
                     "case 'G-114': its codes and selections", "Graph 'Stay map'"):
        assert expected in report, (expected, report)
    again = export_qdpx(study, tmp_path / "again.qdpx").path
    before, after = _elements(original), _elements(again)
    for kind in before:
        assert after[kind] == before[kind], kind
    back = read_qdpx(again)
    assert back.root.findtext("{urn:QDA-XML:project:1.0}Description") == "Guest interviews, summer"
    assert zipfile.ZipFile(again).read(f"sources/{H['audio']}.m4a") == b"\x00\x00\x00\x18ftypM4A not a real call"
