"""The visibility rule, row by row of docs/privacy.md, through every surface that shows text.

Each row puts one story (Alice's), one reflection on it (Carol's) and one response (Alice's to
Carol) into a state, through the real handlers of the workbench runtime. Then every viewer reads
every surface they have, and the test checks that the union of what each viewer sees is exactly
what the row says they may read: nothing more (no leak) and nothing less (nothing lost).

Viewers: alice (the story's author), carol (the witness), bob (a peer of the group), dan (a
learner of another group), gita (of another cohort), the facilitator, facilitator_b (limited to
Cohort B), a course author (Studio's preview and editor), and nobody (events, the mobile data,
an anonymous visitor).
"""

from __future__ import annotations

import csv
import io
import json
from collections import namedtuple

import pytest

from collective_coaching_xblock import authoring
from collective_coaching_xblock.exercise import visibility as vis
from collective_coaching_xblock.models import Contribution, Reflection
from collective_coaching_xblock.operations.export_parts import PARTS

STORY, REFLECTION, RESPONSE = "STORY-7d1", "REFLECTION-9c2", "RESPONSE-4e8"
ALL = {STORY, REFLECTION, RESPONSE}
LEARNERS = ("alice", "bob", "carol", "dan", "gita")
VIEWERS = (*LEARNERS, "facilitator", "facilitator_b", "course_author", "nobody")

Row = namedtuple("Row", "name change readable")


def _resubmit_story(wb, sharing):
    wb.ok("alice", "submit_contribution", {"stage_id": "tell", "text": f"My story {STORY}", "sharing": sharing})


def _story(wb):
    return Contribution.objects.get(author__learner_key="alice", stage_id="tell")


def _withdraw(wb, student, stage_id):
    contribution = Contribution.objects.get(author__learner_key=student, stage_id=stage_id)
    wb.ok(student, "withdraw_contribution", {"contribution_id": contribution.pk})


def _hide(wb, kind, item_id):
    wb.ok("facilitator", "moderate", {"action": "hide", "kind": kind, "id": item_id, "reason": "Hidden for the test."})


def _save_stages(wb, transform):
    settings = authoring.current_settings(wb.block("facilitator"))
    wb.ok("facilitator", "save_settings", {**settings, "stages": transform(settings["stages"])})


def _without_contract(stages):
    return [stage for stage in stages if stage["kind"] != "contract"]


def _story_stage_renamed(stages):
    return [dict(stage, id="tell2") if stage["id"] == "tell" else stage for stage in stages]


NONE = {v: set() for v in VIEWERS}
ROWS = [
    Row("shared with the group", lambda wb: None, {"alice": ALL, "bob": {STORY}, "carol": ALL, "facilitator": ALL}),
    Row(
        "the facilitator only",
        lambda wb: _resubmit_story(wb, "facilitator"),
        {"alice": {STORY, RESPONSE}, "carol": {REFLECTION}, "facilitator": ALL},
    ),
    Row(
        "only me",
        lambda wb: _resubmit_story(wb, "private"),
        {"alice": {STORY, RESPONSE}, "carol": {REFLECTION}},
    ),
    Row(
        "withdrawn",
        lambda wb: _withdraw(wb, "alice", "tell"),
        {"alice": {STORY, RESPONSE}, "carol": {REFLECTION}},
    ),
    Row(
        "story hidden by the facilitator",
        lambda wb: _hide(wb, "contribution", _story(wb).pk),
        {"alice": ALL, "carol": {REFLECTION, RESPONSE}, "facilitator": ALL},
    ),
    Row(
        "author's consent withdrawn",
        lambda wb: _withdraw(wb, "alice", "contract"),
        {"alice": {STORY, RESPONSE}, "carol": {REFLECTION}, "facilitator": ALL},
    ),
    Row(
        "author's consent withdrawn, then the contract stage removed",
        lambda wb: (_withdraw(wb, "alice", "contract"), _save_stages(wb, _without_contract)),
        {"alice": {STORY, RESPONSE}, "carol": {REFLECTION}, "facilitator": ALL},
    ),
    Row(
        "story's stage removed from the unit",
        lambda wb: _save_stages(wb, _story_stage_renamed),
        {"alice": {STORY, RESPONSE}, "carol": {REFLECTION}, "facilitator": ALL},
    ),
    Row(
        "reflection hidden by the facilitator",
        lambda wb: _hide(wb, "reflection", Reflection.objects.get().pk),
        {"alice": {STORY, RESPONSE}, "bob": {STORY}, "carol": ALL, "facilitator": ALL},
    ),
    Row(
        "response hidden by the facilitator",
        lambda wb: _hide(wb, "response", Reflection.objects.get().pk),
        {"alice": ALL, "bob": {STORY}, "carol": {STORY, REFLECTION}, "facilitator": ALL},
    ),
    Row(
        "witness's consent withdrawn",
        lambda wb: _withdraw(wb, "carol", "contract"),
        {"alice": {STORY, RESPONSE}, "bob": {STORY}, "carol": {REFLECTION, RESPONSE}, "facilitator": ALL},
    ),
]


