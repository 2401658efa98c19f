"""Roles without configuration, and one person per file unless participants.csv says otherwise."""
from __future__ import annotations

from pathlib import Path

import pytest

from workbench import schema
from workbench.analysis.passages import split_into_passages
from workbench.coding.context import turns_around
from workbench.ingest.base import Turn
from workbench.ingest.roles import decide_roles, is_generic_label, label_kind, names_match, person_name
from workbench.ingest.study import read_study
from workbench.rigour.saturation import interview_order

I, C, A = schema.ROLE_INTERVIEWER, schema.ROLE_CUSTOMER, schema.ROLE_AGENT


def _roles(turns: list[tuple[str, str]], names: tuple[str, ...] = (), listed: tuple[str, ...] = ()):
    roles, notes = decide_roles([Turn(s, t) for s, t in turns], names, lambda label: label in listed)
    return {label: (r.role, r.decided_by) for label, r in roles.items()}, notes


@pytest.mark.parametrize(
    ("label", "kind"),
    [("Interviewer", "interviewer"), ("Moderator 2", "interviewer"), ("Researcher", "interviewer"),
     ("Facilitator", "interviewer"), ("Host", "interviewer"), ("Q", "interviewer"), ("Assistant", "interviewer"),
     ("AI", "interviewer"), ("Dana (Interviewer)", "interviewer"), ("Support Agent", "agent"), ("Rep 3", "agent"),
     ("User", "participant"), ("Participant 12", "participant"), ("Customer", "participant"),
     ("Interviewee", "participant"), ("A", "participant"), ("Speaker 1", "unknown"), ("SPEAKER_00", "unknown"),
     ("Maria Lopez", "name"), ("pk910", "name"), ("Userman", "name")],
)
def test_label_kinds(label: str, kind: str) -> None:
    assert label_kind(label) == kind


def test_generic_labels_and_person_names() -> None:
    assert [is_generic_label(x) for x in ["User", "Speaker 2", "Interviewee 1", "Maria", "jochem-brouwer"]] == [
        True, True, True, False, False]
    assert person_name("Saulius Grigaitis | Grandine") == "Saulius Grigaitis"
    assert names_match("OMAR", ["Omar Haddad"]) and names_match("Haddad, Omar", ["Omar Haddad"])
    assert not names_match("Omari", ["Omar Haddad"])


def test_labels_study_toml_and_participants_csv_decide_first() -> None:
    turns = [("Dana", "How did you book?"), ("Maria Lopez", "On the app. Why do you ask?"), ("Kevin", "Can I help?"),
             ("Maria Lopez", "Is it refunded?"), ("Support Agent", "Let me check.")]
    roles, notes = _roles(turns, names=("Dana Whitfield",), listed=("Maria Lopez",))
    assert roles == {"Dana": (I, "study.toml"), "Maria Lopez": (C, "participants.csv"), "Kevin": (C, "default"),
                     "Support Agent": (A, "label")}
    assert notes == []


def test_a_listed_participant_who_asks_questions_stays_a_participant() -> None:
    turns = [("Ana", "Why is my bill so high? And why now?"), ("Bo", "It is the new tariff."),
             ("Ana", "Can I change it?"), ("Bo", "Yes, online.")]
    assert _roles(turns)[0] == {"Ana": (I, "asks the questions"), "Bo": (C, "default")}
    assert _roles(turns, listed=("Ana",))[0]["Ana"] == (C, "participants.csv")


def test_the_one_who_asks_the_questions_interviews_two_may_do_so() -> None:
    two = [("Speaker 1", "Tell me about your last order?"), ("Speaker 2", "It came late."),
           ("Speaker 1", "How late?"), ("Speaker 2", "Two days.")]
    assert _roles(two)[0] == {"Speaker 1": (I, "asks the questions"), "Speaker 2": (C, "default")}
    three = [("Speaker 1", "Welcome. How do you pay rent?"), ("Speaker 3", "By transfer."),
             ("Speaker 2", "Every month?"), ("Speaker 3", "Yes, on the first."), ("Speaker 1", "Any problems?"),
             ("Speaker 3", "The bank blocks it sometimes."), ("Speaker 2", "What then?"), ("Speaker 3", "I call them.")]
    assert {label: role for label, (role, _) in _roles(three)[0].items()} == {"Speaker 1": I, "Speaker 3": C, "Speaker 2": I}


def test_no_clear_questioner_and_large_calls_keep_everyone_a_participant() -> None:
    chat = [("Ana", "The build is red."), ("Bo", "I saw, the disk is full."), ("Ana", "I'll clean it.")]
    roles, notes = _roles(chat)
    assert roles == {"Ana": (C, "no interviewer"), "Bo": (C, "no interviewer")}
    assert "no interviewer found among 2 speakers" in notes[0]
    call = [("amir", "Shall we start? Any updates?")] + [(f"dev{n}", "Yes: a small one.") for n in range(6)]
    call += [("amir", "Questions? Anything else?")]
    roles, _ = _roles(call)
    assert {role for role, _ in roles.values()} == {C}, "a call of 7 with no interviewer label is no interview"


