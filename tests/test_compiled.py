"""The learner's group read by compiled SQL is the group Django's own QuerySet reads, field for field."""

from __future__ import annotations

from collective_coaching_xblock.models import GroupPlan, Membership
from collective_coaching_xblock.operations.groups import _group_of_member, group_of

from .test_group_work import group, reflect, story_of, tell  # noqa: F401 - the group fixture


def _as_django_reads(**member):
    return list(_group_of_member(**member))


def _same(compiled, django):
    assert [m.pk for m in compiled] == [m.pk for m in django]
    for ours, theirs in zip(compiled, django, strict=True):
        for field in Membership._meta.concrete_fields:
            assert getattr(ours, field.attname) == getattr(theirs, field.attname), field.name
        for name in ("opened", "reported", "override_earned", "override_possible"):
            assert getattr(ours, name) == getattr(theirs, name), name
        assert ours.group.cohort.name == theirs.group.cohort.name and ours.group.number == theirs.group.number
        try:
            plan = theirs.group.plan
        except GroupPlan.DoesNotExist:
            plan = None
        if plan is None:
            try:
                ours.group.plan  # noqa: B018 - reading it is the check
                raise AssertionError("a plan appeared")
            except GroupPlan.DoesNotExist:
                pass
        else:
            assert (ours.group.plan.text, ours.group.plan.version, ours.group.plan.updated_at) == (
                plan.text,
                plan.version,
                plan.updated_at,
            )


def test_compiled_rows_equal_djangos_before_and_after_the_group_works(group):  # noqa: F811
    key = {"block_id": group.usage_id, "learner_key": "alice"}
    _same(group_of(**key), _as_django_reads(**key))  # no plan, nothing reported
    tell(group, "alice")
    tell(group, "bob")
    bob_story = story_of(group, "alice", "Bob")["id"]
    reflect(group, "alice", bob_story)
    group.ok("alice", "flag_content", {"kind": "contribution", "id": bob_story, "reason": "Hurtful."})
    alice = Membership.objects.get(block_id=group.usage_id, learner_key="alice")
    group.ok("facilitator", "override_score", {"member_id": alice.member_id, "score": 1, "reason": "Agreed."})
    group.ok("facilitator", "open_stage", {"stage_id": "act", "group_id": alice.group_id})
    group.ok("carol", "save_group_plan", {"text": "Meet on Friday.", "version": 0})
    compiled = group_of(**key)
    _same(compiled, _as_django_reads(**key))
    me = next(m for m in compiled if m.learner_key == "alice")
    assert me.reported == f"contribution:{bob_story}" and "act" in me.opened.split(",")
    assert me.last_activity.tzinfo is not None and isinstance(me.carried_stages, list)
    _same(group_of(pk=alice.pk), _as_django_reads(pk=alice.pk))
