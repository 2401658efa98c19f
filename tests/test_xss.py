"""Every place that renders user text escapes it: the report, the workshop exports, the workshop app.

Each payload of ``tests/data/xss_payloads.txt`` is planted wherever people's words end up:

* the HTML and Markdown report: the study's name (study.toml), a pain point's label (through a
  rename edit, as researchers rename), its keywords, dimension and quotes, a persona's name,
  summary, attributes, goals, touchpoints, quotes and "design for" line, the journey map's stages,
  touchpoints and top pain points;
* the workshop app (``widgets/workshop``): the same results plus a person's name (joining) and a
  "How might we…" statement, rendered to the widgets' HTML values and the journey charts;
* the facilitator's exports (Markdown, HTML, CSV).

A page with the payload must hold exactly the elements, attributes and links of the same page
with plain words in its place, and show the payload as text. One end-to-end check opens the app
in Chromium and asserts that no dialog fires and no injected element exists. The serving rules
(no tracebacks, loopback by default, a token for any other host) are checked at the end.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from test_report import make_results

PAYLOAD_FILE = Path(__file__).parent / "data" / "xss_payloads.txt"
PAYLOADS = [line for line in PAYLOAD_FILE.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#:")]
PLAIN = "plain words"

#: where the tests below plant each payload (every one is asserted to show up as text)
REPORT_PLACES = ("study name", "pain point label (rename edit)", "keywords", "dimension", "pain point quote",
                 "persona name", "persona summary", "persona attribute", "persona goal", "persona touchpoint",
                 "persona quote", "persona design-for", "journey stage", "journey touchpoint", "journey top pain point")
APP_PLACES = ("study name", "pain point label", "pain point quote", "persona name", "persona summary",
              "persona goal", "persona touchpoint", "persona quote", "persona design-for",
              "journey chart stage", "journey chart touchpoint", "journey top pain point", "person name",
              "HMW statement")


def test_payload_list_is_the_classics() -> None:
    print(f"\n{len(PAYLOADS)} payloads x ({len(REPORT_PLACES)} report places in HTML and Markdown + "
          f"{len(APP_PLACES)} app places + 2 export formats)")
    assert len(PAYLOADS) >= 30
    text = "\n".join(PAYLOADS)
    for needle in ("<script>", "onerror=", "<svg onload", "javascript:", "</textarea>", "{{7*7}}", "](javascript:",
                   '" onmouseover="', "'><img"):
        assert needle in text, needle


# --------------------------------------------------------------------------- planting
def plant(folder: Path, text: str, study_name: bool = True) -> Path:
    """A results folder (``folder/.workbench``) with ``text`` in every place people's words reach."""
    from workbench.analysis.curation import record_edit, replay_edits
    from workbench.storage.store import Store, sqlite_url

    results = make_results(folder / ".workbench")
    if study_name:
        (folder / "study.toml").write_text(f"[study]\nname = {json.dumps('Study ' + text)}\n", encoding="utf-8")

    painpoints = pd.read_parquet(results / "painpoints.parquet")
    assignments = pd.read_parquet(results / "assignments.parquet")
    # the label arrives as researchers rename: an edit in the store, replayed on the fit
    membership = pd.Series(assignments["painpoint_id"].to_numpy(), index=assignments["passage_id"])
    store = Store(sqlite_url(folder / "edits.sqlite"))
    record_edit(store, "xss", membership, "rename", ["PP01"], label=f"Label {text}")
    curated = replay_edits(membership, dict(zip(painpoints["painpoint_id"], painpoints["label"])), store.edits("xss"))
    assert curated.labels["PP01"] == f"Label {text}".strip()
    painpoints["label"] = painpoints["painpoint_id"].map(curated.labels)
    painpoints["keywords"] = [[f"kw {text}", "refund"] for _ in range(len(painpoints))]
    painpoints.loc[painpoints["painpoint_id"] == "PP01", "dimension"] = f"dim {text}"
    painpoints["quote_texts"] = [[f"Quote {text}", "Second quote"] for _ in range(len(painpoints))]
    painpoints.to_parquet(results / "painpoints.parquet", index=False)

    passages = pd.read_parquet(results / "passages.parquet")
    passages["text"] = [f"Passage {text}" for _ in range(len(passages))]
    passages.to_parquet(results / "passages.parquet", index=False)

    personas = pd.read_parquet(results / "personas.parquet")
    personas["name"] = [f"Persona {text}", f"Other persona {text}"]
    personas["summary"] = [text, f"Summary {text}"]  # the first alone on its line in Markdown
    personas["attributes"] = [json.dumps({"segment": f"seg {text}"})] * 2
    personas["goals"] = [[f"Goal {text}"]] * 2
    personas["touchpoints"] = [json.dumps({"preferred": [f"tp {text}"], "avoided": ["phone and IVR"]})] * 2
    personas["preferred_touchpoints"] = [[f"tp {text}"]] * 2
    personas["quotes"] = [[f"Persona quote {text}"]] * 2
    personas["design_for"] = [f"Design {text}"] * 2
    personas.to_parquet(results / "personas.parquet", index=False)

    journey = pd.read_parquet(results / "journey.parquet")
    journey["top_painpoint_label"] = f"Top {text}"
    extra = journey.iloc[[0]].assign(stage=f"stage {text}", touchpoint=f"touch {text}")
    pd.concat([journey, extra], ignore_index=True).to_parquet(results / "journey.parquet", index=False)

    participants = pd.read_parquet(results / "participants.parquet")
    participants.loc[0, "segment"] = f"segment {text}"
    participants.to_parquet(results / "participants.parquet", index=False)
    return results


