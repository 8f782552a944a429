"""The live session's screen: what the room may read of a group or a cohort, and when it changed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from collective_coaching_xblock.models import BlockCohort, Contribution, Membership

from .test_facilitation import course  # noqa: F401 - the fixture: Cohort A (alice, bob, carol | dan), B (gita, hamid)


def group_of(student):
    return Membership.objects.get(learner_key=student).group_id


def test_the_screen_shows_the_groups_themes_and_plan_with_pseudonyms(course):  # noqa: F811
    course.ok("facilitator", "open_stage", {"stage_id": "act", "group_id": group_of("alice")})
    course.ok("alice", "save_group_plan", {"text": "Write to the college together.", "version": 0})
    screen = course.ok("facilitator", "live_session", {"group_id": group_of("alice")})
    assert screen["group"]["name"] == "Group 1" and screen["members"] == 3
    assert screen["plan"]["text"] == "Write to the college together."
    alice = Membership.objects.get(learner_key="alice")
    assert screen["plan"]["updated_by"] == alice.pseudonym  # pseudonyms unless names are chosen
    assert screen["stories"] == [] and not screen["show_stories"]
    named = course.ok("facilitator", "live_session", {"group_id": group_of("alice"), "names": True})
    assert named["plan"]["updated_by"] == "Alice"
    assert [s["notes"] != "" for s in screen["stages"]] == [True] * 5  # the facilitator's guide


def test_stories_show_only_when_chosen_when_everyone_may_read_them_and_only_those_shared(course):  # noqa: F811
    body = {"group_id": group_of("alice"), "show_stories": True}
    screen = course.ok("facilitator", "live_session", body)
    # Carol kept her story for the facilitator: the unit lets her read peers' stories only after
    # sharing hers, and she is in the room, so no story goes on the screen.
    assert screen["stories_withheld"] and screen["stories"] == []
    course.ok("carol", "submit_contribution", {"stage_id": "tell", "text": "carol shares", "sharing": "group"})
    screen = course.ok("facilitator", "live_session", body)
    assert not screen["stories_withheld"]
    assert sorted(story["text"] for story in screen["stories"]) == ["alice story", "bob story", "carol shares"]
    alice_story = Contribution.objects.get(author__learner_key="alice", stage_id="tell")
    hide = {"action": "hide", "kind": "contribution", "id": alice_story.pk, "reason": "r"}
    course.ok("facilitator", "moderate", hide)
    screen = course.ok("facilitator", "live_session", body)
    assert sorted(story["text"] for story in screen["stories"]) == ["bob story", "carol shares"]


def test_a_unit_under_pseudonyms_never_shows_names_and_a_rename_changes_the_screen(course):  # noqa: F811
    body = {"group_id": group_of("alice"), "names": True}
    first = course.ok("facilitator", "live_session", body)
    assert first["names"] and first["names_allowed"]
    Membership.objects.filter(learner_key="alice").update(name="Alicia")  # as a visit with a new name does
    assert "unchanged" not in course.ok("facilitator", "live_session", {**body, "since": first["fingerprint"]})
    block = course.block("facilitator")
    block.anonymity = "pseudonyms"
    block.save()
    screen = course.ok("facilitator", "live_session", body)
    assert not screen["names"] and not screen["names_allowed"]


def test_the_theme_map_counts_structural_against_personal_for_those_who_shared(course):  # noqa: F811
    course.ok("facilitator", "open_stage", {"stage_id": "themes", "group_id": group_of("alice")})
    course.ok("alice", "tag_themes", {"themes": [{"theme": "time", "structural": True}, {"theme": "night bus"}]})
    course.ok("bob", "tag_themes", {"themes": [{"theme": "time", "structural": False}]})
    course.ok("carol", "tag_themes", {"themes": [{"theme": "money", "structural": True}]})  # her story is not shared
    screen = course.ok("facilitator", "live_session", {"group_id": group_of("alice")})
    assert [(t["theme"], t["structural"], t["personal"]) for t in screen["themes"]] == [
        ("time", 1, 1),
        ("night bus", 0, 1),
    ]
    # A cohort's screen: the unit's own themes only (Alice's "night bus" is her group's to read).
    cohort = course.ok("facilitator", "live_session", {"cohort": "cohort-a"})
    assert [(t["theme"], t["structural"], t["personal"]) for t in cohort["themes"]] == [("time", 1, 1)]
    assert cohort["other_themes"] == 1 and "plan" not in cohort and "stories" not in cohort


def test_an_unchanged_screen_is_told_so_in_one_query_and_a_new_tag_changes_it(course):  # noqa: F811
    body = {"group_id": group_of("alice")}
    first = course.ok("facilitator", "live_session", body)
    with CaptureQueriesContext(connection) as captured:
        again = course.ok("facilitator", "live_session", {**body, "since": first["fingerprint"]})
    assert again == {"unchanged": True, "fingerprint": first["fingerprint"]}
    scope_queries = len(captured) - 1
    with CaptureQueriesContext(connection) as full:
        course.ok("facilitator", "live_session", body)
    assert len(full) > scope_queries + 1  # the unchanged answer read only the fingerprint after the scope
    course.ok("facilitator", "open_stage", {"stage_id": "themes", "group_id": group_of("alice")})
    course.ok("alice", "tag_themes", {"themes": [{"theme": "time", "structural": True}]})
    changed = course.ok("facilitator", "live_session", {**body, "since": first["fingerprint"]})
    assert changed["fingerprint"] != first["fingerprint"] and changed["themes"][0]["theme"] == "time"
    cohort = course.ok("facilitator", "live_session", {"cohort": "cohort-a"})
    assert course.ok("facilitator", "live_session", {"cohort": "cohort-a", "since": cohort["fingerprint"]}) == {
        "unchanged": True,
        "fingerprint": cohort["fingerprint"],
    }


@pytest.mark.parametrize(
    ("who", "body", "status"),
    [
        ("alice", {"group_id": 1}, 403),
        ("facilitator_b", "alice", 404),  # a group of Cohort A, for a facilitator of Cohort B
        ("facilitator_b", {"cohort": "cohort-a"}, 404),
        ("facilitator", {"cohort": "nowhere"}, 404),
        ("facilitator", {"group_id": "one"}, 400),
        ("facilitator", {"group_id": 99999}, 404),
        ("facilitator", "alice-since", 400),
        ("facilitator", "alice-stories", 400),
    ],
)
def test_who_may_ask_and_what(course, who, body, status):  # noqa: F811
    group = group_of("alice")
    body = (
        {
            "alice": {"group_id": group},
            "alice-since": {"group_id": group, "since": "x" * 99},
            "alice-stories": {"group_id": group, "show_stories": "yes"},
        }.get(body, body)
        if isinstance(body, str)
        else body
    )
    assert course.call(who, "live_session", body).status == status
    assert BlockCohort.objects.count() == 2  # nothing was written
