"""The ``workbench`` command.

Every command prints a one-line reason and exits 2 on bad input; no traceback
reaches the user unless ``--debug`` is given.

Example:
    $ workbench ingest interview_data
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from workbench.errors import WorkbenchError

if TYPE_CHECKING:  # pandas is imported by the commands that need it, not at start-up
    import pandas as pd

app = typer.Typer(
    help="CX Workbench: customer interviews and feedback in; pain points, personas and journey maps out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_BAD_INPUT = 2
SAMPLE_STUDY = Path(__file__).resolve().parent.parent / "interview_data"


def default_results_dir(study_dir: Path) -> Path:
    """Where results go unless ``--out`` says otherwise.

    Example:
        >>> default_results_dir(Path("interview_data")).as_posix()
        'interview_data/.workbench'
    """
    return Path(study_dir) / ".workbench"


def _fail(message: str) -> None:
    typer.echo(f"workbench: {message}", err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
def ingest(
    study_dir: Path = typer.Argument(..., help="The study folder (holds transcripts/, feedback/, participants.csv)."),
    out: Path | None = typer.Option(None, "--out", help="Results folder (default: STUDY_DIR/.workbench)."),
    show_names: bool = typer.Option(False, "--show-names", help="List speakers by the names in the files (private: keep it off screens you share)."),
) -> None:
    """Read every transcript and feedback export, redact personal data, and save the segments table."""
    from workbench.study import run_ingest

    started = time.perf_counter()
    try:
        result = run_ingest(study_dir, out or default_results_dir(study_dir))
    except WorkbenchError as error:
        _fail(str(error))
        return
    typer.echo(result.report.format_summary(show_names=show_names))
    typer.echo(f"\nSaved to {result.out_dir} in {time.perf_counter() - started:.1f} s")
    if result.segments.empty:
        _fail(f"nothing readable in {study_dir}: no transcript turn or feedback item could be read (see the list above)")


@app.command()
def analyze(
    study_dir: Path = typer.Argument(..., help="The study folder."),
    embedder: str = typer.Option("minilm", "--embedder", help="minilm (best quality), static (fast) or "
                                 "minilm-torch (minilm on torch, no onnxruntime)."),
    out: Path | None = typer.Option(None, "--out", help="Results folder (default: STUDY_DIR/.workbench)."),
    seed: int | None = typer.Option(None, "--seed", help="Random seed (default: study.toml [analysis] seed, else 42)."),
    dask: str | None = typer.Option(
        None, "--dask", envvar="WORKBENCH_DASK", show_envvar=True,
        help="Dask scheduler (tcp://HOST:8786): embedding and sentiment run on its workers, same results. "
        "'local' runs here.",
    ),
) -> None:
    """Ingest a study and find its pain points: named, placed on the CX map, ranked by severity, with quotes."""
    from workbench.analysis.distributed import scheduler_from_option
    from workbench.study import run_analyze

    try:
        result = run_analyze(study_dir, out or default_results_dir(study_dir), embedder=embedder, seed=seed,
                             dask_scheduler=scheduler_from_option(dask))
    except WorkbenchError as error:
        _fail(str(error))
        return
    typer.echo(result.ingest.report.format_summary(max_skipped_shown=2))
    typer.echo("")
    typer.echo(format_painpoints(result.analysis.painpoints))
    info = result.manifest["info"]
    typer.echo(
        f"\n{info['n_painpoints']} pain points from {info['n_units']} units "
        f"({info['other_share']:.1%} in Other); embedder {info['embedder']}, seed {info['seed']}; "
        f"{info['timings_s']['total']:.1f} s. Saved to {result.out_dir}"
    )
    if info.get("near_duplicate_merges"):
        typer.echo(f"  {len(info['near_duplicate_merges'])} near-duplicate pain points merged (see manifest.json)")
    _echo_dask(info)
    for line in info.get("curation_applied", []) + info.get("curation_unmatched", []):
        typer.echo(f"  curation: {line}")
    for line in format_evidence(info.get("evidence") or {}):
        typer.echo(line)


@app.command()
def cluster(
    file: Path = typer.Argument(..., help="One feedback export: .csv, .tsv, .xlsx, .jsonl or .json."),
    text_column: str | None = typer.Option(None, "--text-column", help="Column with the free text (found automatically)."),
    embedder: str = typer.Option("minilm", "--embedder", help="minilm (best quality), static (fast) or "
                                 "minilm-torch (minilm on torch, no onnxruntime)."),
    out: Path | None = typer.Option(None, "--out", help="Results folder (default: next to FILE, <name>.workbench/)."),
    seed: int = typer.Option(42, "--seed", help="Random seed."),
    dask: str | None = typer.Option(
        None, "--dask", envvar="WORKBENCH_DASK", show_envvar=True,
        help="Dask scheduler (tcp://HOST:8786): embedding and sentiment run on its workers, same results. "
        "'local' runs here.",
    ),
    progress: bool | None = typer.Option(
        None, "--progress/--no-progress", help="Show each step and progress bars on stderr (default: when it is a terminal).",
    ),
) -> None:
    """Find the pain points of one feedback export; one assignment row per input row, in input order."""
    from workbench.study import run_cluster
    from workbench.analysis.distributed import scheduler_from_option

    try:
        result = run_cluster(file, out or file.parent / f"{file.stem}.workbench", text_column=text_column,
                             embedder=embedder, seed=seed, dask_scheduler=scheduler_from_option(dask), progress=progress)
    except WorkbenchError as error:
        _fail(str(error))
        return
    typer.echo(format_painpoints(result.painpoints))
    typer.echo(
        f"\n{len(result.assignments)} rows assigned ({result.info['rows_without_text']} without text), "
        f"{result.info['n_painpoints']} pain points, {result.info['other_share']:.1%} in Other. Saved to {result.out_dir}"
    )
    _echo_dask(result.info)


def _echo_dask(info: dict) -> None:
    """One line saying which Dask scheduler did the embedding and scoring, if one did."""
    dask = info.get("dask")
    if dask:
        typer.echo(
            f"Embedding and sentiment ran on Dask at {dask['scheduler']} ({dask['n_workers']} workers, "
            f"{dask['embed_partitions']} embedding and {dask['score_partitions']} scoring partitions)."
        )


def format_evidence(evidence: dict) -> list[str]:
    """Lines summing up stability, saturation and impact from a manifest's ``info["evidence"]``.

    Example:
        >>> format_evidence({"stability": {"n_painpoints": 12, "n_stable": 8, "n_unstable": 1, "n_runs": 10},
        ...                  "saturation": {"verdict": "The last 3 interviews added no new pain point."}})
        ['Stability over 10 reruns: 8 of 12 pain points stable, 1 unstable (see the report).', 'Saturation: The last 3 interviews added no new pain point.']
        >>> format_evidence({})
        []
    """
    lines = []
    stability = evidence.get("stability") or {}
    if stability.get("n_runs"):
        lines.append(
            f"Stability over {stability['n_runs']} reruns: {stability.get('n_stable', 0)} of "
            f"{stability.get('n_painpoints', 0)} pain points stable, {stability.get('n_unstable', 0)} unstable "
            "(see the report)."
        )
    verdict = (evidence.get("saturation") or {}).get("verdict")
    if verdict:
        lines.append(f"Saturation: {verdict}")
    primary = (evidence.get("impact") or {}).get("primary")
    if primary:
        lines.append(f"Impact on scores measured against {primary} (and any other score the items carry).")
    return lines


def format_painpoints(painpoints: "pd.DataFrame", limit: int = 15) -> str:
    """Pain points with their statement first, then "What works" and "Why they buy" apart.

    The layout is :func:`workbench.share.painpoint_summary.format_painpoints`.

    Example:
        >>> import pandas as pd
        >>> table = pd.DataFrame([{"painpoint_id": "PP01", "statement": "Six weeks and still no refund from them.",
        ...     "label": "Refunds take weeks", "kind": "pain", "severity": 71.2, "n_segments": 30,
        ...     "dimension": "customer service", "touchpoint": "call centre", "stage": "support",
        ...     "quote_texts": ["Six weeks and still no refund."]}])
        >>> print(format_painpoints(table))
        Pain points, most severe first
        PP01  Six weeks and still no refund from them.
              [Refunds take weeks] severity 71.2 · 30 items · customer service / call centre / support
              "Six weeks and still no refund."
    """
    from workbench.share.painpoint_summary import format_painpoints as summary

    return summary(painpoints, limit=limit)


@app.command()
def report(
    study_dir: Path = typer.Argument(..., help="The study folder."),
    out: Path = typer.Option(..., "--out", help="The report file: FILE.html, FILE.md or FILE.pdf."),
    results: Path | None = typer.Option(None, "--results", help="Results folder (default: STUDY_DIR/.workbench)."),
) -> None:
    """Write the shareable report (pain points, personas, journey map) as self-contained HTML, Markdown or PDF."""
    from workbench.share.report import write_report

    try:
        written = write_report(results or default_results_dir(study_dir), out, study_dir=study_dir)
    except WorkbenchError as error:
        _fail(str(error))
        return
    size = f"{written.size_bytes / 1024:,.0f} KB"
    pages = f"{written.pages} page{'s' if written.pages != 1 else ''}, " if written.pages is not None else ""
    typer.echo(f"Report written to {written.path} ({pages}{size})")


@app.command()
def workshop(
    study_dir: Path = typer.Argument(..., help="The study folder."),
    port: int | None = typer.Option(None, "--port", help="Port to listen on (default: a free one)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; anything but 127.0.0.1 gets a token."),
    no_browser: bool = typer.Option(False, "--no-browser", help="Do not open a browser."),
    session: str | None = typer.Option(None, "--session", help="Workshop session name (votes are counted per session)."),
    results: Path | None = typer.Option(None, "--results", help="Results folder (default: STUDY_DIR/.workbench)."),
) -> None:
    """Serve the live workshop app: people join by name, dot-vote on pain points and see each other's votes."""
    _serve_workshop(study_dir, results or default_results_dir(study_dir), port, host, no_browser, session)


