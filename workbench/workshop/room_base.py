"""What every request to the workshop room's server shares: its settings, the view once the results are
ready (built in a thread, see :class:`Room`), the access check (the token, kept in a cookie after the
first visit) and the cookie that remembers a person's name. The routes are in
:mod:`workbench.workshop.room_server` and :mod:`workbench.workshop.voila_proxy`.

Example:
    >>> person_cookie("kick-off").startswith("wb_person_")
    True
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote

import tornado.ioloop
import tornado.locks
import tornado.web

from workbench.errors import WorkbenchError
from workbench.workshop.progress import FAILED, READY, analysis_progress, progress_page, read_startup_state

LOG = logging.getLogger(__name__)
#: how long the pages' wake-up waits after a change, so that changes made together travel together
WAKE_DELAY_SECONDS = 0.15


class RoomView(Protocol):
    """What the server asks of the participants' view (``widgets.workshop.room_view.ParticipantRoom``)."""

    title: str

    def page(self, name: str | None) -> str: ...

    def state(self, name: str | None, since: int | None = None) -> dict[str, Any]: ...

    def cards(self, filters: dict[str, str]) -> dict[str, Any]: ...

    def figures(self, value: str, persona: str) -> dict[str, Any]: ...

    def act(self, name: str | None, action: str, payload: dict[str, Any]) -> dict[str, Any]: ...

    def is_facilitator(self, token: str | None) -> bool: ...

    def revision(self) -> int: ...


def person_cookie(session: str) -> str:
    """The cookie that remembers a person's name in a session (a reload keeps name and dots).

    Example:
        >>> person_cookie("kick-off") == person_cookie("kick-off") != person_cookie("retro")
        True
    """
    return "wb_person_" + hashlib.sha256(session.encode("utf-8")).hexdigest()[:12]


@dataclass
class RoomSettings:
    """Where and how the room serves.

    Example:
        >>> RoomSettings(Path("/r"), "kick-off", "127.0.0.1", 8866).access_cookie
        'wb_access_8866'
    """

    results_dir: Path
    session: str
    host: str
    port: int
    token: str | None = None
    #: the start-up state file (:mod:`workbench.workshop.progress`); None: the results are ready
    startup_file: Path | None = None
    #: the facilitator's Voila on 127.0.0.1 (its port and token), served under /facilitator/
    voila_port: int | None = None
    voila_token: str | None = None
    static_files: dict[str, Path] = field(default_factory=dict)

    @property
    def access_cookie(self) -> str:
        """The cookie that keeps the access token after the first visit."""
        return f"wb_access_{self.port}"


class Room:
    """The server's state: its settings and, once the results are ready, the view (built in a thread).

    Example:
        >>> room = Room(RoomSettings(Path("r"), "s", "127.0.0.1", 8866, startup_file=Path("/no/file")), lambda: None)
        >>> room.startup()["state"], room.view is None
        ('ready', True)
    """

    def __init__(self, settings: RoomSettings, view_factory: Callable[[], RoomView]) -> None:
        self.settings = settings
        self.view_factory = view_factory
        self.view: RoomView | None = None
        self.error: str | None = None
        self._loading = False
        self._lock = threading.Lock()
        #: woken whenever the session changes: the pages waiting for news (``/api/state?wait=1``) answer then
        self.changes = tornado.locks.Condition()
        self._revision: int | None = None
        self._waking = False

    def watch(self) -> None:
        """Wake the waiting pages when the session's revision moved (here or in the facilitator's app)."""
        if self.view is None:
            return
        try:
            revision = self.view.revision()
        except Exception:  # noqa: BLE001 - a busy store: next time
            LOG.warning("could not read the session's revision", exc_info=True)
            return
        if revision != self._revision:
            self._revision = revision
            if not self._waking:  # a burst of clicks (a room voting at once) wakes the pages once, a moment later
                self._waking = True
                tornado.ioloop.IOLoop.current().call_later(WAKE_DELAY_SECONDS, self._wake)

    def _wake(self) -> None:
        self._waking = False
        self.changes.notify_all()

    def startup(self) -> dict[str, Any]:
        """The start-up state; starts building the view (in a thread) once the results are ready."""
        state = read_startup_state(self.settings.startup_file)
        if self.error:
            return {"state": FAILED, "message": self.error, "since": state.get("since")}
        if state["state"] == READY and self.view is None:
            with self._lock:
                if not self._loading:
                    self._loading = True
                    threading.Thread(target=self._build, name="room-view", daemon=True).start()
        return state

    def _build(self) -> None:
        try:
            self.view = self.view_factory()
        except WorkbenchError as error:
            self.error = str(error)
        except Exception as error:  # noqa: BLE001 - the page says it in one line; the log has the rest
            LOG.error("the workshop room could not load the results:\n%s", traceback.format_exc())
            self.error = f"the results could not be loaded ({type(error).__name__}: {error})"


class RoomHandler(tornado.web.RequestHandler):
    """The access check and what every handler shares."""

    @property
    def room(self) -> Room:
        return self.application.settings["room"]  # type: ignore[no-any-return]

    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")  # the token in the address never leaves in a Referer

    def prepare(self) -> None:
        token = self.room.settings.token
        if not token:
            return
        given = self.get_query_argument("token", "")
        if given and hmac.compare_digest(given.encode(), token.encode()):
            self.set_cookie(self.room.settings.access_cookie, token, httponly=True, samesite="Lax")
            return
        cookie = self.get_cookie(self.room.settings.access_cookie) or ""
        if cookie and hmac.compare_digest(cookie.encode(), token.encode()):
            return
        self.set_status(403)
        self.finish("<!doctype html><title>Workshop</title><p>This workshop needs its link with the token "
                    "(<code>?token=…</code>): ask the facilitator for it.</p>")

    def person(self) -> str | None:
        value = self.get_cookie(person_cookie(self.room.settings.session))
        return unquote(value) if value else None

    def view_or_503(self) -> RoomView | None:
        self.room.startup()
        if self.room.view is None:
            self.set_status(503)
            self.write_json({"error": "the workshop is still getting ready", "ready": False})
            return None
        return self.room.view

    def write_json(self, data: Any) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(data, ensure_ascii=False, default=str))

    def startup_page(self) -> None:
        state = self.room.startup()
        progress = None
        if state["state"] != FAILED and state["state"] != READY:
            progress = analysis_progress(self.room.settings.results_dir, state.get("since"))
        self.set_header("Cache-Control", "no-store")
        self.finish(progress_page(state, progress))
