"""Embedding and per-row scoring on a real Dask cluster give the same results as on this machine."""
from __future__ import annotations

import json
import shutil
import socket
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench.analysis.distributed import DASK_ENV_VAR, DaskSchedulerError, open_dask, partition_bounds
from workbench.analysis.embed import embed_texts
from workbench.analysis.embedders import get_embedder
from workbench.analysis.embedding_cache import EmbeddingCache
from workbench.analysis.sentiment import score_sentiment

distributed = pytest.importorskip("distributed")

REVIEWS = Path(__file__).resolve().parents[1] / "interview_data" / "feedback" / "app_store_reviews.csv"

#: complaints and praise of varied lengths, with exact duplicates (encoded once, vectors shared)
TEXTS = [
    "I was on hold for 55 minutes and then the call dropped.",
    "They charged my card twice for one booking and no one answered my emails.",
    "Check-in was seamless, the app had my boarding pass ready.",
    "Refund still missing after six weeks.",
    "The desk agent upgraded us for free, the kids were over the moon!",
    "App crashed at payment.",
    "No confirmation email, but the money left my account the same day, so I had to phone the call centre "
    "three times and each agent told me something different about when the e-ticket would arrive.",
    "Hidden fee at the last step.",
    "ok",
    "",
    "I booked the bundle because the price alert said it dropped 20%.",
] * 2 + [f"Complaint number {i}: the {w} was {a} and I waited {i} days for an answer." for i, w, a in zip(
    range(60), ["refund", "baggage desk", "app", "chat bot", "seat map", "voucher"] * 10,
    ["slow", "broken", "confusing", "useless", "fine", "great"] * 10)]


@pytest.fixture(scope="module")
def dask_cluster():
    """Two worker processes on this machine, one thread each: a real scheduler over TCP."""
    cluster = distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    )
    try:
        yield cluster
    finally:
        cluster.close()


@pytest.fixture(scope="module")
def reviews_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """187 app-store reviews of the bundled study, copied so results are written beside them."""
    folder = tmp_path_factory.mktemp("reviews")
    return Path(shutil.copy(REVIEWS, folder / "reviews.csv"))


@pytest.fixture(scope="module")
def local_cluster_result(reviews_csv: Path):
    from workbench.study import run_cluster

    return run_cluster(reviews_csv, reviews_csv.parent / "local.workbench", embedder="static", progress=False)


# -- partitions ---------------------------------------------------------------------------


def test_partitions_cover_every_item_once_in_order_and_align_to_batches() -> None:
    for n_items in [1, 63, 64, 65, 500, 4097, 10_000]:
        for n_workers in [1, 2, 7]:
            bounds = partition_bounds(n_items, n_workers, partition_size=2048, granularity=64)
            flat = [i for start, stop in bounds for i in range(start, stop)]
            assert flat == list(range(n_items))
            assert all(stop - start <= 2048 for start, stop in bounds)
            assert all(start % 64 == 0 for start, _ in bounds)  # same model batches as the local path
    assert len(partition_bounds(100_000, 2, partition_size=2048, granularity=64)) == 49  # capped at 2048
    assert len(partition_bounds(10_000, 2, partition_size=2048, granularity=64)) == 8  # a few per worker
    assert len(partition_bounds(100, 2, partition_size=2048, granularity=64)) == 2  # never below one batch


# -- (a) embeddings -----------------------------------------------------------------------


def test_static_embeddings_on_dask_equal_local_and_fill_the_local_cache(dask_cluster, tmp_path: Path) -> None:
    embedder = get_embedder("static")
    texts = TEXTS * 6 + [f"{t} (copy {i})" for i, t in enumerate(TEXTS * 5)]  # ~1000 texts, ~500 distinct
    local = embed_texts(texts, embedder, progress=False, chunk_size=128)

    cache = EmbeddingCache(tmp_path / "embeddings.sqlite")
    run = open_dask(dask_cluster.scheduler_address)
    try:
        remote = run.embed(texts, embedder, cache=cache, progress=False, chunk_size=128)
        assert run.embed_partitions == 4 and run.texts_sent == len(set(texts))
        np.testing.assert_allclose(remote, local, rtol=0, atol=1e-6)
        assert remote.dtype == np.float32 and remote.shape == (len(texts), 256)

        # The new vectors were stored here: a second pass sends nothing to the workers.
        again = run.embed(texts[::-1], embedder, cache=cache, progress=False)
        assert run.texts_sent == len(set(texts)) and cache.stats.misses == 0
        np.testing.assert_allclose(again, local[::-1], rtol=0, atol=1e-6)
        assert cache.count(embedder.model_id) == len(set(texts))

        # Each worker process built the embedder once, however many partitions it encoded.
        built = run.client.run(lambda: sorted(__import__("workbench.analysis.distributed").analysis.distributed
                                              ._EMBEDDERS_IN_THIS_PROCESS))
        assert all(len([key for key in keys if "StaticEmbedder" in key[0]]) <= 1 for keys in built.values())
        assert any(keys for keys in built.values())
    finally:
        run.close()
        cache.close()


