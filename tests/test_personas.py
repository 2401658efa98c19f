"""Personas: profiles, clustering, descriptions, feedback placement, and the results-folder step."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench.errors import WorkbenchError
from workbench.people.demo import demo_tables
from workbench.people.feedback_placement import assign_feedback, place_feedback
from workbench.people.persona_cards import PERSONA_COLUMNS
from workbench.people.personas import PersonaError, PersonaModel
from workbench.people.personas_and_journey import build_personas_and_journey
from workbench.people.profiles import build_profiles


PAINS = {  # pain point → (label, touchpoint, stage, texts)
    "PP01": ("Hold loop", "call centre", "support", [
        "I was on hold for forty minutes and then the line just went dead on me again",
        "The phone menu sent me round in circles and I never reached an actual person",
        "Every time I call it is an hour of hold music before anybody picks up the phone",
    ]),
    "PP02": ("Hidden fees", "website", "purchase/booking", [
        "The price went up at the very last step because of baggage fees for the children",
        "Resort fees nobody mentioned appeared on the final checkout screen, very sneaky indeed",
        "We were charged a service fee that was not in the price we saw on the search page",
    ]),
    "PP03": ("App login crash", "mobile app", "use", [
        "The app crashed and logged me out right in the middle of paying for the flight",
        "The verification code never arrived so I could not open my boarding pass at the gate",
        "I had to reinstall the app twice on the trip because it kept freezing on the login page",
    ]),
    "PP04": ("Miles missing", "email", "loyalty and advocacy", [
        "My Skylark Miles from the last three flights were never credited to my account at all",
        "They dropped my tier to Silver even though I flew more than enough to keep my Gold status",
        "Points expired without any warning email, two years of saving gone overnight for nothing",
    ]),
}
DELIGHT = ("PP05", "Helpful desk staff", "store / in person", "use",
           "The lady at the hotel desk was lovely and sorted our room upgrade in two minutes flat")


def synthetic_study(groups: dict[str, list[str]] | None = None, feedback: bool = True, seed: int = 0
                    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Interviewees in groups (segment → pain points they talk about), plus feedback items."""
    rng = np.random.default_rng(seed)
    groups = groups or {
        "business": ["PP01"], "family": ["PP02"], "student": ["PP03"], "retiree": ["PP04"],
    }
    channel = {"PP01": "call centre", "PP02": "website", "PP03": "mobile app", "PP04": "email"}
    tier = {"business": "Platinum", "family": "Silver", "student": "none", "retiree": "Gold"}
    age = {"business": "45-54", "family": "35-44", "student": "18-24", "retiree": "65-74"}
    passages, assignments, participants = [], [], []
    number = 0
    for segment, pains in groups.items():
        for member in range(3):
            number += 1
            pid = f"P{number:02d}"
            participants.append({"participant_id": pid, "interview_file": f"transcripts/interview_{number:02d}.txt",
                                 "segment": segment, "loyalty_tier": tier.get(segment, "none"),
                                 "age_band": age.get(segment, "25-34"), "primary_channel": channel[pains[0]],
                                 "region": f"City {number}", "interview_date": "2026-09-01"})
            lines = []
            for pain in pains:
                label, touchpoint, stage, texts = PAINS[pain]
                for index, text in enumerate(texts):
                    lines.append((pain, label, touchpoint, stage, "pain", float(-0.5 - 0.1 * index), f"{text} ({pid})"))
            if member == 0:
                lines.append((DELIGHT[0], DELIGHT[1], DELIGHT[2], DELIGHT[3], "delight", 0.8, f"{DELIGHT[4]} ({pid})"))
            lines.append(("other", "Other", None, None, "neutral", 0.0, f"I travel a few times a year for various reasons ({pid})"))
            for turn, (pain, label, touchpoint, stage, moment, score, text) in enumerate(lines, start=1):
                segment_id = f"s-{pid}-{turn}"
                passages.append({"passage_id": f"{segment_id}-1", "segment_id": segment_id, "text": text,
                                 "participant_id": pid, "source_kind": "interview", "sentiment": score,
                                 "moment": moment, "touchpoint": touchpoint, "stage": stage})
                assignments.append({"passage_id": f"{segment_id}-1", "segment_id": segment_id, "painpoint_id": pain,
                                    "label": label, "probability": 0.9, "sentiment": score, "moment": moment,
                                    "touchpoint": touchpoint, "stage": stage})
    if feedback:
        for item in range(8):
            pain = ["PP01", "PP03"][item % 2]
            label, touchpoint, stage, texts = PAINS[pain]
            segment_id = f"f-{item}"
            text = texts[int(rng.integers(0, 3))]
            passages.append({"passage_id": f"{segment_id}-1", "segment_id": segment_id, "text": text, "participant_id": None,
                             "source_kind": "feedback", "sentiment": -0.6, "moment": "pain", "touchpoint": touchpoint,
                             "stage": stage})
            assignments.append({"passage_id": f"{segment_id}-1", "segment_id": segment_id, "painpoint_id": pain,
                                "label": label, "probability": 0.9, "sentiment": -0.6, "moment": "pain",
                                "touchpoint": touchpoint, "stage": stage})
    return pd.DataFrame(passages), pd.DataFrame(assignments), pd.DataFrame(participants)


