"""REFI-QDA import and export of a made-up project of many interviews: how long each takes.

A project of ``--interviews`` transcripts (12 turns each, about 900 words) with ``--codings``
codings per interview, two coders and a codebook of 30 codes, written as another tool would
(``sources/<guid>.txt``), is imported into a fresh study (SQLite store) and exported again; the
elements of the two files are compared. Prints the timings and the element counts; the figures
go to BENCHMARKS.md.

    .venv/bin/python benchmarks/qdpx_round_trip.py --interviews 40 --codings 25
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.coding.qda_archive import project_elements, read_qdpx  # noqa: E402
from workbench.coding.qdpx import export_qdpx  # noqa: E402
from workbench.coding.qdpx_import import import_qdpx  # noqa: E402

WORDS = ("the booking app refund agent waited weeks call centre hotel flight changed fee card charged email "
         "nobody answered voucher money back queue hold minutes website login password crashed twice").split()


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def make_project(path: Path, interviews: int, codings: int, seed: int = 7) -> int:
    """Write the project; return how many codings it holds."""
    rng = random.Random(seed)
    users = [_guid(rng), _guid(rng)]
    codes = [_guid(rng) for _ in range(30)]
    xml = ['<Project xmlns="urn:QDA-XML:project:1.0" name="Benchmark">',
           f'<Users><User guid="{users[0]}" name="Coder A"/><User guid="{users[1]}" name="Coder B"/></Users>',
           "<CodeBook><Codes>" + "".join(f'<Code guid="{c}" name="Code {i}" isCodable="true"/>' for i, c in enumerate(codes))
           + "</Codes></CodeBook><Sources>"]
    files, total = {}, 0
    for n in range(interviews):
        turns = []
        for t in range(12):
            speaker = "Interviewer" if t % 2 == 0 else "Respondent"
            turns.append(f"{speaker}: " + " ".join(rng.choice(WORDS) for _ in range(12 if t % 2 == 0 else 130)) + ".")
        text = "\n\n".join(turns) + "\n"
        source = _guid(rng)
        files[f"sources/{source}.txt"] = text
        selections = []
        starts = [i for i in range(len(text)) if text.startswith("Respondent: ", i)]
        for _ in range(codings):
            base = rng.choice(starts) + len("Respondent: ")
            start = base + rng.randrange(0, 300)
            start = text.index(" ", start) + 1
            end = text.index(" ", start + rng.randrange(20, 200))
            selections.append(
                f'<PlainTextSelection guid="{_guid(rng)}" startPosition="{start}" endPosition="{end}">'
                f'<Coding guid="{_guid(rng)}" creatingUser="{rng.choice(users)}"><CodeRef targetGUID="{rng.choice(codes)}"/>'
                "</Coding></PlainTextSelection>")
            total += 1
        xml.append(f'<TextSource guid="{source}" name="interview {n:03d}" plainTextPath="internal://{source}.txt">'
                   + "".join(selections) + "</TextSource>")
    xml.append("</Sources></Project>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", "".join(xml))
        for name, text in files.items():
            archive.writestr(name, text)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=40)
    parser.add_argument("--codings", type=int, default=25, help="codings per interview")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    project = folder / "bench.qdpx"
    n = make_project(project, args.interviews, args.codings)
    started = time.perf_counter()
    imported = import_qdpx(project, folder / "study")
    imported_s = time.perf_counter() - started
    started = time.perf_counter()
    export_qdpx(folder / "study", folder / "back.qdpx")
    exported_s = time.perf_counter() - started
    before, after = read_qdpx(project), read_qdpx(folder / "back.qdpx")
    same = project_elements(before.root, before.texts) == project_elements(after.root, after.texts)
    print(f"{args.interviews} interviews, {n} codings: import {imported_s:.1f} s ({imported.n_codings} mapped, "
          f"{len(imported.not_mapped)} not mapped), export {exported_s:.1f} s, same elements: {same}")


if __name__ == "__main__":
    main()
