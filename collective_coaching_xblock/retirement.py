"""Personal data: retiring a user (GDPR) and a learner's download of their own work."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from .exercise import visibility as vis
from .models import (
    FacilitatorDigest,
    FacilitatorScope,
    Flag,
    GroupPlanRevision,
    Membership,
    PrivateMessage,
    Reflection,
    ScoreOverride,
    StageSchedule,
    ThemeTag,
)
from .operations.one_to_one import thread_json
from .operations.reading import Rows, reads

RETIRED = "retired user"


@transaction.atomic
def retire_user(user_id: int | None, username: str | None) -> int:
    """Delete or anonymise every row of the user, in every table; returns the memberships removed.

    Their memberships go, and with them their contributions, the reflections on those, their own
    reflections, theme tags, flags, flags others made about their words (with the copies of
    those words) and score overrides. The block never copies a learner's words or a reason
    about them into another app's tables (edx-submissions keeps only the override's figures).
    Collective work they took part in stays without their name: plan versions they saved lose
    their author. Where they acted as a
    facilitator, their username is replaced.
    """
    members = Membership.objects.filter(Q(user_id=user_id) if user_id is not None else Q(pk__in=[]))
    if username:
        members = members | Membership.objects.filter(username=username)
    member_ids = list(members.values_list("pk", flat=True))
    # Reports about their words (with the reporters' reasons and the copies of the text) go with
    # the words; the flags point at the items by foreign key, so none can later attach elsewhere.
    Flag.objects.filter(
        Q(contribution__author_id__in=member_ids)
        | Q(reflection__author_id__in=member_ids)
        | Q(reflection__contribution__author_id__in=member_ids)
    ).delete()
    GroupPlanRevision.objects.filter(author_id__in=member_ids).update(author=None)
    Reflection.objects.filter(author_id__in=member_ids).delete()
    ThemeTag.objects.filter(member_id__in=member_ids).delete()
    Flag.objects.filter(reporter_id__in=member_ids).delete()
    ScoreOverride.objects.filter(member_id__in=member_ids).delete()
    Membership.objects.filter(pk__in=member_ids).delete()  # cascades to contributions
    if username:
        FacilitatorScope.objects.filter(username=username).delete()
        FacilitatorScope.objects.filter(assigned_by=username).update(assigned_by=RETIRED)
        ScoreOverride.objects.filter(by=username).update(by=RETIRED)
        Flag.objects.filter(resolved_by=username).update(resolved_by=RETIRED)
        StageSchedule.objects.filter(changed_by=username).update(changed_by=RETIRED)
        FacilitatorDigest.objects.filter(username=username).delete()
        # Their messages as a facilitator stay the learner's thread, without their name.
        PrivateMessage.objects.filter(author_username=username).update(author_username=RETIRED, author_name="")
    return len(member_ids)


def on_user_retired(sender, user=None, **kwargs):
    """Receiver of the LMS's ``USER_RETIRE_LMS_MISC`` signal (connected in ``apps.py``)."""
    if user is not None:
        retire_user(getattr(user, "id", None), getattr(user, "username", None))