@pytest.fixture
def group(workbench, published):
    """alice, bob, carol in group 1 of Cohort A, each consenting and sharing; dan in group 2; gita in Cohort B.

    Carol reflects on Alice's story, and Alice responds.
    """
    wb = workbench
    for student in ("alice", "bob", "carol", "dan", "gita"):
        wb.open_unit(student)
        wb.ok(student, "submit_contribution", {"stage_id": "contract"})
    _resubmit_story(wb, "group")
    for student in ("bob", "carol"):
        wb.ok(student, "submit_contribution", {"stage_id": "tell", "text": f"{student}'s story", "sharing": "group"})
    story = _story(wb)
    wb.ok(
        "carol", "submit_reflection", {"contribution_id": story.pk, "answers": {"attention": f"I heard {REFLECTION}"}}
    )
    reflection = Reflection.objects.get()
    wb.ok("alice", "respond_to_reflection", {"reflection_id": reflection.pk, "text": f"Thank you {RESPONSE}"})
    wb.published = published
    return wb


def _markers(text: str) -> set[str]:
    return {marker for marker in ALL if marker in text}


def _get(wb, url):
    response = wb.client.get(url)
    return response.status_code, b"".join(response.streaming_content if response.streaming else [response.content])


def seen_by(wb, viewer) -> set[str]:
    """Everything ``viewer`` can read through every surface they have, as the set of markers."""
    seen = set()
    if viewer in LEARNERS:
        seen |= _markers(json.dumps(wb.call(viewer, "get_state").body))
        seen |= _markers(wb.open_unit(viewer))
        status, body = _get(wb, f"/handler/{wb.usage_id}/download_my_data/?student={viewer}")
        seen |= _markers(body.decode("utf-8"))
        for handler in ("group_detail", "dashboard_data"):
            assert wb.call(viewer, handler, {"group_id": 1}).status == 403
    elif viewer in ("facilitator", "facilitator_b"):
        group_id = _story(wb).author.group_id
        seen |= _markers(json.dumps(wb.call(viewer, "group_detail", {"group_id": group_id}).body))
        seen |= _markers(json.dumps(wb.call(viewer, "dashboard_data", {"cohort": "cohort-a"}).body))
        seen |= _markers(wb.open_unit(viewer))
        seen |= _markers(json.dumps(wb.call(viewer, "triage", {}).body))
        companions = [f"/handler/{wb.usage_id}/export_csv/?student={viewer}&texts=1&part={p}" for p in PARTS]
        for url in (
            f"/handler/{wb.usage_id}/export_csv/?student={viewer}&texts=1",
            f"/collective-coaching/export/{wb.usage_id}.csv?student={viewer}&texts=1",
            *companions,
        ):
            status, body = _get(wb, url)
            assert status == 200
            seen |= _markers(body.decode("utf-8"))
            list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))  # a well-formed CSV
        if viewer == "facilitator":  # the Instructor report is for the course's staff
            user_state = namedtuple("UserState", "username state")
            rows = wb.block(viewer).generate_report_data(iter([user_state(s, {}) for s in LEARNERS]))
            seen |= _markers(json.dumps(list(rows)))
    elif viewer == "course_author":
        block = wb.block("facilitator")
        seen |= _markers(block.render("author_view", {}).body_html())
        seen |= _markers(block.render("studio_view", {}).body_html())
    else:  # nobody: events, the mobile apps' data, a visitor who is not signed in
        seen |= _markers(json.dumps([data for _user, _name, data in wb.published], default=str))
        seen |= _markers(json.dumps(wb.block("alice").student_view_data()))
        seen |= _markers(json.dumps(wb.call("", "get_state").body))
    return seen


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_each_viewer_reads_exactly_what_the_rule_allows_on_every_surface(group, row):
    row.change(group)
    expected = {**NONE, **row.readable}
    seen = {viewer: seen_by(group, viewer) for viewer in VIEWERS}
    assert seen == expected


