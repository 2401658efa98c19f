"""The workshop room's web server: one small tornado process serves every participant's page, their
clicks (JSON) and their polls, and passes the facilitator's link on to the Voila app.

Why not one Voila kernel per person: on a 2-core laptop each kernel needs seconds of CPU to
import ipywidgets, pandas and the app and to read the results, so a dozen people opening the link
together waited minutes (see BENCHMARKS.md, "Workshop room"). Here the results are read once and
each page is plain HTML with a small script (``widgets/workshop/room.js``).

Routes (all behind the access token when the host is not loopback, see
:mod:`workbench.workshop.access`; the token is kept in a cookie after the first visit):

- ``/`` the participants' page, or the start-up page while the results are being analysed
  (:mod:`workbench.workshop.progress`); ``/?facilitator=TOKEN`` goes on to ``/facilitator/``;
- ``/progress.json`` how far the start-up got;
- ``/api/state`` one person's view of the session (polled), ``/api/cards`` the filtered cards,
  ``/api/journey`` the journey's charts, ``/api/<action>`` (POST, JSON) join, vote, unvote, place,
  statement;
- ``/static/room.js``, ``/static/plotly.min.js``;
- ``/facilitator/…`` the facilitator's Voila app (:mod:`workbench.workshop.voila_proxy`).

What the pages show comes from a *view* (:class:`RoomView`), built by ``view_factory`` once the
results are ready; the view lives in ``widgets/`` (``widgets.workshop.room_view``), which starts
this server (``python -m widgets.workshop.room_app``).

Example:
    >>> sorted(ACTIONS)
    ['join', 'place', 'star', 'statement', 'unvote', 'vote']
"""
from __future__ import annotations

import datetime
import json
import logging
import signal
import time
import traceback
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

import tornado.ioloop
import tornado.web

from workbench.errors import WorkbenchError
from workbench.workshop.progress import FAILED, READY, analysis_progress
from workbench.workshop.room_base import Room, RoomHandler, RoomSettings, RoomView, person_cookie
from workbench.workshop.voila_proxy import FacilitatorProxy, FacilitatorSocket

LOG = logging.getLogger(__name__)
#: what people do (POST /api/<action>)
ACTIONS = ("join", "vote", "unvote", "place", "statement", "star")
#: the header every POST must carry: a page of another site cannot send it without asking first (CORS)
ACTION_HEADER = "X-Workbench-Room"
STATIC_MAX_AGE = 3600
#: how long a page's request for news waits for a change before answering "nothing new"
WAIT_SECONDS = 20.0
#: how often the server looks at the session's revision (actions here wake the pages at once)
WATCH_SECONDS = 0.25


class PageHandler(RoomHandler):
    def get(self) -> None:
        view = self.room.view
        if view is None:
            self.room.startup()
            view = self.room.view
        if view is None:
            self.startup_page()
            return
        facilitator = self.get_query_argument("facilitator", "")
        if facilitator and view.is_facilitator(facilitator):
            query = {k: self.get_query_argument(k) for k in ("token", "facilitator") if self.get_query_argument(k, "")}
            self.redirect("/facilitator/?" + urlencode(query))
            return
        self.set_header("Cache-Control", "no-store")
        self.finish(view.page(self.person()))


class ProgressHandler(RoomHandler):
    def get(self) -> None:
        state = self.room.startup()
        ready = state["state"] == READY and self.room.view is not None
        progress = analysis_progress(self.room.settings.results_dir, state.get("since"))
        self.write_json({**progress, "state": READY if ready else (FAILED if state["state"] == FAILED else "analysing"),
                         "message": state.get("message", "")})


class StateHandler(RoomHandler):
    async def get(self) -> None:
        view = self.view_or_503()
        if view is None:
            return
        text = self.get_query_argument("since", "")
        since = int(text) if text.lstrip("-").isdigit() else None
        answer = view.state(self.person(), since)
        if self.get_query_argument("wait", "") == "1":
            # a long poll: answer when the session changes (or after WAIT_SECONDS), not every second
            deadline = time.monotonic() + WAIT_SECONDS
            while answer.get("same") and time.monotonic() < deadline:
                await self.room.changes.wait(timeout=datetime.timedelta(seconds=deadline - time.monotonic()))
                if self.request.connection is None or self.request.connection.stream.closed():  # type: ignore[attr-defined]
                    return
                answer = view.state(self.person(), since)
        self.write_json(answer)


class CardsHandler(RoomHandler):
    def get(self) -> None:
        view = self.view_or_503()
        if view is None:
            return
        filters = {k: self.get_query_argument(k, "") for k in ("persona", "segment", "touchpoint", "stage", "search")}
        try:
            self.write_json(view.cards(filters))
        except WorkbenchError as error:
            self.set_status(400)
            self.write_json({"error": str(error)})


