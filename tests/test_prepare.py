"""`workbench prepare` (run by `make install`): the first analysis after an install compiles nothing.

Checks that numba's file cache covers every UMAP function a small study's fit compiles (it
missed ``umap.distances.cosine`` before), that after :func:`compile_clustering_code` a new
process clusters without compiling any UMAP or pynndescent function, and that the command
prepares both the ONNX model and the compiled code. Real numba, real cache folders.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]


def test_every_lazily_compiled_umap_function_gets_the_file_cache() -> None:
    from numba.core.caching import NullCache
    from numba.core.dispatcher import Dispatcher

    from workbench.analysis.clustering import _cache_umap_compilation

    _cache_umap_compilation()
    import umap.distances

    uncached = [
        f"{name}.{attribute}"
        for name, module in list(sys.modules.items())
        if module is not None and (name == "umap" or name.startswith("umap."))
        for attribute, value in vars(module).items()
        if isinstance(value, Dispatcher) and isinstance(value._cache, NullCache) and not value.signatures
    ]
    assert uncached == []
    assert not isinstance(umap.distances.cosine._cache, NullCache)


#: Runs in a new process: cluster a small study's worth of vectors, then list the UMAP and
#: pynndescent functions this process compiled (numba's compile event) rather than loaded.
_CLUSTER_AND_LIST_COMPILED = r"""
import json, numpy as np
from numba.core import event
compiled = set()
class Listener(event.Listener):
    def on_start(self, ev):
        pass
    def on_end(self, ev):
        function = ev.data["dispatcher"].py_func
        compiled.add(f"{function.__module__}.{function.__qualname__}")
event.register("numba:compile", Listener())
from workbench.analysis.clustering import cluster_units, _cache_umap_compilation
from workbench.analysis.painpoint_settings import auto_settings
_cache_umap_compilation()
rng = np.random.default_rng(3)
vectors = np.repeat(rng.normal(size=(5, 32)), 60, axis=0) + rng.normal(0, 0.3, (300, 32))
vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
settings = dict(auto_settings(300), n_components=5, random_state=7, refine_iterations=10, min_similarity=0.3)
labels = cluster_units(vectors, settings, n_usable=300, other_budget=15)
print(json.dumps({"compiled": sorted(compiled), "clusters": len(set(labels.tolist()) - {-1})}))
"""

#: Functions umap declares with an explicit signature: numba compiles them when umap is
#: imported, before any cache can be switched on (about a second on two cores).
EAGER = {"umap.utils.tau_rand_int", "umap.utils.tau_rand"}


def test_after_compile_clustering_code_a_new_process_compiles_nothing(tmp_path: Path) -> None:
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "numba-cache"))
    warm = subprocess.run(
        [sys.executable, "-c", "from workbench.analysis.clustering import compile_clustering_code as c; print(c())"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert warm.returncode == 0, warm.stderr[-2000:]
    assert any((tmp_path / "numba-cache").rglob("*.nbi"))  # the index files numba's cache writes

    run = subprocess.run([sys.executable, "-c", _CLUSTER_AND_LIST_COMPILED], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    # workbench.analysis.umap_knn (UMAP's small-data neighbours) is compiled by the same warm-up
    ours = [name for name in result["compiled"]
            if name.startswith(("umap.", "pynndescent.", "hdbscan.", "workbench."))]
    assert set(ours) <= EAGER, ours
    assert result["clusters"] >= 3  # the fit itself still finds the planted themes


def test_workbench_prepare_readies_the_model_and_the_compiled_code() -> None:
    from workbench.analysis.embedders.minilm_onnx import minilm_onnx_path
    from workbench.cli import app

    result = CliRunner().invoke(app, ["prepare"])
    assert result.exit_code == 0, result.output
    assert "MiniLM ready (minilm:all-MiniLM-L6-v2:max_seq_256:onnx)" in result.output
    assert "Clustering code compiled" in result.output
    assert "Name lists for redaction ready" in result.output
    assert minilm_onnx_path(export=False).is_file()
