"""Personal data: retiring a user (GDPR) and a learner's download of their own work."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from .models import (
    FacilitatorScope,
    Flag,
    GroupPlanRevision,
    Membership,
    Reflection,
    ScoreOverride,
    StageSchedule,
    ThemeTag,
)

RETIRED = "retired user"


@transaction.atomic
def retire_user(user_id: int | None, username: str | None) -> int:
    """Delete or anonymise every row of the user, in every table; returns the memberships removed.

    Their memberships go, and with them their contributions, the reflections on those, their own
    reflections, theme tags, flags and score overrides. Collective work they took part in stays
    without their name: plan versions they saved lose their author. Where they acted as a
    facilitator, their username is replaced.
    """
    members = Membership.objects.filter(Q(user_id=user_id) if user_id is not None else Q(pk__in=[]))
    if username:
        members = members | Membership.objects.filter(username=username)
    member_ids = list(members.values_list("pk", flat=True))
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
    return len(member_ids)


def on_user_retired(sender, user=None, **kwargs):
    """Receiver of the LMS's ``USER_RETIRE_LMS_MISC`` signal (connected in ``apps.py``)."""
    if user is not None:
        retire_user(getattr(user, "id", None), getattr(user, "username", None))


def my_data(exercise, membership: Membership) -> dict:
    """Everything the learner wrote in this unit, for their own download."""
    contributions = list(membership.contributions.order_by("created", "id"))
    reflections = list(Reflection.objects.filter(author=membership).order_by("created", "id"))
    responses = list(
        Reflection.objects.filter(contribution__author=membership).exclude(response="").order_by("created", "id")
    )
    return {
        "unit": exercise.block_id,
        "course": exercise.course_id,
        "member_id": membership.member_id,
        "joined": membership.joined.isoformat(),
        "contributions": [
            {
                "stage_id": c.stage_id,
                "text": c.text,
                "sharing": c.sharing,
                "state": c.state,
                "created": c.created.isoformat(),
                "modified": c.modified.isoformat(),
            }
            for c in contributions
        ],
        "reflections_written": [
            {"on_contribution": r.contribution_id, "answers": r.answers, "created": r.created.isoformat()}
            for r in reflections
        ],
        "responses_written": [{"to_reflection": r.pk, "text": r.response} for r in responses],
        "themes": [{"theme": t.theme, "structural": t.structural} for t in membership.theme_tags.order_by("theme")],
        "group_plan_versions_saved": list(
            GroupPlanRevision.objects.filter(author=membership).values_list("version", flat=True)
        ),
    }
