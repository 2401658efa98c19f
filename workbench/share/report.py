"""The shareable report: ranked pain points, personas and the journey map in one file.

``workbench report STUDY --out report.html`` (or ``.md`` / ``.pdf``) reads the saved
results of ``workbench analyze`` (:mod:`workbench.share.loading`) and renders the view of
:mod:`workbench.share.context` with the Jinja2 templates in ``workbench/share/templates/``.
The report is self-contained (inline CSS and SVG charts, no script, no web font, no link to
anything outside the file) and shows only redacted text: the ``text`` column of the segments
table is never read.

Example:
    >>> write_report("interview_data/.workbench", Path("skylark.pdf")).pages  # doctest: +SKIP
    14
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from workbench.errors import WorkbenchError
from workbench.share.context import build_context
from workbench.share.loading import Results, load_results
from workbench.share.text import css_string, escape_markdown, format_signed
from workbench.storage.files import atomic_write

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

#: report formats by file suffix
FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown", ".pdf": "pdf"}
#: permissions of a written report (it is meant to be shared)
REPORT_MODE = 0o644


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


def render_html(results: Results) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, no script, no external link).

    Customer text is escaped: a quote can never become markup.

    Example:
        >>> import pandas as pd
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
        >>> import pandas as pd
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
        >>> import pandas as pd
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
