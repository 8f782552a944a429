"""The learner's page stays current: ``changes`` says, in one query, whether the group changed.

The page sends the fingerprint it was drawn from; the handler answers whether the learner's group
has changed since (a peer's story, reflection or response, a hide, themes, the plan, an opened
stage, someone joining), and never for what the learner cannot see change (a peer's draft).
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .test_group_work import group, reflect, story_of, tell  # noqa: F401 - the group fixture


def look(wb, student, since):
    return wb.ok(student, "changes", {"since": since})


def test_the_page_learns_of_each_change_in_its_group_and_of_nothing_else(group):  # noqa: F811
    tell(group, "alice")
    seen = group.ok("alice", "get_state")["fingerprint"]
    assert look(group, "alice", seen) == {"changed": False, "fingerprint": seen}
    group.ok("bob", "save_draft", {"key": "contribution:tell", "text": "Still typing."})
    assert look(group, "alice", seen)["changed"] is False  # a peer's draft is theirs alone
    assert look(group, "erin", group.ok("erin", "get_state")["fingerprint"])["changed"] is False

    def changed_by(action):
        nonlocal seen
        action()
        answer = look(group, "alice", seen)
        assert answer["changed"] is True and answer["fingerprint"] != seen
        assert answer["fingerprint"] == group.ok("alice", "get_state")["fingerprint"]
        seen = answer["fingerprint"]

    changed_by(lambda: tell(group, "bob"))
    changed_by(lambda: reflect(group, "bob", story_of(group, "bob", "Alice")["id"]))
    reflection = next(r for r in group.ok("bob", "get_state")["reflections"] if r["mine"])
    changed_by(
        lambda: group.ok("alice", "respond_to_reflection", {"reflection_id": reflection["id"], "text": "Thanks."})
    )
    story = story_of(group, "alice", "Bob")["id"]
    changed_by(
        lambda: group.ok(
            "facilitator", "moderate", {"kind": "contribution", "id": story, "action": "hide", "reason": "Off topic."}
        )
    )
    changed_by(
        lambda: group.ok(
            "facilitator", "open_stage", {"stage_id": "act", "group_id": group.ok("alice", "get_state")["group"]["id"]}
        )
    )
    changed_by(lambda: group.ok("carol", "save_group_plan", {"text": "Meet on Friday.", "version": 0}))
    assert look(group, "erin", group.ok("erin", "get_state")["fingerprint"])["changed"] is False  # another group


def test_asking_costs_one_query_and_reads_no_text(group):  # noqa: F811
    tell(group, "alice")
    seen = group.ok("alice", "get_state")["fingerprint"]
    with CaptureQueriesContext(connection) as captured:
        look(group, "alice", seen)
    own = [q["sql"] for q in captured.captured_queries if "demo_demoperson" not in q["sql"]]
    assert len(own) == 1  # beyond the demo's user lookup, which the LMS answers from memory
    assert '"text"' not in own[0] and '"answers"' not in own[0] and '"response"' not in own[0]


def test_bad_input_and_people_outside_a_group(group):  # noqa: F811
    assert group.call("alice", "changes", {"since": 5}).status == 400
    assert group.call("alice", "changes", {"since": "x" * 200}).status == 400
    assert group.ok("facilitator", "changes", {"since": ""}) == {"changed": False, "fingerprint": ""}
    assert group.ok("", "changes", {"since": ""}) == {"changed": False, "fingerprint": ""}
