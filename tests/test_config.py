"""study.toml: defaults, overrides, and errors that name the key and the file."""
from __future__ import annotations

from pathlib import Path

import pytest

from workbench.config import StudyConfig, load_study_config
from workbench.errors import StudyError


def _write(folder: Path, text: str) -> Path:
    (folder / "study.toml").write_text(text, encoding="utf-8")
    return folder


def test_folder_without_study_toml_gets_defaults(tmp_path: Path) -> None:
    assert load_study_config(tmp_path) == StudyConfig()


def test_every_section_is_read(tmp_path: Path) -> None:
    _write(
        tmp_path,
        """
[study]
name = "Pilot"
[ingest]
interviewer_names = ["Dana Whitfield"]
ignore = ["transcripts/drafts/*"]
[privacy]
booking_reference_pattern = '\\bSKY-[A-Z0-9]{6}\\b'
extra_names = ["Kevin"]
[feedback."reviews.csv"]
text_column = "review"
channel = "mobile app"
columns = { rating = "Stars" }
[analysis]
seed = 7
""",
    )
    config = load_study_config(tmp_path)
    assert config.name == "Pilot"
    assert config.interviewer_names == ["Dana Whitfield"]
    assert config.booking_reference_pattern == r"\bSKY-[A-Z0-9]{6}\b"
    assert config.feedback_options("reviews.csv").columns == {"rating": "Stars"}
    assert config.feedback_options("reviews.csv").channel == "mobile app"
    assert config.analysis["seed"] == 7


@pytest.mark.parametrize(
    "text, expected",
    [
        ("[ingest]\ntranscript_dir = 'x'\n", "unknown key 'transcript_dir' in [ingest]"),
        ("[privcy]\n", "unknown section [privcy]"),
        ("[privacy]\nextra_names = 'Kevin'\n", "extra_names should be a list"),
        ("[study\nname=1", "not valid TOML"),
        ('[feedback."a.csv"]\ntext = "x"\n', "unknown key 'text'"),
    ],
)
def test_bad_study_toml_names_the_problem(tmp_path: Path, text: str, expected: str) -> None:
    _write(tmp_path, text)
    with pytest.raises(StudyError, match="study.toml") as error:
        load_study_config(tmp_path)
    assert expected in str(error.value)
