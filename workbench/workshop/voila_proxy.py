"""The facilitator's link through the room's server: requests under ``/facilitator/`` passed on to the
Voila app that listens on 127.0.0.1 only, and its kernel websocket relayed both ways.

The facilitator keeps the full Voila app (results, exports, lock voting, rounds, hidden votes,
private statements, the timer); participants never reach Voila. The room's access check runs
first (:class:`workbench.workshop.room_base.RoomHandler`); Voila is then asked with its own
token in an ``Authorization`` header, so its address alone lets nobody in.

Example:
    >>> sorted(HOP_BY_HOP)[:3]
    ['connection', 'content-encoding', 'content-length']
"""
from __future__ import annotations

from typing import Any

import tornado.httpclient
import tornado.web
import tornado.websocket
from tornado.httpclient import HTTPRequest

from workbench.workshop.room_base import RoomHandler

#: headers that describe one hop, never passed on (the body is re-encoded by the room's server)
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
                        "trailers", "transfer-encoding", "upgrade", "content-length", "content-encoding", "host"})
STARTING_PAGE = ("<!doctype html><html><head><meta charset='utf-8'><meta http-equiv='refresh' content='2'>"
                 "<title>Facilitator</title></head><body style='font-family:system-ui,sans-serif;margin:40px'>"
                 "<h1>The facilitator's view is starting…</h1><p>This page reloads by itself.</p></body></html>")


def _upstream_headers(handler: RoomHandler, port: int) -> dict[str, str]:
    headers = {name: value for name, value in handler.request.headers.get_all() if name.lower() not in HOP_BY_HOP}
    headers["Host"] = f"127.0.0.1:{port}"
    token = handler.room.settings.voila_token
    if token:
        headers["Authorization"] = f"token {token}"
    return headers


class FacilitatorProxy(RoomHandler):
    """Any request under ``/facilitator/`` passed on to Voila, and its answer back."""

    SUPPORTED_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")  # type: ignore[assignment]

    async def _forward(self, *_args: Any) -> None:
        port = self.room.settings.voila_port
        request = HTTPRequest(
            f"http://127.0.0.1:{port}{self.request.uri}", method=self.request.method or "GET",
            headers=_upstream_headers(self, int(port or 0)),
            body=self.request.body if self.request.method in ("POST", "PUT", "PATCH") else None,
            follow_redirects=False, request_timeout=180, connect_timeout=5, allow_nonstandard_methods=True,
        )
        try:
            response = await tornado.httpclient.AsyncHTTPClient().fetch(request, raise_error=False)
        except OSError:
            response = None
        if response is None or response.code == 599:  # Voila is not listening yet (or any more)
            self.set_status(503)
            self.set_header("Cache-Control", "no-store")
            self.finish(STARTING_PAGE)
            return
        self.set_status(response.code, response.reason)
        self.clear_header("Content-Type")
        for name, value in response.headers.get_all():
            if name.lower() not in HOP_BY_HOP:
                self.add_header(name, value)
        if response.code in (204, 304) or self.request.method == "HEAD":
            self.finish()
        else:
            self.finish(response.body)

    get = head = post = put = patch = delete = options = _forward  # type: ignore[assignment]


class FacilitatorSocket(tornado.websocket.WebSocketHandler, RoomHandler):
    """The kernel's websocket of the facilitator's app, relayed to Voila and back."""

    upstream: tornado.websocket.WebSocketClientConnection | None = None

    async def prepare(self) -> None:  # type: ignore[override]
        RoomHandler.prepare(self)
        if self._finished:
            return
        port = int(self.room.settings.voila_port or 0)
        headers = _upstream_headers(self, port)
        headers = {k: v for k, v in headers.items() if not k.lower().startswith("sec-websocket")}
        headers["Origin"] = f"http://127.0.0.1:{port}"
        offered = [p.strip() for p in self.request.headers.get("Sec-WebSocket-Protocol", "").split(",") if p.strip()]
        self._pending: list[Any] = []
        try:
            self.upstream = await tornado.websocket.websocket_connect(
                HTTPRequest(f"ws://127.0.0.1:{port}{self.request.uri}", headers=headers, connect_timeout=10),
                on_message_callback=self._from_voila, subprotocols=offered or None, max_message_size=256 * 2**20)
        except Exception as error:  # noqa: BLE001 - Voila gone or refusing: the page retries
            raise tornado.web.HTTPError(502, f"the facilitator's kernel is not reachable ({error})") from error

    def check_origin(self, origin: str) -> bool:
        from urllib.parse import urlparse

        return urlparse(origin).netloc == self.request.host

    def select_subprotocol(self, subprotocols: list[str]) -> str | None:
        chosen = self.upstream.selected_subprotocol if self.upstream is not None else None
        return chosen if chosen in subprotocols else None

    def open(self, *_args: Any) -> None:
        for message in self._pending:
            self.write_message(message, binary=isinstance(message, bytes))
        self._pending = []

    async def on_message(self, message: str | bytes) -> None:
        if self.upstream is not None:
            await self.upstream.write_message(message, binary=isinstance(message, bytes))

    def _from_voila(self, message: str | bytes | None) -> None:
        if message is None:  # Voila closed the kernel's socket
            self.close()
            return
        if self.ws_connection is None:
            self._pending.append(message)
            return
        try:
            self.write_message(message, binary=isinstance(message, bytes))
        except tornado.websocket.WebSocketClosedError:
            if self.upstream is not None:
                self.upstream.close()

    def on_close(self) -> None:
        if self.upstream is not None:
            self.upstream.close()
