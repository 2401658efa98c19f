"""The second readers' labels of the held-out lens files and the new writers' check files (``benchmarks/lens_agreement.py``) line up with
their files and use only the lenses' labels, and the agreement arithmetic counts what it says."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from workbench.analysis.lenses import default_lenses

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from lens_agreement import SETS, agreement, majority, read_readers  # noqa: E402

LENSES = ("dimension", "touchpoint", "stage")


@pytest.mark.parametrize("title, held_out, reader_paths", SETS, ids=[s[0] for s in SETS])
def test_each_reader_labelled_every_sentence_with_the_lenses_own_labels(title: str, held_out: Path, reader_paths) -> None:  # noqa: ANN001
    table = pd.read_csv(held_out, dtype=str, keep_default_na=False)
    lenses = default_lenses()
    for lens in LENSES:  # the writer's own labels too
        assert set(table[lens]) - {""} <= set(lenses[lens].labels), f"{held_out.name} {lens}"
    for path, reader in zip(reader_paths, read_readers(table, reader_paths)):
        assert len(reader) == len(table), path
        for lens in LENSES:
            used = set(reader[lens]) - {""}
            assert used <= set(lenses[lens].labels), f"{path.name} {lens}: {used - set(lenses[lens].labels)}"
        # dimension and stage are always given; touchpoint only where a channel is named
        assert (reader["dimension"] != "").all() and (reader["stage"] != "").all(), path
        assert 0.2 < (reader["touchpoint"] != "").mean() < 0.9, path


def test_a_reader_file_out_of_line_is_refused_with_its_name(tmp_path: Path) -> None:
    table = pd.DataFrame({"sentence": ["a", "b"]})
    path = tmp_path / "reader.csv"
    pd.DataFrame({"id": [2, 1], "dimension": ["UX", "UX"], "touchpoint": ["", ""], "stage": ["use", "use"]}).to_csv(path, index=False)
    with pytest.raises(SystemExit, match="reader.csv: ids must be 1..2"):
        read_readers(table, [path])


def test_agreement_counts_only_positions_both_labelled_and_majority_needs_two() -> None:
    assert agreement(["use", "support", "", "use"], ["use", "use", "support", ""]) == (0.5, 2)
    assert majority(["use", "support", "use", ""], ["use", "use", "loyalty and advocacy", "use"],
                    ["support", "use", "support", "use"]) == ["use", "use", "", "use"]
