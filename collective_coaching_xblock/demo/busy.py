"""A busy demo course, filled over HTTP: two cohorts of ten groups each, as a facilitator meets them.

Every learner joins through the block's own handlers (open the unit, consent, tell a story shared
with the group), so the groups are formed by the block as they would be in a course. The
facilitator's walk test and the screenshots use it; the seeded learners who are left out stay
"never opened" in the triage list.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from .data import COHORTS, cohort_for_unknown
from .server import Browserless

#: Students who are not seeded: each lands in the cohort ``cohort_for_unknown`` gives them.
_NAMES = """
abena amir bruno chen chidi daria diego elif emma femi grace hana hugo ivan jamal julia kai
karim laila liam lucia malik maya mei nadia noah olga omar paula pedro priya quinn rahul rosa
sami sara tariq tomas uma victor wei xena yara yusuf zara zoe aiko beto cleo dario eva felix
gael hiro inez joel kira leon mira nico otto
"""
EXTRA_NAMES = tuple(_NAMES.split())


def learners_for(groups_per_cohort: int, group_size: int = 3, leave_out: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Per cohort, the students who fill ``groups_per_cohort`` groups (the last one a member short)."""
    wanted = groups_per_cohort * group_size - 1
    chosen = {slug: [u for u in usernames if u not in leave_out] for slug, (_, usernames) in COHORTS.items()}
    for name in EXTRA_NAMES:
        cohort = chosen[cohort_for_unknown(name)]
        if len(cohort) < wanted:
            cohort.append(name)
    short = {slug: len(names) for slug, names in chosen.items() if len(names) < wanted}
    if short:
        raise ValueError(f"not enough names for {groups_per_cohort} groups per cohort: {short}")
    return {slug: names[:wanted] for slug, names in chosen.items()}


def share_a_story(base: str, student: str) -> Browserless:
    """One learner opens the unit, consents and tells a story shared with their group."""
    person = Browserless(base, student)
    person.open_unit()
    person.ok("submit_contribution", {"stage_id": "contract"})
    person.ok(
        "submit_contribution",
        {"stage_id": "tell", "text": f"{student.title()}'s story of work and study.", "sharing": "group"},
    )
    return person


def fill(base: str, groups_per_cohort: int = 10, leave_out: tuple[str, ...] = ("farah", "lena")) -> dict:
    """Fill both cohorts; returns each student's HTTP session, by username.

    Learners of one cohort join in order (so the groups fill one after the other); the two
    cohorts join side by side.
    """

    def cohort(names: list[str]) -> list[Browserless]:
        return [share_a_story(base, name) for name in names]

    plan = learners_for(groups_per_cohort, leave_out=leave_out)
    with ThreadPoolExecutor(max_workers=len(plan)) as pool:
        sessions = [person for people in pool.map(cohort, plan.values()) for person in people]
    return {person.student: person for person in sessions}