def _serve_workshop(study_dir: Path, results_dir: Path, port: int | None, host: str, no_browser: bool,
                    session: str | None, after_results: Callable[[], None] | None = None) -> None:
    """Serve the workshop; missing or stale results are analysed while its link shows the progress."""
    from workbench.workshop.access import check_port
    from workbench.workshop.server import serve_workshop

    try:
        check_port(host, port or 0)  # a taken port or a foreign host fails before a long analysis
        serve_workshop(results_dir, session=session, host=host, port=port, open_browser=not no_browser, echo=typer.echo,
                       study_dir=study_dir, after_results=after_results)
    except WorkbenchError as error:
        _fail(str(error))


@app.command()
def publish(
    study_dir: Path = typer.Argument(..., help="The study folder."),
    out: Path = typer.Option(..., "--out", help="The bundle folder to write (new, empty, or an earlier bundle)."),
    results: Path | None = typer.Option(None, "--results", help="Results folder (default: STUDY_DIR/.workbench)."),
    session: str | None = typer.Option(None, "--session", help="Workshop session the published app uses."),
) -> None:
    """Write the workshop app with redacted results into a folder any host can serve with plain `voila`."""
    from workbench.workshop.bundle import publish_bundle
    from workbench.workshop.freshness import ensure_results

    results_dir = results or default_results_dir(study_dir)
    try:
        ensure_results(study_dir, results_dir, echo=typer.echo)
        bundle = publish_bundle(results_dir, out, session=session)
    except WorkbenchError as error:
        _fail(str(error))
        return
    typer.echo(f"Workshop app published to {bundle.out_dir} ({len(bundle.files)} files, redacted results only).")
    typer.echo(f"Serve it: cd {bundle.out_dir} && pip install -r requirements.txt && voila workshop.ipynb")


