"""The shareable report: ranked pain points, personas and the journey map in one file.

``workbench report STUDY --out report.html`` (or ``.md`` / ``.pdf``) reads the saved
results of ``workbench analyze`` and renders them with the Jinja2 templates in
``workbench/templates/``. The report is self-contained (inline CSS and SVG charts,
no script, no web font, no link to anything outside the file) and shows only
redacted text: the ``text`` column of the segments table is never read.

Example:
    >>> results = load_results("interview_data/.workbench")  # doctest: +SKIP
    >>> write_report("interview_data/.workbench", Path("skylark.pdf")).pages  # doctest: +SKIP
    14
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from workbench.errors import WorkbenchError
from workbench.fileio import atomic_write, recover_results

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

PAINPOINTS_FILE = "painpoints.parquet"
ASSIGNMENTS_FILE = "assignments.parquet"
PASSAGES_FILE = "passages.parquet"
SEGMENTS_FILE = "segments.parquet"
PARTICIPANTS_FILE = "participants.parquet"
PERSONAS_FILE = "personas.parquet"
JOURNEY_FILE = "journey.parquet"
MANIFEST_FILE = "manifest.json"
#: the evidence of issue 9 (workbench.stability / saturation / impact); absent in older results
STABILITY_FILE = "stability.parquet"
STABILITY_RUNS_FILE = "stability_runs.parquet"
SATURATION_FILE = "saturation.parquet"
IMPACT_FILE = "impact.parquet"

#: the only segment columns the report reads: ``text`` (unredacted) is never among them
SAFE_SEGMENT_COLUMNS = (
    "segment_id", "source_id", "source_kind", "participant_id", "speaker", "role", "channel", "touchpoint",
    "date", "item_id", "text_redacted",
)
#: passage columns the report reads (``text`` there is the redacted unit text)
SAFE_PASSAGE_COLUMNS = (
    "passage_id", "segment_id", "text", "participant_id", "source_kind", "source_id", "channel", "sentiment",
    "moment", "touchpoint", "stage",
)

#: personas need at least this many interviewees (fewer give no stable groups)
MIN_INTERVIEWEES_FOR_PERSONAS = 6

#: report formats by file suffix
FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown", ".pdf": "pdf"}

OTHER_ID = "other"
#: quotes shown per pain point and per persona, and the longest quote shown (in words)
MAX_QUOTES = 3
MAX_PERSONA_QUOTES = 3
MAX_QUOTE_WORDS = 55
#: permissions of a written report (it is meant to be shared)
REPORT_MODE = 0o644
PERSONA_COLOURS = ("#2563eb", "#db2777", "#059669", "#d97706", "#7c3aed", "#0891b2", "#65a30d", "#dc2626")


@dataclass
class Results:
    """The saved tables of one analysis, as the report reads them.

    Only ``painpoints`` is required; every other table may be ``None`` and the
    report then says that part is not available. ``segments`` never holds the
    unredacted ``text`` column.

    Attributes:
        results_dir: the folder the tables were read from.
        painpoints: one row per pain point, most severe first, ``other`` last.
        manifest: ``manifest.json`` (empty when absent).
        notes: why an optional part is missing, by part (``personas``, ``journey``…).

    Example:
        >>> table = pd.DataFrame([{"painpoint_id": "PP01", "label": "Refunds take weeks", "severity": 71.0}])
        >>> Results(Path("results"), table).study_name
        'results'
    """

    results_dir: Path
    painpoints: pd.DataFrame
    manifest: dict[str, Any] = field(default_factory=dict)
    assignments: pd.DataFrame | None = None
    passages: pd.DataFrame | None = None
    segments: pd.DataFrame | None = None
    participants: pd.DataFrame | None = None
    personas: pd.DataFrame | None = None
    journey: pd.DataFrame | None = None
    title: str | None = None
    notes: dict[str, str] = field(default_factory=dict)
    #: evidence tables (empty when the results predate them: "not measured")
    stability: pd.DataFrame = field(default_factory=pd.DataFrame)
    stability_runs: pd.DataFrame = field(default_factory=pd.DataFrame)
    saturation: pd.DataFrame = field(default_factory=pd.DataFrame)
    impact: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def study_name(self) -> str:
        """The study's name: ``[study] name`` of study.toml, else the manifest's study, else the folder."""
        if self.title:
            return self.title
        name = self.manifest.get("study_name") or self.manifest.get("study")
        if name:
            return str(name)
        folder = Path(self.results_dir)
        return folder.parent.name if folder.name == ".workbench" and folder.parent.name else folder.name


@dataclass
class WrittenReport:
    """What ``write_report`` wrote.

    Example:
        >>> WrittenReport(Path("r.pdf"), "pdf", 12, 250_000).pages
        12
    """

    path: Path
    format: str
    pages: int | None
    size_bytes: int


# ---------------------------------------------------------------------------------------- loading


def load_results(results_dir: Path | str, study_dir: Path | str | None = None) -> Results:
    """Read the saved results of ``workbench analyze`` for a report.

    Args:
        results_dir: the results folder (``STUDY/.workbench`` by default).
        study_dir: the study folder, to take the study's name from its ``study.toml``
            (default: the results folder's parent when it holds a study.toml).

    Raises:
        WorkbenchError: the folder or its ``painpoints.parquet`` is missing or unreadable.

    Example:
        >>> import tempfile
        >>> load_results(tempfile.mkdtemp())
        Traceback (most recent call last):
        ...
        workbench.errors.WorkbenchError: .../painpoints.parquet: no pain points in this folder; run `workbench analyze STUDY` first
    """
    folder = Path(results_dir)
    if not folder.is_dir():
        raise WorkbenchError(f"{folder}: no such results folder; run `workbench analyze STUDY` first (or pass --results)")
    recover_results(folder)  # a run killed mid-commit: finish or undo it before reading
    painpoints_path = folder / PAINPOINTS_FILE
    if not painpoints_path.is_file():
        raise WorkbenchError(f"{painpoints_path}: no pain points in this folder; run `workbench analyze STUDY` first")
    try:
        painpoints = pd.read_parquet(painpoints_path)
    except Exception as error:  # noqa: BLE001 - pyarrow raises many types for a broken file
        raise WorkbenchError(
            f"{painpoints_path}: not a readable Parquet file ({type(error).__name__}); run `workbench analyze STUDY` again"
        ) from error
    if "painpoint_id" not in painpoints.columns or "label" not in painpoints.columns:
        raise WorkbenchError(
            f"{painpoints_path}: lacks the painpoint_id/label columns; run `workbench analyze STUDY` again"
        )

    notes: dict[str, str] = {}
    manifest: dict[str, Any] = {}
    if (folder / MANIFEST_FILE).is_file():
        try:
            manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            notes["manifest"] = f"{MANIFEST_FILE} could not be read"
    else:
        notes["manifest"] = f"{MANIFEST_FILE} is missing"

    results = Results(
        results_dir=folder,
        painpoints=painpoints,
        manifest=manifest if isinstance(manifest, dict) else {},
        assignments=_read_optional(folder / ASSIGNMENTS_FILE, notes),
        passages=_read_optional(folder / PASSAGES_FILE, notes, SAFE_PASSAGE_COLUMNS),
        segments=_read_optional(folder / SEGMENTS_FILE, notes, SAFE_SEGMENT_COLUMNS),
        participants=_read_optional(folder / PARTICIPANTS_FILE, notes),
        personas=_read_optional(folder / PERSONAS_FILE, notes),
        journey=_read_optional(folder / JOURNEY_FILE, notes),
        title=_study_title(folder, study_dir),
        notes=notes,
        stability=_read_evidence(folder / STABILITY_FILE),
        stability_runs=_read_evidence(folder / STABILITY_RUNS_FILE),
        saturation=_read_evidence(folder / SATURATION_FILE),
        impact=_read_evidence(folder / IMPACT_FILE),
    )
    if results.personas is None or results.journey is None:
        _build_personas_and_journey(results)
    return results


def _read_optional(path: Path, notes: dict[str, str], columns: Iterable[str] | None = None) -> pd.DataFrame | None:
    """An optional table, or None (with a note) when it is absent or broken; only ``columns`` are read."""
    if not path.is_file():
        notes[path.stem] = f"{path.name} is not in the results folder"
        return None
    try:
        if columns is None:
            return pd.read_parquet(path)
        import pyarrow.parquet as pq

        present = set(pq.read_schema(path).names)
        return pd.read_parquet(path, columns=[c for c in columns if c in present])
    except Exception as error:  # noqa: BLE001 - an optional table must never stop the report
        notes[path.stem] = f"{path.name} could not be read ({type(error).__name__})"
        return None


def _read_evidence(path: Path) -> pd.DataFrame:
    """An evidence table, or an empty one when it is absent or unreadable (older results: "not measured").

    Example:
        >>> _read_evidence(Path("no/such/stability.parquet")).empty
        True
    """
    if not path.is_file():
        return pd.DataFrame()
    try:
        return pd.read_parquet(path)
    except Exception:  # noqa: BLE001 - an optional table must never stop the report
        return pd.DataFrame()


def _study_title(folder: Path, study_dir: Path | str | None) -> str | None:
    candidates = [Path(study_dir)] if study_dir is not None else []
    if folder.name == ".workbench":
        candidates.append(folder.parent)
    for candidate in candidates:
        if (candidate / "study.toml").is_file():
            try:
                from workbench.config import load_study_config

                name = load_study_config(candidate).name
            except WorkbenchError:
                continue
            if name and name != "Untitled study":
                return name
    return None


def _build_personas_and_journey(results: Results) -> None:
    """Build personas and the journey from the saved tables when the analysis did not save them."""
    try:
        from workbench.personas import build_personas_and_journey
    except ImportError:
        return
    try:
        personas, journey, _info = build_personas_and_journey(results.results_dir)
    except WorkbenchError as error:
        results.notes["personas"] = str(error)
        return
    except Exception as error:  # noqa: BLE001 - an optional part must never stop the report
        results.notes["personas"] = f"personas could not be built ({type(error).__name__}: {error})"
        return
    if results.personas is None and personas is not None:
        results.personas = personas
        results.notes.pop("personas", None)
        if personas.empty and isinstance(_info, dict) and _info.get("reason"):
            results.notes["personas"] = str(_info["reason"])
    if results.journey is None and journey is not None:
        results.journey = journey
        results.notes.pop("journey", None)


# ---------------------------------------------------------------------------------------- rendering


def render_html(results: Results) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, no script, no external link).

    Customer text is escaped: a quote can never become markup.

    Example:
        >>> table = pd.DataFrame([{"painpoint_id": "PP01", "label": "Refunds take <weeks>", "severity": 71.0,
        ...     "quote_texts": ["Six weeks and still no refund."]}])
        >>> page = render_html(Results(Path("results"), table))
        >>> page.startswith("<!DOCTYPE html>"), "Refunds take &lt;weeks&gt;" in page
        (True, True)
    """
    return _html_environment().get_template("report.html.j2").render(**build_context(results, charts=True))


def render_markdown(results: Results) -> str:
    """The report as Markdown, with customer text escaped (no HTML, no links, no headings can slip in).

    Example:
        >>> table = pd.DataFrame([{"painpoint_id": "PP01", "label": "Refunds | <weeks>", "severity": 71.0}])
        >>> text = render_markdown(Results(Path("results"), table))
        >>> "### 1. Refunds \\\\| &lt;weeks&gt;" in text
        True
    """
    return _markdown_environment().get_template("report.md.j2").render(**build_context(results, charts=False))


def render_pdf(results: Results, path: Path | str) -> int:
    """Print the HTML report to an A4 PDF with WeasyPrint; return the number of pages.

    Nothing outside the file is fetched (the page has no external reference and the
    fetcher refuses any). The file is written atomically.

    Example:
        >>> import tempfile
        >>> table = pd.DataFrame([{"painpoint_id": "PP01", "label": "Refunds take weeks", "severity": 71.0}])
        >>> target = Path(tempfile.mkdtemp()) / "report.pdf"
        >>> render_pdf(Results(Path("results"), table), target) >= 1
        True
        >>> target.read_bytes()[:5]
        b'%PDF-'
    """
    import logging
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "HarfBuzz-Subset will be required…"
        from weasyprint import HTML

        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("fontTools").setLevel(logging.ERROR)
        try:
            document = HTML(string=render_html(results), url_fetcher=_refuse_fetch).render()
        except Exception as error:  # noqa: BLE001 - a layout engine failure, not the user's data
            raise WorkbenchError(
                f"{path}: the PDF could not be laid out ({type(error).__name__}: {error}); "
                "write the report as .html and print it from a browser instead"
            ) from error
    atomic_write(Path(path), lambda tmp: document.write_pdf(tmp), mode=REPORT_MODE)
    return len(document.pages)


def write_report(results_dir: Path | str, out: Path | str, study_dir: Path | str | None = None) -> WrittenReport:
    """Render the results in ``results_dir`` to ``out``; the format follows the suffix (.html, .md, .pdf).

    Raises:
        WorkbenchError: unknown suffix, or no results in ``results_dir``.

    Example:
        >>> write_report("results", Path("report.docx"))
        Traceback (most recent call last):
        ...
        workbench.errors.WorkbenchError: report.docx: unknown report format '.docx'; use .html, .md or .pdf
    """
    out = Path(out)
    kind = FORMATS.get(out.suffix.lower())
    if kind is None:
        raise WorkbenchError(f"{out}: unknown report format '{out.suffix or '(none)'}'; use .html, .md or .pdf")
    results = load_results(results_dir, study_dir=study_dir)
    pages: int | None = None
    if kind == "pdf":
        pages = render_pdf(results, out)
    else:
        text = render_html(results) if kind == "html" else render_markdown(results)
        atomic_write(out, lambda tmp: tmp.write_text(text, encoding="utf-8"), mode=REPORT_MODE)
    return WrittenReport(out, kind, pages, out.stat().st_size)


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the report fetches nothing from outside the file (asked for {url[:80]})")


def _html_environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["signed"] = format_signed
    env.filters["css_string"] = css_string
    return env


def _markdown_environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=False, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      finalize=_markdown_finalize)
    env.filters["signed"] = format_signed
    return env


