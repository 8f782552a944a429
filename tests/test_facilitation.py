"""The facilitator's handlers: every action, every permission rule, the export and query counts."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from collective_coaching_xblock.demo.data import DEMO_COURSE_ID
from collective_coaching_xblock.demo.scale import seed_learners
from collective_coaching_xblock.models import (
    Contribution,
    FacilitatorScope,
    Flag,
    Membership,
    ScoreOverride,
    StageOpening,
    StageSchedule,
)

FACILITATOR_HANDLERS = {
    "dashboard_data": {},
    "group_detail": {"group_id": 1},
    "moderate": {"action": "hide", "kind": "contribution", "id": 1},
    "open_stage": {"stage_id": "themes", "all": True},
    "set_stage_dates": {"stage_id": "tell", "closes": "2020-01-01T00:00:00+00:00"},
    "move_member": {"member_id": "x", "group_id": 1},
    "split_group": {"group_id": 1, "member_ids": ["x"]},
    "merge_groups": {"group_id": 1, "into_group_id": 2},
    "override_score": {"member_id": "x", "score": 4, "reason": "r"},
    "assign_facilitator": {"username": "alice", "cohorts": []},
}


@pytest.fixture
def course(workbench):
    """Cohort A: alice, bob, carol (group 1) and dan (group 2); Cohort B: gita, hamid (group 1)."""
    for student in ("alice", "bob", "carol", "dan", "gita", "hamid"):
        workbench.open_unit(student)
        workbench.ok(student, "submit_contribution", {"stage_id": "contract"})
    for student in ("alice", "bob", "gita", "hamid"):
        workbench.ok(
            student, "submit_contribution", {"stage_id": "tell", "text": f"{student} story", "sharing": "group"}
        )
    workbench.ok("carol", "submit_contribution", {"stage_id": "tell", "text": "carol private", "sharing": "private"})
    return workbench


def member(student):
    return Membership.objects.get(learner_key=student)


def texts_seen_by(wb, student):
    return {c["text"] for c in wb.ok(student, "get_state")["contributions"]}


@pytest.mark.parametrize("handler", sorted(FACILITATOR_HANDLERS))
@pytest.mark.parametrize("student", ["alice", "gita", "zoe"])
def test_learners_get_403_from_every_facilitator_handler(course, handler, student):
    before = [list(model.objects.values()) for model in (Contribution, Membership, StageOpening, ScoreOverride)]
    for body in (FACILITATOR_HANDLERS[handler], {}, [], None):
        result = course.call(student, handler, body)
        assert result.status == 403, (handler, body, result.body)
    assert course.client.get(f"/handler/{course.usage_id}/export_csv/?student={student}").status_code == 403
    after = [list(model.objects.values()) for model in (Contribution, Membership, StageOpening, ScoreOverride)]
    assert before == after


def test_staff_opening_the_unit_see_the_dashboard(course):
    html = course.open_unit("facilitator")
    assert "Facilitator dashboard" in html and "Cohort A" in html and "Cohort B" in html
    assert "Preview the learner view" in html


def test_dashboard_shows_each_member_per_stage(course):
    data = course.ok("facilitator", "dashboard_data", {"cohort": "cohort-a"})
    assert [c["name"] for c in data["cohorts"]] == ["Cohort A", "Cohort B"]
    assert {c["name"]: c["learners"] for c in data["cohorts"]} == {"Cohort A": 4, "Cohort B": 2}
    groups = {g["name"]: g for g in data["groups"]}
    assert list(groups) == ["Group 1", "Group 2"]
    rows = {m["name"]: m for m in groups["Group 1"]["members"]}
    assert rows["Alice"]["stages"] == {
        "contract": "done",
        "tell": "done",
        "witness": "not_started",
        "themes": "not_started",
        "act": "not_started",
    }
    assert rows["Carol"]["stages"]["tell"] == "done"  # a private story still completes the stage
    assert rows["Alice"]["score"] == {"earned": 1, "possible": 4, "overridden": False, "participation": 1}
    assert {c["stage_id"]: c["done"] for c in data["chart"]}["tell"] == 3
    assert data["learners"] == 4 and not data["scoped"]
    assert [m["name"] for m in groups["Group 2"]["members"]] == ["Dan"]


def test_stalled_learners_stand_out(course):
    from datetime import timedelta

    from django.utils import timezone

    Membership.objects.filter(learner_key="dan").update(last_activity=timezone.now() - timedelta(days=8))
    data = course.ok("facilitator", "dashboard_data", {"cohort": "cohort-a"})
    rows = {m["name"]: m for g in data["groups"] for m in g["members"]}
    assert rows["Dan"]["stalled"] and not rows["Alice"]["stalled"]
    assert [g["stalled"] for g in data["groups"]] == [False, True]


def test_waiting_for_peers_is_never_stalled_on_the_dashboard_or_in_the_export(course):
    from datetime import timedelta

    from django.utils import timezone

    # Dan, alone in group 2, tells his story: nothing to witness, his themes open. A week later
    # he has done his themes and next steps, and only the group's part is left: he waits.
    course.ok("dan", "submit_contribution", {"stage_id": "tell", "text": "dan story", "sharing": "group"})
    course.ok("dan", "tag_themes", {"themes": [{"theme": "time", "structural": True}]})
    course.ok("dan", "submit_contribution", {"stage_id": "act", "text": "dan acts", "sharing": "group"})
    week_ago = timezone.now() - timedelta(days=8)
    Membership.objects.filter(learner_key__in=["dan", "carol"]).update(last_activity=week_ago)
    data = course.ok("facilitator", "dashboard_data", {"cohort": "cohort-a"})
    rows = {m["name"]: m for g in data["groups"] for m in g["members"]}
    assert (rows["Dan"]["state"], rows["Dan"]["stalled"], rows["Dan"]["waiting"]) == ("waiting", False, True)
    # Carol could witness (her story is private: her own stages open) and has not for a week: stalled.
    assert (rows["Carol"]["state"], rows["Carol"]["stalled"]) == ("stalled", True)
    assert rows["Alice"]["state"] == "active"
    assert [(g["stalled"], g["waiting"]) for g in data["groups"]] == [(False, False), (False, True)]
    response = course.client.get(f"/handler/{course.usage_id}/export_csv/?student=facilitator&cohort=cohort-a")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    states = {row["username"]: row["state"] for row in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))}
    assert states == {"alice": "active", "bob": "active", "carol": "stalled", "dan": "waiting"}


def test_scoped_facilitator_sees_and_acts_only_in_their_cohorts(course):
    data = course.ok("facilitator_b", "dashboard_data")
    assert [c["name"] for c in data["cohorts"]] == ["Cohort B"] and data["scoped"]
    assert {m["name"] for g in data["groups"] for m in g["members"]} == {"Gita", "Hamid"}
    group_a = member("alice").group_id
    alice_story = Contribution.objects.get(author__learner_key="alice", stage_id="tell").pk
    refused = [
        ("dashboard_data", {"cohort": "cohort-a"}),
        ("group_detail", {"group_id": group_a}),
        ("moderate", {"action": "hide", "kind": "contribution", "id": alice_story}),
        ("open_stage", {"stage_id": "themes", "group_id": group_a}),
        ("move_member", {"member_id": member("alice").member_id, "group_id": member("dan").group_id}),
        ("override_score", {"member_id": member("alice").member_id, "score": 0, "reason": "x"}),
    ]
    for handler, body in refused:
        assert course.call("facilitator_b", handler, body).status == 404, handler
    for handler, body in (
        ("assign_facilitator", {"username": "x", "cohorts": []}),
        ("set_stage_dates", {"stage_id": "tell"}),
    ):
        assert course.call("facilitator_b", handler, body).status == 403, handler
    course.ok("facilitator_b", "open_stage", {"stage_id": "themes", "all": True})
    assert set(StageOpening.objects.values_list("group__cohort__cohort_id", flat=True)) == {"cohort-b"}
    export = course.client.get(f"/handler/{course.usage_id}/export_csv/?student=facilitator_b")
    names = [row[3] for row in csv.reader(io.StringIO(export.content.decode("utf-8-sig")))][1:]
    assert sorted(names) == ["Gita", "Hamid"]
    assert (
        course.client.get(f"/handler/{course.usage_id}/export_csv/?student=facilitator_b&cohort=cohort-a").status_code
        == 404
    )


def test_group_detail_keeps_private_work_private(course):
    detail = course.ok("facilitator", "group_detail", {"group_id": member("alice").group_id})
    by_author = {c["author"]: c for c in detail["contributions"] if c["stage_id"] == "tell"}
    assert by_author["Alice"]["text"] == "alice story"
    assert by_author["Carol"]["text"] is None and by_author["Carol"]["sharing"] == "private"
    assert course.call("facilitator", "group_detail", {"group_id": 99999}).status == 404


def test_moderation_hides_at_once_and_resolves_flags(course):
    bob_story = Contribution.objects.get(author__learner_key="bob", stage_id="tell").pk
    course.ok("alice", "flag_content", {"kind": "contribution", "id": bob_story, "reason": "Names my boss."})
    queue = course.ok("facilitator", "dashboard_data")["flags"]
    assert [(f["reason"], f["text"], f["author"], f["group"]) for f in queue] == [
        ("Names my boss.", "bob story", "Bob", 1)
    ]
    assert course.ok("facilitator", "dashboard_data", {"cohort": "cohort-b"})["flags"] == []  # Cohort A's flag
    course.ok(
        "facilitator",
        "moderate",
        {"action": "hide", "kind": "contribution", "id": bob_story, "reason": "Names a colleague."},
    )
    assert "bob story" not in texts_seen_by(course, "carol") | texts_seen_by(course, "alice")
    course.ok("facilitator", "moderate", {"action": "restore", "kind": "contribution", "id": bob_story})
    course.ok("carol", "submit_contribution", {"stage_id": "tell", "text": "carol shares", "sharing": "group"})
    assert "bob story" in texts_seen_by(course, "carol")
    course.ok("facilitator", "moderate", {"action": "resolve", "flag_id": queue[0]["id"]})
    assert course.ok("facilitator", "dashboard_data")["flags"] == []
    assert Flag.objects.get().resolved_by == "facilitator"
    for body in (
        {"action": "delete"},
        {"action": "hide", "kind": "x", "id": 1},
        {"action": "hide", "kind": "contribution"},
    ):
        assert course.call("facilitator", "moderate", body).status == 400
    assert course.call("facilitator", "moderate", {"action": "hide", "kind": "reflection", "id": 424242}).status == 404


def test_opening_a_stage_for_one_group(course):
    group = member("alice").group_id
    course.ok("facilitator", "open_stage", {"stage_id": "themes", "group_id": group})
    statuses = {s["id"]: s["status"] for s in course.ok("alice", "get_state")["stages"]}
    assert statuses["themes"] == "open"
    assert {s["id"]: s["status"] for s in course.ok("dan", "get_state")["stages"]}["themes"] == "locked"
    assert course.call("facilitator", "open_stage", {"stage_id": "nope", "group_id": group}).status == 400


def test_stage_dates_close_and_extend_a_stage(course):
    """Each change of dates reaches the learners' next request, though the dates are cached."""
    assert {s["id"]: s["status"] for s in course.ok("dan", "get_state")["stages"]}["tell"] != "closed"
    course.ok("facilitator", "set_stage_dates", {"stage_id": "tell", "closes": "2020-01-01T00:00:00+00:00"})
    result = course.call("dan", "submit_contribution", {"stage_id": "tell", "text": "late", "sharing": "group"})
    assert result.status == 400
    course.ok("facilitator", "set_stage_dates", {"stage_id": "tell", "closes": "2099-01-01T00:00:00+00:00"})
    course.ok("dan", "submit_contribution", {"stage_id": "tell", "text": "in time", "sharing": "group"})
    bad = {"stage_id": "tell", "opens": "2030-01-02T00:00:00+00:00", "closes": "2030-01-01T00:00:00+00:00"}
    assert course.call("facilitator", "set_stage_dates", bad).status == 400
    assert StageSchedule.objects.get().closes.year == 2099


