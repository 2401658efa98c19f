"""The workshop app: its tabs' views assembled, the roles, the poller, and the app a notebook shows.

The views only render the states of :mod:`widgets.workshop.state`; each tab's view is a mixin
in its own module (``header_view``, ``painpoints_view``, ``personas_view``, ``journey_view``,
``prioritise_view``, ``facilitator_view``; what they share: ``page``).

Layout (readable on 1280×720): a header (study and session, the name prompt, this person's
dots, the round countdown) above the tabs — Pain points (cards with Vote buttons and the
evidence: stability over reruns, impact on the score), Personas, Journey, Prioritise (ranking
by votes, impact × effort board, "How might we…" statements) and, on the facilitator link
only (``?facilitator=TOKEN``), Facilitator (results, exports, lock voting, new round, hide and
reveal votes, private statements, the round timer).

Other people's actions arrive through a poller: a daemon thread in the kernel that calls
``WorkshopState.refresh()`` every ``poll_seconds`` (1 s by default) and, when the store's
revision moved, re-renders. Widget trait changes made on that thread are sent to the browser
over the kernel's IOPub channel, which is thread-safe, so this works the same in JupyterLab
and under Voila. One lock serialises the poller and click handlers.

Every bit of customer or participant text goes through :func:`widgets.workshop.display.escape`
before it reaches an HTML widget; a callback never lets an exception (or a traceback) reach
the page: it shows a short message instead.

Example:
    >>> import tempfile
    >>> from workbench.storage.store import Store, sqlite_url
    >>> from widgets.workshop.demo import demo_results
    >>> from widgets.workshop.state import WorkshopState
    >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
    >>> app = WorkshopApp(WorkshopState(demo_results(), store, "kick-off"))
    >>> app.join_name.value = "Dana"; app.join_button.click()
    >>> app.cards["PP01"].vote_button.click()
    >>> app.cards["PP01"].count.value
    '<span class="wb-count">1 vote</span>'
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import ipywidgets as W

from workbench.errors import WorkbenchError
from widgets.workshop.display import escape
from widgets.workshop.facilitator_view import FacilitatorView
from widgets.workshop.header_view import HeaderView
from widgets.workshop.journey_view import JourneyView
from widgets.workshop.page import CSS, message_html
from widgets.workshop.painpoints_view import PainPointsView
from widgets.workshop.personas_view import PersonasView
from widgets.workshop.prioritise_view import PrioritiseView
from widgets.workshop.state import WorkshopState, open_workshop

LOG = logging.getLogger(__name__)

#: how often each kernel looks at the store for other people's actions (seconds)
POLL_SECONDS = 1.0


class WorkshopApp(HeaderView, PainPointsView, PersonasView, JourneyView, PrioritiseView,
                  FacilitatorView):
    """The whole app: header and five tabs, built from a :class:`WorkshopState`.

    Args:
        state: the states to render.
        poll_seconds: how often the poller re-reads the store (``start_polling``).
    """

    def __init__(self, state: WorkshopState, poll_seconds: float = POLL_SECONDS) -> None:
        self.state = state
        self.poll_seconds = poll_seconds
        self.lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.error = W.HTML()
        self._build_header()
        self._build_painpoints()
        self._build_personas()
        self._build_journey()
        self._build_prioritise()
        self._build_facilitator()
        self.tabs = W.Tab()
        self._show_role_tabs()
        self.widget = W.VBox([W.HTML(CSS), self.header, self.error, self.tabs],
                             layout=W.Layout(max_width="1400px", padding="0 6px"))
        self.widget.add_class("wb-app")
        self.render()
        self._render_persona()
        # the journey's charts (plotly's import and two figures: most of the time to build the app) are
        # drawn when the Journey tab is first opened, so the cards never wait for them; a pre-heated
        # Voila kernel draws them before anyone comes (workshop_app)
        self._journey_drawn = False
        self.tabs.observe(self._tab_opened, names="selected_index")

    def _tab_opened(self, change: dict[str, Any]) -> None:
        index = change.get("new")
        if index is not None and index < len(self.tabs.children) and self.tabs.children[index] is self.journey_tab:
            self._draw_journey_once()

    def draw_journey(self) -> None:
        """Draw the Journey tab's charts now, if not drawn yet (opening the tab does it otherwise)."""
        self._draw_journey_once()

    def _draw_journey_once(self) -> None:
        with self.lock:
            if self._journey_drawn:
                return
            self._journey_drawn = True
        try:
            self._render_journey()
        except Exception:  # noqa: BLE001 - the tab shows no chart; the log says why
            LOG.exception("workshop journey charts failed")

    # ------------------------------------------------------------------ roles

    def _show_role_tabs(self) -> None:
        """Four tabs for a participant; the Facilitator tab too on the facilitator link."""
        children = [self.painpoints_tab, self.personas_tab, self.journey_tab, self.prioritise_tab]
        titles = ["Pain points", "Personas", "Journey", "Prioritise"]
        if self.state.is_facilitator:
            children.append(self.facilitator_tab)
            titles.append("Facilitator")
        selected = self.tabs.selected_index
        self.tabs.children = children
        self.tabs.titles = titles
        self.tabs.selected_index = selected if selected is not None and selected < len(children) else 0

    def set_role(self, facilitator_token: str | None) -> bool:
        """Take the role of the page's ``?facilitator=`` token; return whether it is the facilitator's."""
        with self.lock:
            facilitator = self.state.set_facilitator_token(facilitator_token)
            self.state.facilitator.refresh(force=True)
            self._show_role_tabs()
            self.render()
            return facilitator

    # ------------------------------------------------------------------ plumbing

    def _action(self, action: Callable[..., Any]) -> Callable[..., None]:
        """A widget callback that runs ``action`` under the lock, then re-renders; never raises."""

        def handler(*args: Any) -> None:
            with self.lock:
                try:
                    action(*args)
                    self.error.value = ""
                except WorkbenchError as error:
                    self.error.value = message_html(str(error), "wb-error")
                except Exception as error:  # noqa: BLE001 - people see a message, the log gets the details
                    LOG.exception("workshop action failed")
                    self.error.value = message_html(
                        f"Something went wrong ({type(error).__name__}). Please try again; "
                        "if it keeps happening, tell the facilitator.", "wb-error")
                try:
                    self.render()
                except Exception:  # noqa: BLE001
                    LOG.exception("workshop render failed")

        return handler

    def poll_once(self) -> bool:
        """Re-read the store and re-render when anything changed; return whether it did. The round
        countdown is brought up to date on every poll."""
        with self.lock:
            changed = self.state.refresh()
            if changed:
                self.render()
            else:
                self._render_timer()
            return changed

    def start_polling(self) -> None:
        """Start the background poller (idempotent); it stops with :meth:`stop` or the kernel."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._poll_loop, name="workshop-poller", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the poller."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _poll_loop(self) -> None:
        failures = 0
        while not self._stop.wait(self.poll_seconds * (1 + min(failures, 10))):
            try:
                self.poll_once()
                if failures:
                    failures = 0
                    self.error.value = ""
            except Exception as error:  # noqa: BLE001 - keep polling; say so once
                failures += 1
                LOG.warning("workshop poll failed: %s", error)
                self.error.value = message_html("Lost contact with the shared store; retrying…", "wb-error")

    # ------------------------------------------------------------------ header

    # ------------------------------------------------------------------ all

    def render(self) -> None:
        """Show the states as they are now (everything but the figures, which change only on request)."""
        with self.lock:
            self._render_header()
            self._render_painpoints()
            self._render_prioritise()
            self._render_facilitator()


#: the apps this kernel runs (a re-run of the notebook stops the earlier app's poller)
_RUNNING: list[WorkshopApp] = []


def error_widget(message: str) -> W.HTML:
    """A friendly, escaped error box (never a traceback).

    Example:
        >>> error_widget("<no results>").value
        '<div class="wb-error" role="alert"><b>The workshop cannot start.</b> &lt;no results&gt;</div>'
    """
    return W.HTML(f'<div class="wb-error" role="alert"><b>The workshop cannot start.</b> {escape(message)}</div>')


def facilitator_token_from_query(query_string: str | None) -> str | None:
    """The ``facilitator`` parameter of a page's query string (None when absent).

    Example:
        >>> facilitator_token_from_query("token=abc&facilitator=xyz-123")
        'xyz-123'
        >>> facilitator_token_from_query("") is None, facilitator_token_from_query(None) is None
        (True, True)
    """
    values = parse_qs(query_string or "").get("facilitator") or [""]
    return values[0].strip() or None


def request_query_string() -> str:
    """The query string of the page this kernel serves, under Voila ("" elsewhere).

    A pre-heated Voila kernel runs the app before anyone opens the page: ``voila.utils.get_query_string``
    then waits for the request and returns its query string; a kernel started for a request finds it
    in ``QUERY_STRING``.

    Example:
        >>> import os
        >>> os.environ["QUERY_STRING"] = "facilitator=abc"; request_query_string()
        'facilitator=abc'
        >>> del os.environ["QUERY_STRING"]; request_query_string()
        ''
    """
    import os

    if os.environ.get("VOILA_PREHEAT") == "True":
        try:
            from voila.utils import get_query_string

            return get_query_string() or ""
        except Exception:  # noqa: BLE001 - no Voila request to wait for: a participant
            LOG.warning("could not read the page's query string", exc_info=True)
            return ""
    return os.environ.get("QUERY_STRING", "")


def apply_request_role(widget: W.Widget, query_string: str | None = None) -> W.Widget:
    """Give the app the role of the page's link: the facilitator's with a valid ``?facilitator=`` token.

    Example:
        >>> import tempfile
        >>> from workbench.storage.store import Store, sqlite_url
        >>> from widgets.workshop.demo import demo_results
        >>> from widgets.workshop.state import WorkshopState
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> _ = store.set_facilitator_token("kick-off", "facilitator-secret-123")
        >>> app = WorkshopApp(WorkshopState(demo_results(), store, "kick-off"))
        >>> app.widget.workshop_app = app
        >>> list(app.tabs.titles)[-1]
        'Prioritise'
        >>> _ = apply_request_role(app.widget, "facilitator=facilitator-secret-123")
        >>> list(app.tabs.titles)[-1]
        'Facilitator'
    """
    import os

    app = getattr(widget, "workshop_app", None)
    if app is None:
        return widget  # the error box of an app that could not start

    def take_role() -> None:
        query = request_query_string() if query_string is None else query_string
        try:
            token = facilitator_token_from_query(query)
            if token or query_string is not None:  # no token: the role the app was built with stands
                app.set_role(token)
        except Exception:  # noqa: BLE001 - a participant's view is the safe fallback
            LOG.exception("could not set the workshop role")

    if query_string is None and os.environ.get("VOILA_PREHEAT") == "True":
        # A pre-heated kernel: waiting here for the request would hold the rendered page back
        # (about 4 s more before the first card). The app is shown as a participant's at once;
        # the role follows from a thread when the request arrives, as the poller updates widgets.
        threading.Thread(target=take_role, name="workshop-role", daemon=True).start()
    else:
        take_role()
    return widget


def workshop_app(results_dir: Path | str | None = None, session: str | None = None, store_url: str | None = None,
                 poll_seconds: float = POLL_SECONDS) -> W.Widget:
    """The workshop app of a results folder, polling the store; or a friendly message when it cannot start.

    Args:
        results_dir: the results folder (default: ``WORKBENCH_RESULTS``).
        session: the workshop session (default: ``WORKBENCH_SESSION``, else ``"workshop"``).
        store_url: the store (default: ``WORKBENCH_STORE``, else the results folder's SQLite file).

    Example:
        >>> workshop_app("/nowhere").value.startswith('<div class="wb-error"')
        True
    """
    import os

    try:
        state = open_workshop(results_dir, session, store_url)
        app = WorkshopApp(state, poll_seconds=poll_seconds)
    except WorkbenchError as error:
        return error_widget(str(error))
    except Exception as error:  # noqa: BLE001 - participants see one line, the log the details
        LOG.exception("workshop app failed to start")
        return error_widget(f"{type(error).__name__}: {error}")
    while _RUNNING:
        _RUNNING.pop().stop()
    _RUNNING.append(app)
    if os.environ.get("VOILA_PREHEAT") == "True":  # nobody waits for a pre-heated kernel: draw the charts now
        app.draw_journey()
    app.start_polling()
    app.widget.workshop_app = app  # type: ignore[attr-defined] - lets a notebook or test reach the app
    return app.widget