def test_the_rule_itself_never_lets_outsiders_read():
    """Whatever the item's state, viewers outside the group or scope read nothing (the rule, exhaustively)."""
    from itertools import product

    for kind, sharing, withdrawn, hidden, consents, current in product(
        vis.KINDS, ("group", "facilitator", "private"), (False, True), (False, True), (False, True), (False, True)
    ):
        story = vis.Item(vis.STORY, sharing=sharing, withdrawn=withdrawn, author_consents=consents)
        item = vis.Item(
            kind,
            sharing=sharing,
            withdrawn=withdrawn,
            hidden=hidden,
            author_consents=consents,
            stage_current=current,
            answers=vis.Item(vis.REFLECTION, answers=story) if kind == vis.RESPONSE else story,
        )
        for viewer in (vis.OTHER_LEARNER, vis.FACILITATOR_OUT, vis.COURSE_AUTHOR, vis.NOBODY):
            assert not vis.may_read(viewer, item), (viewer, item)
        if kind in vis.CONTRIBUTIONS and sharing == "private":
            assert not vis.may_read(vis.FACILITATOR, item) and not vis.may_read(vis.GROUP_PEER, item)
        if kind in vis.CONTRIBUTIONS and withdrawn:
            assert [v for v in vis.VIEWERS if vis.may_read(v, item)] == [vis.AUTHOR]


def test_a_draft_is_read_by_its_author_alone_on_every_surface(group):
    """A draft is kept on the server, private to its author, and is not a submission."""
    draft = "DRAFT-5b3"
    group.published.clear()
    before = group.ok("alice", "get_state")
    group.ok("alice", "save_draft", {"key": "contribution:act", "text": f"Next steps {draft}"})
    names = [name for _user, name, _data in group.published]
    assert "grade" not in names and "completion" not in names  # not a submission
    after = group.ok("alice", "get_state")
    assert after["drafts"] == {"contribution:act": f"Next steps {draft}"}
    assert after["stages"] == before["stages"] and after["score"] == before["score"]
    surfaces = {
        viewer: group.open_unit(viewer) + json.dumps(group.call(viewer, "get_state").body)
        for viewer in ("alice", "bob", "carol", "facilitator")
    }
    surfaces["facilitator"] += json.dumps(
        group.call("facilitator", "group_detail", {"group_id": _story(group).author.group_id}).body
    )
    surfaces["facilitator"] += group.client.get(
        f"/handler/{group.usage_id}/export_csv/?student=facilitator&texts=1"
    ).content.decode()
    surfaces["events"] = json.dumps([data for _user, _name, data in group.published], default=str)
    surfaces["alice's download"] = group.client.get(
        f"/handler/{group.usage_id}/download_my_data/?student=alice"
    ).content.decode()
    assert {name for name, text in surfaces.items() if draft in text} == {"alice", "alice's download"}
    # Saving the contribution itself deletes its draft.
    group.ok("facilitator", "open_stage", {"stage_id": "act", "group_id": _story(group).author.group_id})
    group.ok("alice", "submit_contribution", {"stage_id": "act", "text": "My next steps.", "sharing": "private"})
    assert group.ok("alice", "get_state")["drafts"] == {}
