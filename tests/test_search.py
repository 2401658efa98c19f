"""Search the evidence by meaning (issue 15, point 5): ``EvidenceSearch``, ``workbench search``, the search box state.

On the sample study the answer key says which theme each segment is about, so "refund took weeks"
must bring back refund-delay quotes, not just any quote with "weeks" in it. A small bank study
(another industry, other names, the static embedder) checks the general case: interviewer questions
never come back as evidence, ``workbench cluster`` results are searchable, a lost cache is refilled,
new results are picked up, and every bad input gets a message that says what to do.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from workbench.analysis.search import QUOTE_COLUMNS, EvidenceSearch, SearchError
from widgets.search.state import SearchState

ROOT = Path(__file__).resolve().parents[1]
ANSWER_KEY = ROOT / "interview_data" / "answer_key.csv"
INTERVIEWER_QUESTION = "Was your card ever blocked when you were abroad and you could not pay?"


def make_bank_study(root: Path) -> Path:
    """Two bank interviews (the interviewer's questions close in words to the searches) and 18 comments, 3 themes."""
    (root / "transcripts").mkdir(parents=True)
    (root / "feedback").mkdir()
    (root / "study.toml").write_text('[ingest]\ninterviewer_names = ["Noor Hassan"]\n'
                                     "[analysis.stability]\nseeds = 0\nresamples = 0\n", encoding="utf-8")
    (root / "transcripts" / "call_01.txt").write_text(
        f"Noor Hassan: {INTERVIEWER_QUESTION}\n"
        "Tomasz Wojcik: Yes, in Lisbon the card was declined at the hotel, the fraud team froze it and I had no way "
        "to pay.\n"
        "Noor Hassan: And the mortgage?\n"
        "Tomasz Wojcik: The mortgage application has been stuck for two months, nobody tells me what document is "
        "missing.\n", encoding="utf-8")
    (root / "transcripts" / "call_02.txt").write_text(
        "Noor Hassan: Tell me about the banking app and transfers that fail.\n"
        "Ayesha Raman: Transfers fail in the app with an error code, and the money leaves my account anyway.\n"
        "Noor Hassan: Anything else?\n"
        "Ayesha Raman: My debit card stopped working in Spain, the shop declined it twice and I had to borrow cash.\n",
        encoding="utf-8")
    comments = [
        "Card declined abroad, no warning from the bank", "Blocked my card while I was on holiday in Italy",
        "Fraud team froze my card overseas and I could not pay for dinner",
        "Card refused at a Paris hotel, had to call the bank for an hour",
        "Travel notice ignored, card still blocked in Greece", "Payments abroad keep getting declined",
        "Mortgage application taking months with no updates", "Still waiting for a mortgage decision after eight weeks",
        "They lost my payslips twice during the mortgage process", "Mortgage adviser never calls back",
        "Remortgage paperwork stuck for weeks", "Nobody can tell me the status of my home loan application",
        "Transfer failed in the app but the money was taken", "App shows an error on every payment to a new payee",
        "Sending money in the mobile app crashes", "Bank transfer stuck as pending for days in the app",
        "App logged me out during a transfer and it went through twice", "Cannot make payments in the app since the update",
    ]
    lines = ["id,comment"] + [f'c{i},"{text}"' for i, text in enumerate(comments, start=1)]
    (root / "feedback" / "comments.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def bank_study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bank study analysed once with the static embedder (its results in ``.workbench``)."""
    from workbench.study import run_analyze

    study = make_bank_study(tmp_path_factory.mktemp("bank") / "bank_study")
    run_analyze(study, study / ".workbench", embedder="static", seed=3, progress=False)
    return study


@pytest.fixture()
def bank_results(bank_study: Path, tmp_path: Path) -> Path:
    """A private copy of the bank study's results (the cache included), for tests that change them."""
    copy = tmp_path / "results"
    shutil.copytree(bank_study / ".workbench", copy)
    return copy


@pytest.fixture(scope="module")
def sample_search(sample_results: Path) -> EvidenceSearch:
    return EvidenceSearch(sample_results)


def _themes(quotes: pd.DataFrame) -> list[str | None]:
    """The answer-key theme of each quote's segment (turn for interviews, item id for feedback)."""
    key = pd.read_csv(ANSWER_KEY, dtype=str)
    theme = {(s, k): t for s, k, t in key[["source_id", "key", "theme"]].itertuples(index=False)}
    return [theme.get((row.source_id, str(row.item_id) if row.source_kind == "feedback" else str(row.turn)))
            for row in quotes.itertuples()]


# ------------------------------------------------------------------------------ the sample study


def test_refund_took_weeks_brings_back_the_refund_quotes(sample_search: EvidenceSearch) -> None:
    quotes = sample_search.query("refund took weeks", k=10)
    assert list(quotes.columns) == QUOTE_COLUMNS and len(quotes) == 10
    themes = _themes(quotes)
    assert themes.count("refund_delay") >= 8, list(zip(themes, quotes["quote"]))
    assert quotes["score"].is_monotonic_decreasing and quotes["rank"].tolist() == list(range(1, 11))
    assert quotes["source_id"].notna().all() and quotes["turn"].notna().all()
    interviews = quotes[quotes["source_kind"] == "interview"]
    assert interviews["participant_id"].str.fullmatch(r"P\d+").all()
    # every quote sits in a pain point, and most in the one about refunds
    assert quotes["painpoint_id"].notna().all()
    assert quotes["painpoint_id"].value_counts().iloc[0] >= 5


@pytest.mark.parametrize("question, theme", [
    ("the app crashed when I tried to log in", "app_login_crash"),
    ("I paid but never got a confirmation", "payment_no_confirmation"),
    ("stuck on hold, the phone menu kept looping", "ivr_hold_loop"),
])
def test_other_questions_find_their_theme(sample_search: EvidenceSearch, question: str, theme: str) -> None:
    themes = _themes(sample_search.query(question, k=10))
    assert themes.count(theme) >= 7, themes


def test_quotes_are_the_customers_redacted_words(sample_search: EvidenceSearch, sample_results: Path) -> None:
    from workshop_helpers import pii_pattern, pii_values

    segments = pd.read_parquet(sample_results / "segments.parquet", columns=["segment_id", "role", "text_redacted"])
    by_id = segments.set_index("segment_id")
    leaks = pii_pattern(pii_values())
    # the interviewers' own questions are close in words to these: they must never come back as evidence
    for question in ("Walk me through what happened after you paid", "How did that make you feel?", "refund"):
        for row in sample_search.query(question, k=15).itertuples():
            assert by_id.at[row.segment_id, "role"] == "customer"
            assert row.quote in by_id.at[row.segment_id, "text_redacted"]
            assert not leaks.search(row.quote), row.quote


def test_the_model_loads_once_and_a_repeated_question_needs_no_model_call(sample_search: EvidenceSearch) -> None:
    sample_search.query("refund took weeks")
    embedder = sample_search.embedder_
    calls = []
    original = embedder.encode
    embedder.encode = lambda texts: calls.append(list(texts)) or original(texts)  # count, still the real model
    try:
        first = sample_search.query("lost my loyalty points", k=5)
        again = sample_search.query("  lost my   loyalty points ", k=5)
    finally:
        del embedder.encode
    assert calls == [["lost my loyalty points"]] and sample_search.embedder_ is embedder
    assert first.equals(again)


def test_the_cli_prints_a_table_of_quotes(sample_study_copy: Path, sample_results: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "workbench.cli", "search", str(sample_study_copy),
                             "refund took weeks", "--k", "5", "--results", str(sample_results)],
                            capture_output=True, text=True, timeout=600, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["#", "score", "who", "where", "pain", "point"]
    assert _ranks(result.stdout) == ["1", "2", "3", "4", "5"]
    assert "refund" in result.stdout.lower() and ("transcripts/" in result.stdout or "feedback/" in result.stdout)
    assert "5 quotes nearest in meaning to “refund took weeks”" in result.stdout


# ------------------------------------------------------------------------------ another industry


def test_a_bank_study_finds_its_card_complaints_and_never_the_interviewer(bank_study: Path) -> None:
    search = EvidenceSearch(bank_study / ".workbench")
    quotes = search.query("card blocked abroad, could not pay", k=6)
    assert INTERVIEWER_QUESTION not in quotes["quote"].tolist()
    card_words = ("card", "abroad", "declined", "overseas", "blocked")
    assert sum(any(w in q.lower() for w in card_words) for q in quotes["quote"]) >= 5, quotes["quote"].tolist()
    assert search.info["units"] == 22 and search.info["embedded_now"] == 0  # every vector came from the cache
    top = quotes.iloc[0]
    assert top["label"] and top["painpoint_id"].startswith("PP")
    interview = quotes[quotes["source_kind"] == "interview"]
    assert set(interview["participant_id"]) <= {"P01", "P02"} and interview["turn"].isin([2, 4]).all()


def test_results_of_workbench_cluster_are_searchable(bank_study: Path, tmp_path: Path) -> None:
    from workbench.study import run_cluster

    out = tmp_path / "comments.workbench"
    run_cluster(bank_study / "feedback" / "comments.csv", out, embedder="static", seed=3)
    quotes = EvidenceSearch(out).query("mortgage decision is slow", k=4)
    assert all("mortgage" in q.lower() or "loan" in q.lower() or "remortgage" in q.lower() for q in quotes["quote"])
    assert quotes["item_id"].str.fullmatch(r"c\d+").all() and quotes["turn"].notna().all()
    assert quotes["painpoint_id"].notna().all()


def test_a_lost_cache_is_refilled_with_the_same_vectors(bank_study: Path, bank_results: Path) -> None:
    shutil.rmtree(bank_results / "cache")
    search = EvidenceSearch(bank_results)
    assert search.info["embedded_now"] == 22
    expected = EvidenceSearch(bank_study / ".workbench").query("transfer failed in the app", k=5)
    assert search.query("transfer failed in the app", k=5)[["passage_id", "score"]].equals(expected[["passage_id", "score"]])
    assert EvidenceSearch(bank_results).info["embedded_now"] == 0  # kept for next time


def test_a_new_analysis_is_picked_up_by_an_open_search(bank_results: Path) -> None:
    search = EvidenceSearch(bank_results)
    new_words = "The branch in Leeds closed without notice and the nearest one is an hour away"
    passages = pd.read_parquet(bank_results / "passages.parquet")
    passages.loc[0, "text"] = new_words
    passages.to_parquet(bank_results / "passages.parquet")
    manifest = json.loads((bank_results / "manifest.json").read_text(encoding="utf-8"))
    manifest["created_at"] = "2099-01-01T00:00:00+00:00"
    (bank_results / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert search.query("local branch shut down", k=1)["quote"].tolist() == [new_words]


# ------------------------------------------------------------------------------ what goes wrong


def test_no_results_yet_says_to_run_analyze(tmp_path: Path) -> None:
    with pytest.raises(SearchError, match=r"no analysis results yet; run `workbench analyze STUDY` first"):
        EvidenceSearch(tmp_path / "study" / ".workbench")


def test_the_embedder_with_the_recorded_model_id_is_used(bank_results: Path) -> None:
    """The manifest's name may build another model today (a new default); the recorded model id decides."""
    manifest = json.loads((bank_results / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["info"]["embedder"].startswith("static:")
    manifest["options"]["embedder"] = "minilm"
    (bank_results / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    search = EvidenceSearch(bank_results)
    assert search.embedder_.model_id == manifest["info"]["embedder"] and search.info["embedded_now"] == 0


def test_results_of_an_unknown_embedder_are_refused_by_name(bank_results: Path) -> None:
    manifest = json.loads((bank_results / "manifest.json").read_text(encoding="utf-8"))
    manifest["options"]["embedder"], manifest["info"]["embedder"] = "bert", "bert:base-uncased:v9"
    (bank_results / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(SearchError, match=r"manifest.json: these results were embedded with bert:base-uncased:v9, "
                                          r"which this workbench cannot build \(unknown embedder 'bert'.*\); "
                                          r"run `workbench analyze STUDY` again"):
        EvidenceSearch(bank_results)


def test_an_embedder_passed_in_must_be_the_recorded_one(bank_results: Path) -> None:
    from workbench.analysis.embedders import StaticEmbedder

    manifest = json.loads((bank_results / "manifest.json").read_text(encoding="utf-8"))
    manifest["info"]["embedder"] = "minilm:all-MiniLM-L6-v2:max_seq_256"
    (bank_results / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(SearchError, match=r"embedded with minilm:.*, but the search would embed questions with static:"):
        EvidenceSearch(bank_results, embedder=StaticEmbedder())


def test_a_damaged_table_is_named(bank_results: Path) -> None:
    (bank_results / "passages.parquet").write_bytes(b"not a parquet file")
    with pytest.raises(SearchError, match=r"passages.parquet: could not be read .*run `workbench analyze STUDY` again"):
        EvidenceSearch(bank_results)


@pytest.mark.parametrize("question, k, message", [
    ("", 10, "type a few words"), ("   \n", 10, "type a few words"), ("refund", 0, "k=0"),
    ("refund", True, "k=True"), ("refund", 2.5, "k=2.5"),
])
def test_bad_questions_say_what_to_pass(bank_study: Path, question: str, k: object, message: str) -> None:
    with pytest.raises(SearchError, match=message):
        EvidenceSearch(bank_study / ".workbench").query(question, k=k)  # type: ignore[arg-type]


def _ranks(output: str) -> list[str]:
    """The rank of each row of a printed table of quotes."""
    return [m.group(1) for m in re.finditer(r"^(\d+) +-?\d\.\d\d  ", output, re.MULTILINE)]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench.cli", "search", *args], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "HF_HUB_OFFLINE": "1"})


def test_cli_on_a_study_without_results_says_to_analyze_it(tmp_path: Path) -> None:
    study = make_bank_study(tmp_path / "new_study")
    result = _cli(str(study), "card declined")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"run `workbench analyze {study}` first" in result.stderr
    missing = _cli(str(tmp_path / "nowhere"), "card declined")
    assert missing.returncode == 2 and "no such study folder" in missing.stderr


def test_cli_says_when_the_study_changed_since_the_results(bank_study: Path, tmp_path: Path) -> None:
    study = tmp_path / "bank_study"
    shutil.copytree(bank_study, study)
    (study / "feedback" / "more.csv").write_text("id,comment\nm1,Card blocked again in Rome\n", encoding="utf-8")
    result = _cli(str(study), "card blocked abroad", "--k", "3")
    assert result.returncode == 0, result.stderr
    assert _ranks(result.stdout) == ["1", "2", "3"]
    assert "feedback/more.csv added" in result.stderr and f"workbench analyze {study}" in result.stderr
    empty_question = _cli(str(study), " ")
    assert empty_question.returncode == 2 and "type a few words to search for" in empty_question.stderr


# ------------------------------------------------------------------------------ the search box's state


def test_the_search_state_words_each_quote(bank_study: Path) -> None:
    state = SearchState(bank_study / ".workbench", k=4)
    assert state.searcher_ is None  # nothing is opened before the first question
    assert state.search("mortgage application stuck")
    assert len(state.quotes) == 4 and state.message == "4 quotes nearest in meaning to “mortgage application stuck”"
    assert all("mortgage" in q.text.lower() or "loan" in q.text.lower() for q in state.quotes[:3])
    feedback = [q for q in state.quotes if q.where.startswith("feedback/")]
    assert feedback and all(q.who.startswith("item c") and ", row " in q.where for q in feedback)
    assert all(q.painpoint.startswith("PP") for q in state.quotes)
    assert state.table()["who"].tolist() == [q.who for q in state.quotes]
    assert not state.search("") and state.quotes == [] and "Type a few words" in state.message


def test_a_published_app_says_search_is_not_there(sample_results: Path, tmp_path: Path) -> None:
    from workbench.workshop.bundle import publish_bundle

    bundle = publish_bundle(sample_results, tmp_path / "published").out_dir
    state = SearchState(bundle / "results")
    assert "not part of a published workshop app" in state.unavailable
    assert not state.search("refund took weeks") and state.message == state.unavailable


def test_the_facilitator_tab_searches(bank_study: Path, tmp_path: Path) -> None:
    from workbench.storage.store import sqlite_url
    from widgets.workshop.app import WorkshopApp
    from widgets.workshop.state import open_workshop

    state = open_workshop(bank_study / ".workbench", "s", sqlite_url(tmp_path / "store.sqlite"))
    app = WorkshopApp(state)
    assert app.search_box.widget in app.facilitator_tab.children
    app.search_box.question.value = "money left my account but the transfer failed"
    shown = app.search_box.results.value
    assert shown.count('class="wb-search-hit"') == len(state.search.quotes) == 10
    assert "transfer" in state.search.quotes[0].text.lower()
    assert "transcripts/call_02.txt, turn 2" in shown or "feedback/comments.csv, row 13" in shown


def test_the_workshop_app_starts_without_the_search_or_a_model(bank_study: Path, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from widgets.workshop.app import workshop_app\n"
        f"widget = workshop_app({str(bank_study / '.workbench')!r}, 's', 'sqlite:///{tmp_path / 'store.sqlite'}')\n"
        "assert hasattr(widget, 'workshop_app'), widget.value\n"
        "widget.workshop_app.stop()\n"
        "print(sorted(m for m in ('workbench.analysis.search', 'torch', 'sentence_transformers') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