def _markdown_finalize(value: Any) -> Any:
    """Every value printed by the Markdown template is escaped unless it is ``Markup`` (trusted)."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return escape_markdown(value)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#])")
_MARKDOWN_LINE_START = re.compile(r"^([-+=~])")
_MARKDOWN_ORDERED = re.compile(r"^(\d+)([.)])")


def escape_markdown(text: str) -> str:
    """Make customer text inert in Markdown: no HTML, link, code, emphasis, table cell or heading.

    Line breaks become spaces, so one quote stays on one line of a list or table.

    Example:
        >>> escape_markdown("# <script>alert(1)</script> | `rm` [x](y)")
        '\\\\# &lt;script&gt;alert(1)&lt;/script&gt; \\\\| \\\\`rm\\\\` \\\\[x\\\\](y)'
        >>> print(escape_markdown("- not a list"), escape_markdown("1. not a list"), escape_markdown("R&D &lt;"))
        \\- not a list 1\\. not a list R&amp;D &amp;lt;
    """
    text = re.sub(r"\s+", " ", str(text)).strip().replace("&", "&amp;")  # "&lt;" typed stays "&lt;"
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    # a value printed at the start of a line must open no list, rule or setext heading ("- x", "1. x", "===")
    text = _MARKDOWN_LINE_START.sub(r"\\\1", text)
    return _MARKDOWN_ORDERED.sub(r"\1\\\2", text)


def css_string(text: str) -> Markup:
    """Text safe inside a double-quoted CSS string in a ``<style>`` element (page footer).

    Example:
        >>> str(css_string('Study "A" </style> {1}'))
        "Study 'A' /style 1"
    """
    cleaned = re.sub(r"[\\<>{}\n\r\t]", "", str(text)).replace('"', "'")
    return Markup(cleaned[:120])


def shorten_quote(text: str, max_words: int = MAX_QUOTE_WORDS) -> str:
    """A quote cut to about ``max_words`` words, at a sentence end where one is close, marked with "…".

    Example:
        >>> shorten_quote("It crashed. " + "word " * 80, max_words=10)
        'It crashed. word word word word word word word word…'
        >>> shorten_quote("Short and sweet.")
        'Short and sweet.'
    """
    words = str(text).split()
    if len(words) <= max_words:
        return " ".join(words)
    head = " ".join(words[:max_words])
    cut = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    if cut >= 0.6 * len(head):
        return head[: cut + 1] + " …"
    return head.rstrip(",;:—-") + "…"


def format_signed(value: float | None, digits: int = 2) -> str:
    """A sentiment with its sign and a typographic minus.

    Example:
        >>> format_signed(-0.4567), format_signed(0.2), format_signed(None)
        ('−0.46', '+0.20', '–')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:+.{digits}f}"
    return text.replace("-", "−")