def test_moving_a_learner_moves_their_work_and_visibility(course):
    course.ok("dan", "submit_contribution", {"stage_id": "tell", "text": "dan story", "sharing": "group"})
    course.ok(
        "facilitator", "move_member", {"member_id": member("alice").member_id, "group_id": member("dan").group_id}
    )
    assert "alice story" in texts_seen_by(course, "dan")
    assert "alice story" not in texts_seen_by(course, "bob")
    assert Contribution.objects.filter(author__learner_key="alice").count() == 2  # nothing lost
    gita_group = member("gita").group_id
    body = {"member_id": member("bob").member_id, "group_id": gita_group}
    assert course.call("facilitator", "move_member", body).status == 400  # another cohort


def test_split_and_merge_groups(course):
    group = member("alice").group_id
    split = course.ok("facilitator", "split_group", {"group_id": group, "member_ids": [member("carol").member_id]})
    assert member("carol").group_id == split["group"]["id"] != group
    assert (
        course.call(
            "facilitator",
            "split_group",
            {"group_id": group, "member_ids": [member("alice").member_id, member("bob").member_id]},
        ).status
        == 400
    )
    course.ok(
        "facilitator", "merge_groups", {"group_id": split["group"]["id"], "into_group_id": member("dan").group_id}
    )
    assert member("carol").group_id == member("dan").group_id
    assert course.call("facilitator", "merge_groups", {"group_id": group, "into_group_id": group}).status == 400


