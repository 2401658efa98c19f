"""A workshop room: N people open the link at the same moment (issue 21).

For each room size (1, 6, 12, 30 people by default) the benchmark serves a fresh copy of the
sample study's results, opens one real Chromium (Debian's, through playwright; never
``playwright install``) with one browser context per person, and then, all people at once:

1. **first content**: every page is opened within the same second; the time from opening the
   link to the first pain-point card being visible, per person (median, max, how many had no card
   within the time limit), and to the page's first byte (Chromium's commit: the server's answer plus
   starting the tab's renderer process). Before the browsers, as many plain HTTP clients fetch the
   whole page at once (``room`` mode): the server's own share. The rest is the browsers' work, which
   here shares the same 2 cores, while in a real room each person's laptop does it;
2. **join and vote**: everyone types a name, presses Join, then puts one dot on the top card; the
   time from the last click until every browser shows the full count, and the count the store holds;
3. **reload**: one person reloads the page: do they keep their name and dots without typing again?
4. **memory**: the server's processes (the room server, the facilitator's Voila and its kernels,
   or Voila and every kernel in the Voila modes) sampled every 0.5 s: the peak of the summed
   PSS (each shared page counted once over the processes) and of the summed RSS.

Modes: ``room`` (what ``workbench workshop`` serves: one kernel-less participant page for
everyone, the facilitator's Voila app behind it), ``voila`` (Voila serves everyone, one kernel
each; ``--pool`` pre-heated kernels, ``--pool 0`` for the old single pre-heated kernel).

Run from the project root (``make bench`` runs the first; about 3–5 min for the four room sizes, far
more in the Voila modes, whose rushes wait up to 3 min for cards that do not come)::

    .venv/bin/python benchmarks/workshop_room.py                                  # room: 1, 6, 12, 30
    .venv/bin/python benchmarks/workshop_room.py --mode voila --pool 12 --people 12

Writes ``benchmarks/results/workshop_room.md`` (appends one table per run; each row records the
load average, since this machine is shared).
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

STUDY = ROOT / "interview_data"
RESULTS = ROOT / "benchmarks" / "results" / "workshop_room.md"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
FIRST_CONTENT_LIMIT_S = 180.0
SESSION = "bench"


@dataclass
class RoomRun:
    """What one room size measured."""

    mode: str
    people: int
    first_content_s: list[float] = field(default_factory=list)
    first_byte_s: list[float] = field(default_factory=list)
    served_s: list[float] = field(default_factory=list)
    no_card: int = 0
    joined: int = 0
    votes_in_store: int = 0
    votes_shown_s: float | None = None
    everyone_sees_all_votes: bool = False
    reload_keeps_name_and_dots: bool | None = None
    peak_pss_mb: float = 0.0
    peak_rss_mb: float = 0.0
    idle_pss_mb: float = 0.0
    server_ready_s: float = 0.0
    load: str = ""

    def row(self) -> list[str]:
        times, bytes_ = sorted(self.first_content_s), sorted(self.first_byte_s)
        median = f"{statistics.median(times):.2f}" if times else "–"
        worst = f"{times[-1]:.2f}" if times else "–"
        first_byte = f"{statistics.median(bytes_):.2f} / {bytes_[-1]:.2f}" if bytes_ else "–"
        served = sorted(self.served_s)
        served_text = f"{statistics.median(served):.2f} / {served[-1]:.2f}" if served else "–"
        shown = "–" if self.votes_shown_s is None else f"{self.votes_shown_s:.2f}"
        reload = {None: "–", True: "yes", False: "no"}[self.reload_keeps_name_and_dots]
        return [self.mode, str(self.people), served_text, first_byte, median, worst, str(self.no_card), f"{self.joined}/{self.people}",
                f"{self.votes_in_store}/{self.people}", shown, reload, f"{self.idle_pss_mb:.0f}",
                f"{self.peak_pss_mb:.0f}", f"{self.peak_rss_mb:.0f}", f"{self.server_ready_s:.1f}", self.load]


HEADER = ["mode", "people", "whole page, no browser, median / max s", "page's first byte median / max s", "first card median s", "first card max s", "no card", "joined", "votes counted",
          "all see all votes after s", "reload keeps name+dots", "server MB before (PSS)", "server MB peak (PSS)",
          "server MB peak (RSS)", "server ready s", "load 1/5 min (before → after)"]


class MemorySampler:
    """The summed PSS and RSS of some processes and all their descendants, sampled in a thread."""

    def __init__(self, pids: list[int], every: float = 0.5) -> None:
        self.pids, self.every = pids, every
        self.peak_pss = self.peak_rss = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> tuple[float, float]:
        import psutil

        processes = []
        for pid in self.pids:
            try:
                root = psutil.Process(pid)
                processes += [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                continue
        pss = rss = 0.0
        for process in {p.pid: p for p in processes}.values():
            try:
                info = process.memory_full_info()
                pss += getattr(info, "pss", info.rss)
                rss += info.rss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        return pss / 2**20, rss / 2**20

    def _run(self) -> None:
        while not self._stop.is_set():
            pss, rss = self.sample()
            self.peak_pss, self.peak_rss = max(self.peak_pss, pss), max(self.peak_rss, rss)
            self._stop.wait(self.every)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


def load_text() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f}/{five:.1f}"


def fresh_results(results: Path, into: Path) -> Path:
    """A copy of the results without their store, log and cache (a new workshop)."""
    target = into / "results"
    shutil.copytree(results, target, ignore=shutil.ignore_patterns("cache", "store.sqlite*", "workshop*.log", "workshop"))
    return target


def start_server(mode: str, results: Path, pool: int) -> tuple[object, str, list[int]]:
    """(server, the participants' URL, the pids to measure) of one mode."""
    if mode == "room":
        from workbench.workshop.room import start_room

        room = start_room(results, session=SESSION)
        room.wait_until_facilitator_ready()
        room.wait_until_ready()
        return room, room.url, room.pids()
    from workbench.workshop.server import start_workshop

    voila = start_workshop(results, session=SESSION, pool_size=max(pool, 1))
    return voila, voila.url, [voila.process.pid]  # type: ignore[union-attr]


def serve_pages(url: str, people: int) -> list[float]:
    """Seconds until each of ``people`` plain HTTP clients, asking at once, has the whole page (the
    server's share of first content, without any browser on these cores)."""
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    def fetch(_: int) -> float:
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=FIRST_CONTENT_LIMIT_S) as response:
            response.read()
        return time.perf_counter() - started

    with ThreadPoolExecutor(people) as pool:
        return list(pool.map(fetch, range(people)))