# ---------------------------------------------------------------------------------------- the view


def build_context(results: Results, charts: bool = True) -> dict[str, Any]:
    """Everything the templates print, as plain values (strings, numbers, lists, dicts).

    Args:
        results: the loaded results.
        charts: also build the inline SVG charts (HTML and PDF only).

    Example:
        >>> table = pd.DataFrame([{"painpoint_id": "PP01", "label": "Refunds take weeks", "severity": 71.0}])
        >>> context = build_context(Results(Path("results"), table), charts=False)
        >>> context["painpoints"][0]["label"], context["personas"]["available"]
        ('Refunds take weeks', False)
    """
    speakers = _speaker_lookup(results)
    counts = _counts(results)
    painpoints = _painpoint_cards(results, speakers, counts)
    evidence = _evidence_view(results, painpoints, charts)
    other = _other_bucket(results, counts)
    personas = _personas_view(results, counts, speakers)
    journey = _journey_view(results, personas, charts)
    manifest = results.manifest
    created = str(manifest.get("created_at") or "")
    return {
        "study_name": results.study_name,
        "analysed_on": created[:10],
        "generated_on": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        "counts": counts,
        "summary": _summary(painpoints, personas, journey),
        "painpoints": painpoints,
        "other": other,
        "personas": personas,
        "journey": journey,
        "evidence": evidence,
        "method": _method(results, counts, other),
        "version": _workbench_version(),
    }


def _workbench_version() -> str:
    try:
        from workbench import __version__

        return __version__
    except ImportError:  # pragma: no cover
        return "unknown"


def _counts(results: Results) -> dict[str, Any]:
    segments = results.segments
    interviewees = 0
    interviews = 0
    feedback_items = 0
    feedback_sources = 0
    if results.participants is not None and "participant_id" in results.participants.columns:
        interviewees = int(results.participants["participant_id"].nunique())
    if segments is not None and "source_kind" in segments.columns:
        kind = segments["source_kind"].astype("string")
        interview_rows = segments[kind == "interview"]
        feedback_rows = segments[kind == "feedback"]
        if "source_id" in segments.columns:
            interviews = int(interview_rows["source_id"].nunique())
            feedback_sources = int(feedback_rows["source_id"].nunique())
        feedback_items = len(feedback_rows)
        if not interviewees and "participant_id" in segments.columns:
            interviewees = int(interview_rows["participant_id"].dropna().nunique())
    manifest_counts = results.manifest.get("counts", {}) if isinstance(results.manifest.get("counts"), dict) else {}
    units = len(results.passages) if results.passages is not None else int(manifest_counts.get("passages", 0) or 0)
    if not units and "n_units" in results.painpoints.columns:
        units = int(pd.to_numeric(results.painpoints["n_units"], errors="coerce").fillna(0).sum())
    n_painpoints = int((~_is_other(results.painpoints)).sum())
    return {
        "interviewees": interviewees,
        "interviews": interviews or interviewees,
        "feedback_items": feedback_items,
        "feedback_sources": feedback_sources,
        "units": units,
        "segments": int(manifest_counts.get("segments", len(segments) if segments is not None else 0) or 0),
        "painpoints": n_painpoints,
    }


def _is_other(painpoints: pd.DataFrame) -> pd.Series:
    ids = painpoints["painpoint_id"].astype(str).str.lower()
    other = ids == OTHER_ID
    if "kind" in painpoints.columns:
        other |= painpoints["kind"].astype(str) == "other"
    return other


def _value(row: Mapping[str, Any], name: str, default: Any = None) -> Any:
    value = row.get(name, default)
    if value is None:
        return default
    if isinstance(value, float) and math.isnan(value):
        return default
    try:
        if value is pd.NA or value is pd.NaT:
            return default
    except TypeError:  # pragma: no cover
        pass
    return value


def _as_list(value: Any) -> list[Any]:
    """A list from a list, array, tuple, JSON text or scalar (None/NaN: empty)."""
    if value is None:
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith(("[", "{")):
            try:
                return _as_list(json.loads(stripped))
            except ValueError:
                pass
        return [value] if stripped else []
    if isinstance(value, Mapping):
        return [value]
    if hasattr(value, "tolist") and not isinstance(value, (int, float)):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [v for v in value if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if isinstance(value, float) and math.isnan(value):
        return []
    return [value]


def _as_mapping(value: Any) -> dict[str, Any]:
    """A dict from a dict, JSON text, or a list of (key, value) pairs / {key, value} records."""
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items() if v is not None}
    items = _as_list(value)
    result: dict[str, Any] = {}
    for item in items:
        if isinstance(item, Mapping) and "key" in item:
            result[str(item["key"])] = item.get("value")
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            result[str(item[0])] = item[1]
    return result


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist") and not isinstance(value, str):
        return ", ".join(_text(v) for v in _as_list(value))
    if isinstance(value, float):
        return f"{value:.0%}" if 0 < value < 1 else f"{value:g}"
    return str(value)


def _speaker_lookup(results: Results) -> dict[str, dict[str, str]]:
    """segment_id -> who said it ("P07, interview" / "App Store review") and its redacted text."""
    segments = results.segments
    if segments is None or "segment_id" not in segments.columns:
        return {}
    lookup: dict[str, dict[str, str]] = {}
    for row in segments.to_dict("records"):
        lookup[str(row["segment_id"])] = {
            "who": _source_label(row),
            "participant_id": str(_value(row, "participant_id", "") or ""),
            "text": str(_value(row, "text_redacted", "") or ""),
        }
    return lookup


