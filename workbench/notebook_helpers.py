"""Small helpers the notebook templates in ``notebooks/`` call, so no notebook cell holds logic.

Each helper is a thin view over the package's own steps: where results live, whether they
are still fresh, tidy tables for display (ingest report, redaction counts, ranked pain points,
personas), the severity chart, and recording a rename or a merge of pain points in the
study's store (replayed by the next analysis, see :mod:`workbench.analysis.curation`).

Nothing here shows unredacted text: tables are built from ``text_redacted`` only.

Example:
    >>> results_folder("interview_data").as_posix()
    'interview_data/.workbench'
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.errors import WorkbenchError
from workbench.ingest.report import describe_speaker
from workbench.storage.files import recover_results
from workbench.privacy.banking import iban_valid, luhn_valid
from workbench.privacy.base import KINDS, TAGS

#: the files a complete analysis leaves in its results folder (manifest.json is written last)
RESULT_FILES = (
    "segments.parquet", "passages.parquet", "painpoints.parquet", "assignments.parquet",
    "personas.parquet", "journey.parquet", "manifest.json",
)

#: look-alikes of personal data that should never survive redaction, with the check a match must pass
_LEAK_PATTERNS = {
    "e-mail address": (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), None),
    "card number": (re.compile(r"\b\d(?:[ -]?\d){12,18}\b"), "luhn"),
    "IBAN": (re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"), "iban"),
}


def results_folder(study_dir: Path | str, results_dir: Path | str | None = None) -> Path:
    """The results folder: ``results_dir`` when given, else ``STUDY/.workbench``.

    Example:
        >>> results_folder("my_study", "elsewhere").as_posix()
        'elsewhere'
    """
    return Path(results_dir) if results_dir not in (None, "") else Path(study_dir) / ".workbench"


# ------------------------------------------------------------------------------------ ingest


def ingest_table(report: Any) -> pd.DataFrame:
    """One row per file of an :class:`~workbench.ingest.report.IngestReport`: what was read and what not.

    ``format`` names the tool whose layout a transcript has ("vtt (Microsoft Teams)");
    ``speakers`` lists each transcript's speakers with their participant id or role and turns,
    without names (a label is shown only when it names no one: "User", "Speaker 2").

    Example:
        >>> from workbench.ingest.base import FileReport, SpeakerSummary
        >>> from workbench.ingest.report import IngestReport
        >>> report = IngestReport("s", [FileReport("feedback/a.csv", "feedback", "csv", rows_read=3, segments_made=2),
        ...     FileReport("t/i.txt", "interview", "txt", 4, 4, tool="Otter.ai", speakers=[
        ...         SpeakerSummary("Kim", 2, "interviewer"), SpeakerSummary("User", 2, "customer", "P01")])])
        >>> ingest_table(report).values.tolist()
        [['feedback/a.csv', 'feedback', 'csv', 3, 2, 0, 'ok', ''], ['t/i.txt', 'interview', 'txt (Otter.ai)', 4, 4, 0, 'ok', 'interviewer, 2 turns; User = P01, 2 turns']]
    """
    rows = [
        {
            "file": f.source_id, "kind": f.kind, "format": f.format_label(), "rows read": f.rows_read,
            "segments": f.segments_made, "skipped": len(f.skipped),
            "status": "ok" if f.error is None else f"not read: {f.error}",
            "speakers": "; ".join(describe_speaker(s, names=False) for s in f.speakers),
        }
        for f in report.files
    ]
    columns = ["file", "kind", "format", "rows read", "segments", "skipped", "status", "speakers"]
    return pd.DataFrame(rows, columns=columns)


def skipped_table(report: Any, limit: int | None = 50) -> pd.DataFrame:
    """Every line, cue or row an ingest skipped, with where it was and why (the first ``limit``).

    Example:
        >>> from workbench.ingest.base import FileReport
        >>> from workbench.ingest.report import IngestReport
        >>> report = IngestReport("s", [FileReport("feedback/a.csv", "feedback", "csv", rows_read=3, segments_made=2)])
        >>> report.files[0].skip("line 4", "no text in column 'review'")
        >>> skipped_table(report).values.tolist()
        [['feedback/a.csv', 'line 4', "no text in column 'review'"]]
    """
    rows = [{"file": f.source_id, "where": item.location, "why": item.reason} for f in report.files for item in f.skipped]
    return pd.DataFrame(rows[:limit] if limit is not None else rows, columns=["file", "where", "why"])


def redaction_counts(segments: pd.DataFrame) -> pd.DataFrame:
    """How many redaction tags (``[EMAIL]``, ``[PHONE]`` …) the redacted text holds, by kind.

    ``occurrences`` counts tags, ``segments`` the segments with at least one. Participants
    replaced by their pseudonym (``P07``) are not tags and are not counted here.

    Example:
        >>> segments = pd.DataFrame({"text_redacted": ["mail [EMAIL] or [EMAIL]", "call [PHONE]", "fine"]})
        >>> redaction_counts(segments).query("occurrences > 0").values.tolist()
        [['email', '[EMAIL]', 2, 1], ['phone', '[PHONE]', 1, 1]]
    """
    texts = segments["text_redacted"].fillna("").astype(str)
    rows = []
    for kind in KINDS:
        tag = TAGS[kind]
        per_segment = texts.str.count(re.escape(tag))
        rows.append({"kind": kind, "tag": tag, "occurrences": int(per_segment.sum()),
                     "segments": int((per_segment > 0).sum())})
    return pd.DataFrame(rows, columns=["kind", "tag", "occurrences", "segments"])


def redacted_examples(segments: pd.DataFrame, n: int = 7, kinds: Sequence[str] | None = None) -> pd.DataFrame:
    """A few segments whose redacted text holds a tag, one kind after another (redacted text only).

    Example:
        >>> segments = pd.DataFrame({"segment_id": ["a", "b", "c"], "source_id": ["x.txt"] * 3,
        ...     "speaker": ["P01"] * 3, "text_redacted": ["mail [EMAIL]", "ok", "call [PHONE]"]})
        >>> redacted_examples(segments)["segment_id"].tolist()
        ['a', 'c']
    """
    texts = segments["text_redacted"].fillna("").astype(str)
    picked: list[int] = []
    for kind in kinds or KINDS:
        hits = [i for i in texts.index[texts.str.contains(re.escape(TAGS[kind]))] if i not in picked]
        picked.extend(hits[:1])
    for i in texts.index[texts.str.contains(r"\[[A-Z_]+\]")]:  # top up with further examples
        if len(picked) >= n:
            break
        if i not in picked:
            picked.append(i)
    columns = [c for c in ("segment_id", "source_id", "speaker", "text_redacted") if c in segments.columns]
    return segments.loc[sorted(picked[:n]), columns].reset_index(drop=True)


def possible_leaks(segments: pd.DataFrame) -> pd.DataFrame:
    """Redacted segments that still hold an e-mail address, a Luhn-valid card number or a valid IBAN.

    A second, independent check on top of the redactor: anything listed here deserves a look
    (and a ``[privacy]`` option in ``study.toml``) before results are shared. Long numbers that
    fail the Luhn check (order numbers) are kept by the redactor on purpose and not listed.

    Example:
        >>> segments = pd.DataFrame({"segment_id": ["a", "b", "c"],
        ...     "text_redacted": ["mail [EMAIL]", "mail x@y.com", "order 1234 5678 9012 3456"]})
        >>> possible_leaks(segments).values.tolist()
        [['b', 'e-mail address', 'x@y.com']]
    """
    checks = {"luhn": lambda m: luhn_valid(re.sub(r"\D", "", m)), "iban": lambda m: iban_valid(m.replace(" ", ""))}
    rows = []
    ids = segments["segment_id"] if "segment_id" in segments.columns else segments.index.to_series()
    for segment_id, text in zip(ids, segments["text_redacted"].fillna("").astype(str)):
        for kind, (pattern, check) in _LEAK_PATTERNS.items():
            for match in pattern.finditer(text):
                if check is None or checks[check](match.group(0)):
                    rows.append({"segment_id": segment_id, "looks_like": kind, "match": match.group(0)})
    return pd.DataFrame(rows, columns=["segment_id", "looks_like", "match"])


# ---------------------------------------------------------------------------------- analysis


def _resolved_seed(study_dir: Path, seed: int | None) -> int:
    if seed is not None:
        return int(seed)
    from workbench.config import load_study_config

    return int(load_study_config(study_dir).analysis.get("seed", 42))


def analysis_status(
    study_dir: Path | str, results_dir: Path | str | None = None, embedder: str = "minilm", seed: int | None = 42
) -> tuple[bool, str]:
    """Whether saved results are complete and still describe the study: ``(fresh, why)``.

    Fresh means: every result file is there, the manifest's embedder and seed are the ones
    asked for, every input file it lists still has the same SHA-256, and no file in the study
    folder is newer than the manifest (a new or edited transcript makes results stale).

    Example:
        >>> import tempfile
        >>> analysis_status(tempfile.mkdtemp())
        (False, 'no results yet (painpoints.parquet is missing)')
    """
    import json

    from workbench.manifest import file_sha256

    study_dir = Path(study_dir)
    folder = results_folder(study_dir, results_dir)
    recover_results(folder)  # a run killed mid-commit: finish or undo it before judging
    missing = [name for name in RESULT_FILES if not (folder / name).is_file()]
    if missing:
        if "painpoints.parquet" in missing:
            return False, "no results yet (painpoints.parquet is missing)"
        return False, f"incomplete results ({missing[0]} is missing)"
    manifest_path = folder / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False, "manifest.json is unreadable"
    wanted = {"embedder": embedder, "seed": _resolved_seed(study_dir, seed)}
    options = manifest.get("options", {})
    for key, value in wanted.items():
        if options.get(key) != value:
            return False, f"results were made with {key}={options.get(key)!r}, not {value!r}"
    for name, digest in manifest.get("inputs", {}).items():
        path = study_dir / name
        if not path.is_file():
            return False, f"{name} is gone since the last analysis"
        if file_sha256(path) != digest:
            return False, f"{name} changed since the last analysis"
    made = manifest_path.stat().st_mtime
    for path in sorted(study_dir.rglob("*")):
        parts = path.relative_to(study_dir).parts
        if path.is_file() and not any(p.startswith((".", "_", "~$")) for p in parts) and path.stat().st_mtime > made:
            return False, f"{path.relative_to(study_dir).as_posix()} is newer than the results"
    return True, f"results of {manifest.get('created_at', 'an earlier run')} are up to date"


def ensure_analysis(
    study_dir: Path | str,
    results_dir: Path | str | None = None,
    embedder: str = "minilm",
    seed: int | None = 42,
    force: bool = False,
    progress: bool | None = None,
) -> Path:
    """Run :func:`workbench.study.run_analyze` unless fresh results exist; return the results folder.

    Prints one line saying whether it reused or (re)made the results, and why.

    Example:
        >>> ensure_analysis("interview_data", embedder="static")  # doctest: +SKIP
        analysing interview_data (no results yet (painpoints.parquet is missing)) …
        PosixPath('interview_data/.workbench')
    """
    folder = results_folder(study_dir, results_dir)
    fresh, why = analysis_status(study_dir, folder, embedder=embedder, seed=seed)
    if fresh and not force:
        print(f"using saved results in {folder}: {why}")
        return folder
    from workbench.study import run_analyze

    print(f"analysing {study_dir} ({'asked to re-run' if force else why}) …")
    result = run_analyze(study_dir, folder, embedder=embedder, seed=seed, progress=progress)
    info = result.manifest.get("info", {})
    print(
        f"{info.get('n_painpoints')} pain points from {info.get('n_units')} units "
        f"({info.get('other_share', 0):.1%} in Other) in {info.get('timings_s', {}).get('total', 0):.0f} s"
    )
    for line in info.get("curation_applied", []) + info.get("curation_unmatched", []):
        print(f"  curation: {line}")
    return folder


def painpoints_table(painpoints: pd.DataFrame, n_quotes: int = 1, max_quote_words: int = 40,
                     kinds: Sequence[str] = ("pain", "mixed", "other")) -> pd.DataFrame:
    """The ranked pain points for reading: the statement first, the card's label, where they sit on
    the CX map, how severe, and a quote.

    ``kinds`` picks the rows: pain points and Other by default; ``("delight", "purchase")`` gives
    "What works" and "Why they buy", listed apart from the pain points.

    Example:
        >>> table = pd.DataFrame({"painpoint_id": ["PP01", "PP02"], "kind": ["pain", "delight"],
        ...     "statement": ["It took seven weeks to get my refund.", "The desk agent walked me to the taxi."],
        ...     "label": ["Refunds take weeks", "Desk staff"], "severity": [71.04, 0.0],
        ...     "share_participants": [0.5, 0.2], "sentiment_mean": [-0.42, 0.6], "dimension": ["pricing", "staff"],
        ...     "touchpoint": ["call centre", "airport"], "stage": ["support", "use"],
        ...     "quote_texts": [["It took seven weeks."], ["She walked me there."]]})
        >>> painpoints_table(table).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
        [{'id': 'PP01', 'statement': 'It took seven weeks to get my refund.', 'pain point': 'Refunds take weeks',
          'kind': 'pain', 'severity': 71.0, 'dimension': 'pricing', 'touchpoint': 'call centre', 'stage': 'support',
          'interviewees': '50%', 'sentiment': -0.42, 'quote': '“It took seven weeks.”'}]
        >>> painpoints_table(table, kinds=("delight",))["statement"].tolist()
        ['The desk agent walked me to the taxi.']
    """
    from workbench.analysis.kinds import row_kinds
    from workbench.share.text import shorten_quote

    def quotes(value: Any) -> str:
        items = [] if value is None or (isinstance(value, float) and pd.isna(value)) else list(value)
        return "\n".join(f"“{shorten_quote(q, max_quote_words)}”" for q in items[:n_quotes])

    row_kind = row_kinds(painpoints)
    painpoints = painpoints[row_kind.isin(list(kinds)).to_numpy()]
    row_kind = row_kind[row_kind.isin(list(kinds))]
    statements = painpoints["statement"] if "statement" in painpoints.columns else painpoints["label"]
    out = pd.DataFrame({
        "id": painpoints["painpoint_id"],
        "statement": [s if isinstance(s, str) and s.strip() else label for s, label in zip(statements, painpoints["label"])],
        "pain point": painpoints["label"],
        "kind": row_kind,
        "severity": painpoints["severity"].astype(float).round(1),
        "dimension": painpoints.get("dimension"),
        "touchpoint": painpoints.get("touchpoint"),
        "stage": painpoints.get("stage"),
        "interviewees": [f"{v:.0%}" for v in painpoints.get("share_participants", pd.Series(0.0, index=painpoints.index))],
        "sentiment": painpoints.get("sentiment_mean", pd.Series(float("nan"), index=painpoints.index)).astype(float).round(2),
        "quote": [quotes(v) for v in painpoints.get("quote_texts", pd.Series([None] * len(painpoints), index=painpoints.index))],
    })
    return out.reset_index(drop=True)


def severity_figure(painpoints: pd.DataFrame, title: str | None = None) -> Any:
    """A plotly bar chart of severity per pain point, most severe on top, coloured by kind.

    Example:
        >>> table = pd.DataFrame({"painpoint_id": ["PP01", "PP02", "other"], "label": ["Refunds", "Hold", "Other"],
        ...     "severity": [70.0, 40.0, 0.0], "kind": ["pain", "mixed", "other"]})
        >>> list(severity_figure(table).data[0].y)
        ['PP02 · Hold', 'PP01 · Refunds']
    """
    import plotly.graph_objects as go

    from workbench.analysis.kinds import PAINPOINT_KINDS, row_kinds

    # pain points only: delights ("What works") and context have no severity
    table = painpoints[row_kinds(painpoints).isin(PAINPOINT_KINDS).to_numpy()].sort_values("severity")
    kinds = table["kind"] if "kind" in table.columns else pd.Series("pain", index=table.index)
    colours = {"pain": "#dc2626", "mixed": "#d97706", "delight": "#059669", "purchase": "#2563eb"}
    figure = go.Figure(go.Bar(
        x=table["severity"].astype(float), y=[f"{p} · {label}" for p, label in zip(table["painpoint_id"], table["label"])],
        orientation="h", marker_color=[colours.get(str(k), "#6b7280") for k in kinds],
        customdata=list(kinds), hovertemplate="%{y}<br>severity %{x:.1f} (%{customdata})<extra></extra>",
    ))
    figure.update_layout(
        title=title or "Severity (0–100): reach × intensity × frequency; red = pain, amber = mixed, green = delight",
        xaxis={"title": "severity", "range": [0, 100]}, yaxis={"title": ""}, template="plotly_white",
        height=max(300, 34 * len(table) + 120),
    )
    return figure


# ---------------------------------------------------------------------------------- curation


def painpoint_membership(results_dir: Path | str) -> pd.Series:
    """passage id → pain point id of the saved assignments (what a curation edit snapshots).

    Example:
        >>> painpoint_membership("interview_data/.workbench").head(1)  # doctest: +SKIP
    """
    path = Path(results_dir) / "assignments.parquet"
    if not path.is_file():
        raise WorkbenchError(f"{path}: not found; run the analysis first (notebook 03 or `workbench analyze`)")
    assignments = pd.read_parquet(path, columns=["passage_id", "painpoint_id"])
    return pd.Series(assignments["painpoint_id"].astype(str).to_numpy(), index=assignments["passage_id"].astype(str))


def _record(study_dir: Path | str, results_dir: Path | str | None, kind: str, painpoints: list[str],
            label: str | None, author: str | None) -> int:
    from workbench.analysis.curation import record_edit
    from workbench.storage.store import Store
    from workbench.storage.locations import store_url, study_key

    folder = results_folder(study_dir, results_dir)
    return record_edit(Store(store_url(folder)), study_key(Path(study_dir)), painpoint_membership(folder), kind,
                       painpoints, label=label, author=author)


def rename_painpoint(study_dir: Path | str, results_dir: Path | str | None, painpoint_id: str, label: str,
                     author: str | None = None) -> int:
    """Record a new name for a pain point; the next analysis applies it (and every one after). Returns the edit id.

    Example:
        >>> rename_painpoint("interview_data", None, "PP03", "Can't reach a person by phone")  # doctest: +SKIP
        1
    """
    return _record(study_dir, results_dir, "rename", [str(painpoint_id)], label, author)


def merge_painpoints(study_dir: Path | str, results_dir: Path | str | None, painpoint_ids: Sequence[str],
                     label: str | None = None, author: str | None = None) -> int:
    """Record that two or more pain points are one (optionally named ``label``); the next analysis applies it.

    Example:
        >>> merge_painpoints("interview_data", None, ["PP06", "PP09"], "Refunds take months")  # doctest: +SKIP
        2
    """
    return _record(study_dir, results_dir, "merge", [str(p) for p in painpoint_ids], label, author)


def record_curation(
    study_dir: Path | str,
    results_dir: Path | str | None = None,
    rename: dict[str, str] | None = None,
    merge: Sequence[Sequence[str]] | None = None,
    author: str | None = None,
) -> list[int]:
    """Record renames (pain point id → new label) and merges (lists of ids) of the saved results.

    A merge's first id keeps its place; when a merge list ends in a string that is not a pain
    point id, that string becomes the merged pain point's label. A rename to the label a pain
    point already has is skipped, so re-running a notebook does not pile up edits. The edits go
    to the study's store and are applied by the next analysis (``ensure_analysis(..., force=True)``)
    and every one after it. Returns the ids of the recorded edits.

    Example:
        >>> record_curation("interview_data", None)   # nothing asked, nothing recorded
        []
        >>> record_curation("interview_data", None, rename={"PP03": "Can't reach a person"})  # doctest: +SKIP
        [1]
    """
    if not rename and not merge:
        return []
    folder = results_folder(study_dir, results_dir)
    current = pd.read_parquet(folder / "painpoints.parquet", columns=["painpoint_id", "label"])
    labels = dict(zip(current["painpoint_id"].astype(str), current["label"].astype(str)))
    edits = []
    for painpoint_id, label in (rename or {}).items():
        if labels.get(str(painpoint_id)) == str(label).strip():
            print(f"{painpoint_id} is already called {label!r}: skipped")
            continue
        edits.append(rename_painpoint(study_dir, folder, painpoint_id, label, author=author))
        print(f"edit {edits[-1]}: rename {painpoint_id} ({labels.get(str(painpoint_id), '?')!r}) to {label!r}")
    for group in merge or []:
        ids = [str(g) for g in group]
        label = ids.pop() if ids and ids[-1] not in labels else None
        edits.append(merge_painpoints(study_dir, folder, ids, label=label, author=author))
        print(f"edit {edits[-1]}: merge {', '.join(ids)}" + (f" as {label!r}" if label else ""))
    return edits


# ---------------------------------------------------------------------------------- personas


def persona_table(personas: pd.DataFrame) -> pd.DataFrame:
    """One row per persona: name, size, what hurts most, what they want, and who they are.

    Example:
        >>> table = pd.DataFrame({"persona_id": ["PE1"], "name": ["The Busy Flyer"], "size": [4], "share": [0.25],
        ...     "frustrations": [["Hold loop"]], "goals": [["Get through fast"]], "design_for": ["Call back."]})
        >>> persona_table(table).values.tolist()
        [['PE1', 'The Busy Flyer', 4, '25%', 'Hold loop', 'Get through fast', 'Call back.']]
    """
    def joined(value: Any) -> str:
        return "; ".join(str(v) for v in value) if isinstance(value, (list, tuple)) or hasattr(value, "tolist") else str(value or "")

    return pd.DataFrame({
        "id": personas["persona_id"],
        "persona": personas["name"],
        "interviewees": personas["size"],
        "share": [f"{s:.0%}" for s in personas["share"]],
        "frustrations": [joined(v) for v in personas.get("frustrations", [[]] * len(personas))],
        "goals": [joined(v) for v in personas.get("goals", [[]] * len(personas))],
        "design for": personas.get("design_for", pd.Series([""] * len(personas), index=personas.index)),
    }).reset_index(drop=True)


def persona_cards(personas: pd.DataFrame, n_quotes: int = 1, max_quote_words: int = 45) -> str:
    """The personas as Markdown cards (name, summary, frustrations, goals, a quote), for ``display(Markdown(...))``.

    Example:
        >>> table = pd.DataFrame({"persona_id": ["PE1"], "name": ["The Busy Flyer"], "summary": ["4 of 16 ..."],
        ...     "frustrations": [["Hold loop"]], "goals": [["Get through fast"]], "quotes": [["I waited an hour."]]})
        >>> print(persona_cards(table))
        ### PE1 · The Busy Flyer
        4 of 16 ...
        <BLANKLINE>
        - **Frustrations:** Hold loop
        - **Goals:** Get through fast
        <BLANKLINE>
        > I waited an hour.
    """
    from workbench.share.text import escape_markdown, shorten_quote

    if personas.empty:
        return "_No personas: too few interviewees, or no stable groups among them._"
    cards = []
    for row in personas.to_dict("records"):
        lines = [f"### {row['persona_id']} · {escape_markdown(str(row['name']))}", escape_markdown(str(row.get("summary", ""))), ""]
        for title, key in (("Frustrations", "frustrations"), ("Goals", "goals")):
            values = row.get(key)
            if values is not None and len(values):
                lines.append(f"- **{title}:** {escape_markdown('; '.join(str(v) for v in values))}")
        if row.get("design_for"):
            lines.append(f"- **Design for:** {escape_markdown(str(row['design_for']))}")
        quotes = row.get("quotes")
        for quote in list(quotes)[:n_quotes] if quotes is not None else []:
            lines += ["", f"> {escape_markdown(shorten_quote(str(quote), max_quote_words))}"]
        cards.append("\n".join(lines))
    return "\n\n".join(cards)