@app.command()
def demo(
    out: Path | None = typer.Option(None, "--out", help="Results folder (default: interview_data/.workbench)."),
    no_serve: bool = typer.Option(False, "--no-serve", help="Stop after the report; do not serve the workshop."),
    port: int | None = typer.Option(None, "--port", help="Workshop port (default: a free one)."),
    no_browser: bool = typer.Option(False, "--no-browser", help="Do not open a browser for the workshop."),
) -> None:
    """Analyse the bundled sample study (Skylark Travel) if needed, write its report, then serve the workshop."""
    from workbench.workshop.freshness import results_problems

    typer.echo(f"CX Workbench demo on the bundled sample study: {SAMPLE_STUDY}\n")
    results = out or default_results_dir(SAMPLE_STUDY)
    problems = results_problems(SAMPLE_STUDY, results)

    def painpoints_and_report() -> None:
        import pandas as pd

        typer.echo(format_painpoints(pd.read_parquet(results / "painpoints.parquet")))
        report(SAMPLE_STUDY, out=results / "report.html", results=results)
        typer.echo(f"\nOpen the report in a browser: {(results / 'report.html').resolve()}")

    if problems and not no_serve:  # the workshop's link answers at once, showing the analysis's progress
        typer.echo("Starting the live workshop first (people join by name and dot-vote on the pain points)…")
        _serve_workshop(SAMPLE_STUDY, results, port, "127.0.0.1", no_browser, None, after_results=painpoints_and_report)
        return
    if problems:
        analyze(SAMPLE_STUDY, embedder="minilm", out=results, seed=None, dask=None)
    else:
        import pandas as pd

        typer.echo(format_painpoints(pd.read_parquet(results / "painpoints.parquet")))
        typer.echo(f"\nResults in {results} are up to date with the study; not analysing again.")
    report(SAMPLE_STUDY, out=results / "report.html", results=results)
    typer.echo(f"\nOpen the report in a browser: {(results / 'report.html').resolve()}")
    if no_serve:
        return
    typer.echo("\nStarting the live workshop (people join by name and dot-vote on the pain points)…")
    workshop(SAMPLE_STUDY, port=port, host="127.0.0.1", no_browser=no_browser, session=None, results=results)