def _source_label(row: Mapping[str, Any]) -> str:
    """Who a segment is from, in readers' words: "P07, interview", "App Store review", "Support email".

    Example:
        >>> _source_label({"source_kind": "interview", "participant_id": "P07"})
        'P07, interview'
        >>> _source_label({"source_kind": "feedback", "source_id": "feedback/app_store_reviews.csv", "channel": "App Store"})
        'App Store review'
        >>> _source_label({"source_kind": "feedback", "source_id": "feedback/post_trip_survey.xlsx", "channel": "App"})
        'Post-trip survey (App)'
    """
    kind = str(_value(row, "source_kind", "") or "")
    if kind == "interview":
        who = _value(row, "participant_id") or _value(row, "speaker") or "Interviewee"
        return f"{who}, interview"
    source = Path(str(_value(row, "source_id", "") or "feedback")).stem
    words = [w for w in re.split(r"[_\-\s]+", source) if w]
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    name = " ".join(words) or "feedback"
    name = re.sub(r"\bpost trip\b", "post-trip", name, flags=re.IGNORECASE)
    name = re.sub(r"\bemail\b", "email", name, flags=re.IGNORECASE)
    channel = str(_value(row, "channel", "") or "").strip()
    lowered = name.lower()
    if channel and "review" in lowered and channel.lower().replace(" ", "_") in source.lower():
        return f"{channel} review"
    if channel and "review" in lowered and channel.lower() in ("app store", "google play", "play store", "trustpilot"):
        return f"{channel} review"
    label = name[:1].upper() + name[1:]
    if channel and channel.lower() not in lowered and channel.lower() not in ("email", "e-mail", "interview"):
        label += f" ({channel})"
    return label


def _reach_text(participants: int, total: int, feedback: int) -> str:
    """ "raised by 9 of 18 interviewees and 41 feedback items".

    Example:
        >>> _reach_text(9, 18, 41), _reach_text(0, 18, 1), _reach_text(3, 18, 0)
        ('raised by 9 of 18 interviewees and 41 feedback items', 'raised in 1 feedback item', 'raised by 3 of 18 interviewees')
    """
    parts = []
    if participants:
        parts.append(f"by {participants} of {total} interviewee{'s' if total != 1 else ''}" if total
                     else f"by {participants} interviewee{'s' if participants != 1 else ''}")
    if feedback:
        items = f"{feedback} feedback item{'s' if feedback != 1 else ''}"
        parts.append(f"and {items}" if parts else f"in {items}")
    return "raised " + " ".join(parts) if parts else "raised by no identified customer"


def _sentiment_word(value: float | None) -> str:
    if value is None:
        return "unknown"
    if value <= -0.4:
        return "very negative"
    if value <= -0.1:
        return "negative"
    if value < 0.1:
        return "mixed"
    if value < 0.4:
        return "positive"
    return "very positive"


def _severity_level(severity: float) -> str:
    if severity >= 70:
        return "critical"
    if severity >= 50:
        return "high"
    if severity >= 30:
        return "medium"
    return "low"


def _feedback_counts(results: Results) -> dict[str, int] | None:
    """Distinct feedback items per pain point (a long item split into passages counts once); None: unknown."""
    assignments, segments = results.assignments, results.segments
    if assignments is None or segments is None or not {"segment_id", "painpoint_id"} <= set(assignments.columns):
        return None
    if "source_kind" not in segments.columns or "segment_id" not in segments.columns:
        return None
    kinds = segments.set_index("segment_id")["source_kind"].astype(str)
    merged = assignments[["segment_id", "painpoint_id"]].copy()
    merged["kind"] = merged["segment_id"].map(kinds)
    feedback = merged[merged["kind"] == "feedback"]
    return {str(k): int(v) for k, v in feedback.groupby("painpoint_id")["segment_id"].nunique().items()}


def _painpoint_cards(results: Results, speakers: dict[str, dict[str, str]], counts: dict[str, Any]) -> list[dict]:
    table = results.painpoints
    table = table[~_is_other(table)]
    if "rank" in table.columns:
        table = table.sort_values("rank", kind="stable")
    elif "severity" in table.columns:
        table = table.sort_values("severity", ascending=False, kind="stable")
    feedback_counts = _feedback_counts(results)
    cards = []
    for position, row in enumerate(table.to_dict("records"), start=1):
        pid = str(row["painpoint_id"])
        severity = float(_value(row, "severity", 0.0) or 0.0)
        participants = int(_value(row, "n_participants", 0) or 0)
        feedback = (feedback_counts.get(pid, 0) if feedback_counts is not None
                    else int(_value(row, "n_feedback_items", 0) or 0))
        sentiment = _value(row, "sentiment_mean")
        sentiment = float(sentiment) if sentiment is not None else None
        quote_ids = [str(q) for q in _as_list(_value(row, "quotes"))]
        quote_texts = [str(q) for q in _as_list(_value(row, "quote_texts"))]
        quotes = []
        for index, text in enumerate(quote_texts[:MAX_QUOTES]):
            segment = quote_ids[index] if index < len(quote_ids) else None
            who = speakers.get(segment, {}).get("who", "") if segment else ""
            if text.strip():
                quotes.append({"text": shorten_quote(text), "who": who})
        if not quotes and quote_ids:  # only ids saved: take the redacted segment text
            for segment in quote_ids[:MAX_QUOTES]:
                if segment in speakers and speakers[segment]["text"]:
                    quotes.append({"text": shorten_quote(speakers[segment]["text"]), "who": speakers[segment]["who"]})
        cards.append(
            {
                "rank": int(_value(row, "rank", position) or position),
                "position": position,
                "id": pid,
                "anchor": re.sub(r"[^A-Za-z0-9_-]", "-", pid),
                "label": str(_value(row, "label", pid)),
                "severity": severity,
                "severity_text": f"{severity:.0f}",
                "severity_width": max(2.0, min(100.0, severity)),
                "level": _severity_level(severity),
                "kind": str(_value(row, "kind", "") or ""),
                "dimension": str(_value(row, "dimension", "") or ""),
                "touchpoint": str(_value(row, "touchpoint", "") or ""),
                "stage": str(_value(row, "stage", "") or ""),
                "n_participants": participants,
                "n_feedback": feedback,
                "n_units": int(_value(row, "n_units", _value(row, "n_segments", 0)) or 0),
                "reach_text": _reach_text(participants, counts["interviewees"], feedback),
                "share_participants": float(_value(row, "share_participants", 0.0) or 0.0),
                "sentiment": sentiment,
                "sentiment_word": _sentiment_word(sentiment),
                "quotes": quotes,
                "keywords": [str(k) for k in _as_list(_value(row, "keywords"))][:8],
            }
        )
    return cards


def _other_bucket(results: Results, counts: dict[str, Any]) -> dict[str, Any]:
    table = results.painpoints
    rows = table[_is_other(table)]
    n_units = 0
    if len(rows):
        row = rows.iloc[0].to_dict()
        n_units = int(_value(row, "n_units", _value(row, "n_segments", 0)) or 0)
    total = counts["units"] or 0
    share = n_units / total if total else 0.0
    return {"n_units": n_units, "total": total, "share": share, "share_text": f"{share:.1%}"}


# ---------------------------------------------------------------------------------------- personas