async def one_person(page: object, url: str) -> tuple[float | None, float | None]:
    """Seconds from opening the link to the page's first byte (the server's share) and to the first
    pain-point card being visible (None: none in time)."""
    started, first_byte = time.perf_counter(), None
    try:
        await page.goto(url, wait_until="commit", timeout=FIRST_CONTENT_LIMIT_S * 1000)  # type: ignore[attr-defined]
        first_byte = time.perf_counter() - started
        left = FIRST_CONTENT_LIMIT_S - first_byte
        await page.locator(".wb-card").first.wait_for(state="visible", timeout=max(left, 1) * 1000)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a person without a card is what is counted
        return first_byte, None
    return first_byte, time.perf_counter() - started


async def join(page: object, name: str) -> bool:
    from playwright.async_api import expect

    try:
        await page.get_by_placeholder("Your name").fill(name)  # type: ignore[attr-defined]
        await page.get_by_role("button", name="Join", exact=True).click()  # type: ignore[attr-defined]
        await expect(page.get_by_text(re.compile(rf"{name} · 5 of 5 dots left"))).to_be_visible(timeout=60_000)  # type: ignore[attr-defined]
        return True
    except Exception as error:  # noqa: BLE001
        shown = await page.evaluate("""() => ['wb-status', 'wb-message', 'wb-error'].map(
            id => (document.getElementById(id) || {}).textContent)""")  # type: ignore[attr-defined]
        print(f"{name} did not join: {str(error).splitlines()[0]}; page shows {shown}", file=sys.stderr)
        return False


async def vote(page: object) -> float:
    card = page.locator(".wb-card").first  # type: ignore[attr-defined]
    await card.get_by_role("button", name=re.compile(r"^Vote")).click()
    return time.perf_counter()


async def sees_count(page: object, text: str, limit_s: float) -> float | None:
    from playwright.async_api import expect

    try:
        await expect(page.locator(".wb-card").first.locator(".wb-count")).to_have_text(text, timeout=limit_s * 1000)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001
        return None
    return time.perf_counter()


async def reload_keeps(page: object, name: str) -> bool:
    from playwright.async_api import expect

    await page.reload(wait_until="commit")  # type: ignore[attr-defined]
    try:
        await page.locator(".wb-card").first.wait_for(state="visible", timeout=60_000)  # type: ignore[attr-defined]
        await expect(page.get_by_text(re.compile(rf"{name} · 4 of 5 dots left"))).to_be_visible(timeout=15_000)  # type: ignore[attr-defined]
        await expect(page.locator(".wb-card").first.get_by_text("(yours: 1)")).to_be_visible(timeout=5_000)  # type: ignore[attr-defined]
        return True
    except Exception:  # noqa: BLE001
        return False