@app.command()
def prepare() -> None:
    """Prepare what a first analysis would otherwise do first: the ONNX MiniLM model and lens reader, the lens models' vectors, compiled clustering code, name lists."""
    from workbench.analysis.clustering import compile_clustering_code
    from workbench.analysis.embedders import MiniLMOnnxEmbedder, get_embedder
    from workbench.analysis.lens_focus import prepare_filler_model
    from workbench.analysis.lens_model import prepare_lens_models
    from workbench.analysis.lens_reader import reader_onnx_path
    from workbench.privacy.lexicon import load_lexicon

    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        # numba compiles on one core in a second process while this one exports the model and
        # builds the name lists: on two cores the step takes about as long as the compilation.
        # spawn, not fork: a process that already ran ONNX Runtime or numba (a notebook, a test run)
        # may hold threads and locks that a forked child inherits half-way (it died so once)
        import multiprocessing

        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
            compiling = pool.submit(compile_clustering_code)
            started = time.perf_counter()
            embedder = get_embedder("minilm")
            if isinstance(embedder, MiniLMOnnxEmbedder):
                embedder.encode(["The refund took three weeks."])  # exports the model once, then opens it
            typer.echo(f"MiniLM ready ({embedder.model_id}) in {time.perf_counter() - started:.0f} s.")
            started = time.perf_counter()
            # embeds the lens models' ~5,000 training sentences once, fits the models, keeps both on disk
            prepare_lens_models(embedder)
            prepare_filler_model()  # reads long complaints for their lens (lens_focus)
            if isinstance(embedder, MiniLMOnnxEmbedder):
                reader_onnx_path()  # merges the packaged adapters into MiniLM and exports the lens reader once
            typer.echo(f"CX lens models ready in {time.perf_counter() - started:.0f} s.")
            started = time.perf_counter()
            load_lexicon()  # built from the name and word packages once, then read from the cache
            typer.echo(f"Name lists for redaction ready in {time.perf_counter() - started:.0f} s.")
            try:
                compiled_in = compiling.result()
            except BrokenProcessPool:
                # the worker was killed (out of memory on a busy machine, a signal): compile here instead,
                # slower but the install still ends with a warm cache
                typer.echo("The compiling process stopped abruptly; compiling in this process instead.")
                compiled_in = compile_clustering_code()
            typer.echo(f"Clustering code compiled (numba's cache) in {compiled_in:.0f} s.")
    except WorkbenchError as error:
        _fail(str(error))


@app.command("export-qdpx")
def export_qdpx(
    study_dir: Path = typer.Argument(..., help="The study folder."),
    out: Path = typer.Option(..., "--out", help="The REFI-QDA project to write: FILE.qdpx."),
    results: Path | None = typer.Option(None, "--results", help="Results folder (default: STUDY_DIR/.workbench)."),
    codebook: Path | None = typer.Option(
        None, "--codebook", help="Export this codebook (.yaml or .qdc) instead of the one in the study's store."
    ),
) -> None:
    """Export the redacted sources, codebook, codings and memos as a REFI-QDA project (ATLAS.ti, MAXQDA, NVivo)."""
    from workbench.coding.codebook_files import load_codebook
    from workbench.coding.qdpx import export_qdpx as write_qdpx

    if not study_dir.is_dir():
        _fail(f"{study_dir}: no such study folder; pass the folder that holds transcripts/ and feedback/")
        return
    try:
        chosen = load_codebook(codebook) if codebook is not None else None
        written = write_qdpx(study_dir, out, results_dir=results or default_results_dir(study_dir), codebook=chosen)
    except WorkbenchError as error:
        _fail(str(error))
        return
    typer.echo(f"Wrote {written.summary()}")