def _personas_view(results: Results, counts: dict[str, Any], speakers: dict[str, dict[str, str]]) -> dict[str, Any]:
    personas = results.personas
    interviewees = counts["interviewees"]
    if personas is None or personas.empty:
        if interviewees and interviewees < MIN_INTERVIEWEES_FOR_PERSONAS:
            reason = (
                f"This study has {interviewees} interviewee{'s' if interviewees != 1 else ''}; personas need at "
                f"least {MIN_INTERVIEWEES_FOR_PERSONAS}, so none were built. Interview more customers to see "
                "who they are as groups."
            )
        elif not interviewees:
            reason = ("This study has no interviewees (feedback only); personas are built from interviewees, "
                      "so none were built.")
        else:
            note = results.notes.get("personas")
            reason = "Personas are not available in these results" + (f" ({note})." if note else ".")
        return {"available": False, "reason": reason, "cards": [], "sentence": ""}

    painpoint_labels = {str(p): str(l) for p, l in zip(results.painpoints["painpoint_id"], results.painpoints["label"])}
    cards = []
    for index, row in enumerate(personas.to_dict("records")):
        name = str(_value(row, "name", f"Persona {index + 1}"))
        share = _value(row, "share")
        size = _value(row, "size")
        members = [str(m) for m in _as_list(_value(row, "members"))]
        if size is None:
            size = len(members)
        if share is None and interviewees:
            share = int(size) / interviewees
        attributes = _persona_attributes(_value(row, "attributes"))
        touchpoints = _persona_touchpoints(row)
        frustrations = [_frustration_text(f, painpoint_labels) for f in _as_list(_value(row, "frustrations"))]
        if not frustrations:
            frustrations = [painpoint_labels.get(str(p), str(p)) for p in _as_list(_value(row, "top_painpoints"))]
        cards.append(
            {
                "id": str(_value(row, "persona_id", f"persona-{index + 1}")),
                "name": name,
                "colour": PERSONA_COLOURS[index % len(PERSONA_COLOURS)],
                "summary": str(_value(row, "summary", "") or ""),
                "size": int(size or 0),
                "share": float(share or 0.0),
                "share_text": f"{float(share or 0.0):.0%}",
                "attributes": attributes,
                "goals": [_text(g) for g in _as_list(_value(row, "goals"))],
                "frustrations": [f for f in frustrations if f],
                "preferred": touchpoints["preferred"],
                "avoided": touchpoints["avoided"],
                "quotes": _persona_quotes(_value(row, "quotes"), speakers, _as_list(_value(row, "quote_participants"))),
                "n_feedback": int(_value(row, "n_feedback_items", 0) or 0),
                "design_for": str(_value(row, "design_for", "") or ""),
                "members": members,
            }
        )
    sentence = _persona_sentence(cards)
    return {"available": True, "reason": "", "cards": cards, "sentence": sentence}


def _persona_attributes(value: Any) -> list[dict[str, str]]:
    """Attribute rows of a card; ``{"loyalty_tier": {"Gold": 0.5, "Silver": 0.5}}`` → "Gold 50%, Silver 50%"."""
    mapping = _as_mapping(value)
    if mapping:
        rows = []
        for key, shares in mapping.items():
            if isinstance(shares, Mapping):
                ordered = sorted(shares.items(), key=lambda item: -float(item[1] or 0))
                text = ", ".join(str(k) if float(v or 0) >= 0.999 else f"{k} {float(v or 0):.0%}" for k, v in ordered)
            else:
                text = _text(shares)
            if text:
                rows.append({"name": str(key).replace("_", " "), "value": text})
        return rows
    return [{"name": "", "value": _text(v)} for v in _as_list(value) if _text(v)]


def _persona_touchpoints(row: Mapping[str, Any]) -> dict[str, list[str]]:
    preferred = [_text(t) for t in _as_list(_value(row, "preferred_touchpoints"))]
    avoided = [_text(t) for t in _as_list(_value(row, "avoided_touchpoints"))]
    mapping = _as_mapping(_value(row, "touchpoints"))
    if mapping and (not preferred and not avoided):
        for key, value in mapping.items():
            target = avoided if key.lower().startswith(("avoid", "worst", "disliked", "pain")) else preferred
            target.extend(_text(v) for v in _as_list(value))
    elif not preferred and not avoided:
        preferred = [_text(t) for t in _as_list(_value(row, "touchpoints")) if not isinstance(t, Mapping)]
    return {"preferred": [t for t in preferred if t], "avoided": [t for t in avoided if t]}


def _frustration_text(value: Any, labels: dict[str, str]) -> str:
    if isinstance(value, Mapping):
        return str(value.get("label") or labels.get(str(value.get("painpoint_id")), "") or "")
    text = str(value)
    return labels.get(text, text)


def _persona_quotes(value: Any, speakers: dict[str, dict[str, str]], participants: list[Any] | None = None
                    ) -> list[dict[str, str]]:
    quotes = []
    participants = participants or []
    for index, item in enumerate(_as_list(value)[:MAX_PERSONA_QUOTES]):
        if isinstance(item, Mapping):
            text = str(item.get("text") or item.get("quote") or item.get("text_redacted") or "")
            who = str(item.get("who") or item.get("speaker") or item.get("participant_id") or "")
            segment = str(item.get("segment_id") or "")
            if not text and segment in speakers:
                text = speakers[segment]["text"]
            if not who and segment in speakers:
                who = speakers[segment]["who"]
            if who and re.fullmatch(r"P\d+", who):
                who = f"{who}, interview"
        else:
            text = str(item)
            who = f"{participants[index]}, interview" if index < len(participants) and participants[index] else ""
            if text in speakers:  # a segment id
                text, who = speakers[text]["text"], speakers[text]["who"]
        if text.strip():
            quotes.append({"text": shorten_quote(text), "who": who})
    return quotes


def _persona_sentence(cards: list[dict[str, Any]]) -> str:
    if not cards:
        return ""
    names = [f"{c['name']} ({c['share_text']})" for c in cards]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    number = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six"}.get(len(cards), str(len(cards)))
    return f"{number} persona{'s' if len(cards) != 1 else ''} of interviewees: {listed}."


# ---------------------------------------------------------------------------------------- journey


def _stage_order(stages: Iterable[str]) -> list[str]:
    """Stages in journey order (``unknown`` last), as :func:`workbench.journey.ordered_stages`."""
    present = [s for s in dict.fromkeys(str(s) for s in stages) if s and s not in ("None", "nan")]
    try:
        from workbench.journey import ordered_stages

        return ordered_stages(present)
    except ImportError:  # pragma: no cover - journey module absent
        from workbench.lenses import STAGE_LABELS

        known = [s for s in STAGE_LABELS if s in present]
        return known + sorted(s for s in present if s not in known)


def _touchpoint_order(touchpoints: Iterable[str]) -> list[str]:
    """Touchpoints in map order (``unknown`` last), as :func:`workbench.journey.ordered_touchpoints`."""
    present = [t for t in dict.fromkeys(str(t) for t in touchpoints) if t and t not in ("None", "nan")]
    try:
        from workbench.journey import ordered_touchpoints

        return ordered_touchpoints(present)
    except ImportError:  # pragma: no cover - journey module absent
        from workbench.lenses import TOUCHPOINT_LABELS

        known = [t for t in TOUCHPOINT_LABELS if t in present]
        return known + sorted(t for t in present if t not in known)


