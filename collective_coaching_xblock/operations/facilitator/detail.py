"""One group in detail, as a facilitator may read it: its work, consent, themes and plan."""

from __future__ import annotations

from ...exercise import stages as st
from ...exercise import visibility as vis
from ...exercise.exercise import Exercise
from ...i18n import gettext as _
from ...models import Contribution, GroupPlan, Membership, Reflection, ThemeTag
from .. import one_to_one
from ..progress import group_sharing, theme_map
from ..reading import contribution_kind, reads
from ..validation import require_object
from .scope import Scope, _group_in_scope


def group_detail(exercise: Exercise, scope: Scope, data) -> dict:
    """Everything a facilitator may read of one group, as the visibility rule allows.

    Work the rule keeps from the facilitator (private, withdrawn, or a reflection on such a
    story) shows only that it exists, with ``text``, ``answers`` or ``response`` set to null.
    """
    group = _group_in_scope(exercise, scope, require_object(data).get("group_id"))
    members = {m.pk: m for m in Membership.objects.filter(group=group)}
    contributions = list(Contribution.objects.filter(author__group=group).order_by("created", "id"))
    reflections = list(Reflection.objects.filter(contribution__author__group=group).order_by("created", "id"))
    tags = list(ThemeTag.objects.filter(member__group=group))
    plan = GroupPlan.objects.filter(group=group).first()
    history = list(plan.revisions.all()) if plan else []
    rows = group_sharing(exercise, members.values(), contributions).rows

    def name(pk):
        return members[pk].name if pk in members else _("a former member")

    readers = rows.theme_members(members, vis.FACILITATOR)
    witness = exercise.first_stage_of_kind(st.WITNESS)
    threads = one_to_one.threads_of(list(members))
    return {
        "group": {
            "id": group.pk,
            "cohort": group.cohort.name,
            "name": _("Group {number}").format(number=group.number),
        },
        # The witness stage's prompts, in the facilitator's language: each answer is read with its question.
        "prompts": [{"id": p.id, "text": _(p.text)} for p in (witness.prompts if witness else ())],
        "contributions": [
            {
                "id": c.pk,
                "stage_id": c.stage_id,
                "author": name(c.author_id),
                "sharing": c.sharing,
                "state": c.state,
                "hidden": c.hidden,
                "hidden_reason": c.hidden_reason if reads(vis.FACILITATOR, vis.MODERATION_REASON) else "",
                "text": c.text if rows.facilitator_reads_contribution(c) else None,
            }
            for c in contributions
            if contribution_kind(exercise, c) not in (vis.CONSENT, vis.CHECKIN_ANSWERS)  # answers: as counts only
        ],
        "consent": {members[pk].member_id: pk in rows.consenting for pk in members},
        # Each member's one-to-one thread with the facilitators, as the rule lets a facilitator read it.
        "members": [
            {
                "id": member.member_id,
                "name": member.name,
                "one_to_one": one_to_one.thread_json(threads.get(pk, []), viewer_is_learner=False),
            }
            for pk, member in members.items()
        ],
        "reflections": [
            {
                "id": r.pk,
                "contribution_id": r.contribution_id,
                "author": name(r.author_id),
                "answers": r.answers if rows.facilitator_reads_reflection(r) else None,
                "response": r.response if rows.facilitator_reads_response(r) else None,
                "hidden": r.hidden,
                "response_hidden": r.response_hidden,
            }
            for r in reflections
        ],
        # A theme from the block's list in the facilitator's language; a learner's own as written.
        "themes": [dict(entry, label=_(entry["theme"])) for entry in theme_map(tags, readers)],
        "group_plan": {
            "text": plan.text if plan and reads(vis.FACILITATOR, vis.PLAN) else "",
            "version": plan.version if plan else 0,
            "history": [
                {
                    "version": h.version,
                    "author": name(h.author_id),
                    "at": h.created.isoformat(),
                    "text": h.text if reads(vis.FACILITATOR, vis.PLAN) else None,
                }
                for h in history
            ],
        },
    }
