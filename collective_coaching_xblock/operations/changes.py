"""What changed in a learner's group since their page last looked: one query, no text.

The learner's page asks every few seconds while it is visible. The answer is a fingerprint of
everything the learner's view is drawn from (the group's members and their consent, its stories,
reflections and responses, what facilitators hid, theme tags, the plan's version, the stages
opened for it): when it differs from the page's, the page reads its new state (``get_state``).
The database computes it from counts, sums and latest times, so it carries no text and costs one
query whatever the group's size, without the block's settings.
"""

from __future__ import annotations

import hashlib

from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum

from ..models import Contribution, GroupPlan, Membership, Reflection, StageOpening, ThemeTag

#: How long a fingerprint is (hexadecimal characters of a SHA-256).
FINGERPRINT_LENGTH = 20


def _per_group(queryset, group_field: str, **aggregate):
    """One aggregate over the rows of the outer membership's group, as a scalar subquery."""
    ((name, expression),) = aggregate.items()
    rows = queryset.filter(**{group_field: OuterRef("group_id")}).order_by().values(group_field)
    return Subquery(rows.annotate(**{name: expression}).values(name)[:1])


def _signals() -> dict:
    stories = Contribution.objects.all()
    reflections = Reflection.objects.all()
    group_of_story = "contribution__author__group_id"
    return {
        "members": _per_group(Membership.objects.all(), "group_id", n=Count("pk")),
        "member_ids": _per_group(Membership.objects.all(), "group_id", n=Sum("pk")),
        "consents": _per_group(Membership.objects.all(), "group_id", n=Max("consent_changed")),
        "stories": _per_group(stories, "author__group_id", n=Count("pk")),
        "stories_at": _per_group(stories, "author__group_id", n=Max("modified")),
        "stories_hidden": _per_group(stories, "author__group_id", n=Count("pk", filter=Q(hidden=True))),
        "reflections": _per_group(reflections, group_of_story, n=Count("pk")),
        "reflections_at": _per_group(reflections, group_of_story, n=Max("modified")),
        "reflections_hidden": _per_group(
            reflections, group_of_story, n=Count("pk", filter=Q(hidden=True) | Q(response_hidden=True))
        ),
        "tags": _per_group(ThemeTag.objects.all(), "member__group_id", n=Count("pk")),
        "tag_ids": _per_group(ThemeTag.objects.all(), "member__group_id", n=Sum("pk")),
        "plan": _per_group(GroupPlan.objects.all(), "group_id", n=Max("version")),
        "opened": _per_group(StageOpening.objects.all(), "group_id", n=Count("pk")),
    }


def fingerprint(block_id: str, learner_key: str) -> str:
    """A short fingerprint of the learner's group as their view reads it; "" outside a group."""
    signals = {f"changed_{name}": value for name, value in _signals().items()}
    row = (
        Membership.objects.filter(block_id=block_id, learner_key=learner_key)
        .annotate(**signals)
        .values_list("group_id", "consent", *signals)
        .first()
    )
    if row is None:
        return ""
    return hashlib.sha256(repr(row).encode()).hexdigest()[:FINGERPRINT_LENGTH]