def _sentiment_colour(value: float | None) -> str:
    """Diverging red–white–green background for a sentiment in [-1, 1] (scaled so ±0.5 is full colour)."""
    if value is None:
        return "#f3f4f6"
    x = max(-1.0, min(1.0, value / 0.5))
    white = (255, 255, 255)
    target = (214, 69, 65) if x < 0 else (46, 160, 100)
    t = abs(x) * 0.85
    rgb = [round(w + (c - w) * t) for w, c in zip(white, target)]
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _journey_view(results: Results, personas: dict[str, Any], charts: bool) -> dict[str, Any]:
    journey = results.journey
    if journey is None or journey.empty or not {"stage", "touchpoint"} <= set(journey.columns):
        note = results.notes.get("journey")
        return {
            "available": False,
            "reason": "The journey map is not available in these results" + (f" ({note})." if note else "."),
            "stages": [], "touchpoints": [], "rows": [], "effectiveness": [], "worst": None,
            "emotion": {"available": False, "reason": "", "svg": "", "table": [], "stages": []},
        }
    journey = journey.copy()
    units_column = "n_units" if "n_units" in journey.columns else "n_segments"
    journey["_units"] = pd.to_numeric(journey.get(units_column, 0), errors="coerce").fillna(0)
    journey["_sentiment"] = pd.to_numeric(journey.get("sentiment_mean"), errors="coerce")
    journey["_pain"] = pd.to_numeric(journey["pain_share"], errors="coerce") if "pain_share" in journey else float("nan")
    stages = _stage_order(journey["stage"])
    touchpoints = _touchpoint_order(journey["touchpoint"])
    cells = {(str(r["stage"]), str(r["touchpoint"])): r for r in journey.to_dict("records")}
    max_units = max(float(journey["_units"].max() or 0), 1.0)
    rows = []
    for touchpoint in touchpoints:
        row_cells = []
        for stage in stages:
            cell = cells.get((stage, touchpoint))
            if cell is None or not cell["_units"]:
                row_cells.append({"empty": True, "units": 0, "colour": "#ffffff", "sentiment": None, "top": "",
                                  "pain_text": ""})
                continue
            sentiment = None if pd.isna(cell["_sentiment"]) else float(cell["_sentiment"])
            pain = None if pd.isna(cell["_pain"]) else float(cell["_pain"])
            row_cells.append(
                {
                    "empty": False,
                    "units": int(cell["_units"]),
                    "sentiment": sentiment,
                    "colour": _sentiment_colour(sentiment),
                    "weight": "700" if cell["_units"] >= max_units * 0.5 else "500",
                    "top": str(_value(cell, "top_painpoint_label", "") or ""),
                    "pain_text": f"{pain:.0%} pain" if pain is not None else "",
                }
            )
        rows.append({"touchpoint": touchpoint, "cells": row_cells})
    effectiveness = _stage_effectiveness(results, journey, stages)
    worst = _worst_stage(effectiveness)
    emotion = _emotion_view(results, personas, stages, charts)
    return {
        "available": True,
        "reason": "",
        "stages": stages,
        "touchpoints": touchpoints,
        "rows": rows,
        "effectiveness": effectiveness,
        "worst": worst,
        "emotion": emotion,
    }


def _stage_effectiveness(results: Results, journey: pd.DataFrame, stages: list[str]) -> list[dict[str, Any]]:
    """Per stage: units, mean sentiment, pain share, most raised pain point, effectiveness 0–100.

    Effectiveness is :func:`workbench.journey.stage_effectiveness`:
    ``50 × (1 + sentiment) × (1 − 0.5 × pain share)``.
    """
    scores: dict[str, float] = {}
    try:
        from workbench.journey import stage_effectiveness

        matrix = journey.assign(n_units=journey["_units"], sentiment_mean=journey["_sentiment"].fillna(0.0),
                                pain_share=journey["_pain"].fillna(0.0))
        table = stage_effectiveness(matrix)
        scores = {str(r["stage"]): float(r["effectiveness"]) for r in table.to_dict("records")}
    except Exception:  # noqa: BLE001 - journey module absent or changed: use the same formula here
        scores = {}
    rows = []
    for stage in stages:
        part = journey[journey["stage"].astype(str) == stage]
        units = float(part["_units"].sum())
        if not units:
            continue
        weights = part["_units"]
        sentiment = float((part["_sentiment"].fillna(0) * weights).sum() / units)
        pain = float((part["_pain"].fillna(0) * weights).sum() / units) if part["_pain"].notna().any() else None
        top = ""
        if "top_painpoint_label" in part.columns:
            labelled = part.dropna(subset=["top_painpoint_label"])
            if len(labelled):
                by_label = labelled.groupby(labelled["top_painpoint_label"].astype(str))["_units"].sum()
                top = str(by_label.sort_values(ascending=False, kind="stable").index[0])
        score = scores.get(stage)
        if score is None:
            score = 50.0 * (1.0 + sentiment) * (1.0 - 0.5 * (pain or 0.0))
        score = max(0.0, min(100.0, score))
        rows.append(
            {
                "stage": stage,
                "units": int(units),
                "sentiment": sentiment,
                "sentiment_word": _sentiment_word(sentiment),
                "pain_share": pain,
                "pain_text": f"{pain:.0%}" if pain is not None else "–",
                "top": top,
                "score": score,
                "score_text": f"{score:.0f}",
                "level": _severity_level(100 - score),
            }
        )
    return rows


