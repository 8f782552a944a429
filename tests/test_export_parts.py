"""The export's companions with texts: reflections, responses, themes, plan and one-to-one threads."""

from __future__ import annotations

import csv
import io

import pytest

from collective_coaching_xblock.models import Contribution, Membership, Reflection

from .test_facilitation import course  # noqa: F401 - Cohort A: alice, bob, carol (group 1), dan (group 2); B: gita, hamid


def part(wb, name, student="facilitator", texts=True, extra="", view=False):
    query = f"student={student}&part={name}" + ("&texts=1" if texts else "") + extra
    url = (
        f"/collective-coaching/export/{wb.usage_id}.csv?{query}"
        if view
        else f"/handler/{wb.usage_id}/export_csv/?{query}"
    )
    response = wb.client.get(url)
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return response, list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")))) if response.status_code == 200 else []


def story(student):
    return Contribution.objects.get(author__learner_key=student, stage_id="tell")


@pytest.mark.parametrize("view", [False, True], ids=["handler", "streamed view"])
def test_each_part_holds_what_the_rule_lets_a_facilitator_read_with_formulas_neutralised(course, view):  # noqa: F811
    course.ok("bob", "submit_reflection", {"contribution_id": story("alice").pk, "answers": {"attention": "=1+1"}})
    course.ok("alice", "respond_to_reflection", {"reflection_id": Reflection.objects.get().pk, "text": "Thanks, Bob."})
    course.ok("facilitator", "open_stage", {"stage_id": "themes", "all": True})
    course.ok("alice", "tag_themes", {"themes": [{"theme": "time", "structural": True}]})
    course.ok("carol", "tag_themes", {"themes": [{"theme": "money", "structural": False}]})  # her story: private
    dan = Membership.objects.get(learner_key="dan")
    course.ok("facilitator", "write_to_learner", {"member_id": dan.member_id, "text": "@ten o'clock?"})
    response, rows = part(course, "reflections", view=view)
    assert response["Content-Disposition"].endswith('_with-texts_reflections.csv"')
    assert [(r["story_author"], r["witness"], r["prompt"], r["answer"]) for r in rows] == [
        ("Alice", "Bob", "What caught your attention in this story?", "'=1+1")
    ]
    _response, rows = part(course, "responses", view=view)
    assert [(r["story_author"], r["witness"], r["response"]) for r in rows] == [("Alice", "Bob", "Thanks, Bob.")]
    _response, rows = part(course, "themes", view=view)
    assert [(r["member"], r["theme"], r["structural"]) for r in rows] == [("Alice", "time", "True")]  # not Carol's
    _response, rows = part(course, "one_to_one", view=view)
    assert [(r["learner"], r["from"], r["text"]) for r in rows] == [("Dan", "facilitator", "'@ten o'clock?")]
    _response, rows = part(course, "plan", view=view)
    assert rows == []
    course.ok("facilitator", "open_stage", {"stage_id": "act", "all": True})
    course.ok("alice", "save_group_plan", {"text": "=cmd|' /C calc'!A0", "version": 0})
    _response, rows = part(course, "plan", view=view)
    assert [(r["group"], r["version"], r["saved_by"], r["text"]) for r in rows] == [
        ("1", "1", "Alice", "'=cmd|' /C calc'!A0")
    ]


def test_a_part_needs_texts_a_known_name_and_the_facilitators_scope(course):  # noqa: F811
    assert part(course, "reflections", texts=False)[0].status_code == 400
    assert part(course, "diary")[0].status_code == 400
    assert part(course, "reflections", student="alice")[0].status_code == 403
    assert part(course, "reflections", student="facilitator_b", extra="&cohort=cohort-a")[0].status_code == 404
    course.ok("bob", "submit_reflection", {"contribution_id": story("alice").pk, "answers": {"attention": "Heard."}})
    _response, rows = part(course, "reflections", student="facilitator_b")
    assert rows == []  # Cohort A's reflection is not in Cohort B's export