def test_score_override_is_recorded_and_seen(course, published):
    # The demo has no gradebook; the Open edX host sends overrides to the LMS
    # (tests/test_openedx_platform.py). Nothing goes to edx-submissions (docs/decisions/0007).
    from submissions import api as submissions_api

    body = {"member_id": member("alice").member_id, "score": 3, "reason": "Took part in the live session."}
    course.ok("facilitator", "override_score", body)
    assert course.ok("alice", "get_state")["score"] == {"earned": 3, "possible": 4, "overridden": True}
    override = ScoreOverride.objects.get()
    assert (override.by, override.reason) == ("facilitator", "Took part in the live session.")
    score = submissions_api.get_score(
        {
            "student_id": "alice",
            "course_id": DEMO_COURSE_ID,
            "item_id": course.usage_id,
            "item_type": "collective_coaching",
        }
    )
    assert score is None
    for bad in ({**body, "score": 5}, {**body, "score": "3"}, {**body, "reason": " "}, {**body, "member_id": 7}):
        assert course.call("facilitator", "override_score", bad).status == 400
    assert ScoreOverride.objects.count() == 1
    # Alice's later work publishes no participation grade over the override.
    published.clear()
    course.ok("alice", "submit_contribution", {"stage_id": "tell", "text": "alice story, edited", "sharing": "group"})
    assert [name for _, name, _ in published if name == "grade"] == []
    assert course.ok("alice", "get_state")["score"]["earned"] == 3