def painpoints_table() -> pd.DataFrame:
    rows = [{"painpoint_id": pid, "label": label, "kind": "pain", "keywords": [], "dimension": None, "stage": stage}
            for pid, (label, _tp, stage, _t) in PAINS.items()]
    rows.append({"painpoint_id": "PP05", "label": DELIGHT[1], "kind": "delight", "keywords": [], "dimension": None,
                 "stage": "use"})
    rows.append({"painpoint_id": "other", "label": "Other", "kind": "other", "keywords": [], "dimension": None,
                 "stage": None})
    return pd.DataFrame(rows)


def fitted(n_personas: int | None = None, random_state: int = 42, **study):
    passages, assignments, participants = synthetic_study(**study)
    profiles = build_profiles(passages, assignments, participants, painpoints_table())
    model = PersonaModel(n_personas=n_personas, random_state=random_state).fit(
        profiles, passages, assignments, painpoints_table())
    return model, profiles, passages, assignments, participants


# --- profiles ---------------------------------------------------------------------------------

def test_profiles_one_row_per_interviewee_with_shares_that_sum_to_one():
    passages, assignments, participants = synthetic_study()
    profiles = build_profiles(passages, assignments, participants)
    assert profiles["participant_id"].tolist() == sorted(participants["participant_id"])
    for prefix in ("painpoint:", "touchpoint:", "moment:"):
        sums = profiles.filter(like=prefix).sum(axis=1)
        assert np.allclose(sums, 1.0), prefix
    p01 = profiles.set_index("participant_id").loc["P01"]
    # P01 (business) speaks of the hold loop 3 times out of 5 units
    assert p01["painpoint:PP01"] == pytest.approx(3 / 5)
    assert p01["segment"] == "business" and p01["touchpoints"][0] == "call centre"
    assert "interview_file" not in profiles.columns  # files, names and dates are not attributes


def test_profiles_ignore_feedback_and_keep_unlisted_interviewees():
    passages, assignments, participants = synthetic_study()
    profiles = build_profiles(passages, assignments, participants.iloc[1:])  # P01 not listed
    assert "P01" in set(profiles["participant_id"])
    assert pd.isna(profiles.set_index("participant_id").loc["P01", "segment"])
    assert not any(str(p).startswith("f-") for p in profiles["participant_id"])


# --- the model --------------------------------------------------------------------------------

def test_same_input_and_seed_give_identical_personas():
    first = fitted(random_state=7)[0]
    second = fitted(random_state=7)[0]
    pd.testing.assert_frame_equal(first.personas_, second.personas_)
    assert list(first.labels_) == list(second.labels_)
    kmeans = [PersonaModel(method="kmeans", random_state=3).fit(fitted()[1]).labels_.tolist() for _ in range(2)]
    assert kmeans[0] == kmeans[1]


def test_row_order_of_the_profiles_does_not_change_the_personas():
    model, profiles, passages, assignments, _ = fitted()
    shuffled = profiles.sample(frac=1.0, random_state=1).reset_index(drop=True)
    again = PersonaModel().fit(shuffled, passages, assignments, painpoints_table())
    pd.testing.assert_frame_equal(model.personas_, again.personas_)
    assert dict(zip(shuffled["participant_id"], again.labels_)) == model.membership()  # labels_ follow the input rows


def test_four_clear_groups_become_four_personas_by_silhouette():
    model, profiles, *_ = fitted()
    assert 3 <= model.n_personas_ <= 6
    assert model.n_personas_ == 4, model.scores_
    assert model.scores_[4] == max(model.scores_.values())
    assert "silhouette" in model.criterion_
    by_segment = profiles.assign(persona=model.labels_).groupby("segment")["persona"].nunique()
    assert (by_segment == 1).all()  # each segment in one persona
    assert profiles.assign(persona=model.labels_).groupby("persona")["segment"].nunique().max() == 1


