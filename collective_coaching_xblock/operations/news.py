"""A learner's news from their group by email: their choice, and what is new for them since their last message.

Nothing is recorded when learners write. The daily command (``send_group_news``) counts, from
the rows' own dates, what each learner may read that is new since their last message, asking
the visibility rule (``reading.Rows``) as their page does. It reads no text: a message holds
counts and a link to the unit, never anyone's words or name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.db.models import BooleanField, ExpressionWrapper, Q

from ..exercise import visibility as vis
from ..exercise.exercise import Exercise
from ..models import Contribution, Membership, PrivateMessage, Reflection
from .groups import member_facts, reported_items
from .learner import plan_of
from .reading import Rows, reads
from .validation import bool_field, require_object

#: At most one message a day: a learner is due again a day after their last message.
INTERVAL = timedelta(hours=24)


@dataclass(frozen=True)
class News:
    """What is new for one learner since their last message: counts, never words or names."""

    contributions: int = 0  # stories or next steps their group peers shared with the group
    reflections: int = 0  # reflections on their own stories
    plan_changed: bool = False  # the group plan, saved by someone else
    facilitator_wrote: bool = False  # a facilitator wrote to them one to one (never what)

    def __bool__(self) -> bool:
        return bool(self.contributions or self.reflections or self.plan_changed or self.facilitator_wrote)


def email_choice(data) -> bool:
    """The learner's choice in ``{"email": true | false}`` (400 for anything else)."""
    return bool_field(require_object(data), "email")


def set_email_news(membership: Membership, email: bool) -> dict:
    """Keep the learner's choice: their group's news by email (at most once a day), or none. Idempotent.

    The command reads the choice when it sends, so a learner who says no gets nothing more.
    """
    if membership.email_news != email:
        Membership.objects.filter(pk=membership.pk).update(email_news=email)
        membership.email_news = email
    return {"email_news": email}


def _due(now: datetime) -> Q:
    """Learners who want their group's news and had no message in the last day."""
    return Q(email_news=True) & (Q(news_sent_at__isnull=True) | Q(news_sent_at__lte=now - INTERVAL))


def units_with_learners_due(now: datetime) -> list[str]:
    """The units (block ids) where a learner is due a message (one query)."""
    due = Membership.objects.filter(_due(now)).order_by("block_id")
    return list(due.values_list("block_id", flat=True).distinct())


def since(member: Membership) -> datetime:
    """Since when a learner's news counts: their last message, or when they joined."""
    return max(member.news_sent_at, member.joined) if member.news_sent_at else member.joined


def news_of_unit(exercise: Exercise, now: datetime) -> list[tuple[Membership, News]]:
    """Each learner of the unit who is due a message and has news, with their news.

    Four queries whatever the number of groups and learners, and none of them reads a text:
    the members of the groups where someone is due (with their group's plan, and what each
    reported), those groups' contributions, the reflections on them written since the earliest
    date that counts, and when facilitators wrote to the learners due one to one. Then, for each
    learner due, the visibility rule says what they may read, exactly as on their page.
    """
    groups = Membership.objects.filter(_due(now), block_id=exercise.block_id).values("group_id")
    due = ExpressionWrapper(_due(now), output_field=BooleanField())
    members = list(
        Membership.objects.filter(group_id__in=groups)
        .select_related("group__plan")
        .defer("group__plan__text")
        .annotate(reported=member_facts()["reported"], due=due)
        .order_by("joined", "id")
    )
    if not any(member.due for member in members):
        return []
    group_of = {member.pk: member.group_id for member in members}
    fields = ("author", "stage_id", "sharing", "state", "hidden", "created")
    contributions = list(Contribution.objects.filter(author__group_id__in=groups).only(*fields))
    earliest = min(since(member) for member in members if member.due)
    reflections = Reflection.objects.filter(contribution__author__group_id__in=groups, created__gt=earliest)
    reflections = list(reflections.only("contribution", "author", "hidden", "created"))
    # When facilitators wrote to each learner due, one to one (dates only, never the words).
    written: dict[int, list[datetime]] = defaultdict(list)
    for member_id, created in PrivateMessage.objects.filter(
        member__in=[m.pk for m in members if m.due], from_facilitator=True, created__gt=earliest
    ).values_list("member_id", "created"):
        written[member_id].append(created)

    by_group: dict[int, dict[str, list]] = defaultdict(lambda: {"members": [], "contributions": [], "reflections": []})
    for member in members:
        by_group[member.group_id]["members"].append(member)
    story_group = {}
    for contribution in contributions:
        if contribution.author_id in group_of:  # not moved to another group between the queries
            story_group[contribution.pk] = group_of[contribution.author_id]
            by_group[story_group[contribution.pk]]["contributions"].append(contribution)
    for reflection in reflections:
        if reflection.contribution_id in story_group:
            by_group[story_group[reflection.contribution_id]]["reflections"].append(reflection)

    plan_readable = reads(vis.GROUP_PEER, vis.PLAN)
    messages_readable = reads(vis.ADDRESSEE, vis.ONE_TO_ONE)
    found = []
    for group in by_group.values():
        for member in group["members"]:
            if member.due:
                rows = Rows(exercise, group["members"], group["contributions"], reported_items(member))
                news = _news_of(member, rows, group["reflections"], plan_readable)
                wrote = any(created > since(member) for created in written[member.pk])
                news = replace(news, facilitator_wrote=wrote and messages_readable)
                if news:
                    found.append((member, news))
    return found


def _news_of(member: Membership, rows: Rows, reflections: list[Reflection], plan_readable: bool) -> News:
    """One learner's news: what others added since, that the visibility rule lets them read."""
    me, start = member.pk, since(member)
    shared = sum(
        1
        for c in rows.contributions.values()
        if c.author_id != me and c.created > start and rows.learner_reads_contribution(me, c)
    )
    reflected = sum(
        1
        for r in reflections
        if r.author_id != me
        and r.created > start
        and rows.story_author(r) == me
        and rows.learner_reads_reflection(me, r)
    )
    plan = plan_of(member.group)
    plan_changed = bool(
        plan_readable and plan is not None and plan.version and plan.updated_at > start and plan.updated_by_id != me
    )
    return News(shared, reflected, plan_changed)


def claim(member: Membership, now: datetime) -> bool:
    """Record that the learner's message goes now: only if they still want it and no other run sent it.

    One query, read when the message goes: a learner who said no since the news was counted gets
    nothing, and two runs at once send one message.
    """
    unchanged = Membership.objects.filter(pk=member.pk, email_news=True, news_sent_at=member.news_sent_at)
    return unchanged.update(news_sent_at=now) == 1


def release(member: Membership, now: datetime) -> None:
    """A message that could not be sent: the learner is due again at the next run."""
    Membership.objects.filter(pk=member.pk, news_sent_at=now).update(news_sent_at=member.news_sent_at)
