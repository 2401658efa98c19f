"""The notebook templates: saved clean, one ``parameters`` cell first, and each runs top to bottom.

The numbered templates (``notebooks/NN_*.ipynb``) are executed in order with nbclient against
the session's copy of the sample study. 03–05 get the results folder of the shared MiniLM
analysis (``sample_results``), so they exercise the default embedder without analysing twice;
03 must find those results fresh and reuse them.
"""
from __future__ import annotations

import ast
import json
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
ALL_NOTEBOOKS = sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
TEMPLATES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
EXPECTED = ["01_import_and_redact.ipynb", "03_pain_points.ipynb", "04_personas_and_journey.ipynb", "05_share_findings.ipynb"]
CELL_TIMEOUT_S = 900  # only reached when 03 must analyse again (it should not: see test_03)


def _ids(paths: list[Path]) -> list[str]:
    return [p.relative_to(NOTEBOOKS).as_posix() for p in paths]


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def _parameters_cell(notebook):
    return next(c for c in notebook.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", []))


def _parameter_names(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def _execute(path: Path, parameters: dict):
    """Run a notebook as papermill would: parameters it declares go in a cell after its parameters cell."""
    notebook = _read(path)
    cell = _parameters_cell(notebook)
    declared = _parameter_names(cell.source)
    lines = [f"{name} = {value!r}" for name, value in parameters.items() if name in declared]
    injected = nbformat.v4.new_code_cell("# Parameters injected by tests/test_notebooks.py\n" + "\n".join(lines))
    injected.metadata["tags"] = ["injected-parameters"]
    notebook.cells.insert(notebook.cells.index(cell) + 1, injected)
    client = nbclient.NotebookClient(
        notebook, kernel_name="python3", timeout=CELL_TIMEOUT_S, resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    client.execute()
    return notebook


def _text(notebook) -> str:
    """Every stream and plain-text / Markdown output of a notebook, joined."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                parts.append(output.get("text", ""))
            for mime in ("text/plain", "text/markdown", "text/html"):
                if mime in output.get("data", {}):
                    parts.append(output["data"][mime])
    return "\n".join(parts)


def _figures(notebook) -> int:
    return sum(
        1 for cell in notebook.cells for output in cell.get("outputs", [])
        if "application/vnd.plotly.v1+json" in output.get("data", {})
    )


# ------------------------------------------------------------------------------ saved clean


def test_the_templates_are_there() -> None:
    names = [p.name for p in TEMPLATES]
    assert all(name in names for name in EXPECTED), names


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_ids(ALL_NOTEBOOKS))
def test_notebook_is_saved_without_outputs(path: Path) -> None:
    notebook = _read(path)
    nbformat.validate(notebook)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}, cell {index}: clear the outputs before saving"
            assert cell.execution_count is None, f"{path.name}, cell {index}: execution count {cell.execution_count}"


@pytest.mark.parametrize("path", TEMPLATES, ids=_ids(TEMPLATES))
def test_template_has_one_parameters_cell_first(path: Path) -> None:
    notebook = _read(path)
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: {len(tagged)} cells tagged 'parameters'"
    assert code_cells and code_cells[0] is tagged[0], f"{path.name}: the parameters cell must be the first code cell"
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3"
    values: dict = {}
    exec(tagged[0].source, {}, values)  # plain assignments only
    if "study_dir" in values:  # the defaults open the bundled study
        assert (NOTEBOOKS / values["study_dir"]).resolve() == (ROOT / "interview_data").resolve()
    if "results_dir" in values:
        assert values["results_dir"] is None


# ------------------------------------------------------------------------------ the kernel


def test_the_python3_kernel_is_this_environments_python() -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.prefix)")])
    nbclient.NotebookClient(notebook, kernel_name="python3", timeout=120).execute()
    printed = notebook.cells[0].outputs[0]["text"].strip()
    assert Path(printed).resolve() == Path(sys.prefix).resolve()


# ------------------------------------------------------------------------------ execution


@pytest.fixture(scope="module")
def run_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Folders the executed notebooks write to besides the shared results."""
    base = tmp_path_factory.mktemp("notebook_runs")
    return {"ingest": base / "ingest", "reports": base / "reports"}


def _template(prefix: str) -> Path:
    matches = [p for p in TEMPLATES if p.name.startswith(prefix)]
    if not matches:
        pytest.skip(f"no notebooks/{prefix}_*.ipynb yet")
    return matches[0]


def test_01_import_and_redact_runs(sample_study_copy: Path, run_outputs: dict[str, Path]) -> None:
    out = run_outputs["ingest"]  # not the shared results folder: nothing of other tests is rewritten
    notebook = _execute(_template("01"), {"study_dir": str(sample_study_copy), "results_dir": str(out)})
    text = _text(notebook)
    assert "18 interviews and 3 feedback exports read" in text
    assert "0 possible leaks" in text
    assert "[EMAIL]" in text and "[BOOKING_REF]" in text  # redaction counts and examples are shown
    assert (out / "segments.parquet").is_file()
    real_names = [name for name in json.loads((out / "pseudonyms.json").read_text()) if " " in name]
    assert real_names
    leaked = [name for name in real_names if name in text]
    assert not leaked, f"the notebook shows real names: {leaked}"


def test_02_runs_when_present(sample_study_copy: Path, sample_results: Path, tmp_path: Path) -> None:
    path = _template("02")
    results = tmp_path / "results"  # 02 saves codes, a codebook and exports: on a private copy of the results
    shutil.copytree(sample_results, results, ignore=shutil.ignore_patterns("cache"))
    notebook = _execute(path, {"study_dir": str(sample_study_copy), "results_dir": str(results)})
    assert "using saved results" in _text(notebook)


def test_03_pain_points_reuses_the_analysis_and_leaves_it_unchanged(sample_study_copy: Path, sample_results: Path) -> None:
    from workbench.storage.store import Store
    from workbench.storage.locations import store_url, study_key

    store = Store(store_url(sample_results))
    edits_before = len(store.edits(study_key(sample_study_copy)))
    manifest_before = (sample_results / "manifest.json").read_text()
    notebook = _execute(_template("03"), {"study_dir": str(sample_study_copy), "results_dir": str(sample_results)})
    text = _text(notebook)
    assert "using saved results" in text, "fresh MiniLM results should be reused, not analysed again"
    assert (sample_results / "manifest.json").read_text() == manifest_before
    assert len(store.edits(study_key(sample_study_copy))) == edits_before  # rename/merge are off by default
    painpoints = pd.read_parquet(sample_results / "painpoints.parquet")
    for label in painpoints["label"].head(3):
        assert label in text
    assert "embedder minilm" in text
    assert _figures(notebook) >= 1  # the severity chart
    from workbench.analysis.search import EvidenceSearch, describe_quote

    top = EvidenceSearch(sample_results).query("refund took weeks", k=3).to_dict("records")
    for quote in top:  # the search box's question, answered in the notebook with who and where
        who, where, _painpoint = describe_quote(quote)
        assert who in text and where in text


def test_04_personas_and_journey_runs(sample_study_copy: Path, sample_results: Path) -> None:
    notebook = _execute(_template("04"), {"study_dir": str(sample_study_copy), "results_dir": str(sample_results)})
    text = _text(notebook)
    personas = pd.read_parquet(sample_results / "personas.parquet")
    assert len(personas) >= 2
    for name in personas["name"]:
        assert name in text
    assert "effectiveness" in text
    assert _figures(notebook) >= 4  # two journey maps, the emotion curves, stage effectiveness


def test_05_share_findings_writes_three_reports(
    sample_study_copy: Path, sample_results: Path, run_outputs: dict[str, Path]
) -> None:
    reports = run_outputs["reports"]
    notebook = _execute(_template("05"), {
        "study_dir": str(sample_study_copy), "results_dir": str(sample_results), "report_dir": str(reports),
    })
    for suffix in ("html", "md", "pdf"):
        path = reports / f"report.{suffix}"
        assert path.is_file() and path.stat().st_size > 1000, path
        assert str(path.resolve()) in _text(notebook)
    assert (reports / "report.pdf").read_bytes().startswith(b"%PDF")
    top = pd.read_parquet(sample_results / "painpoints.parquet")["label"].iloc[0]
    assert top in (reports / "report.md").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------ curation helper


def test_renames_and_merges_from_notebook_03_are_stored_and_replayed(
    sample_study_copy: Path, sample_results: Path, tmp_path: Path
) -> None:
    from workbench.analysis.curation import replay_edits
    from workbench.notebook_helpers import painpoint_membership, record_curation
    from workbench.storage.store import Store
    from workbench.storage.locations import store_url, study_key

    results = tmp_path / "results"  # a private copy: the shared results keep their store as it is
    shutil.copytree(sample_results, results)
    painpoints = pd.read_parquet(results / "painpoints.parquet")
    first, second, third = painpoints["painpoint_id"].head(3)
    edits = record_curation(sample_study_copy, results, rename={first: "Our top problem"},
                            merge=[[second, third, "Two problems, one fix"]])
    assert len(edits) == 2
    stored = Store(store_url(results)).edits(study_key(sample_study_copy))
    assert [e.kind for e in stored][-2:] == ["rename", "merge"]
    membership = painpoint_membership(results)
    labels = dict(zip(painpoints["painpoint_id"], painpoints["label"]))
    curated = replay_edits(membership, labels, stored)
    assert not curated.unmatched
    assert curated.labels[first] == "Our top problem"
    assert curated.labels[second] == "Two problems, one fix" and third not in curated.labels
    assert set(curated.membership[membership == third]) == {second}