def test_staff_assign_a_facilitator_to_cohorts(course):
    course.ok("facilitator", "assign_facilitator", {"username": "facilitator", "cohorts": []})
    course.ok("facilitator", "assign_facilitator", {"username": "facilitator_b", "cohorts": ["cohort-a"]})
    assert [c["name"] for c in course.ok("facilitator_b", "dashboard_data")["cohorts"]] == ["Cohort A"]
    assert course.call("facilitator", "assign_facilitator", {"username": "x", "cohorts": ["cohort-z"]}).status == 400
    assert FacilitatorScope.objects.filter(username="facilitator_b").count() == 1


def test_export_rows_texts_and_formula_escaping(course):
    Membership.objects.filter(learner_key="bob").update(name='=HYPERLINK("http://x")')
    course.ok("gita", "submit_contribution", {"stage_id": "tell", "text": "@SUM(A1)", "sharing": "group"})
    response = course.client.get(f"/handler/{course.usage_id}/export_csv/?student=facilitator")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(response.streaming_content).decode("utf-8-sig")
                if response.streaming
                else response.content.decode("utf-8-sig")
            )
        )
    )
    assert len(rows) == 6
    by_user = {row["username"]: row for row in rows}
    assert by_user["bob"]["name"] == '\'=HYPERLINK("http://x")'
    assert by_user["alice"]["status:tell"] == "done" and by_user["alice"]["words:tell"] == "2"
    assert "text:tell" not in rows[0]
    with_texts = course.client.get(f"/handler/{course.usage_id}/export_csv/?student=facilitator&texts=1")
    rows = {r["username"]: r for r in csv.DictReader(io.StringIO(with_texts.content.decode("utf-8-sig")))}
    assert rows["gita"]["text:tell"] == "'@SUM(A1)" and rows["alice"]["text:tell"] == "alice story"


