"""Who reaches the workshop, and where: safe hosts, free ports, access tokens and the links people open.

Anything but 127.0.0.1/localhost is reachable from other machines, so it is never served
without a token (:func:`access_token`); the facilitator gets a token of their own
(:func:`facilitator_token`) that makes their link (:func:`workshop_url`) the facilitator's.

Example:
    >>> workshop_url("127.0.0.1", 8866)
    'http://127.0.0.1:8866/'
"""
from __future__ import annotations

import ipaddress
import secrets
import socket

from workbench.errors import WorkbenchError

DEFAULT_HOST = "127.0.0.1"


class ServeError(WorkbenchError):
    """The workshop cannot be served or published as asked.

    Example:
        >>> str(ServeError("port 8866 on 127.0.0.1 is in use; pass another --port"))
        'port 8866 on 127.0.0.1 is in use; pass another --port'
    """


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only (127.0.0.0/8, ::1, localhost).

    Example:
        >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0"), is_loopback("10.1.2.3")
        (True, True, False, False)
    """
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: other machines may reach it


def is_wildcard(host: str) -> bool:
    """Whether ``host`` means "every interface" (0.0.0.0, ::, or empty).

    Example:
        >>> is_wildcard("0.0.0.0"), is_wildcard("::"), is_wildcard("127.0.0.1")
        (True, True, False)
    """
    return host.strip("[]") in ("", "0.0.0.0", "::")


def connect_host(host: str) -> str:
    """The address a client on this machine uses to reach a server bound to ``host``.

    Example:
        >>> connect_host("0.0.0.0"), connect_host("[::1]")
        ('127.0.0.1', '::1')
    """
    return "127.0.0.1" if is_wildcard(host) else host.strip("[]")


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET


def find_free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port nobody listens on at ``host`` right now (the OS picks it).

    Example:
        >>> 1024 <= find_free_port() <= 65535
        True
    """
    with socket.socket(_family(host), socket.SOCK_STREAM) as sock:
        sock.bind((host.strip("[]"), 0))
        return int(sock.getsockname()[1])


def check_port(host: str, port: int) -> None:
    """Raise :class:`ServeError` unless a server could listen on ``host:port``.

    Example:
        >>> check_port("127.0.0.1", 0)
        >>> check_port("127.0.0.1", 70000)
        Traceback (most recent call last):
        ...
        workbench.workshop.access.ServeError: --port 70000 is not a port number; pass one between 1 and 65535, or leave --port out to pick a free one
    """
    if not 0 <= port <= 65535:
        raise ServeError(
            f"--port {port} is not a port number; pass one between 1 and 65535, or leave --port out to pick a free one"
        )
    try:
        with socket.socket(_family(host), socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host.strip("[]"), port))
    except socket.gaierror as error:
        raise ServeError(f"--host {host}: not an address of this machine ({error.strerror}); use 127.0.0.1 or 0.0.0.0") from error
    except OSError as error:
        if port and error.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise ServeError(
                f"port {port} on {host} is in use; pass another --port, or leave --port out to pick a free one"
            ) from error
        raise ServeError(f"cannot listen on {host}:{port} ({error.strerror}); use --host 127.0.0.1 or another --port") from error


def access_token(host: str, token: str | None = None) -> str | None:
    """The token people need to open the app: None on a loopback host, else ``token`` or a new random one.

    Anything but 127.0.0.1/localhost is reachable from other machines, so it is never served
    without a token.

    Example:
        >>> access_token("127.0.0.1") is None
        True
        >>> len(access_token("0.0.0.0")) >= 32
        True
        >>> access_token("0.0.0.0", "given")
        'given'
    """
    if is_loopback(host):
        return token or None
    return token or secrets.token_urlsafe(32)


def workshop_url(host: str, port: int, token: str | None = None, facilitator: str | None = None) -> str:
    """The address people open; a wildcard host is shown as this machine's network address.
    ``facilitator`` makes it the facilitator's link.

    Example:
        >>> workshop_url("127.0.0.1", 8866, "abc")
        'http://127.0.0.1:8866/?token=abc'
        >>> workshop_url("::1", 8866)
        'http://[::1]:8866/'
        >>> workshop_url("127.0.0.1", 8866, "abc", facilitator="xyz")
        'http://127.0.0.1:8866/?token=abc&facilitator=xyz'
    """
    from urllib.parse import urlencode

    shown = _network_address() if is_wildcard(host) else host.strip("[]")
    if ":" in shown:
        shown = f"[{shown}]"
    query = {key: value for key, value in (("token", token), ("facilitator", facilitator)) if value}
    return f"http://{shown}:{port}/" + (f"?{urlencode(query)}" if query else "")


def facilitator_token() -> str:
    """A fresh facilitator token: random, URL-safe, long enough not to be guessed.

    Example:
        >>> len(facilitator_token()) >= 32 and facilitator_token() != facilitator_token()
        True
    """
    return secrets.token_urlsafe(24)


def _network_address() -> str:
    """This machine's address on its network (what others type), else its host name.

    No packet is sent: connecting a UDP socket only picks the interface a route would use.
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere real
            address = str(probe.getsockname()[0])
        if not ipaddress.ip_address(address).is_loopback and address != "0.0.0.0":
            return address
    except OSError:
        pass
    return socket.gethostname()