def _ai_study(folder: Path, files: int) -> Path:
    (folder / "transcripts").mkdir(parents=True)
    for number in range(1, files + 1):
        (folder / "transcripts" / f"interview_{number:02d}.txt").write_text(
            "Assistant: How do you usually book a table at a restaurant?\n"
            f"User: Through the app, about {number} times a month.\nIt often shows tables that are gone.\n"
            "Assistant: What happens then?\n"
            "User: I phone the restaurant and wait on hold.\n",
            encoding="utf-8",
        )
    return folder


def test_forty_ai_interviews_are_forty_people_and_the_interviewer_is_never_their_voice(tmp_path: Path) -> None:
    study = read_study(_ai_study(tmp_path / "study", 40))
    segments = study.segments
    assert segments.groupby("role").size().to_dict() == {I: 80, C: 80}
    customers = segments[segments["role"] == C]
    assert customers["participant_id"].nunique() == 40 == len(study.participants)
    assert customers.groupby("source_id")["participant_id"].nunique().eq(1).all()
    passages = split_into_passages(segments)
    assert not passages["text"].str.contains("How do you usually book").any()
    assert passages["participant_id"].nunique() == 40
    assert interview_order(passages)["participant_id"].nunique() == 40, "saturation counts 40 people"
    answer = customers.iloc[0].to_dict()
    before, _after = turns_around(answer, segments, window=1)
    assert [(t.speaker, t.text) for t in before] == [("Interviewer", "How do you usually book a table at a restaurant?")]
    assert "User" not in study.pseudonyms, "a generic label is no one's name"
    report = study.report.files[0]
    assert [(s.label, s.turns, s.role, s.decided_by) for s in report.speakers] == [
        ("Assistant", 2, I, "label"), ("User", 2, C, "label")]


def test_same_name_in_two_files_is_two_people_unless_participants_csv_says_so(tmp_path: Path) -> None:
    (tmp_path / "transcripts").mkdir()
    for name in ("a", "b"):
        (tmp_path / "transcripts" / f"{name}.txt").write_text(
            "Interviewer: What happened?\nMaria Souza: The parcel was lost.\n", encoding="utf-8")
    study = read_study(tmp_path)
    ids = study.segments.dropna(subset=["participant_id"]).groupby("source_id")["participant_id"].first()
    assert ids["transcripts/a.txt"] != ids["transcripts/b.txt"]
    assert any("also speak(s) in another file" in note for note in study.report.notes)
    (tmp_path / "participants.csv").write_text("participant_id,name,segment\nP07,Maria Souza,retail\n", encoding="utf-8")
    study = read_study(tmp_path)
    assert set(study.segments["participant_id"].dropna()) == {"P07"}
    assert study.participants["participant_id"].tolist() == ["P07"]


def test_participants_csv_maps_generic_labels_of_a_group_interview(tmp_path: Path) -> None:
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "transcripts" / "group.txt").write_text(
        "Moderator: How do you commute?\nParticipant 1: By bike.\nParticipant 2: Train, always late.\n"
        "Moderator: Why late?\nParticipant 2: Signal failures.\nParticipant 3: I drive.\n", encoding="utf-8")
    (tmp_path / "participants.csv").write_text(
        "participant_id,interview_file,speaker,segment\n"
        "P11,transcripts/group.txt,Participant 1,cyclist\nP12,transcripts/group.txt,Participant 2,commuter\n",
        encoding="utf-8")
    study = read_study(tmp_path)
    by_label = {s.label: s.participant_id for s in study.report.files[0].speakers}
    assert by_label["Participant 1"] == "P11" and by_label["Participant 2"] == "P12"
    assert by_label["Participant 3"] not in {"P11", "P12", None} and by_label["Moderator"] is None
    assert "speaker" not in study.participants.columns, "labels may be names: kept out of the shared table"
    assert any("column(s) speaker hold personal data" in note for note in study.report.notes)


def test_ingest_summary_lists_speakers_roles_and_tool(tmp_path: Path) -> None:
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "transcripts" / "otter.txt").write_text(
        "Speaker 1  0:00\nHow did you find us?\n\nSpeaker 2  0:04\nA friend told me.\n\n"
        "Speaker 1  0:09\nAnd the first order?\n\nSpeaker 2  0:12\nIt was late.\n", encoding="utf-8")
    summary = read_study(tmp_path).report.format_summary()
    assert "transcripts/otter.txt [txt (Otter.ai)]: Speaker 1 = interviewer, 2 turns (asks the questions); " \
           "Speaker 2 = P01, 2 turns" in summary