def _queries(wb, student, handler, body=None):
    with CaptureQueriesContext(connection) as captured:
        wb.ok(student, handler, body)
    return len(captured)


def _export_queries(wb):
    with CaptureQueriesContext(connection) as captured:
        response = wb.client.get(f"/handler/{wb.usage_id}/export_csv/?student=facilitator&texts=1")
        body = b"".join(response.streaming_content) if response.streaming else response.content
    return len(captured), body.count(b"\n")


def test_dashboard_and_export_query_counts_do_not_grow_with_learners(workbench):
    block = workbench.usage_id
    seed_learners(block, DEMO_COURSE_ID, 10)
    workbench.ok("facilitator", "dashboard_data")  # the first request fills the cache (the stage dates)
    small = (_queries(workbench, "facilitator", "dashboard_data", {"cohort": "cohort-a"}), _export_queries(workbench))
    seed_learners(block, DEMO_COURSE_ID, 990, prefix="more")
    large = (_queries(workbench, "facilitator", "dashboard_data", {"cohort": "cohort-a"}), _export_queries(workbench))
    assert small[0] == large[0]
    assert small[1][0] == large[1][0]
    assert (small[1][1], large[1][1]) == (11, 1001)  # header + one row per learner


def test_learner_view_query_count_does_not_grow_with_the_cohort(workbench):
    seed_learners(workbench.usage_id, DEMO_COURSE_ID, 10, group_size=3)
    workbench.open_unit("alice")
    small = _queries(workbench, "alice", "get_state")
    seed_learners(workbench.usage_id, DEMO_COURSE_ID, 1000, group_size=3, prefix="more")
    assert _queries(workbench, "alice", "get_state") == small


def test_generate_report_data_lists_contributions_for_the_instructor_report(course):
    from collections import namedtuple

    UserState = namedtuple("UserState", "username state")  # the shape of the LMS's XBlockUserState
    block = course.block("facilitator")
    rows = list(block.generate_report_data(iter([UserState("alice", {}), UserState("carol", {})])))
    assert rows == [
        (
            "alice",
            {"Question": "Tell your career story", "Answer": "alice story", "Sharing": "group", "State": "active"},
        ),
        ("carol", {"Question": "Tell your career story", "Answer": "", "Sharing": "private", "State": "active"}),
    ]
    states = [UserState("alice", {}), UserState("carol", {})]
    assert len(list(block.generate_report_data(iter(states), limit_responses=1))) == 1
    assert list(block.generate_report_data(iter(states), limit_responses=0)) == []