def test_names_are_unique_non_empty_and_come_from_segment_and_pain():
    model = fitted()[0]
    names = model.personas_["name"].tolist()
    assert all(isinstance(n, str) and n.strip() for n in names)
    assert len(set(names)) == len(names)
    by_member = {m: name for name, members in zip(names, model.personas_["members"]) for m in members}
    assert by_member["P01"] == "The Time-Pressed Business Flyer"  # business + hold loop
    assert by_member["P04"] == "The Budget-Watching Family Planner"  # family + hidden fees
    print(names)


def test_names_stay_unique_when_two_personas_look_alike():
    groups = {"business": ["PP01"], "family": ["PP01"], "student": ["PP01"]}
    passages, assignments, participants = synthetic_study(groups=groups)
    participants["segment"] = "business"  # everyone the same segment and pain
    participants["primary_channel"] = "call centre"
    profiles = build_profiles(passages, assignments, participants)
    model = PersonaModel(n_personas=3).fit(profiles, passages, assignments)
    names = model.personas_["name"].tolist()
    assert len(set(names)) == 3, names


def test_every_persona_quotes_its_own_members_from_different_people():
    model, _profiles, passages, *_ = fitted()
    speaker = dict(zip(passages["passage_id"], passages["participant_id"]))
    text_of = dict(zip(passages["passage_id"], passages["text"]))
    for persona in model.personas_.to_dict("records"):
        assert len(persona["quotes"]) >= 1
        assert len(persona["quotes"]) == len(persona["quote_passages"]) == len(persona["quote_participants"])
        for passage_id, text, who in zip(persona["quote_passages"], persona["quotes"], persona["quote_participants"]):
            assert speaker[passage_id] in persona["members"]
            assert speaker[passage_id] == who and text_of[passage_id] == text
        assert len(set(persona["quote_participants"])) == len(persona["quote_participants"])  # 3 members → 3 people


def test_frustrations_goals_and_touchpoints_mean_something():
    model = fitted()[0]
    personas = model.personas_.set_index("persona_id")
    business = personas[personas["members"].apply(lambda m: "P01" in m)].iloc[0]
    assert business["top_painpoints"][0] == "PP01" and business["frustrations"][0] == "Hold loop"
    assert "other" not in business["top_painpoints"] and "PP05" not in business["top_painpoints"]  # delight is no pain
    assert "call centre" in business["avoided_touchpoints"]
    assert json.loads(business["touchpoints"])["avoided"] == business["avoided_touchpoints"]
    assert "Reach a helpful person when something goes wrong" in business["goals"]
    assert json.loads(business["attributes"])["segment"] == {"business": 1.0}
    assert "Design for business flyers" in business["design_for"] and "Hold loop" in business["design_for"]
    assert 2 <= business["summary"].count(".") and "3 of 12 interviewees" in business["summary"]


def test_sizes_add_up_to_the_interviewees_and_members_partition_them():
    model, profiles, *_ = fitted()
    personas = model.personas_
    assert personas["size"].sum() == len(profiles)
    members = [m for ms in personas["members"] for m in ms]
    assert sorted(members) == sorted(profiles["participant_id"])
    assert personas["share"].sum() == pytest.approx(1.0, abs=1e-3)
    assert personas["persona_id"].tolist() == [f"PE{i}" for i in range(1, len(personas) + 1)]
    assert list(personas.columns) == list(PERSONA_COLUMNS)


def test_n_personas_overrides_the_choice_and_is_checked():
    model = fitted(n_personas=5)[0]
    assert model.n_personas_ == 5 and "set by the user" in model.criterion_
    _m, profiles, *_ = fitted()
    with pytest.raises(PersonaError, match="n_personas=40") as error:
        PersonaModel(n_personas=40).fit(profiles)
    assert isinstance(error.value, WorkbenchError) and "between 1 and 12" in str(error.value)


def test_too_few_interviewees_give_an_empty_table_and_a_reason():
    passages, assignments, participants = synthetic_study(groups={"business": ["PP01"]})  # 3 interviewees
    profiles = build_profiles(passages, assignments, participants)
    model = PersonaModel().fit(profiles, passages, assignments)
    assert model.personas_.empty and list(model.personas_.columns) == list(PERSONA_COLUMNS)
    assert model.reason_ == "too few interviewees for personas (3); need 6"
    assert model.n_personas_ == 0 and model.membership() == {}
    assert place_feedback(model, passages, assignments).empty


