"""Seeding many learners at once, for benchmarks and query-count tests (demo only).

Writes rows directly in bulk: groups filled in order, each learner with consent, a story
shared with the group, and reflections on their peers' stories, as a busy course would have.
"""

from __future__ import annotations

from ..models import BlockCohort, CoachingGroup, Contribution, Membership, Reflection, ThemeTag

BATCH = 2000


def seed_learners(
    block_id: str,
    course_id: str,
    count: int,
    *,
    group_size: int = 4,
    cohorts: tuple[tuple[str, str], ...] = (("cohort-a", "Cohort A"), ("cohort-b", "Cohort B")),
    prefix: str = "learner",
) -> list[Membership]:
    """Create ``count`` learners spread over ``cohorts``, with their work; returns the memberships."""
    block_cohorts = [
        BlockCohort.objects.get_or_create(
            block_id=block_id, cohort_id=slug, defaults={"course_id": course_id, "name": name}
        )[0]
        for slug, name in cohorts
    ]
    per_cohort = [count // len(cohorts) + (1 if i < count % len(cohorts) else 0) for i in range(len(cohorts))]
    groups = []
    for block_cohort, n in zip(block_cohorts, per_cohort, strict=True):
        start = CoachingGroup.objects.filter(cohort=block_cohort).order_by("-number").first() or None
        first = start.number + 1 if start else 1
        groups += [
            (block_cohort, CoachingGroup(cohort=block_cohort, number=first + i)) for i in range(-(-n // group_size))
        ]
    CoachingGroup.objects.bulk_create([group for _, group in groups], batch_size=BATCH)
    members = []
    index = 0
    for block_cohort, n in zip(block_cohorts, per_cohort, strict=True):
        cohort_groups = [group for owner, group in groups if owner is block_cohort]
        for i in range(n):
            key = f"{prefix}-{index}"
            members.append(
                Membership(
                    group=cohort_groups[i // group_size],
                    block_id=block_id,
                    learner_key=key,
                    name=f"Learner {index}",
                    username=key,
                    pseudonym=f"Member {i % group_size + 1}",
                    consent="given",
                )
            )
            index += 1
    Membership.objects.bulk_create(members, batch_size=BATCH)
    members = list(Membership.objects.filter(block_id=block_id, learner_key__startswith=f"{prefix}-"))
    contributions = []
    for member in members:
        contributions.append(Contribution(author=member, stage_id="contract", text="", sharing="facilitator"))
        contributions.append(
            Contribution(author=member, stage_id="tell", text=f"Story of {member.name}. " * 20, sharing="group")
        )
    Contribution.objects.bulk_create(contributions, batch_size=BATCH)
    stories = {
        c.author_id: c.pk for c in Contribution.objects.filter(author__in=members, stage_id="tell").only("id", "author")
    }
    by_group: dict[int, list[Membership]] = {}
    for member in members:
        by_group.setdefault(member.group_id, []).append(member)
    reflections, tags = [], []
    for group_members in by_group.values():
        for member in group_members:
            peers = [peer for peer in group_members if peer.pk != member.pk][:2]
            for peer in peers:
                reflections.append(
                    Reflection(contribution_id=stories[peer.pk], author=member, answers={"attention": "heard"})
                )
            tags.append(ThemeTag(member=member, theme="time", structural=True))
    Reflection.objects.bulk_create(reflections, batch_size=BATCH)
    ThemeTag.objects.bulk_create(tags, batch_size=BATCH)
    return members