class JourneyHandler(RoomHandler):
    def get(self) -> None:
        view = self.view_or_503()
        if view is None:
            return
        try:
            self.write_json(view.figures(self.get_query_argument("value", "sentiment_mean"),
                                         self.get_query_argument("persona", "")))
        except WorkbenchError as error:
            self.set_status(400)
            self.write_json({"error": str(error)})
        except ImportError:
            self.write_json({"heatmap": None, "emotion": None,
                             "notes_html": '<p class="wb-muted">Charts need plotly (pip install plotly).</p>'})


class ActionHandler(RoomHandler):
    def post(self, action: str) -> None:
        if self.request.headers.get(ACTION_HEADER) != "1":
            self.set_status(403)
            self.write_json({"error": f"a workshop action needs the {ACTION_HEADER} header"})
            return
        view = self.view_or_503()
        if view is None:
            return
        try:
            payload = json.loads(self.request.body or b"{}")
            if not isinstance(payload, dict):
                raise ValueError("not an object")
        except ValueError:
            self.set_status(400)
            self.write_json({"error": "the request must be a JSON object"})
            return
        try:
            answer = view.act(self.person(), action, payload)
        except WorkbenchError as error:
            self.set_status(400)
            self.write_json({"error": str(error)})
            return
        except Exception as error:  # noqa: BLE001 - the person sees one line, the log the details
            LOG.error("workshop action %s failed:\n%s", action, traceback.format_exc())
            self.set_status(500)
            self.write_json({"error": f"Something went wrong ({type(error).__name__}). Please try again; "
                                      "if it keeps happening, tell the facilitator."})
            return
        self.room.watch()  # everyone waiting hears of it now
        if answer.get("person"):
            self.set_cookie(person_cookie(self.room.settings.session), quote(str(answer["person"])),
                            expires_days=30, samesite="Lax")
        self.write_json(answer)


class StaticHandler(RoomHandler):
    _cache: dict[str, bytes] = {}

    def get(self, name: str) -> None:
        path = self.room.settings.static_files.get(name)
        if path is None or not path.is_file():
            raise tornado.web.HTTPError(404)
        if name not in self._cache:
            self._cache[name] = path.read_bytes()
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.set_header("Cache-Control", f"private, max-age={STATIC_MAX_AGE}")
        self.finish(self._cache[name])


def room_application(room: Room) -> tornado.web.Application:
    """The tornado application of a room (the facilitator's routes only when it has a Voila port).

    Example:
        >>> from pathlib import Path
        >>> app = room_application(Room(RoomSettings(Path("r"), "s", "127.0.0.1", 8866), lambda: None))
        >>> [rule.matcher.regex.pattern for rule in app.wildcard_router.rules][2:5]
        ['/api/state$', '/api/cards$', '/api/journey$']
    """
    routes: list[Any] = [
        (r"/", PageHandler), (r"/progress\.json", ProgressHandler), (r"/api/state", StateHandler),
        (r"/api/cards", CardsHandler), (r"/api/journey", JourneyHandler),
        (r"/api/(" + "|".join(ACTIONS) + ")", ActionHandler), (r"/static/([\w.-]+)", StaticHandler),
    ]
    if room.settings.voila_port:
        routes += [(r"/facilitator/.*/channels", FacilitatorSocket), (r"/facilitator(/.*)?", FacilitatorProxy)]
    return tornado.web.Application(routes, room=room, compress_response=True, xsrf_cookies=False,
                                   log_function=_log_errors_only, websocket_ping_interval=30)


def _log_errors_only(handler: tornado.web.RequestHandler) -> None:
    if handler.get_status() >= 500:
        LOG.warning("%s %s -> %s", handler.request.method, handler.request.path, handler.get_status())


def serve_room(settings: RoomSettings, view_factory: Callable[[], RoomView]) -> None:
    """Serve the room until SIGINT or SIGTERM (then stop cleanly, exit code 0).

    Example:
        >>> serve_room(RoomSettings(Path("r"), "s", "127.0.0.1", 8866), lambda: None)  # doctest: +SKIP
    """
    room = Room(settings, view_factory)
    application = room_application(room)
    application.listen(settings.port, address=settings.host.strip("[]") or None, xheaders=False)
    loop = tornado.ioloop.IOLoop.current()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.asyncio_loop.add_signal_handler(signum, loop.stop)  # type: ignore[attr-defined]
    room.startup()  # results already there: start reading them before the first person comes
    tornado.ioloop.PeriodicCallback(room.watch, WATCH_SECONDS * 1000).start()
    print(f"Room serving on {settings.host}:{settings.port}", flush=True)
    loop.start()