@app.command("import-qdpx")
def import_qdpx(
    project: Path = typer.Argument(..., help="The REFI-QDA project to import: FILE.qdpx (MAXQDA, NVivo, ATLAS.ti, QualCoder…)."),
    study_dir: Path = typer.Option(..., "--study", help="The study folder to import into (made when missing)."),
) -> None:
    """Import a REFI-QDA project into a study: sources, codebook, codings, memos, cases; lists what cannot be mapped."""
    from workbench.coding.qdpx_import import import_qdpx as read_project

    try:
        imported = read_project(project, study_dir)
    except WorkbenchError as error:
        _fail(str(error))
        return
    typer.echo(imported.report())
    typer.echo(f"Next: `workbench analyze {study_dir}` for pain points; `workbench export-qdpx {study_dir} --out FILE.qdpx` "
               "writes every element back.")


@app.command("agreement")
def agreement(
    study_dir: Path = typer.Argument(..., help="The study folder."),
    coder: str | None = typer.Option(None, "--coder", help="The human coder to compare with (default: the only one)."),
    model: str = typer.Option("painpoints", "--model", help="The model coder: painpoints or suggestions."),
    mapping: Path | None = typer.Option(
        None, "--mapping", help="YAML/JSON/CSV: pain point id (or model code id) -> your code id."
    ),
    results: Path | None = typer.Option(None, "--results", help="Results folder (default: STUDY_DIR/.workbench)."),
    no_auto_map: bool = typer.Option(False, "--no-auto-map", help="Map only explicitly or by the same code id."),
    show: int = typer.Option(15, "--show", help="How many disagreements to list."),
) -> None:
    """How far to trust automatic coding: the model's codes vs a human coder's (kappa per code, alpha)."""
    from workbench.rigour.model_coder import format_report
    from workbench.rigour.model_coder_study import model_vs_human_in_study

    if not study_dir.is_dir():
        _fail(f"{study_dir}: no such study folder; pass the folder that holds transcripts/ and feedback/")
        return
    try:
        report = model_vs_human_in_study(study_dir, results or default_results_dir(study_dir), coder=coder,
                                         model=model, mapping=mapping, auto_map=not no_auto_map)
    except WorkbenchError as error:
        _fail(str(error))
        return
    typer.echo(format_report(report, show=show))


@app.command("search")
def search(
    study_dir: Path = typer.Argument(..., help="The study folder."),
    question: str = typer.Argument(..., help='What to look for, in your own words: "refund took weeks".'),
    k: int = typer.Option(10, "--k", min=1, help="How many quotes to show."),
    results: Path | None = typer.Option(None, "--results", help="Results folder (default: STUDY_DIR/.workbench)."),
) -> None:
    """Search the evidence by meaning: the customers' quotes nearest a question, with who, where and pain point."""
    from workbench.analysis.search import EvidenceSearch, format_quotes

    results_dir = results or default_results_dir(study_dir)
    if results is None and not study_dir.is_dir():
        _fail(f"{study_dir}: no such study folder; pass the folder that holds transcripts/ and feedback/")
        return
    try:
        found = EvidenceSearch(results_dir).query(question, k=k)
    except WorkbenchError as error:
        _fail(str(error).replace("workbench analyze STUDY", f"workbench analyze {study_dir}"))
        return
    if found.empty:
        typer.echo(f"No analysed quotes in {results_dir} to search.")
        return
    typer.echo(format_quotes(found))
    typer.echo(f"\n{len(found)} quotes nearest in meaning to “{' '.join(question.split())}” (results: {results_dir}).")
    if study_dir.is_dir():
        from workbench.workshop.freshness import results_problems

        changed = [p for p in results_problems(study_dir, results_dir) if p.endswith(("changed", "added", "removed"))]
        if changed:
            typer.echo(f"Note: the study changed since these results ({', '.join(changed[:3])}); "
                       f"run `workbench analyze {study_dir}` to search the new words too.", err=True)


def main() -> None:
    """Entry point of the ``workbench`` console script.

    Turns any unexpected error into one line (set WORKBENCH_DEBUG=1 for the traceback).
    """
    debug = os.environ.get("WORKBENCH_DEBUG") == "1"
    try:
        app()
    except WorkbenchError as error:  # raised outside a command's own handling
        typer.echo(f"workbench: {error}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except Exception as error:  # noqa: BLE001 - last line of defence: no tracebacks for users
        if debug:
            raise
        typer.echo(
            f"workbench: unexpected error: {type(error).__name__}: {error}. "
            "Re-run with WORKBENCH_DEBUG=1 for details and report it.",
            err=True,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