class Structure(HTMLParser):
    """The elements, attribute names, link targets and visible text of an HTML page or fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attributes: Counter[str] = Counter()
        self.urls: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:
            self.attributes[name] += 1
            if name in ("href", "src", "action", "formaction", "data", "content", "xlink:href", "style"):
                self.urls.append(value or "")
            if name == "title":
                self.text.append(value or "")

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @classmethod
    def of(cls, *pages: str) -> "Structure":
        parsed = cls()
        for page in pages:
            parsed.feed(page)
            parsed.close()
            parsed.reset()
        return parsed


def assert_inert(page: Structure, baseline: Structure, payload: str) -> None:
    """``page`` (with the payload) has the elements and attributes of ``baseline`` (plain words) and no more."""
    extra_tags = {t: n for t, n in page.tags.items() if n > baseline.tags.get(t, 0)}
    assert extra_tags == {}, f"{payload!r} made elements {extra_tags}"
    extra_attributes = {a: n for a, n in page.attributes.items() if n > baseline.attributes.get(a, 0)}
    assert extra_attributes == {}, f"{payload!r} made attributes {extra_attributes}"
    assert not any(a.startswith("on") for a in page.attributes), payload
    for url in page.urls:
        assert "javascript:" not in url.lower() and "evil.example" not in url, f"{payload!r} made a link {url!r}"


# --------------------------------------------------------------------------- the report
@pytest.fixture(scope="module")
def report_baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Structure, Structure]:
    from workbench.share.loading import load_results
    from workbench.share.report import render_html, render_markdown

    folder = tmp_path_factory.mktemp("plain")
    results = load_results(plant(folder, PLAIN), study_dir=folder)
    return Structure.of(render_html(results)), Structure.of(_markdown_to_html(render_markdown(results)))


def _markdown_to_html(text: str) -> str:
    """The Markdown as a renderer with raw HTML on (the worst case: GitHub strips less than nothing) shows it."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(text)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_report_shows_every_payload_as_text(payload: str, report_baseline, tmp_path: Path) -> None:
    from workbench.share.loading import load_results
    from workbench.share.report import render_html

    results = load_results(plant(tmp_path, payload), study_dir=tmp_path)
    page = render_html(results)
    parsed = Structure.of(page)
    assert_inert(parsed, report_baseline[0], payload)
    shown = "\n".join(parsed.text)
    for prefix in ("Study ", "Label ", "kw ", "dim ", "Quote ", "Persona ", "Summary ", "seg ", "Goal ", "tp ",
                   "Persona quote ", "Design ", "Top ", "stage ", "touch "):
        assert f"{prefix}{payload}".strip() in shown, (prefix, payload)
    style = page[page.index("<style>"):page.index("</style>")]
    assert "</style" not in style[7:] and "<script" not in style.lower()  # the footer's CSS string stays a string


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_report_makes_no_markup_link_or_heading(payload: str, report_baseline, tmp_path: Path) -> None:
    from workbench.share.loading import load_results
    from workbench.share.report import render_markdown

    text = render_markdown(load_results(plant(tmp_path, payload), study_dir=tmp_path))
    parsed = Structure.of(_markdown_to_html(text))
    assert_inert(parsed, report_baseline[1], payload)
    assert "\n# Heading" not in text and "evil.example/pixel" not in "".join(parsed.urls)