def test_feedback_is_placed_by_profile_and_counted_apart_from_size():
    model, profiles, passages, assignments, _ = fitted()
    sizes_before = model.personas_["size"].tolist()
    placed = assign_feedback(model, passages, assignments)
    assert len(placed) == 8  # every feedback item placed once
    persona_of = dict(zip(model.personas_["persona_id"], model.personas_["members"]))
    business = next(p for p, members in persona_of.items() if "P01" in members)
    students = next(p for p, members in persona_of.items() if "P07" in members)
    hold_items = placed[placed["segment_id"].isin([f"f-{i}" for i in (0, 2, 4, 6)])]
    app_items = placed[placed["segment_id"].isin([f"f-{i}" for i in (1, 3, 5, 7)])]
    assert set(hold_items["persona_id"]) == {business} and set(app_items["persona_id"]) == {students}
    counts = place_feedback(model, passages, assignments)
    assert counts["n_feedback_items"].sum() == 8
    assert dict(zip(counts["persona_id"], counts["n_feedback_items"]))[business] == 4
    assert model.personas_["size"].tolist() == sizes_before and sum(sizes_before) == len(profiles)


# --- the results-folder step ------------------------------------------------------------------

def write_results(folder: Path, groups: dict[str, list[str]] | None = None) -> None:
    passages, assignments, participants = synthetic_study(groups=groups)
    for name, table in (("passages", passages), ("assignments", assignments), ("participants", participants),
                        ("painpoints", painpoints_table())):
        table.to_parquet(folder / f"{name}.parquet")


def test_build_personas_and_journey_writes_parquet_ready_tables(tmp_path):
    write_results(tmp_path)
    personas, journey, info = build_personas_and_journey(tmp_path)
    assert len(personas) == info["n_personas"] == 4
    assert personas["n_feedback_items"].sum() == 8 and personas["size"].sum() == info["n_interviewees"] == 12
    assert info["reason"] is None and "silhouette" in info["criterion"]
    assert set(info["attributes_used"]) >= {"segment", "loyalty_tier"} and "region" not in info["attributes_used"]
    json.dumps(info)  # JSON-safe for the manifest
    personas.to_parquet(tmp_path / "personas.parquet")
    journey.to_parquet(tmp_path / "journey.parquet")
    back = pd.read_parquet(tmp_path / "personas.parquet")
    assert list(back["members"].iloc[0]) == personas["members"].iloc[0]
    assert int(journey["n_units"].sum()) == len(pd.read_parquet(tmp_path / "passages.parquet"))
    assert {row["persona_id"] for row in info["emotion_curve"]} == set(personas["persona_id"]) | {"all"}


def test_build_personas_and_journey_with_too_few_interviewees_still_gives_a_journey(tmp_path):
    write_results(tmp_path, groups={"business": ["PP01"]})
    personas, journey, info = build_personas_and_journey(tmp_path)
    assert personas.empty and info["reason"] == "too few interviewees for personas (3); need 6"
    assert int(journey["n_units"].sum()) == len(pd.read_parquet(tmp_path / "passages.parquet")) == 5 + 4 + 4 + 8
    personas.to_parquet(tmp_path / "personas.parquet")  # the empty table writes too


def test_build_personas_and_journey_names_the_missing_file(tmp_path):
    with pytest.raises(PersonaError, match=r"passages.parquet: not found; run `workbench analyze`"):
        build_personas_and_journey(tmp_path)


def test_demo_tables_example_is_consistent():
    passages, assignments, participants = demo_tables()
    model = PersonaModel().fit(build_profiles(passages, assignments, participants), passages, assignments)
    assert model.personas_["size"].sum() == len(participants)


# --- the sample study -------------------------------------------------------------------------

def test_sample_study_personas_separate_families_from_business_travellers(sample_results):
    personas, journey, info = build_personas_and_journey(sample_results)
    for row in personas.itertuples():
        print(f"{row.persona_id} {row.name!r} size={row.size} pains={list(row.top_painpoints)} "
              f"frustrations={list(row.frustrations)} feedback={row.n_feedback_items}")
    print(info["criterion"], info["silhouette_by_k"])
    assert 3 <= len(personas) <= 6
    participants = pd.read_parquet(sample_results / "participants.parquet")
    persona_of = {m: p for p, members in zip(personas["persona_id"], personas["members"]) for m in members}
    segment = dict(zip(participants["participant_id"].astype(str), participants["segment"].astype(str)))
    family = {persona_of[p] for p, s in segment.items() if s == "family" and p in persona_of}
    business = {persona_of[p] for p, s in segment.items() if s == "business" and p in persona_of}
    assert family and business and family | business != family & business  # not all in one persona
    assert len(family | business) >= 2
    assert personas["size"].sum() == info["n_interviewees"]
    passages = pd.read_parquet(sample_results / "passages.parquet")
    speaker = dict(zip(passages["passage_id"].astype(str), passages["participant_id"]))
    for row in personas.itertuples():
        assert len(row.quotes) >= 1 and all(speaker[q] in list(row.members) for q in row.quote_passages)
    assert personas["name"].is_unique
    assert int(journey["n_units"].sum()) == len(passages)
