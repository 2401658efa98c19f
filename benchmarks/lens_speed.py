"""CPU time of placing 10,000 sentences on the three CX lenses (cues + embedding + trained model).

The sentences are the fixture's (``tests/data/lens_fixture.csv``) repeated with a numbered suffix;
static vectors are computed first and not timed. CPU time (``time.process_time``) is printed with
the load, because wall time on a shared machine mostly measures the neighbours.

Run from the project root (``ROOT`` argument: another checkout to time, e.g. an older commit's
``git archive``)::

    HF_HUB_OFFLINE=1 PYTHONPATH=. python benchmarks/lens_speed.py [ROOT]
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def main() -> None:
    root = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else HERE
    sys.path.insert(0, str(root))
    import pandas as pd

    from workbench.analysis.embedders import get_embedder
    from workbench.analysis.lens_attribution import score_lenses
    from workbench.analysis.lenses import default_lenses

    fixture = pd.read_csv(HERE / "tests" / "data" / "lens_fixture.csv", dtype=str, keep_default_na=False)
    base = fixture["sentence"].tolist()
    texts = [f"{base[i % len(base)]} {'Honestly.' if i % 3 else 'Again!'} #{i}" for i in range(10_000)]
    embedder = get_embedder("static")
    vectors = embedder.encode(texts)
    cpu, wall = time.process_time(), time.perf_counter()
    score_lenses(texts, vectors, default_lenses(), embedder)
    print(f"{root}: 10,000 sentences, three lenses: {time.process_time() - cpu:.1f} s CPU, "
          f"{time.perf_counter() - wall:.1f} s wall, load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