def _worst_stage(effectiveness: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The stage with the lowest effectiveness among stages holding at least 5% of the units."""
    known = [r for r in effectiveness if r["stage"] != "unknown"]
    total = sum(r["units"] for r in known)
    candidates = [r for r in known if total and r["units"] >= 0.05 * total] or known
    if not candidates:
        return None
    return min(candidates, key=lambda r: (r["score"], r["sentiment"]))


def _emotion_view(results: Results, personas: dict[str, Any], stages: list[str], charts: bool) -> dict[str, Any]:
    """Mean sentiment per persona and stage (:func:`workbench.journey.emotion_curve`), with an SVG chart."""
    unavailable = {"available": False, "svg": "", "table": [], "stages": [], "series": []}
    passages = results.passages
    cards = personas.get("cards", [])
    if passages is None or "sentiment" not in passages.columns:
        return {**unavailable, "reason": "The emotion curve needs the passages with their sentiment."}
    if not cards:
        return {**unavailable, "reason": "The emotion curve is drawn per persona; there are no personas in these results."}
    try:
        from workbench.journey import emotion_curve

        membership = {member: card["id"] for card in cards for member in card["members"]}
        curve = emotion_curve(passages, membership, results.assignments, include_all=True)
    except Exception as error:  # noqa: BLE001 - an optional chart must never stop the report
        return {**unavailable, "reason": f"The emotion curve could not be computed ({type(error).__name__})."}
    curve = curve[curve["stage"].astype(str) != "unknown"]
    curve_stages = _stage_order(curve["stage"])
    if not curve_stages:
        return {**unavailable, "reason": "No interviewee passage has a journey stage, so there is no emotion curve."}
    means = {(str(r["persona_id"]), str(r["stage"])): r["sentiment_mean"] for r in curve.to_dict("records")}

    def values(persona_id: str) -> list[float | None]:
        found = [means.get((persona_id, stage)) for stage in curve_stages]
        return [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in found]

    series = [{"name": card["name"], "colour": card["colour"], "dashed": False, "values": values(card["id"])}
              for card in cards]
    series.append({"name": "All interviewees", "colour": "#6b7280", "dashed": True, "values": values("all")})
    table = [{"name": s["name"], "colour": s["colour"], "values": [format_signed(v) for v in s["values"]]}
             for s in series]
    return {"available": True, "reason": "", "svg": _emotion_svg(curve_stages, series) if charts else "",
            "table": table, "stages": curve_stages, "series": series}


def _emotion_svg(stages: list[str], series: list[dict[str, Any]]) -> Markup:
    """An inline SVG line chart: mean sentiment per journey stage, one line per persona."""
    width, height = 680, 270
    left, right, top, bottom = 60, 46, 14, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s["values"] if v is not None]
    limit = max(0.5, math.ceil(max((abs(v) for v in values), default=0.5) * 4) / 4)
    step = plot_w / max(len(stages) - 1, 1) if len(stages) > 1 else 0

    def x(i: int) -> float:
        return left + (i * step if len(stages) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + (limit - v) / (2 * limit) * plot_h

    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="Mean sentiment per journey stage" class="chart">',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h / 2:.1f}" fill="#f0faf4"/>',
        f'<rect x="{left}" y="{top + plot_h / 2:.1f}" width="{plot_w}" height="{plot_h / 2:.1f}" fill="#fdf2f2"/>',
    ]
    for tick in (limit, limit / 2, 0.0, -limit / 2, -limit):
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                     f'stroke="{"#9ca3af" if tick == 0 else "#e5e7eb"}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 3.5:.1f}" text-anchor="end" font-size="10" '
                     f'fill="#6b7280">{escape(format_signed(tick, 1) if tick else "0")}</text>')
    for i, stage in enumerate(stages):
        lines = _wrap_label(stage, 14)
        parts.append(f'<line x1="{x(i):.1f}" x2="{x(i):.1f}" y1="{top}" y2="{top + plot_h}" stroke="#f3f4f6"/>')
        for j, line in enumerate(lines):
            parts.append(f'<text x="{x(i):.1f}" y="{top + plot_h + 16 + 12 * j}" text-anchor="middle" '
                         f'font-size="10.5" fill="#374151">{escape(line)}</text>')
    for s in series:
        dash = ' stroke-dasharray="5 4"' if s["dashed"] else ""
        run: list[str] = []
        runs = []
        for i, v in enumerate(s["values"]):
            if v is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(f"{x(i):.1f},{y(v):.1f}")
        if run:
            runs.append(run)
        for points in runs:
            if len(points) > 1:
                parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{s["colour"]}" '
                             f'stroke-width="2.2" stroke-linejoin="round"{dash}/>')
        for i, v in enumerate(s["values"]):
            if v is not None:
                parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.2" fill="{s["colour"]}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _wrap_label(text: str, width: int) -> list[str]:
    words, lines, line = str(text).replace("/", "/ ").split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip() if not line.endswith("/") else f"{line}{word}"
        if len(candidate) > width and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines[:3]


# ---------------------------------------------------------------------------------------- summary, method


def _summary(painpoints: list[dict], personas: dict[str, Any], journey: dict[str, Any]) -> dict[str, Any]:
    pains = [p for p in painpoints if p["kind"] in ("pain", "mixed", "")] or painpoints
    top = pains[:3]
    delights = [p for p in painpoints if p["kind"] == "delight"]
    worst = journey.get("worst") if journey.get("available") else None
    return {
        "top": top,
        "delight": delights[0] if delights else None,
        "personas_sentence": personas["sentence"] if personas["available"] else personas["reason"],
        "worst": worst,
    }


SEVERITY_METHOD = (
    "Severity (0–100) weighs three things: reach (45%: the share of voices — interviewees, or single "
    "feedback items — who raise the pain point, relative to the most widespread one), intensity (35%: how "
    "negative its passages are, blended half and half with the share of them that describe a pain moment) "
    "and frequency (20%: its share of all analysed passages, relative to the most frequent one)."
)


def _method(results: Results, counts: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    manifest = results.manifest
    info = manifest.get("info", {}) if isinstance(manifest.get("info"), dict) else {}
    options = manifest.get("options", {}) if isinstance(manifest.get("options"), dict) else {}
    packages = manifest.get("packages", {}) if isinstance(manifest.get("packages"), dict) else {}
    timings = info.get("timings_s", {}) if isinstance(info.get("timings_s"), dict) else {}
    inputs = manifest.get("inputs", {}) if isinstance(manifest.get("inputs"), dict) else {}
    return {
        "available": bool(manifest),
        "embedder": str(info.get("embedder") or options.get("embedder") or "not recorded"),
        "seed": str(info.get("seed", options.get("seed", "not recorded"))),
        "created_at": str(manifest.get("created_at") or "not recorded"),
        "python": str(manifest.get("python") or "not recorded"),
        "platform": str(manifest.get("platform") or ""),
        "packages": [{"name": str(k), "version": str(v)} for k, v in sorted(packages.items()) if v],
        "inputs": [{"name": str(k), "sha": str(v)[:12]} for k, v in sorted(inputs.items())],
        "total_seconds": timings.get("total"),
        "counts": counts,
        "severity_text": SEVERITY_METHOD,
        "other_text": (
            f"{other['n_units']} of {other['total']} passages ({other['share_text']}) fit no pain point well "
            "enough and are kept in Other rather than forced into a theme."
            if other["total"] else "No Other bucket was recorded."
        ),
        "missing": [f"{name}: {why}" for name, why in sorted(results.notes.items())],
    }


# ---------------------------------------------------------------------------------------- evidence


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


_NUMERIC_TEXT = re.compile(r"^[0-9+\-−–.,% ()]*$")


def _numeric(text: str) -> str:
    """Number text the code formatted itself, marked safe so Markdown does not escape "6.6" or "+0.10".

    Anything that is not digits, signs and punctuation stays a plain (escaped) string.

    Example:
        >>> type(_numeric("+0.10")).__name__, type(_numeric("<b>")).__name__
        ('Markup', 'str')
    """
    return Markup(text) if _NUMERIC_TEXT.match(text) else text


def _stability_badge(row: Mapping[str, Any]) -> dict[str, str]:
    """The stability of one pain point for readers: level (stable/moderate/unstable/none) and a line.

    Example:
        >>> badge = _stability_badge({"stability": 0.4, "found_in": 3, "runs": 10})
        >>> badge["level"], badge["text"], str(badge["score"])
        ('unstable', 'unstable: only 3 of 10 reruns found it', '0.40')
        >>> _stability_badge({})["level"]
        'none'
    """
    from workbench.stability import STABLE_AT, UNSTABLE_BELOW, stability_note

    stability = _number(row.get("stability"))
    found_in, runs = _number(row.get("found_in")), _number(row.get("runs"))
    if stability is None:
        return {"level": "none", "text": "not measured", "score": "–"}
    level = "stable" if stability >= STABLE_AT else "unstable" if stability < UNSTABLE_BELOW else "moderate"
    if found_in is None or runs is None:
        text = {"stable": "stable", "unstable": "unstable", "moderate": "boundary moves"}[level]
    else:
        text = stability_note(stability, int(found_in), int(runs))
    return {"level": level, "text": text, "score": _numeric(f"{stability:.2f}")}


def _impact_text(value: float | None, metric: str) -> str:
    """ "+4.4 NPS" / "+0.10 rating" style text of an impact (score without minus score with).

    Example:
        >>> str(_impact_text(4.4375, "NPS (-100..100)")), str(_impact_text(-0.1, "rating (1-5)")), _impact_text(None, "")
        ('+4.4 NPS', '−0.10 rating', '–')
    """
    if value is None:
        return "–"
    # the unit word comes from a fixed list (never from the file), so the text can be marked safe
    word = next((w for w in ("NPS", "CSAT", "rating") if metric.startswith(w)), "")
    text = format_signed(value, 1 if word == "NPS" else 2)
    return Markup(f"{text} {word}".strip()) if _NUMERIC_TEXT.match(text) else text


def _evidence_view(results: Results, cards: list[dict[str, Any]], charts: bool) -> dict[str, Any]:
    """Stability per pain point, the saturation curve and verdict, and impact beside reach (issue 9)."""
    info = results.manifest.get("info", {}) if isinstance(results.manifest.get("info"), dict) else {}
    evidence = info.get("evidence", {}) if isinstance(info.get("evidence"), dict) else {}
    stability_rows = {}
    if not results.stability.empty and "painpoint_id" in results.stability.columns:
        stability_rows = {str(r["painpoint_id"]): r for r in results.stability.to_dict("records")}
    elif "stability" in results.painpoints.columns:
        stability_rows = {str(r["painpoint_id"]): r for r in results.painpoints.to_dict("records")}
    impact = results.impact if {"painpoint_id", "metric", "impact"} <= set(results.impact.columns) else pd.DataFrame()
    primary = ""
    if not impact.empty:
        from workbench.impact import primary_metric

        primary = primary_metric(impact)
    primary_rows = ({str(r["painpoint_id"]): r for r in impact[impact["metric"] == primary].to_dict("records")}
                    if primary else {})
    for card in cards:
        card["stability"] = _stability_badge(stability_rows.get(card["id"], {}))
        row = primary_rows.get(card["id"])
        card["impact_text"] = _impact_text(_number(row["impact"]), primary) if row is not None else "–"

    stability_info = evidence.get("stability", {}) if isinstance(evidence.get("stability"), dict) else {}
    measured = bool(stability_rows)
    per_run = stability_info.get("painpoints_per_run") or {}
    n_stable = sum(1 for c in cards if c["stability"]["level"] == "stable")
    n_unstable = sum(1 for c in cards if c["stability"]["level"] == "unstable")
    stability = {
        "available": measured,
        "n_runs": int(stability_info.get("n_runs") or 0),
        "sentence": (
            f"{n_stable} of {len(cards)} pain points are stable (found again with a mean Jaccard of 0.75 or more "
            f"across {int(stability_info.get('n_runs') or 0)} reruns with other seeds and 80% resamples), "
            f"{n_unstable} unstable (below 0.5)."
            + (f" The reruns found {per_run.get('min')} to {per_run.get('max')} pain points." if per_run else "")
        ) if measured else "Stability was not measured in these results (run `workbench analyze` again).",
    }

    saturation_info = evidence.get("saturation", {}) if isinstance(evidence.get("saturation"), dict) else {}
    table = results.saturation
    needed = {"position", "cumulative_painpoints", "new_painpoints"}
    saturation: dict[str, Any] = {"available": False, "verdict": "", "svg": "", "rows": [], "notes": []}
    if not table.empty and needed <= set(table.columns):
        rows = []
        for r in table.to_dict("records"):
            mean, low, high = (_number(r.get(k)) for k in ("random_order_mean", "random_order_low", "random_order_high"))
            rows.append({
                "position": int(r["position"]),
                "who": str(_value(r, "participant_id", "") or _value(r, "source_id", "") or ""),
                "new": int(r["new_painpoints"]),
                "cumulative": int(r["cumulative_painpoints"]),
                "new_codes": int(_number(r.get("new_codes")) or 0),
                "random_text": _numeric(f"{mean:.1f} ({low:.0f}–{high:.0f})" if None not in (mean, low, high) else "–"),
                "mean": mean, "low": low, "high": high,
            })
        excluded = saturation_info.get("feedback_items_excluded")
        notes = [f"{int(excluded):,} feedback items are not interviews and are left out of the curve."] if excluded else []
        if saturation_info.get("n_codes"):
            notes.append(str(saturation_info.get("codes_verdict") or ""))
        saturation = {
            "available": True,
            "verdict": str(saturation_info.get("verdict") or ""),
            "svg": _saturation_svg(rows) if charts else "",
            "rows": rows,
            "notes": [n for n in notes if n],
            "with_codes": bool(saturation_info.get("n_codes")),
        }

    impact_rows = []
    for r in (impact.to_dict("records") if not impact.empty else []):
        metric = str(r["metric"])
        digits = 1 if metric.startswith("NPS") else 2
        impact_rows.append({
            "label": str(r.get("label", r["painpoint_id"])),
            "id": str(r["painpoint_id"]),
            "metric": metric,
            "n_items": int(r.get("n_items") or 0),
            "reach_text": _numeric(f"{float(r.get('reach') or 0):.0%}"),
            "score_all": _numeric(f"{float(r['score_all']):.{digits}f}"),
            "score_without": _numeric(f"{float(r['score_without']):.{digits}f}"
                                      if _number(r.get("score_without")) is not None else "–"),
            "impact_text": _numeric(format_signed(_number(r["impact"]), digits)),
            "drags": (_number(r["impact"]) or 0) > 0,
        })
    impact_view = {
        "available": bool(impact_rows),
        "primary": primary,
        "rows": impact_rows,
        "reason": "" if impact_rows else (
            "No feedback item in these results carries a rating, NPS or CSAT score." if evidence.get("impact")
            else "Impact on scores was not measured in these results."),
    }
    return {"available": measured or saturation["available"] or impact_view["available"],
            "stability": stability, "saturation": saturation, "impact": impact_view}


def _saturation_svg(rows: list[dict[str, Any]]) -> Markup:
    """An inline SVG chart: cumulative pain points per interview, with the random-order mean and 10–90 % band."""
    width, height = 680, 250
    left, right, top, bottom = 46, 28, 14, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(rows)
    highest = max([r["cumulative"] for r in rows] + [r["high"] or 0 for r in rows] + [1])

    def x(position: int) -> float:
        return left + (plot_w * (position - 1) / (n - 1) if n > 1 else plot_w / 2)

    def y(value: float) -> float:
        return top + plot_h - value / highest * plot_h

    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="Pain points found as interviews are added" class="chart">']
    step = max(1, math.ceil(highest / 5))
    for tick in range(0, int(highest) + 1, step):
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e5e7eb"/>')
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 3.5:.1f}" text-anchor="end" font-size="10" fill="#6b7280">{tick}</text>')
    for r in rows:
        if n <= 20 or r["position"] % 5 == 0 or r["position"] == 1:
            parts.append(f'<text x="{x(r["position"]):.1f}" y="{top + plot_h + 14}" text-anchor="middle" font-size="10" '
                         f'fill="#374151">{r["position"]}</text>')
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle" font-size="10.5" '
                 f'fill="#6b7280">interviews, in the order they were held</text>')
    band = [r for r in rows if r["low"] is not None and r["high"] is not None]
    if len(band) > 1:
        upper = [f"{x(r['position']):.1f},{y(r['high']):.1f}" for r in band]
        lower = [f"{x(r['position']):.1f},{y(r['low']):.1f}" for r in reversed(band)]
        parts.append(f'<polygon points="{" ".join(upper + lower)}" fill="#e5e7eb" fill-opacity="0.8"/>')
        mean = [f"{x(r['position']):.1f},{y(r['mean']):.1f}" for r in band if r["mean"] is not None]
        parts.append(f'<polyline points="{" ".join(mean)}" fill="none" stroke="#6b7280" stroke-width="1.6" '
                     'stroke-dasharray="5 4"/>')
    if n > 1:
        line = [f"{x(r['position']):.1f},{y(r['cumulative']):.1f}" for r in rows]
        parts.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="#2563eb" stroke-width="2.2"/>')
    for r in rows:
        colour = "#2563eb" if r["new"] else "#93c5fd"
        parts.append(f'<circle cx="{x(r["position"]):.1f}" cy="{y(r["cumulative"]):.1f}" r="3.2" fill="{colour}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
