"""The export's other files, with texts: reflections, responses, theme tags, the plan, one-to-one threads.

The main export (``export.export_rows``) has one row per learner. These are its companions, one
CSV each (``?texts=1&part=<name>``), in the layout docs/handlers.md documents: one row per item,
the item's cohort and group first. Every text is asked of the visibility rule as a facilitator
(an item the rule keeps from them exports its row with an empty text), and every cell is
neutralised for spreadsheets (``export.safe_cell``). They are read group by group, 500 groups at a
time, so memory does not grow with the unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ..exercise import visibility as vis
from ..exercise.exercise import Exercise
from ..models import CoachingGroup, Contribution, GroupPlanRevision, Membership, PrivateMessage, Reflection, ThemeTag
from .export import safe_cell
from .facilitator.scope import Scope
from .progress import group_sharing
from .reading import reads

PARTS = ("reflections", "responses", "themes", "plan", "one_to_one")
BATCH = 500

HEADERS = {
    "reflections": ["cohort", "group", "story_author", "witness", "prompt", "answer", "hidden"],
    "responses": ["cohort", "group", "story_author", "witness", "response", "hidden"],
    "themes": ["cohort", "group", "member", "theme", "structural"],
    "plan": ["cohort", "group", "version", "saved_by", "saved_at", "text"],
    "one_to_one": ["cohort", "group", "learner", "from", "at", "text"],
}


def _groups(exercise: Exercise, scope: Scope, cohort: str | None) -> list[CoachingGroup]:
    groups = CoachingGroup.objects.filter(cohort__block_id=exercise.block_id).select_related("cohort")
    if cohort is not None:
        groups = groups.filter(cohort__cohort_id=cohort)
    return [g for g in groups.order_by("cohort_id", "number") if scope.allows(g.cohort.cohort_id)]


def part_rows(exercise: Exercise, scope: Scope, part: str, *, cohort: str | None = None) -> Iterator[list[str]]:
    """The header, then the part's rows for the facilitator's cohorts (optionally one cohort)."""
    yield HEADERS[part]
    groups = _groups(exercise, scope, cohort)
    prompts = {}
    for stage in exercise.stages:
        prompts.update({p.id: p.text for p in stage.prompts})
    for start in range(0, len(groups), BATCH):
        batch = {g.pk: g for g in groups[start : start + BATCH]}
        members = list(Membership.objects.filter(group_id__in=batch).order_by("group_id", "joined", "id"))
        by_pk = {m.pk: m for m in members}
        for row in _rows_of(exercise, part, batch, members, by_pk, prompts):
            yield [safe_cell(cell) for cell in row]


def _rows_of(exercise, part, groups, members, by_pk, prompts) -> Iterator[list]:
    def place(member):
        group = groups[member.group_id]
        return [group.cohort.name, group.number]

    if part in ("reflections", "responses"):
        contributions = list(Contribution.objects.filter(author__in=members))
        rows = group_sharing(exercise, members, contributions).rows
        reflections = Reflection.objects.filter(contribution__in=contributions).order_by("contribution_id", "id")
        for r in reflections:
            author = by_pk.get(rows.story_author(r))
            witness = by_pk.get(r.author_id)
            if author is None:
                continue
            who = [author.name, witness.name if witness else ""]
            if part == "reflections":
                readable = rows.facilitator_reads_reflection(r)
                for prompt_id, answer in sorted(r.answers.items()):
                    text = answer if readable else ""
                    yield [*place(author), *who, prompts.get(prompt_id, prompt_id), text, r.hidden]
            elif r.response:
                text = r.response if rows.facilitator_reads_response(r) else ""
                yield [*place(author), *who, text, r.response_hidden]
    elif part == "themes":
        contributions = list(Contribution.objects.filter(author__in=members))
        readers = group_sharing(exercise, members, contributions).rows.theme_members(by_pk, vis.FACILITATOR)
        for tag in ThemeTag.objects.filter(member__in=members).order_by("member_id", "theme"):
            if tag.member_id in readers:
                member = by_pk[tag.member_id]
                yield [*place(member), member.name, tag.theme, tag.structural]
    elif part == "plan":
        readable = reads(vis.FACILITATOR, vis.PLAN)
        versions = GroupPlanRevision.objects.filter(plan__group_id__in=groups).select_related("plan")
        for v in versions.order_by("plan__group_id", "version"):
            group = groups[v.plan.group_id]
            saved_by = by_pk[v.author_id].name if v.author_id in by_pk else ""
            yield [
                group.cohort.name,
                group.number,
                v.version,
                saved_by,
                v.created.isoformat(),
                v.text if readable else "",
            ]
    elif part == "one_to_one":
        readable = reads(vis.FACILITATOR, vis.ONE_TO_ONE)
        threads = defaultdict(list)
        for message in PrivateMessage.objects.filter(member__in=members).order_by("member_id", "created", "id"):
            threads[message.member_id].append(message)
        for member in members:
            for m in threads[member.pk]:
                writer = "facilitator" if m.from_facilitator else "learner"
                yield [*place(member), member.name, writer, m.created.isoformat(), m.text if readable else ""]
