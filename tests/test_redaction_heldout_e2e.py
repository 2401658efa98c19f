"""End to end on the sample study: held-out personal data in new interviews never reaches a shared artefact.

The bundled study is copied, five interviews are added whose participants (``participants.csv``),
interviewer (a speaker label) and staff (``extra_names``) come from the held-out PII set, each
interviewee saying a share of the held-out sentences (``tests/data/pii/heldout.py``: names with no
cue, surnames alone, phones of nine countries, card tails, booking references, loyalty numbers,
IBANs, addresses, postcodes, dates of birth). The study is ingested and analysed (static
embedder), and the report (HTML, Markdown), the shared result tables (personas, pain points,
passages), the workshop's exports and the REFI-QDA project are scanned for every planted value.
"""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from test_redaction_outputs import table_strings

ROOT = Path(__file__).resolve().parents[1]
INTERVIEWER = "Ruairí Mac Giolla"


def _heldout():
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("heldout", ROOT / "tests" / "data" / "pii" / "heldout.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("heldout", module)
    spec.loader.exec_module(module)
    return module


heldout = _heldout()
ROWS = [r for r in heldout.heldout_rows() if r["pii"]]


def _probes() -> list[tuple[str, re.Pattern[str]]]:
    """(value, pattern) per planted value: a leak is the value with the words around it in its sentence.

    A bare "May" or "4821" is in any study; "asked May what" or "ending 4821" is the planted one.
    Digit-heavy values are also matched as digit runs whatever the separators became.
    """
    probes = []
    for row in ROWS:
        text = " ".join(row["text"].split("\n"))
        for p in row["pii"]:
            value = " ".join(p["value"].split("\n"))
            left = re.findall(r"\w+\W*$", text[:text.find(value)])  # the word before, with what stands between
            right = re.findall(r"^\W*\w+", text[text.find(value) + len(value):])
            ctx = [re.escape(side) for side in ((left[0] + value) if left else "", (value + right[0]) if right else "") if side]
            ctx = ctx or [re.escape(value)]
            digits = re.sub(r"\D", "", value)
            if len(digits) >= 7:
                ctx.append(r"(?<!\d)" + r"[\s\-.()/]*".join(digits) + r"(?!\d)")
            if len(value) >= 6 and not value.isalpha() or "@" in value:
                ctx.append(re.escape(value))
            probes.append((value, re.compile("|".join(ctx), re.IGNORECASE)))
    return probes


PROBES = _probes()


def leaks(texts: list[str]) -> list[str]:
    """Planted values found in ``texts`` (with their context, or as digit runs)."""
    joined = "\n".join(" ".join(t.split()) for t in texts)
    return sorted({value for value, pattern in PROBES if pattern.search(joined)})


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from workbench.study import run_analyze

    study = tmp_path_factory.mktemp("heldout") / "interview_data"
    shutil.copytree(ROOT / "interview_data", study, ignore=shutil.ignore_patterns(".workbench"))
    toml = (study / "study.toml").read_text(encoding="utf-8")
    toml = toml.replace('interviewer_names = ["Dana Whitfield", "Omar Haddad"]',
                        f'interviewer_names = ["Dana Whitfield", "Omar Haddad", "{INTERVIEWER}"]')
    extra = ", ".join(f'"{n}"' for n in heldout.STAFF if n != INTERVIEWER)
    toml = toml.replace("extra_names = [", f"extra_names = [{extra}, ", 1)
    (study / "study.toml").write_text(toml, encoding="utf-8")
    people = list(heldout.PARTICIPANTS)
    with (study / "participants.csv").open("a", encoding="utf-8") as handle:
        for i, name in enumerate(people):
            handle.write(f"P{19 + i},{name},transcripts/interview_{19 + i}.txt,family,none,25-34,website,UK,2026-10-0{1 + i}\n")
    for i, name in enumerate(people):
        lines = []
        for j, row in enumerate(ROWS[i::len(people)]):
            lines.append(f"{INTERVIEWER}: And then what happened, question {j}?")
            lines.append(f"{name}: " + " ".join(row["text"].split("\n")) + ". The refund took weeks and the app kept crashing.")
        (study / "transcripts" / f"interview_{19 + i}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = study / ".workbench"
    run_analyze(study, out, embedder="static", seed=7, progress=False)
    return study, out


def test_the_study_really_holds_the_heldout_values(analysed: tuple[Path, Path]) -> None:
    import pandas as pd

    study, out = analysed
    raw = "\n".join((study / "transcripts" / f"interview_{19 + i}.txt").read_text(encoding="utf-8") for i in range(5))
    assert len(leaks([raw])) == len({v for v, _ in PROBES})
    segments = pd.read_parquet(out / "segments.parquet")
    assert leaks(segments["text_redacted"].tolist()) == []


def test_shared_tables_report_workshop_and_qdpx_hold_no_heldout_value(analysed: tuple[Path, Path], tmp_path: Path) -> None:
    from widgets.workshop.state import open_workshop
    from workbench.coding.qdpx import export_qdpx
    from workbench.share.report import write_report
    from workbench.storage.store import sqlite_url
    from workbench.workshop.bundle import PRIVATE_RESULT_FILES

    study, out = analysed
    checked = []
    for path in sorted(out.glob("*.parquet")):
        if path.name not in PRIVATE_RESULT_FILES:
            assert leaks(table_strings(path)) == [], path.name
            checked.append(path.name)
    assert {"painpoints.parquet", "passages.parquet", "personas.parquet"} <= set(checked)
    for suffix in (".html", ".md"):
        written = write_report(out, tmp_path / f"report{suffix}", study_dir=study)
        assert leaks([written.path.read_text(encoding="utf-8")]) == [], suffix
    state = open_workshop(out, "heldout", sqlite_url(tmp_path / "store.sqlite"))
    paths = state.facilitator.save_exports(tmp_path / "exports")
    assert paths and leaks([p.read_text(encoding="utf-8") for p in paths]) == []
    target = tmp_path / "heldout.qdpx"
    export_qdpx(study, target, results_dir=out)
    with zipfile.ZipFile(target) as archive:
        texts = [archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist()]
    assert leaks(texts) == []
