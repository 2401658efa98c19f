"""REFI-QDA export (.qdpx) and codebook exchange (.qdc), and the export-qdpx command."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from coding_fixtures import REAL_EMAIL, REAL_NAME, make_study

from workbench.coding.codebook import Code, Codebook, CodebookError
from workbench.coding.codebook_files import load_codebook
from workbench.coding.records import store_codebook
from workbench.coding.starter import starter_codebook
from workbench.coding.yaml_codebook import save_codebook
from workbench.coding.qdc import read_qdc, write_qdc
from workbench.coding.qdpx import export_qdpx, source_texts
from workbench.storage.store import Store
from workbench.storage.locations import store_url, study_key

NS = {"q": "urn:QDA-XML:project:1.0"}
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
#: the order REFI-QDA 1.0's Project.xsd requires for the children of <Project>
PROJECT_ORDER = ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets", "Graphs",
                 "Description", "NoteRef"]


def _local(tag: str) -> str:
    return tag.split("}", 1)[1]


@pytest.fixture
def coded_study(tmp_path: Path) -> tuple[Path, Path]:
    """The tiny study, coded by two coders, with memos on a passage, a code and the study."""
    study, results = make_study(tmp_path)
    store = Store(store_url(results))
    key = study_key(study)
    book = Codebook([
        Code("money", "Money", "Anything about money", codable=False, colour="#d97706"),
        Code("refunds", "Refunds", "Getting money back", parent="money"),
        Code("fees", "Fees", parent="money"),
        Code("app", "App problems", "The app fails"),
    ])
    store_codebook(store, key, book)
    store.record_coding(key, "dana", "s-i2-1", "refunds", segment_id="s-i2")
    store.record_coding(key, "lee", "s-i2-1", "refunds", segment_id="s-i2")
    store.record_coding(key, "dana", "s-i4-1", "app", segment_id="s-i4")
    store.record_coding(key, "dana", "s-f1-1", "fees", segment_id="s-f1", char_start=0, char_end=10)
    store.record_coding(key, "lee", "s-f2-1", "app", segment_id="s-f2")
    store.record_coding(key, "lee", "s-f2-1", "fees", segment_id="s-f2")
    store.record_coding(key, "lee", "s-f2-1", "fees", "remove", segment_id="s-f2")  # toggled off again
    store.set_memo(key, "dana", "passage", "s-i2-2", "E-mails unanswered: compare with P07")
    store.set_memo(key, "lee", "code", "fees", "Split fees from prices?")
    store.set_memo(key, "dana", "study", key, "Refunds dominate the interviews")
    return study, results


def _open(path: Path) -> tuple[zipfile.ZipFile, ET.Element]:
    archive = zipfile.ZipFile(path)
    return archive, ET.fromstring(archive.read("project.qde"))


def test_export_writes_a_refi_project_with_users_codes_sources_and_notes(coded_study, tmp_path: Path) -> None:
    study, results = coded_study
    written = export_qdpx(study, tmp_path / "skylark.qdpx")
    archive, root = _open(written.path)
    assert root.tag == "{urn:QDA-XML:project:1.0}Project"
    assert root.get("name") == "skylark" and root.get("origin", "").startswith("CX Workbench")
    order = [_local(child.tag) for child in root]
    assert order == sorted(order, key=PROJECT_ORDER.index)

    users = {u.get("name"): u.get("guid") for u in root.iterfind("q:Users/q:User", NS)}
    assert set(users) == {"dana", "lee"} and all(GUID.match(g) for g in users.values())

    top = root.findall("q:CodeBook/q:Codes/q:Code", NS)
    assert [c.get("name") for c in top] == ["Money", "App problems"]
    money = top[0]
    assert money.get("isCodable") == "false" and money.get("color") == "#d97706"
    assert [c.get("name") for c in money.findall("q:Code", NS)] == ["Refunds", "Fees"]  # nested children
    codes = {c.get("guid"): c.get("name") for c in root.iter("{urn:QDA-XML:project:1.0}Code")}
    assert all(GUID.match(g) for g in codes) and len(codes) == 4
    assert root.find(".//q:Code[@name='Refunds']/q:Description", NS).text == "Getting money back"

    sources = root.findall("q:Sources/q:TextSource", NS)
    assert [s.get("name") for s in sources] == ["app_store_reviews.csv", "interview_01.txt", "interview_02.txt"]
    for source in sources:
        assert source.get("plainTextPath") == f"internal://{source.get('guid')}.txt"
        assert f"sources/{source.get('guid')}.txt" in archive.namelist()

    notes = {n.find("q:PlainTextContent", NS).text for n in root.iterfind("q:Notes/q:Note", NS)}
    assert notes == {"E-mails unanswered: compare with P07", "Split fees from prices?", "Refunds dominate the interviews"}
    assert written.n_codings == 5 and written.n_coders == 2 and written.n_notes == 3


def test_selections_point_at_the_exact_passage_text(coded_study, tmp_path: Path) -> None:
    study, results = coded_study
    passages = pd.read_parquet(results / "passages.parquet").set_index("passage_id")["text"]
    archive, root = _open(export_qdpx(study, tmp_path / "out.qdpx").path)
    codes = {c.get("guid"): c.get("name") for c in root.iter("{urn:QDA-XML:project:1.0}Code")}
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    found = {}
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        text = archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
        for selection in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            passage_id = selection.get("name")
            piece = text[start:end]
            if passage_id == "s-f1-1" and end - start == 10:
                assert piece == passages[passage_id][:10] == "Change fee"  # a coded span
            else:
                assert piece == passages[passage_id], passage_id
            for coding in selection.iterfind("q:Coding", NS):
                found.setdefault(passage_id, set()).add(
                    (users[coding.get("creatingUser")], codes[coding.find("q:CodeRef", NS).get("targetGUID")]))
    assert found == {
        "s-i2-1": {("dana", "Refunds"), ("lee", "Refunds")},
        "s-i4-1": {("dana", "App problems")},
        "s-f1-1": {("dana", "Fees")},
        "s-f2-1": {("lee", "App problems")},  # "Fees" was toggled off
    }


def test_memo_on_a_passage_is_referenced_from_its_selection(coded_study, tmp_path: Path) -> None:
    study, _ = coded_study
    archive, root = _open(export_qdpx(study, tmp_path / "out.qdpx").path)
    notes = {n.get("guid"): n.find("q:PlainTextContent", NS).text for n in root.iterfind("q:Notes/q:Note", NS)}
    selection = root.find(".//q:PlainTextSelection[@name='s-i2-2']", NS)
    assert [notes[ref.get("targetGUID")] for ref in selection.iterfind("q:NoteRef", NS)] == [
        "E-mails unanswered: compare with P07"]
    code_ref = root.find(".//q:Code[@name='Fees']/q:NoteRef", NS)
    assert notes[code_ref.get("targetGUID")] == "Split fees from prices?"
    assert notes[root.find("q:NoteRef", NS).get("targetGUID")] == "Refunds dominate the interviews"


def test_only_redacted_text_is_exported(coded_study, tmp_path: Path) -> None:
    study, _ = coded_study
    archive, _ = _open(export_qdpx(study, tmp_path / "out.qdpx").path)
    everything = "".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    assert REAL_NAME not in everything and REAL_EMAIL not in everything
    assert "[EMAIL]" in everything


def test_sources_hold_turns_with_pseudonyms_and_feedback_items() -> None:
    from coding_fixtures import segments_frame

    texts = {s.source_id: s for s in source_texts(segments_frame())}
    interview = texts["transcripts/interview_01.txt"].text
    assert interview.startswith("Interviewer: Thanks P01.")
    assert "\n\nP01: The flight was cancelled." in interview
    feedback = texts["feedback/app_store_reviews.csv"].text
    assert feedback.startswith("[R-1 · Google Play · rating 1]\nChange fee")


def test_export_is_deterministic(coded_study, tmp_path: Path) -> None:
    study, _ = coded_study

    def guids(path: Path) -> list[str]:
        return [e.get("guid") for e in _open(path)[1].iter() if e.get("guid")]

    first = guids(export_qdpx(study, tmp_path / "a.qdpx").path)
    assert first == guids(export_qdpx(study, tmp_path / "b.qdpx").path)
    assert len(first) == len(set(first))


def test_export_without_coding_still_carries_the_sources(tmp_path: Path) -> None:
    study, _ = make_study(tmp_path)
    written = export_qdpx(study, tmp_path / "empty.qdpx")
    _, root = _open(written.path)
    assert root.find("q:CodeBook", NS) is None and root.find("q:Users", NS) is None
    assert len(root.findall("q:Sources/q:TextSource", NS)) == 3


def test_export_refuses_a_wrong_suffix_and_missing_results(tmp_path: Path) -> None:
    study, _ = make_study(tmp_path)
    with pytest.raises(Exception, match=r"ends in \.qdpx"):
        export_qdpx(study, tmp_path / "out.zip")
    with pytest.raises(Exception, match="no such results folder"):
        export_qdpx(study, tmp_path / "out.qdpx", results_dir=tmp_path / "nowhere")


# ------------------------------------------------------------------------------ .qdc codebooks


def test_qdc_round_trip_keeps_names_nesting_colours_descriptions_and_guids(tmp_path: Path) -> None:
    book = starter_codebook()
    first = read_qdc(write_qdc(book, tmp_path / "a.qdc"))
    assert [(c.name, c.description, c.colour, c.codable) for c in first] == [
        (c.name, c.description, c.colour, c.codable) for _, c in book.walk()]
    assert first.get("pricing").parent == first.get("CX elements").code_id
    second = read_qdc(write_qdc(first, tmp_path / "b.qdc"))
    assert [c.guid for c in second] == [c.guid for c in first]  # guids of another tool survive


def test_qdc_is_read_by_load_codebook_and_names_may_repeat(tmp_path: Path) -> None:
    path = tmp_path / "atlas.qdc"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="ATLAS.ti">'
        '<Codes><Code guid="11111111-1111-1111-1111-111111111111" name="Delays" isCodable="true">'
        '<Code guid="22222222-2222-2222-2222-222222222222" name="Other" isCodable="true"/></Code>'
        '<Code guid="33333333-3333-3333-3333-333333333333" name="Fees" isCodable="true">'
        '<Code guid="44444444-4444-4444-4444-444444444444" name="Other" isCodable="true"/></Code>'
        '</Codes></CodeBook>')
    book = load_codebook(path)
    others = [c for c in book if c.name == "Other"]
    assert [(c.code_id, c.parent) for c in others] == [("other", "delays"), ("other-2", "fees")]
    assert book.get("fees").guid == "33333333-3333-3333-3333-333333333333"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("not xml at all <", "not valid XML"),
        ('<Project xmlns="urn:other"/>', "not a REFI-QDA <CodeBook>"),
        ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="1" isCodable="true"/></Codes></CodeBook>',
         "a Code without name"),
        ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', "<Codes> is empty"),
    ],
)
def test_bad_qdc_files_name_the_file_and_the_problem(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "bad.qdc"
    path.write_text(content)
    with pytest.raises(CodebookError) as error:
        read_qdc(path)
    assert str(path) in str(error.value) and expected in str(error.value)


# ------------------------------------------------------------------------------ the command


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench.cli", *args], capture_output=True, text=True, timeout=300)


def test_cli_export_qdpx_on_the_sample_study(sample_study_copy: Path, sample_results: Path, tmp_path: Path) -> None:
    results = tmp_path / "results"  # a private copy: the shared results keep their store as it is
    shutil.copytree(sample_results, results, ignore=shutil.ignore_patterns("cache"))
    passages = pd.read_parquet(results / "passages.parquet")
    store = Store(store_url(results))
    key = study_key(sample_study_copy)
    picked = passages.iloc[[0, 5, len(passages) - 1]]  # interviews and feedback
    for row in picked.itertuples():
        store.record_coding(key, "dana", row.passage_id, "pricing", segment_id=row.segment_id)
    codebook = save_codebook(starter_codebook(), tmp_path / "codebook.yaml")
    out = tmp_path / "sample.qdpx"
    result = _cli("export-qdpx", str(sample_study_copy), "--results", str(results), "--out", str(out),
                  "--codebook", str(codebook))
    assert result.returncode == 0, result.stderr
    assert "Wrote" in result.stdout and "3 codings by 1 coder" in result.stdout
    archive, root = _open(out)
    assert len(root.findall("q:Sources/q:TextSource", NS)) == 21  # 18 interviews, 3 feedback exports
    texts = dict(zip(passages["passage_id"], passages["text"]))
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        text = archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
        for selection in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end] == texts[selection.get("name")]
    assert {s.get("name") for s in root.iter("{urn:QDA-XML:project:1.0}PlainTextSelection")} == set(picked["passage_id"])


def test_cli_export_qdpx_exits_2_with_one_line_on_a_missing_results_folder(tmp_path: Path) -> None:
    study = tmp_path / "study"
    study.mkdir()
    result = _cli("export-qdpx", str(study), "--out", str(tmp_path / "x.qdpx"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "no such results folder" in result.stderr
    assert not (study / ".workbench").exists()  # nothing was created on the way


def test_cli_export_qdpx_exits_2_on_a_bad_out_name_and_a_missing_study(tmp_path: Path) -> None:
    study, _ = make_study(tmp_path)
    result = _cli("export-qdpx", str(study), "--out", str(tmp_path / "x.zip"))
    assert result.returncode == 2 and "ends in .qdpx" in result.stderr
    result = _cli("export-qdpx", str(tmp_path / "nowhere"), "--out", str(tmp_path / "x.qdpx"))
    assert result.returncode == 2 and "no such study folder" in result.stderr
