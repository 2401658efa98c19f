"""Start the workshop room's server for participants: ``python -m widgets.workshop.room_app``.

``workbench workshop`` runs this (see :mod:`workbench.workshop.room`); it serves the page of
:mod:`widgets.workshop.room_page` with the states of :class:`widgets.workshop.room_view.ParticipantRoom`
through :mod:`workbench.workshop.room_server`. The tokens come in the environment
(``WORKBENCH_ROOM_TOKEN``, ``WORKBENCH_VOILA_TOKEN``), never on the command line, where other
users of the machine could read them.

Example:
    >>> sorted(static_files())
    ['plotly.min.js', 'room.js']
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

ENV_ROOM_TOKEN, ENV_VOILA_TOKEN = "WORKBENCH_ROOM_TOKEN", "WORKBENCH_VOILA_TOKEN"


def static_files() -> dict[str, Path]:
    """The scripts the page loads: its own, and plotly's (only when the Journey tab is opened).

    Example:
        >>> static_files()["room.js"].name
        'room.js'
    """
    files = {"room.js": Path(__file__).with_name("room.js")}
    try:
        import importlib.util

        spec = importlib.util.find_spec("plotly")
        if spec is not None and spec.origin:
            files["plotly.min.js"] = Path(spec.origin).parent / "package_data" / "plotly.min.js"
    except (ImportError, ValueError):
        pass
    return files


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and serve until SIGINT/SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, required=True)
    parser.add_argument("--session", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--startup-file", type=Path)
    parser.add_argument("--voila-port", type=int)
    parser.add_argument("--store")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from workbench.workshop.room_server import RoomSettings, serve_room

    settings = RoomSettings(
        results_dir=args.results, session=args.session, host=args.host, port=args.port,
        token=os.environ.pop(ENV_ROOM_TOKEN, None) or None, startup_file=args.startup_file,
        voila_port=args.voila_port, voila_token=os.environ.pop(ENV_VOILA_TOKEN, None) or None,
        static_files=static_files(),
    )

    def view():  # type: ignore[no-untyped-def]
        from widgets.workshop.room_view import open_room

        return open_room(args.results, args.session, args.store or os.environ.get("WORKBENCH_STORE"))

    serve_room(settings, view)
    return 0


if __name__ == "__main__":
    sys.exit(main())