def test_streamed_export_view_matches_the_handler_and_checks_permission(course):
    from collective_coaching_xblock.platform import get_host

    url = get_host().export_url(course.block("facilitator"))
    assert url.startswith("/collective-coaching/export/") and url.endswith("?student=facilitator")
    response = course.client.get(url + "&texts=1")
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    streamed = b"".join(response.streaming_content).decode("utf-8-sig")
    handler = course.client.get(f"/handler/{course.usage_id}/export_csv/?student=facilitator&texts=1")
    assert streamed == handler.content.decode("utf-8-sig")
    assert course.client.get(url.replace("student=facilitator", "student=alice")).status_code == 403
    assert course.client.get("/collective-coaching/export/nope.csv?student=facilitator").status_code == 404
    assert course.client.post(url).status_code == 405
    assert "/collective-coaching/export/" in course.open_unit("facilitator")


def test_a_move_or_merge_says_first_what_it_will_do_and_changes_nothing(course):
    before = {m.learner_key: m.group_id for m in Membership.objects.all()}
    dan, alice = member("dan"), member("alice")
    course.ok("dan", "submit_contribution", {"stage_id": "tell", "text": "dan story", "sharing": "group"})
    preview = course.ok(
        "facilitator", "merge_groups", {"group_id": dan.group_id, "into_group_id": alice.group_id, "preview": True}
    )["preview"]
    # Group 1 reads alice's and bob's stories (carol's is private); Dan reads those two, they gain his.
    assert preview == {
        "size_after": 4,
        "unit_size": 3,
        "above_size": True,
        "left_empty": True,
        "new_stories": [
            {"member_id": alice.member_id, "name": "Alice", "stories": 1},
            {"member_id": member("bob").member_id, "name": "Bob", "stories": 1},
            {"member_id": member("carol").member_id, "name": "Carol", "stories": 1},
            {"member_id": dan.member_id, "name": "Dan", "stories": 2},
        ],
    }
    moved = course.ok(
        "facilitator", "move_member", {"member_id": alice.member_id, "group_id": dan.group_id, "preview": True}
    )["preview"]
    assert (moved["size_after"], moved["above_size"], moved["left_empty"]) == (2, False, False)
    assert {m.learner_key: m.group_id for m in Membership.objects.all()} == before  # nothing moved
    assert (
        course.call(
            "facilitator", "move_member", {"member_id": alice.member_id, "group_id": dan.group_id, "preview": "yes"}
        ).status
        == 400
    )
    assert (
        course.call(
            "facilitator_b",
            "merge_groups",
            {"group_id": dan.group_id, "into_group_id": alice.group_id, "preview": True},
        ).status
        == 404
    )


def test_a_stage_opens_for_the_selected_groups_only_and_one_out_of_scope_opens_none(course):
    alice, dan, gita = member("alice"), member("dan"), member("gita")
    opened = course.ok("facilitator", "open_stage", {"stage_id": "act", "group_ids": [alice.group_id, dan.group_id]})
    assert opened["opened"]["groups"] == sorted([alice.group_id, dan.group_id])
    assert set(StageOpening.objects.values_list("group_id", flat=True)) == {alice.group_id, dan.group_id}
    StageOpening.objects.all().delete()
    limited = course.call(
        "facilitator_b", "open_stage", {"stage_id": "act", "group_ids": [gita.group_id, dan.group_id]}
    )
    assert limited.status == 404 and not StageOpening.objects.exists()
    for bad in ([], "1", [True], [{"id": 1}], [1.5], list(range(501))):
        assert course.call("facilitator", "open_stage", {"stage_id": "act", "group_ids": bad}).status == 400
    assert not StageOpening.objects.exists()


def test_the_exports_file_name_says_course_unit_cohort_date_and_texts(course):
    from django.utils import timezone

    today = timezone.now().date().isoformat()
    plain = course.client.get(f"/handler/{course.usage_id}/export_csv/?student=facilitator")
    texts = course.client.get(f"/handler/{course.usage_id}/export_csv/?student=facilitator&texts=1&cohort=cohort-a")
    unit = "collective-coaching_collectivecoaching-demo-2026_career-stories-in-small-groups"
    assert plain["Content-Disposition"] == f'attachment; filename="{unit}_{today}.csv"'
    assert texts["Content-Disposition"] == f'attachment; filename="{unit}_cohort-a_{today}_with-texts.csv"'