# --------------------------------------------------------------------------- the workshop app and its exports
def _app(results_dir: Path, store_path: Path, text: str):
    from widgets.workshop.app import WorkshopApp
    from widgets.workshop.state import open_workshop
    from workbench.storage.store import sqlite_url

    state = open_workshop(results_dir, "xss", sqlite_url(store_path))
    app = WorkshopApp(state)
    app.join_name.value = f"P {text}"[:60]
    app.join_button.click()
    assert state.vote.joined, app.error.value
    first = state.painpoints.cards[0].painpoint_id
    app.cards[first].vote_button.click()
    app.hmw_text.value = f"How might we stop {text}"
    app.hmw_button.click()
    app.place_button.click()
    app.facilitator_message.value = ""
    app.render()
    app._render_journey()
    return app, state


def _app_html(app: Any) -> tuple[list[str], list[dict]]:
    """The HTML values of every widget, and the plotly figures the Output widgets hold."""
    import ipywidgets as W

    pages: list[str] = []
    figures: list[dict] = []
    seen: set[int] = set()

    def walk(w: Any) -> None:
        if id(w) in seen:
            return
        seen.add(id(w))
        if isinstance(w, (W.HTML, W.HTMLMath)):
            pages.append(w.value)
        if isinstance(w, W.Output):
            for output in w.outputs:
                spec = output.get("data", {}).get("application/vnd.plotly.v1+json")
                if spec:
                    figures.append(spec)
        for child in getattr(w, "children", ()) or ():
            walk(child)

    walk(app.widget)
    for persona in app.state.personas.cards:  # every persona card, not only the first
        app._pick_persona(persona.persona_id)
        pages.append(app.persona_card.value)
    return pages, figures


def _figure_strings(figures: list[dict]) -> list[str]:
    """Every string plotly would render with its own HTML-like markup (text, hover, names, ticks, titles)."""
    out: list[str] = []

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key not in ("type", "mode", "hoverinfo", "colorscale", "side"):
            out.append(value)

    for figure in figures:
        walk(figure.get("data", []))
        walk(figure.get("layout", {}).get("title", {}))
        for axis in ("xaxis", "yaxis"):
            walk(figure.get("layout", {}).get(axis, {}))
    return out


@pytest.fixture(scope="module")
def app_baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Structure, Structure, Structure]:
    """(the app's widgets, the HTML export, the Markdown export) with plain words planted."""
    folder = tmp_path_factory.mktemp("plain_app")
    app, state = _app(plant(folder, PLAIN, study_name=False), folder / "store.sqlite", PLAIN)
    pages, _figures = _app_html(app)
    return (Structure.of(*pages), Structure.of(state.facilitator.export("html")),
            Structure.of(_markdown_to_html(state.facilitator.export("markdown"))))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_workshop_app_shows_every_payload_as_text(payload: str, app_baseline, tmp_path: Path) -> None:
    results = plant(tmp_path, payload, study_name=False)
    manifest = json.loads((results / "manifest.json").read_text())
    manifest["study_name"] = f"Study {payload}"
    (results / "manifest.json").write_text(json.dumps(manifest))
    app, state = _app(results, tmp_path / "store.sqlite", payload)
    pages, figures = _app_html(app)
    parsed = Structure.of(*pages)
    assert_inert(parsed, app_baseline[0], payload)
    shown = "\n".join(parsed.text)
    for prefix in ("Study ", "Label ", "Quote ", "Persona ", "Summary ", "Goal ", "tp ", "Persona quote ", "Design ",
                   "How might we stop ", "Top "):
        assert f"{prefix}{payload}".strip() in shown, (prefix, payload)
    assert f"P {payload}"[:60].strip() in shown  # the person's name, in the header and the facilitator's table

    # plotly renders a subset of HTML in hover text, names and ticks: the payload's "<" must arrive as "&lt;"
    strings = _figure_strings(figures)
    inert = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for prefix in ("Top ", "Persona ", "stage ", "touch "):
        assert any(f"{prefix}{inert}" in s for s in strings), (prefix, payload)
    for s in strings:  # only plotly's own line breaks and <extra> remain as tags
        assert not re.search(r"<(?!br>|/?extra>)[A-Za-z/!?]", s), (payload, s)

    # the facilitator's exports
    assert_inert(Structure.of(state.facilitator.export("html")), app_baseline[1], payload)
    assert_inert(Structure.of(_markdown_to_html(state.facilitator.export("markdown"))), app_baseline[2], payload)
    for line in state.facilitator.export("csv").splitlines()[1:]:
        import csv

        for cell in next(csv.reader([line])):
            assert not cell.startswith(("=", "+", "-", "@")), (payload, cell)


