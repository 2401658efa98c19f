"""Researcher edits are stored and survive a re-fit that renumbers and reshuffles pain points."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from workbench.analysis.curation import OTHER, record_edit, replay_edits
from workbench.errors import WorkbenchError
from workbench.storage.store import Store, sqlite_url

FIRST_FIT = pd.Series(
    {"r1": "PP01", "r2": "PP01", "r3": "PP01", "r4": "PP01",  # refunds
     "f1": "PP02", "f2": "PP02", "f3": "PP02",                # fees
     "h1": "PP03", "h2": "PP03", "h3": "PP03", "h4": "PP03",  # hold times, with two IVR passages
     "x1": OTHER}
)


def refit() -> pd.Series:
    """A later fit: new keys, one refund passage moved elsewhere, order changed."""
    return pd.Series(
        {"h1": "t0", "h2": "t0", "h3": "t0", "h4": "t0",
         "r1": "t1", "r2": "t1", "r3": "t1", "r4": "t2",
         "f1": "t2", "f2": "t2", "f3": "t2", "x1": OTHER}
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(sqlite_url(tmp_path / "store.sqlite"))


def test_rename_merge_split_move_replay_on_a_new_fit(store: Store, tmp_path: Path) -> None:
    record_edit(store, "demo", FIRST_FIT, "rename", ["PP01"], label="Refunds take weeks", author="dana")
    record_edit(store, "demo", FIRST_FIT, "split", ["PP03"], label="IVR menu loops", passage_ids=["h3", "h4"])
    record_edit(store, "demo", FIRST_FIT, "move", [OTHER], passage_ids=["f3"])

    # a second process reopens the store: edits persist
    edits = Store(sqlite_url(tmp_path / "store.sqlite")).edits("demo")
    assert [e.kind for e in edits] == ["rename", "split", "move"]

    new_fit = refit()
    curated = replay_edits(new_fit, {"t0": "hold", "t1": "refund", "t2": "fee"}, edits)
    assert curated.unmatched == []
    assert curated.labels["t1"] == "Refunds take weeks"
    ivr = [key for key, label in curated.labels.items() if label == "IVR menu loops"][0]
    assert sorted(curated.membership.index[curated.membership == ivr]) == ["h3", "h4"]
    assert curated.membership["f3"] == OTHER
    assert len(curated.applied) == 3


def test_merge_with_label(store: Store) -> None:
    record_edit(store, "demo", FIRST_FIT, "merge", ["PP01", "PP02"], label="Money problems")
    curated = replay_edits(refit(), {"t0": "hold", "t1": "refund", "t2": "fee"}, store.edits("demo"))
    money = [k for k, v in curated.labels.items() if v == "Money problems"]
    assert len(money) == 1
    assert set(curated.membership.index[curated.membership == money[0]]) == {"r1", "r2", "r3", "r4", "f1", "f2", "f3"}


def test_edit_whose_painpoint_vanished_is_reported_not_dropped(store: Store) -> None:
    record_edit(store, "demo", FIRST_FIT, "rename", ["PP02"], label="Fees")
    everything_else = pd.Series({key: "t0" for key in FIRST_FIT.index if not key.startswith("f")} | {"f1": OTHER, "f2": OTHER, "f3": OTHER})
    curated = replay_edits(everything_else, {"t0": "x"}, store.edits("demo"))
    assert curated.applied == []
    assert len(curated.unmatched) == 1 and "PP02" in curated.unmatched[0]


def test_edits_of_other_studies_are_separate(store: Store) -> None:
    record_edit(store, "a", FIRST_FIT, "rename", ["PP01"], label="A")
    assert store.edits("b") == []


@pytest.mark.parametrize(
    "kind, painpoints, kwargs, message",
    [
        ("rename", ["PP01"], {}, "needs a label"),
        ("merge", ["PP01"], {}, "two or more"),
        ("split", ["PP01"], {"label": "x"}, "passage ids"),
        ("rename", ["PP09"], {"label": "x"}, "no pain point PP09"),
        ("delete", ["PP01"], {}, "unknown edit"),
    ],
)
def test_invalid_edits_are_refused_with_a_reason(store: Store, kind, painpoints, kwargs, message) -> None:
    with pytest.raises(WorkbenchError, match=message):
        record_edit(store, "demo", FIRST_FIT, kind, painpoints, **kwargs)