def test_minilm_embeddings_on_dask_equal_local(dask_cluster) -> None:
    from workbench.analysis.distributed import _encode_partition, _embedder_spec

    texts = TEXTS[:24]  # one partition: only one worker pays for loading the model
    embedder = get_embedder("minilm")
    local = embed_texts(texts, embedder, progress=False)
    run = open_dask(dask_cluster.scheduler_address)
    try:
        remote = run.embed(texts, get_embedder("minilm"), progress=False)
        assert run.embed_partitions == 1
    finally:
        run.close()
    assert remote.shape == (len(texts), 384)
    np.testing.assert_allclose(remote, local, rtol=0, atol=1e-6)
    # meaning survives the trip: the two "on hold" duplicates are one vector, unlike an unrelated text
    assert float(remote[0] @ remote[11]) == pytest.approx(1.0, abs=1e-6) and float(remote[0] @ remote[2]) < 0.6

    # Partitions made of whole chunks give exactly the vectors of one local pass (checked here,
    # in this process, on the partitions workers would get): each encode() sees the same texts.
    distinct = sorted(set(texts), key=lambda text: -len(text))  # the longest-first order the workers get
    bounds = partition_bounds(len(distinct), n_workers=1, partition_size=2048, granularity=2)
    assert len(bounds) == 4
    by_partition = np.vstack([_encode_partition(distinct[a:b], *_embedder_spec(embedder), chunk_size=2)
                              for a, b in bounds])
    np.testing.assert_array_equal(by_partition, embed_texts(distinct, embedder, progress=False, chunk_size=2))


def test_a_client_passed_in_is_used_and_left_open(dask_cluster) -> None:
    with distributed.Client(dask_cluster.scheduler_address, set_as_default=False) as client:
        run = open_dask(client)
        run.submit_scoring(["The hold music played for 55 minutes", "We landed at nine.", None])
        scores, moments = run.scores()
        run.close()
        assert moments == ["pain", "neutral", "neutral"] and scores[2] == 0.0
        assert scores[:2].tolist() == score_sentiment(["The hold music played for 55 minutes", "We landed at nine."]).tolist()
        assert run.info()["scheduler"] == dask_cluster.scheduler_address and run.info()["score_partitions"] == 1
        assert client.status == "running"  # not ours to close


# -- (b) a whole run ----------------------------------------------------------------------


def test_run_cluster_on_dask_gives_the_same_painpoints_and_assignments(
    dask_cluster, reviews_csv: Path, local_cluster_result
) -> None:
    from workbench.study import run_cluster

    remote = run_cluster(
        reviews_csv, reviews_csv.parent / "dask.workbench", embedder="static", progress=False,
        dask_scheduler=dask_cluster.scheduler_address,
    )
    local = local_cluster_result
    assert len(remote.assignments) == 187
    pd.testing.assert_frame_equal(remote.assignments, local.assignments)  # pain points, probabilities, sentiment, moments
    pd.testing.assert_frame_equal(remote.painpoints, local.painpoints)  # labels, keywords, severity, quotes
    assert local.info["dask"] is None

    manifest = json.loads((reviews_csv.parent / "dask.workbench" / "manifest.json").read_text())
    recorded = manifest["info"]["dask"]
    assert recorded["scheduler"] == dask_cluster.scheduler_address and recorded["n_workers"] == 2
    assert recorded["embed_partitions"] >= 1 and recorded["score_partitions"] == 3 and recorded["texts_sent"] > 150


# -- (c) the command ----------------------------------------------------------------------


def test_cli_dask_option_and_environment_variable(dask_cluster, reviews_csv: Path, local_cluster_result) -> None:
    from typer.testing import CliRunner

    from workbench.cli import app

    runner = CliRunner()
    out = reviews_csv.parent / "cli.workbench"
    result = runner.invoke(
        app, ["cluster", str(reviews_csv), "--embedder", "static", "--out", str(out), "--dask",
              dask_cluster.scheduler_address],
        env={DASK_ENV_VAR: "tcp://127.0.0.1:1"},  # the option wins over the environment
    )
    assert result.exit_code == 0, result.output
    assert f"ran on Dask at {dask_cluster.scheduler_address} (2 workers" in result.output
    written = pd.read_parquet(out / "assignments.parquet")
    pd.testing.assert_frame_equal(written, pd.read_parquet(local_cluster_result.out_dir / "assignments.parquet"))

    # WORKBENCH_DASK alone is used, and a bad one is one clear line naming it
    failed = runner.invoke(app, ["cluster", str(reviews_csv), "--embedder", "static", "--out", str(out)],
                           env={DASK_ENV_VAR: "tcp://127.0.0.1:1"})
    assert failed.exit_code == 2
    assert "tcp://127.0.0.1:1" in failed.stderr and DASK_ENV_VAR in failed.stderr
    assert "Traceback" not in failed.output


# -- (d) bad schedulers -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_scheduler_is_a_clear_error_naming_it() -> None:
    address = f"tcp://127.0.0.1:{_free_port()}"  # nothing listens there
    with pytest.raises(DaskSchedulerError) as raised:
        open_dask(address, connect_timeout=2)
    assert address in str(raised.value) and DASK_ENV_VAR in str(raised.value)

    with pytest.raises(DaskSchedulerError, match="not a Dask scheduler address.*tcp://HOST:8786"):
        open_dask("http://scheduler.example:8786")


def test_a_port_that_never_answers_times_out_instead_of_hanging() -> None:
    # A listening socket that never speaks: TCP connects, the Dask handshake never comes.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(DaskSchedulerError) as raised:
            open_dask(address, connect_timeout=2)
        waited = time.monotonic() - started
    assert address in str(raised.value) and "within 2 s" in str(raised.value)
    assert waited < 60  # a hang guard, not a speed target


def test_analyze_segments_reports_a_bad_scheduler_before_any_work() -> None:
    from workbench.analysis.pipeline import analyze_segments

    segments = pd.DataFrame({
        "segment_id": ["s1"], "role": ["customer"], "text_redacted": ["The refund never came."],
        "participant_id": [None], "source_kind": ["feedback"], "source_id": ["f.csv"], "channel": [None],
    })
    with pytest.raises(DaskSchedulerError, match=r"tcp://127\.0\.0\.1:1 .*WORKBENCH_DASK"):
        analyze_segments(segments, embedder="static", split_passages=False, dask_scheduler="tcp://127.0.0.1:1")