async def run_room(mode: str, people: int, results: Path, pool: int, warm_tabs: bool = False,
                   settle_s: float = 0.0) -> RoomRun:
    from playwright.async_api import async_playwright

    from workbench.storage.locations import store_url
    from workbench.storage.store import Store

    run = RoomRun(mode if mode == "room" else f"voila pool {max(pool, 1)}", people)
    started = time.perf_counter()
    server, url, pids = start_server(mode, results, pool)
    run.server_ready_s = time.perf_counter() - started
    try:
        sampler = MemorySampler(pids)
        run.idle_pss_mb = sampler.sample()[0]
        if mode == "room":  # a Voila page is streamed while its kernel runs: no comparable number
            run.served_s = serve_pages(url, people)
        before = load_text()
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            contexts = [await browser.new_context(viewport={"width": 1280, "height": 720}) for _ in range(people)]
            pages = [await context.new_page() for context in contexts]  # each person's browser is open already
            if warm_tabs:  # ... with a tab on the server's site (its renderer process started: a laptop's own work)
                origin = url.split("?")[0].rstrip("/")
                await asyncio.gather(*(page.goto(origin + "/not-a-page", wait_until="commit") for page in pages))
            if settle_s > 0:  # the browsers have finished starting, as a laptop's browser has before its owner clicks
                await asyncio.sleep(settle_s)
            with sampler:
                opened = await asyncio.gather(*(one_person(page, url) for page in pages))
                run.first_byte_s = [b for b, _ in opened if b is not None]
                times = [t for _, t in opened]
                run.first_content_s = [t for t in times if t is not None]
                run.no_card = sum(t is None for t in times)
                names = [f"Person {i + 1:02d}" for i in range(people)]
                ready = [(page, name) for page, name, t in zip(pages, names, times) if t is not None]
                joined = await asyncio.gather(*(join(page, name) for page, name in ready))
                run.joined = sum(joined)
                voters = [(page, name) for (page, name), ok in zip(ready, joined) if ok]
                clicks = await asyncio.gather(*(vote(page) for page, _ in voters))
                want = f"{len(voters)} vote" + ("s" if len(voters) != 1 else "")
                seen = await asyncio.gather(*(sees_count(page, want, 30.0) for page, _ in ready))
                if clicks and all(s is not None for s in seen):
                    run.everyone_sees_all_votes = True
                    run.votes_shown_s = max(s for s in seen if s is not None) - max(clicks)
                store = Store(store_url(results))
                run.votes_in_store = sum(store.vote_counts(SESSION).values())
                if voters:
                    run.reload_keeps_name_and_dots = await reload_keeps(*voters[0])
            run.peak_pss_mb, run.peak_rss_mb = sampler.peak_pss, sampler.peak_rss
            await browser.close()
        run.load = f"{before} → {load_text()}"
    finally:
        server.stop()  # type: ignore[attr-defined]
        for log in sorted(results.glob("workshop*.log")):  # what went wrong, if anything did
            problems = [line for line in log.read_text(errors="replace").splitlines()
                        if re.search(r"ERROR|Traceback|Error:", line)]
            if problems:
                print(f"{log.name}: {len(problems)} error lines, e.g. " + " | ".join(problems[:3]), file=sys.stderr)
    return run


def default_results(work: Path) -> Path:
    """The sample study's results: the checkout's when current, else analysed once into ``work``."""
    from workbench.workshop.freshness import ensure_results, results_problems

    here = STUDY / ".workbench"
    if not results_problems(STUDY, here):
        return here
    study = work / "study"
    shutil.copytree(STUDY, study, ignore=shutil.ignore_patterns(".workbench"))
    ensure_results(study, study / ".workbench")
    return study / ".workbench"


def markdown(runs: list[RoomRun], note: str) -> str:
    lines = [f"### {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores{note}", "",
             "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(run.row()) + " |" for run in runs]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", default="1,6,12,30", help="room sizes, comma-separated")
    parser.add_argument("--mode", choices=["room", "voila"], default="room")
    parser.add_argument("--pool", type=int, default=0, help="voila mode: pre-heated kernels (0: one)")
    parser.add_argument("--results", type=Path, help="a results folder (default: the sample study's)")
    parser.add_argument("--note", default="", help="a note for the table's heading")
    parser.add_argument("--warm-tabs", action="store_true",
                        help="open each tab on the server's site first (its browser process then runs already)")
    parser.add_argument("--settle", type=float, default=0.0,
                        help="seconds to wait after the browsers and tabs are open before everyone clicks the link "
                             "(0: at once, Chromium's own start-up still running on the server's cores)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():  # `make bench` goes on; the reason is printed, the table not written
        print(f"workshop room benchmark skipped: {CHROMIUM} is missing; install Debian's chromium (make browser)",
              file=sys.stderr)
        return 0
    runs = []
    with tempfile.TemporaryDirectory(prefix="workshop-room-") as work:
        source = args.results or default_results(Path(work))
        for people in (int(n) for n in args.people.split(",")):
            with tempfile.TemporaryDirectory(prefix=f"room-{people}-") as folder:
                run = asyncio.run(run_room(args.mode, people, fresh_results(source, Path(folder)), args.pool,
                                           args.warm_tabs, args.settle))
            runs.append(run)
            print(" | ".join(run.row()), flush=True)
    text = markdown(runs, f"; {args.note}" if args.note else "")
    print(text)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        head = "" if RESULTS.exists() else "# Workshop room (`benchmarks/workshop_room.py`)\n\n"
        with open(RESULTS, "a", encoding="utf-8") as handle:
            handle.write(head + text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