# --------------------------------------------------------------------------- one check in a real browser
def _chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("chromium is not installed; CI must run the browser tests")
        pytest.skip("chromium is not installed (make test installs it as root)")
    pytest.importorskip("playwright.sync_api")
    return str(path)


BROWSER_PAYLOADS = [p for p in PAYLOADS if "alert" in p or "onerror" in p or "onload" in p][:12]


def test_app_in_chromium_fires_no_dialog_and_holds_no_injected_element(tmp_path: Path) -> None:
    """Payloads in quotes, labels, persona names, a person's name and a statement: nothing runs."""
    chromium = _chromium()
    from playwright.sync_api import expect, sync_playwright

    from workbench.workshop import server as workshop

    payload = " ".join(BROWSER_PAYLOADS)
    results = plant(tmp_path, payload, study_name=False)
    server = workshop.start_workshop(results, session="xss")
    dialogs: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
                # the facilitator's link, so the Facilitator tab (only shown with it) is checked too
                page.goto(server.facilitator_url, wait_until="commit", timeout=120_000)
                page.locator(".wb-card").first.wait_for(state="visible", timeout=120_000)
                page.get_by_placeholder("Your name").fill("<img src=x onerror=alert('name')>")
                page.get_by_role("button", name="Join", exact=True).click()
                expect(page.get_by_text("dots left").first).to_be_visible(timeout=20_000)
                page.get_by_role("tab", name="Prioritise").click()
                page.get_by_placeholder("How might we …").fill("<svg onload=alert('hmw')>")
                page.get_by_role("button", name="Add statement").click()
                expect(page.get_by_text("<svg onload=alert('hmw')>").first).to_be_visible(timeout=20_000)
                for tab in ("Personas", "Journey", "Facilitator", "Pain points"):
                    page.get_by_role("tab", name=tab).click()
                    page.wait_for_timeout(1500)
                expect(page.get_by_text(f"Quote {payload}").first).to_be_attached()
                injected = page.evaluate("""() => ({
                    scripts: [...document.querySelectorAll('script')].filter(s => /alert|evil/.test(s.textContent + s.src)).length,
                    handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(
                        a => a.name.startsWith('on') && /alert/.test(a.value))).length,
                    frames: document.querySelectorAll('.wb-app iframe, .wb-app object, .wb-app img[src=x], .wb-app svg[onload]').length,
                    links: [...document.querySelectorAll('a')].filter(a => /^javascript:|evil/.test(a.getAttribute('href') || '')).length,
                })""")
            finally:
                browser.close()
    finally:
        server.stop()
    assert dialogs == [], dialogs
    assert injected == {"scripts": 0, "handlers": 0, "frames": 0, "links": 0}, injected


# --------------------------------------------------------------------------- serving rules
def test_voila_never_shows_tracebacks_here_or_in_a_published_bundle(tmp_path: Path) -> None:
    from workbench.workshop.server import voila_command, voila_config

    assert voila_config()["VoilaConfiguration"]["show_tracebacks"] is False
    assert "--show_tracebacks=False" in voila_command(Path("app.ipynb"), "127.0.0.1", 8000)
    assert voila_config()["VoilaConfiguration"]["file_allowlist"] == []


def test_workshop_binds_loopback_by_default_and_any_other_host_needs_a_token() -> None:
    import inspect

    from workbench import cli
    from workbench.workshop import server as workshop

    assert workshop.DEFAULT_HOST == "127.0.0.1"
    assert inspect.signature(workshop.start_workshop).parameters["host"].default == "127.0.0.1"
    assert inspect.signature(workshop.serve_workshop).parameters["host"].default == "127.0.0.1"
    assert inspect.signature(cli.workshop).parameters["host"].default.default == "127.0.0.1"
    for host in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"):
        assert workshop.is_loopback(host), host
        assert workshop.access_token(host) is None, host
    for host in ("0.0.0.0", "::", "", "10.0.0.5", "192.168.1.20", "workshop.example.org", "127.0.0.1.nip.io"):
        assert not workshop.is_loopback(host), host
        token = workshop.access_token(host)
        assert token and len(token) >= 32, host
        assert "--token=" + token in workshop.voila_command(Path("app.ipynb"), host or "0.0.0.0", 8000, token)
    assert workshop.access_token("10.0.0.5", "given") == "given"


def test_error_widget_escapes_its_message() -> None:
    from widgets.workshop.app import error_widget

    value = error_widget('<img src=x onerror="alert(1)">').value
    assert "<img" not in value and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in value


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