def my_data(exercise, membership: Membership) -> dict:
    """Everything the unit holds about the learner, for their own download (docs/privacy.md).

    Their own words in full; the words others addressed to them (reflections on their stories,
    responses to their reflections) as the visibility rule lets them read those; what
    facilitators decided about them (hidden items and why, score overrides and why). Other
    people appear by no name: a witness is "a group member", a facilitator "a facilitator".
    """
    me = membership.pk
    group = membership.group
    contributions = list(membership.contributions.order_by("created", "id"))
    written = list(
        Reflection.objects.filter(author=membership).select_related("contribution__author").order_by("created", "id")
    )
    received = list(
        Reflection.objects.filter(contribution__author=membership).select_related("author").order_by("created", "id")
    )
    people = {me: membership}
    people.update({r.contribution.author_id: r.contribution.author for r in written})
    people.update({r.author_id: r.author for r in received})
    rows = Rows(exercise, people.values(), contributions + [r.contribution for r in written])
    flags = list(Flag.objects.filter(reporter=membership).order_by("created", "id"))
    overrides = list(ScoreOverride.objects.filter(member=membership).order_by("created", "id"))
    plan_versions = list(GroupPlanRevision.objects.filter(author=membership).order_by("version"))
    # What the visibility rule lets the learner read of the texts that depend on no item's state.
    hide_reasons = reads(vis.ADDRESSEE, vis.MODERATION_REASON)
    override_reasons = reads(vis.ADDRESSEE, vis.OVERRIDE_REASON)
    own_plans, own_flags, own_drafts = (reads(vis.AUTHOR, kind) for kind in (vis.PLAN, vis.FLAG_REASON, vis.DRAFT))
    return {
        "unit": exercise.block_id,
        "course": exercise.course_id,
        "member_id": membership.member_id,
        "name": membership.name,
        "username": membership.username,
        "pseudonym": membership.pseudonym,
        "cohort": group.cohort.name,
        "group": group.number,
        "joined": membership.joined.isoformat(),
        "last_activity": membership.last_activity.isoformat(),
        "consent": {
            "state": membership.consent or "not asked",
            "changed": membership.consent_changed.isoformat() if membership.consent_changed else None,
        },
        # The group's news by email: the learner's choice, and when the last message went.
        "email_news": membership.email_news,
        "news_sent_at": membership.news_sent_at.isoformat() if membership.news_sent_at else None,
        "contributions": [
            {
                "id": c.pk,
                "stage_id": c.stage_id,
                "text": c.text,
                "sharing": c.sharing,
                "state": c.state,
                "hidden_by_facilitator": c.hidden,
                "hidden_reason": c.hidden_reason if c.hidden and hide_reasons else "",
                "created": c.created.isoformat(),
                "modified": c.modified.isoformat(),
            }
            for c in contributions
        ],
        "reflections_written": [
            {
                "id": r.pk,
                "on_contribution": r.contribution_id,
                "answers": r.answers,
                "hidden_by_facilitator": r.hidden,
                "hidden_reason": r.hidden_reason if r.hidden and hide_reasons else "",
                "response_received": r.response if rows.learner_reads_response(me, r) else None,
                "created": r.created.isoformat(),
            }
            for r in written
        ],
        "reflections_received": [
            {
                "id": r.pk,
                "on_contribution": r.contribution_id,
                "from": "a group member",
                "answers": r.answers if rows.learner_reads_reflection(me, r) else None,
                "my_response": r.response,
                "my_response_hidden_by_facilitator": r.response_hidden,
                "my_response_hidden_reason": r.response_hidden_reason if r.response_hidden and hide_reasons else "",
                "created": r.created.isoformat(),
            }
            for r in received
        ],
        "responses_written": [{"to_reflection": r.pk, "text": r.response} for r in received if r.response],
        "themes": [{"theme": t.theme, "structural": t.structural} for t in membership.theme_tags.order_by("theme")],
        "group_plan_versions_saved": [
            {"version": v.version, "text": v.text if own_plans else None, "at": v.created.isoformat()}
            for v in plan_versions
        ],
        "flags_made": [
            {
                "kind": f.kind,
                "item_id": f.object_id,
                "reason": f.reason if own_flags else None,
                "created": f.created.isoformat(),
                "resolved": f.resolved,
            }
            for f in flags
        ],
        "drafts": [
            {"field": d.key, "text": d.text, "updated": d.updated.isoformat()}
            for d in (membership.drafts.order_by("key") if own_drafts else [])
        ],
        "score_overrides": [
            {
                "earned": o.earned,
                "possible": o.possible,
                "reason": o.reason if override_reasons else None,
                "by": "a facilitator",
                "at": o.created.isoformat(),
            }
            for o in overrides
        ],
        # One to one with the facilitators, as the rule lets the learner read it; facilitators unnamed.
        "one_to_one": [
            {"from": "a facilitator" if m["from"] == "facilitator" else "me", "text": m["text"], "at": m["at"]}
            for m in thread_json(membership.private_messages.order_by("created", "id"), viewer_is_learner=True)
        ],
    }
