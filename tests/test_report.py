"""The shareable report: escaping, self-containment, privacy, formats, CLI."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from workbench.errors import WorkbenchError
from workbench.share.loading import load_results
from workbench.share.report import render_html, render_markdown, render_pdf, write_report
from workbench.share.text import escape_markdown


SCRIPT = "<script>alert(1)</script>"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?:\+\d{1,3}[\s-]?)?\(?\d{2,4}\)?[\s-]\d{3,4}[\s-]\d{3,4}")
PERSONA_NAMES = ("Time-pressed Road Warrior", "Careful Family Planner")
STAGES = ("consideration", "purchase/booking", "support")


def make_results(folder: Path, n_participants: int = 8, personas: bool = True, journey: bool = True) -> Path:
    """A tiny results folder as ``workbench analyze`` writes it, with a planted raw ``text`` column."""
    folder.mkdir(parents=True, exist_ok=True)
    pids = [f"P{i:02d}" for i in range(1, n_participants + 1)]
    segments = []
    for i, pid in enumerate(pids):
        segments.append({
            "segment_id": f"s-int{i}", "source_id": f"transcripts/interview_{i + 1:02d}.txt", "source_kind": "interview",
            "participant_id": pid, "speaker": pid, "role": "customer", "channel": "interview",
            # the raw text holds personal data: the report must never show it
            "text": f"Call me on +44 20 7946 0958 or write to maria.lopez{i}@example.com, I was charged twice.",
            "text_redacted": "Call me on [PHONE] or write to [EMAIL], I was charged twice.",
        })
    for j in range(4):
        segments.append({
            "segment_id": f"s-fb{j}", "source_id": "feedback/app_store_reviews.csv", "source_kind": "feedback",
            "participant_id": None, "speaker": None, "role": "customer", "channel": "App Store",
            "text": f"Refund still missing, ring (415) 555-0132 or jo{j}@mail.test",
            "text_redacted": "Refund still missing, ring [PHONE] or [EMAIL]",
        })
    segments_frame = pd.DataFrame(segments)
    segments_frame.to_parquet(folder / "segments.parquet", index=False)
    pd.DataFrame({"participant_id": pids, "segment": ["business", "family"] * (n_participants // 2)
                  + ["student"] * (n_participants % 2)}).to_parquet(folder / "participants.parquet", index=False)

    painpoints = pd.DataFrame([
        {"painpoint_id": "PP01", "label": "Charged but no confirmation", "keywords": ["charged", "confirmation"],
         "n_segments": 6, "n_participants": 5, "share_participants": 5 / n_participants, "sentiment_mean": -0.62,
         "severity": 84.0, "dimension": "reliability", "touchpoint": "website", "stage": "purchase/booking",
         "quotes": ["s-int0", "s-fb0"],
         "quote_texts": [f"They took the money and then nothing. {SCRIPT}", "Charged twice | no e-ticket"],
         "kind": "pain", "n_units": 9, "n_feedback_items": 2, "reach": 0.6, "intensity": 0.7, "frequency": 0.3,
         "rank": 1},
        {"painpoint_id": "PP02", "label": "Refunds take weeks", "keywords": ["refund", "voucher"],
         "n_segments": 4, "n_participants": 3, "share_participants": 3 / n_participants, "sentiment_mean": -0.41,
         "severity": 63.5, "dimension": "customer service", "touchpoint": "call centre", "stage": "support",
         "quotes": ["s-int1", "s-fb1"], "quote_texts": ["# Six weeks and `still` no refund.", "Refund still missing"],
         "kind": "pain", "n_units": 6, "n_feedback_items": 1, "reach": 0.4, "intensity": 0.6, "frequency": 0.2,
         "rank": 2},
        {"painpoint_id": "PP03", "label": "Helpful desk staff", "keywords": ["desk", "helpful"],
         "n_segments": 3, "n_participants": 3, "share_participants": 3 / n_participants, "sentiment_mean": 0.55,
         "severity": 22.0, "dimension": "staff", "touchpoint": "store / in person", "stage": "use",
         "quotes": ["s-int2"], "quote_texts": ["The lady at the desk sorted it in two minutes."],
         "kind": "delight", "n_units": 3, "n_feedback_items": 0, "reach": 0.3, "intensity": 0.0, "frequency": 0.1,
         "rank": 3},
        {"painpoint_id": "other", "label": "Other", "keywords": [], "n_segments": 1, "n_participants": 1,
         "share_participants": 1 / n_participants, "sentiment_mean": 0.0, "severity": 0.0, "dimension": None,
         "touchpoint": "website", "stage": None, "quotes": ["s-int3"], "quote_texts": ["Nothing else."],
         "kind": "other", "n_units": 1, "n_feedback_items": 0, "reach": 0.1, "intensity": 0.0, "frequency": 0.05,
         "rank": 4},
    ])
    painpoints.to_parquet(folder / "painpoints.parquet", index=False)

    passages, assignments = [], []
    plan = [("PP01", "s-int0", "P01", -0.7, "pain"), ("PP01", "s-int1", "P02", -0.5, "pain"),
            ("PP01", "s-fb0", None, -0.8, "pain"),
            ("PP02", "s-int1", "P02", -0.4, "pain"), ("PP02", "s-fb1", None, -0.3, "pain"),
            ("PP03", "s-int2", "P03", 0.6, "delight"), ("other", "s-int3", "P04", 0.0, "neutral")]
    stage_of = {"PP01": "purchase/booking", "PP02": "support", "PP03": "use", "other": None}
    for k, (pp, seg, pid, sentiment, moment) in enumerate(plan):
        passages.append({"passage_id": f"{seg}-{k}", "segment_id": seg, "text": "redacted unit text",
                         "participant_id": pid, "source_kind": "feedback" if pid is None else "interview",
                         "sentiment": sentiment, "moment": moment, "touchpoint": "website", "stage": stage_of[pp]})
        assignments.append({"passage_id": f"{seg}-{k}", "segment_id": seg, "painpoint_id": pp, "probability": 0.9,
                            "sentiment": sentiment, "moment": moment})
    pd.DataFrame(passages).to_parquet(folder / "passages.parquet", index=False)
    pd.DataFrame(assignments).to_parquet(folder / "assignments.parquet", index=False)

    if personas:
        pd.DataFrame([
            {"persona_id": "persona-1", "name": PERSONA_NAMES[0], "summary": "Books on the go, hates waiting.",
             "size": 4, "share": 0.5, "attributes": json.dumps({"segment": "business", "loyalty tier": "Gold"}),
             "goals": ["Book in under two minutes"], "frustrations": ["PP01"],
             "touchpoints": json.dumps({"preferred": ["mobile app"], "avoided": ["phone and IVR"]}),
             "quotes": [f"I just want the ticket. {SCRIPT}"], "design_for": "Instant confirmation on every channel.",
             "members": pids[: n_participants // 2]},
            {"persona_id": "persona-2", "name": PERSONA_NAMES[1], "summary": "Plans weeks ahead for four people.",
             "size": 4, "share": 0.5, "attributes": json.dumps({"segment": "family"}), "goals": ["No surprises"],
             "frustrations": ["Refunds take weeks"], "touchpoints": json.dumps({"preferred": ["website"]}),
             "quotes": ["Vouchers are no use to us."], "design_for": "Clear refunds in cash.",
             "members": pids[n_participants // 2:]},
        ]).to_parquet(folder / "personas.parquet", index=False)
    if journey:
        pd.DataFrame([
            {"stage": "purchase/booking", "touchpoint": "website", "n_segments": 5, "n_units": 7, "sentiment_mean": -0.5,
             "top_painpoint": "PP01", "top_painpoint_label": "Charged but no confirmation", "pain_share": 0.8},
            {"stage": "support", "touchpoint": "call centre", "n_segments": 4, "n_units": 6, "sentiment_mean": -0.4,
             "top_painpoint": "PP02", "top_painpoint_label": "Refunds take weeks", "pain_share": 0.7},
            {"stage": "use", "touchpoint": "store / in person", "n_segments": 3, "n_units": 3, "sentiment_mean": 0.5,
             "top_painpoint": "PP03", "top_painpoint_label": "Helpful desk staff", "pain_share": 0.0},
        ]).to_parquet(folder / "journey.parquet", index=False)
    manifest = {"created_at": "2026-10-01T09:00:00+00:00", "study": "tiny_study", "options": {"embedder": "static",
                "seed": 42}, "counts": {"segments": len(segments), "passages": 19, "painpoints": 3},
                "packages": {"pandas": "2.2.0", "numpy": "2.0.0"}, "python": "3.11.9",
                "info": {"embedder": "static:wordllama", "seed": 42, "timings_s": {"total": 1.2}}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


@pytest.fixture
def results_dir(tmp_path: Path) -> Path:
    return make_results(tmp_path / "study" / ".workbench")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def test_customer_script_is_escaped_text_in_html(results_dir: Path) -> None:
    page = render_html(load_results(results_dir))
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    collector = _Collector()
    collector.feed(page)
    assert "script" not in collector.tags
    assert not any(name.startswith("on") for name, _ in collector.attributes)


def test_html_is_self_contained(results_dir: Path) -> None:
    page = render_html(load_results(results_dir))
    collector = _Collector()
    collector.feed(page)
    for name, value in collector.attributes:
        assert "http://" not in value and "https://" not in value, (name, value)
        if name in ("src", "href"):
            assert value.startswith("#"), (name, value)
    css = "\n".join(collector.styles) + "\n".join(v for n, v in collector.attributes if n == "style")
    assert "@import" not in css and "url(" not in css and "@font-face" not in css
    assert "http://" not in page and "https://" not in page
    assert {"link", "img", "iframe", "object"}.isdisjoint(collector.tags)


def test_html_has_every_section_from_data(results_dir: Path) -> None:
    page = render_html(load_results(results_dir))
    for heading in ("Executive summary", "Pain points, ranked by severity", "Personas", "Journey map",
                    "Method and reproducibility"):
        assert heading in page
    assert "raised by 5 of 8 interviewees and 1 feedback item" in page
    assert "P01, interview" in page and "App Store review" in page
    assert PERSONA_NAMES[0] in page and "Instant confirmation on every channel." in page
    assert "The purchase/booking stage scores lowest" in page  # the worst stage, from the journey table
    assert "1 of 7 passages (14.3%)" in page  # the Other bucket
    assert "static:wordllama" in page and "<svg" in page
    # ranked order: PP01 before PP02 before PP03
    assert page.index("Charged but no confirmation") < page.index("Refunds take weeks") < page.index("Helpful desk")


def test_markdown_ranks_and_escapes(results_dir: Path) -> None:
    text = render_markdown(load_results(results_dir))
    headings = re.findall(r"^### (\d+)\. (.+)$", text, flags=re.MULTILINE)
    # pain points ranked; the delight is listed apart, first under "What works"
    assert headings[:3] == [("1", "Charged but no confirmation"), ("2", "Refunds take weeks"),
                            ("1", "Helpful desk staff")]
    assert text.index("## Pain points") < text.index("## What works") < text.index("### 1. Helpful desk staff")
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "Charged twice \\| no e-ticket" in text  # a pipe cannot break a table
    assert "\\# Six weeks and \\`still\\` no refund." in text  # no heading, no code span
    assert not re.search(r"^#\s*Six", text, flags=re.MULTILINE)
    table_rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert table_rows and all(line.rstrip().endswith("|") for line in table_rows)


def test_escape_markdown_neutralises_markup() -> None:
    assert escape_markdown("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    assert escape_markdown("a\n\n# b") == "a \\# b"
    assert escape_markdown("[x](javascript:y)") == "\\[x\\](javascript:y)"


def test_pdf_has_personas_and_top_painpoint(results_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    pages = render_pdf(load_results(results_dir), target)
    assert target.read_bytes().startswith(b"%PDF-")
    assert pages >= 4  # cover, pain points, personas, journey, method each start a page
    text = _pdf_text(target)
    flat = re.sub(r"\s+", " ", text)
    for name in PERSONA_NAMES:
        assert name in flat
    assert "Charged but no confirmation" in flat


def test_no_personal_data_in_any_format_even_with_raw_text_present(results_dir: Path, tmp_path: Path) -> None:
    raw = pd.read_parquet(results_dir / "segments.parquet")["text"]
    assert raw.str.contains(EMAIL).all()  # the planted raw column does hold personal data
    results = load_results(results_dir)
    assert "text" not in results.segments.columns
    outputs = {"html": render_html(results), "md": render_markdown(results)}
    render_pdf(results, tmp_path / "r.pdf")
    outputs["pdf"] = _pdf_text(tmp_path / "r.pdf")
    for kind, text in outputs.items():
        assert not EMAIL.search(text), (kind, EMAIL.search(text))
        assert not PHONE.search(text), (kind, PHONE.search(text))
        assert "7946" not in text and "555-0132" not in text and "maria.lopez" not in text


def test_missing_painpoints_says_run_analyze(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match=r"painpoints\.parquet.*run `workbench analyze STUDY` first"):
        load_results(tmp_path)
    with pytest.raises(WorkbenchError, match="run `workbench analyze STUDY` first"):
        load_results(tmp_path / "nowhere")


def test_small_study_report_says_no_personas(tmp_path: Path) -> None:
    folder = make_results(tmp_path / "small" / ".workbench", n_participants=4, personas=False, journey=False)
    results = load_results(folder)
    for text in (render_html(results), render_markdown(results)):
        assert "This study has 4 interviewees; personas need at least 6, so none were built." in text
        assert "Charged but no confirmation" in text
        assert "Journey map" in text  # the journey is still drawn from the passages


def test_optional_tables_missing_still_render(tmp_path: Path) -> None:
    folder = make_results(tmp_path / "bare", personas=False, journey=False)
    for name in ("segments", "participants", "passages", "assignments"):
        (folder / f"{name}.parquet").unlink()
    (folder / "manifest.json").unlink()
    results = load_results(folder)
    for text in (render_html(results), render_markdown(results)):
        assert "Charged but no confirmation" in text
        assert "no interviewees" in text  # without participants and segments nobody is known
        assert "The journey map is not available in these results" in text
        assert "&lt;script&gt;" in text


def test_write_report_by_suffix(results_dir: Path, tmp_path: Path) -> None:
    for suffix, start in ((".html", "<!DOCTYPE html>"), (".md", "# ")):
        written = write_report(results_dir, tmp_path / f"r{suffix}")
        assert written.path.read_text(encoding="utf-8").startswith(start)
        assert written.size_bytes == written.path.stat().st_size
    with pytest.raises(WorkbenchError, match="use .html, .md or .pdf"):
        write_report(results_dir, tmp_path / "r.docx")
    assert not (tmp_path / "r.docx").exists()


def test_study_name_comes_from_study_toml(results_dir: Path) -> None:
    (results_dir.parent / "study.toml").write_text('[study]\nname = "Tiny & <Co> study"\n')
    page = render_html(load_results(results_dir))
    assert "<h1>Tiny &amp; &lt;Co&gt; study</h1>" in page


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench.cli", *args], capture_output=True, text=True, timeout=300)


def test_cli_report_writes_each_format(results_dir: Path, tmp_path: Path) -> None:
    study = results_dir.parent
    for suffix in (".html", ".md", ".pdf"):
        out = tmp_path / f"cli{suffix}"
        result = run_cli("report", str(study), "--out", str(out))
        assert result.returncode == 0, result.stderr
        assert out.exists() and str(out) in result.stdout
    assert re.search(r"\d+ pages", result.stdout)


def test_cli_report_bad_input_exits_2(results_dir: Path, tmp_path: Path) -> None:
    result = run_cli("report", str(results_dir.parent), "--out", str(tmp_path / "r.txt"))
    assert result.returncode == 2 and "use .html, .md or .pdf" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    result = run_cli("report", str(tmp_path / "empty"), "--out", str(tmp_path / "r.html"))
    assert result.returncode == 2 and "run `workbench analyze STUDY` first" in result.stderr


def test_sample_study_report(sample_results: Path, tmp_path: Path) -> None:
    results = load_results(sample_results)
    page = render_html(results)
    top = results.painpoints.iloc[0]["label"]
    assert str(escape_html(top)) in page
    assert "http://" not in page and "https://" not in page
    text = render_markdown(results)
    assert not EMAIL.search(page) and not EMAIL.search(text)
    ledger = pd.read_csv(sample_results.parent / "pii_ledger.csv")
    personal = ledger[ledger["kind"].isin(["email", "phone", "card", "iban", "booking_ref", "address"])]["value"].astype(str)
    for value in personal:
        assert value not in page and value not in text, value


def escape_html(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


# ------------------------------------------------------------------ evidence: stability, saturation, impact (issue 9)


def _add_evidence(folder: Path, verdict: str = "Interview 8 (P08) still added 1 new pain point: not saturated yet.",
                  label: str = "Charged but no confirmation") -> Path:
    """The evidence tables ``workbench analyze`` writes, for the tiny results of :func:`make_results`."""
    pd.DataFrame([
        {"painpoint_id": "PP01", "label": label, "stability": 0.91, "stable": True, "unstable": False, "runs": 10, "found_in": 10},
        {"painpoint_id": "PP02", "label": "Refunds take weeks", "stability": 0.38, "stable": False, "unstable": True,
         "runs": 10, "found_in": 3},
        {"painpoint_id": "PP03", "label": "Helpful desk staff", "stability": 0.62, "stable": False, "unstable": False,
         "runs": 10, "found_in": 7},
    ]).to_parquet(folder / "stability.parquet", index=False)
    pd.DataFrame([{"run": k, "kind": "seed" if k <= 5 else "bootstrap", "seed": 42 + k, "n_painpoints": 3,
                   "other_share": 0.05, "ari_vs_main": 0.8} for k in range(1, 11)]).to_parquet(
        folder / "stability_runs.parquet", index=False)
    pd.DataFrame([{"position": i, "source_id": f"transcripts/interview_{i:02d}.txt", "participant_id": f"P{i:02d}",
                   "new_painpoints": new, "cumulative_painpoints": total, "new_codes": 0, "cumulative_codes": 0,
                   "random_order_mean": total - 0.4, "random_order_low": total - 1.0, "random_order_high": float(total)}
                  for i, (new, total) in enumerate([(2, 2), (0, 2), (0, 2), (0, 2), (0, 2), (0, 2), (0, 2), (1, 3)], 1)]
                 ).to_parquet(folder / "saturation.parquet", index=False)
    pd.DataFrame([
        {"painpoint_id": "PP01", "label": label, "metric": "rating (1-5)", "n_items": 2, "score_all": 3.0,
         "score_without": 4.0, "impact": 1.0, "reach": 0.4},
        {"painpoint_id": "PP02", "label": "Refunds take weeks", "metric": "rating (1-5)", "n_items": 1, "score_all": 3.0,
         "score_without": 2.75, "impact": -0.25, "reach": 0.2},
    ]).to_parquet(folder / "impact.parquet", index=False)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["info"]["evidence"] = {
        "stability": {"n_runs": 10, "n_stable": 1, "n_unstable": 1, "painpoints_per_run": {"min": 3, "median": 3, "max": 4}},
        "saturation": {"verdict": verdict, "feedback_items_excluded": 4, "n_codes": 0},
        "impact": {"metrics": [{"metric": "rating (1-5)"}], "primary": "rating (1-5)"},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def test_evidence_tables_load_and_are_empty_for_older_results(results_dir: Path) -> None:
    older = load_results(results_dir)
    for name in ("stability", "stability_runs", "saturation", "impact"):
        assert isinstance(getattr(older, name), pd.DataFrame) and getattr(older, name).empty, name
    page = render_html(older)
    assert "Evidence: how sure are we?" not in page and "reruns found it" not in page
    assert "Evidence: how sure are we?" not in render_markdown(older)
    results = load_results(_add_evidence(results_dir))
    assert len(results.stability) == 3 and len(results.stability_runs) == 10
    assert len(results.saturation) == 8 and len(results.impact) == 2


def test_html_shows_stability_saturation_and_impact(results_dir: Path) -> None:
    page = render_html(load_results(_add_evidence(results_dir)))
    assert "Evidence: how sure are we?" in page and 'href="#evidence"' in page
    assert "unstable: only 3 of 10 reruns found it" in page  # the badge of PP02
    assert "stable: found in 10 of 10 reruns" in page
    # the delight PP03 is listed under "What works", so 2 pain points are weighed here
    assert "1 of 2 pain points are stable" in page and "The reruns found 3 to 4 pain points." in page
    assert "Interview 8 (P08) still added 1 new pain point: not saturated yet." in page
    assert 'aria-label="Pain points found as interviews are added"' in page  # the inline SVG curve
    assert "4 feedback items are not interviews" in page
    assert "+1.00" in page and "−0.25" in page and "40%" in page  # impact beside reach
    assert "Impact (rating (1-5))" in page
    collector = _Collector()
    collector.feed(page)
    assert "script" not in collector.tags


def test_markdown_shows_stability_saturation_and_impact(results_dir: Path) -> None:
    text = render_markdown(load_results(_add_evidence(results_dir)))
    assert "## Evidence: how sure are we?" in text
    assert "| 1 | Charged but no confirmation | 84 | 5 / 8 | 1 | pain | purchase/booking | 0.91 stable | +1.00 rating |" in text
    assert "stability 0.38 (unstable: only 3 of 10 reruns found it)" in text
    assert "**Interview 8 (P08) still added 1 new pain point: not saturated yet.**" in text
    assert "| 8 | P08 | 1 | 3 | 2.6 (2–3) |" in text
    assert "| Charged but no confirmation | rating (1-5) | 2 | 40% | 3.00 | 4.00 | +1.00 |" in text


def test_evidence_text_is_escaped(results_dir: Path) -> None:
    folder = _add_evidence(results_dir, verdict=f"Verdict {SCRIPT}", label=f"Label {SCRIPT}")
    page = render_html(load_results(folder))
    assert SCRIPT not in page and "Verdict &lt;script&gt;" in page and "Label &lt;script&gt;" in page
    text = render_markdown(load_results(folder))
    assert "<script>" not in text and "Verdict &lt;script&gt;" in text


def test_sample_study_report_has_the_evidence(sample_results: Path) -> None:
    results = load_results(sample_results)
    assert {"stability", "stable", "unstable", "impact", "impact_metric", "impact_items"} <= set(results.painpoints.columns)
    # Other and the context units are never clustered: no stability for them
    assert set(results.stability["painpoint_id"]) == set(results.painpoints["painpoint_id"]) - {"other", "context"}
    assert len(results.saturation) == 18 and len(results.stability_runs) == 10
    assert {"rating (1-5)", "NPS (-100..100)", "CSAT (1-5)"} == set(results.impact["metric"])
    page = render_html(results)
    verdict = results.manifest["info"]["evidence"]["saturation"]["verdict"]
    assert str(escape_html(verdict)) in page
    assert "453 feedback items are not interviews" in page
