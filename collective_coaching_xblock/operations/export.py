"""The CSV export: one row per learner, streamed group by group so memory stays flat.

Members, contributions, reflections, theme tags, openings and overrides are each read by one
query, all ordered by group, and walked together like a merge join: at any moment only one
group's rows are in memory, and the number of queries does not depend on the course's size.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import defaultdict, namedtuple
from collections.abc import Iterator
from datetime import datetime
from itertools import groupby
from operator import attrgetter

from django.utils import timezone
from django.utils.text import slugify

from ..exercise import stages as st
from ..exercise import visibility as vis
from ..exercise.exercise import Exercise
from ..i18n import gettext as _
from ..models import Contribution, Membership, Reflection, ScoreOverride, StageOpening, ThemeTag
from .errors import InvalidInput
from .facilitator.records import _stage_state
from .facilitator.scope import Scope
from .progress import member_state, progress_by_member
from .reading import Rows, reads

CHUNK = 200  # rows fetched at a time: memory is bounded by this, not by the course size
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell that spreadsheets show as text: a leading ``= + - @`` (or tab, CR) is neutralised."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _rows(queryset, **fields) -> Iterator:
    """The rows of ``queryset`` as named tuples with these attributes (name=field), read in chunks."""
    row = namedtuple("Row", fields)
    return map(row._make, queryset.values_list(*fields.values()).iterator(chunk_size=CHUNK))


def _by_group(rows) -> Iterator[tuple[int, list]]:
    return ((group_id, list(group)) for group_id, group in groupby(rows, key=attrgetter("group_id")))


class _Stream:
    """One ordered query, read a group at a time."""

    def __init__(self, rows):
        self._groups = _by_group(rows)
        self._current = next(self._groups, None)

    def take(self, group_id: int) -> list:
        rows = []
        while self._current is not None and self._current[0] <= group_id:
            if self._current[0] == group_id:
                rows = self._current[1]
            self._current = next(self._groups, None)
        return rows


def file_name(
    exercise: Exercise,
    unit_name: str,
    *,
    cohort: str | None,
    with_texts: bool,
    part: str | None = None,
    now: datetime | None = None,
) -> str:
    """The download's name: course, unit, (cohort,) date, and whether it holds texts; ASCII only.

    For example ``collective-coaching_demo-course-2026_career-stories_2026-11-30_with-texts.csv``.
    """
    course = exercise.course_id.split(":", 1)[-1].replace("+", "-").replace("/", "-")
    parts = ["collective-coaching", slugify(course), slugify(unit_name) or "unit"]
    if cohort:
        parts.append(slugify(cohort) or "cohort")
    parts.append((now or timezone.now()).date().isoformat())
    if with_texts:
        parts.append("with-texts")
    if part:
        parts.append(part.replace("_", "-"))
    return "_".join(part[:60] for part in parts) + ".csv"


def rows_for(exercise: Exercise, scope: Scope, *, cohort: str | None, with_texts: bool, part: str | None):
    """The rows of the export asked for: the learners' file, or (with texts) one of its companions."""
    from . import export_parts  # the companions import this module's safe_cell

    if part is None:
        return export_rows(exercise, scope, cohort=cohort, with_texts=with_texts)
    if part == "outcomes":  # counts only: with or without texts
        from .facilitator.outcomes import outcome_rows

        # A statement is text (neutralised); a figure is a number, whose minus sign stays a minus.
        rows = outcome_rows(exercise, scope, cohort)
        return ([safe_cell(c) if isinstance(c, str) else str(c) for c in row] for row in rows)
    if part not in export_parts.PARTS:
        raise InvalidInput(_("There is no export part '{part}'.").format(part=str(part)[:40]))
    if not with_texts:
        raise InvalidInput(_("This part of the export holds texts: ask for it with texts."))
    return export_parts.part_rows(exercise, scope, part, cohort=cohort)


def header(exercise: Exercise, with_texts: bool, removed: list[str] = ()) -> list[str]:
    """The column names; stages removed from a running unit keep their columns, marked removed."""
    written = [stage.id for stage in exercise.stages if stage.kind in st.CONTRIBUTION_KINDS]
    columns = ["cohort", "group", "member_id", "name", "username", "state"]
    columns += [f"status:{stage.id}" for stage in exercise.stages]
    columns += [f"words:{stage_id}" for stage_id in written]
    columns += [f"words:{stage_id} (removed)" for stage_id in removed]
    columns += ["reflections_given", "reflections_received", "score", "possible", "override", "override_reason"]
    if with_texts:
        columns += [f"text:{stage_id}" for stage_id in written]
        columns += [f"text:{stage_id} (removed)" for stage_id in removed]
    return columns


def export_rows(
    exercise: Exercise,
    scope: Scope,
    *,
    cohort: str | None = None,
    with_texts: bool = False,
    now: datetime | None = None,
) -> Iterator[list[str]]:
    """The header, then one row per learner in the facilitator's cohorts (optionally one cohort)."""
    now = now or timezone.now()
    current = [stage.id for stage in exercise.stages]
    removed = sorted(
        set(
            Contribution.objects.filter(author__block_id=exercise.block_id)
            .exclude(stage_id__in=current)
            .values_list("stage_id", flat=True)
            .distinct()
        )
    )
    yield header(exercise, with_texts, removed)
    # Plain rows (named tuples), not model instances: building 100,000 model objects was most of
    # the export's time. Each has the attributes ``progress_by_member`` reads.
    members = Membership.objects.filter(block_id=exercise.block_id)
    if scope.cohort_ids is not None:
        members = members.filter(group__cohort__cohort_id__in=scope.cohort_ids)
    if cohort is not None:
        members = members.filter(group__cohort__cohort_id=cohort)
    members = _rows(
        members.order_by("group_id", "joined", "id"),
        pk="id",
        group_id="group_id",
        member_id="member_id",
        name="name",
        username="username",
        group_number="group__number",
        cohort_name="group__cohort__name",
        last_activity="last_activity",
        consent="consent",  # the visibility rule's fact about each learner
        carried_stages="carried_stages",  # stages done in a former group
    )
    contributions = _Stream(
        _rows(
            Contribution.objects.filter(author__block_id=exercise.block_id).order_by("author__group_id", "id"),
            pk="id",
            group_id="author__group_id",
            author_id="author_id",
            stage_id="stage_id",
            sharing="sharing",
            state="state",
            hidden="hidden",
            text="text",
        )
    )
    reflections = _Stream(
        _rows(
            Reflection.objects.filter(author__block_id=exercise.block_id).order_by("author__group_id", "id"),
            pk="id",
            group_id="author__group_id",
            author_id="author_id",
            contribution_id="contribution_id",
            hidden="hidden",
        )
    )
    tags = _Stream(
        _rows(
            ThemeTag.objects.filter(member__block_id=exercise.block_id).order_by("member__group_id", "id"),
            group_id="member__group_id",
            member_id="member_id",
        )
    )
    openings = _Stream(
        _rows(
            StageOpening.objects.filter(group__cohort__block_id=exercise.block_id).order_by("group_id", "id"),
            group_id="group_id",
            stage_id="stage_id",
        )
    )
    overrides = _Stream(
        _rows(
            ScoreOverride.objects.filter(member__block_id=exercise.block_id).order_by(
                "member__group_id", "created", "id"
            ),
            group_id="member__group_id",
            member_id="member_id",
            earned="earned",
            reason="reason",
        )
    )
    text_stages = [stage for stage in exercise.stages if stage.kind in st.CONTRIBUTION_KINDS]
    for group_id, group_members in _by_group(members):
        group_contributions = contributions.take(group_id)
        records = progress_by_member(
            exercise,
            group_members,
            group_contributions,
            reflections.take(group_id),
            {t.member_id for t in tags.take(group_id)},
            {group_id: frozenset(o.stage_id for o in openings.take(group_id))},
            now,
        )
        latest_override = {o.member_id: o for o in overrides.take(group_id)}
        rows = Rows(exercise, group_members, group_contributions)
        texts = defaultdict(dict)  # the texts the visibility rule lets a facilitator read
        for contribution in group_contributions:
            if rows.facilitator_reads_contribution(contribution):
                texts[contribution.author_id][contribution.stage_id] = contribution
        for member in group_members:
            record, override = records[member.pk], latest_override.get(member.pk)
            state = member_state(record.progress, member.last_activity, now, exercise.stall_days)
            row = [member.cohort_name, member.group_number, member.member_id, member.name, member.username, state]
            row += [_stage_state(stage, record) for stage in exercise.stages]
            row += [record.words.get(stage.id, 0) for stage in text_stages]
            row += [record.words.get(stage_id, 0) for stage_id in removed]
            row += [
                record.reflections_given,
                record.reflections_received,
                record.progress.score.earned,
                record.progress.score.possible,
                override.earned if override else "",
                override.reason if override and reads(vis.FACILITATOR, vis.OVERRIDE_REASON) else "",
            ]
            if with_texts:
                row += [_text_of(texts[member.pk].get(stage.id)) for stage in text_stages]
                row += [_text_of(texts[member.pk].get(stage_id)) for stage_id in removed]
            yield [safe_cell(cell) for cell in row]


def _text_of(contribution) -> str:
    return contribution.text if contribution is not None else ""


def csv_chunks(rows: Iterator[list[str]], rows_per_chunk: int = 500) -> Iterator[bytes]:
    """Encode rows as UTF-8 CSV (with a byte order mark for spreadsheets), a few hundred rows a chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def report_rows(exercise: Exercise, usernames) -> Iterator[tuple[str, dict]]:
    """Rows for the Instructor Dashboard's problem responses report: one per contribution.

    ``usernames`` may be long (the LMS streams them): they are read a batch at a time, one
    query per batch. Private contributions are reported as existing, without their text.
    """
    usernames = iter(usernames)
    while batch := list(itertools.islice(usernames, 500)):
        yield from _report_batch(exercise, batch)


def _report_batch(exercise: Exercise, usernames: list[str]) -> Iterator[tuple[str, dict]]:
    contributions = (
        Contribution.objects.filter(author__block_id=exercise.block_id, author__username__in=usernames)
        .select_related("author")
        .order_by("author__username", "id")
    )
    for contribution in contributions.iterator(chunk_size=CHUNK):
        stage = exercise.stage(contribution.stage_id)
        if stage is None or stage.kind == st.CONTRACT:
            continue
        rows = Rows(exercise, [contribution.author], [contribution])
        yield (
            contribution.author.username,
            {
                "Question": stage.title,
                "Answer": contribution.text if rows.facilitator_reads_contribution(contribution) else "",
                "Sharing": contribution.sharing,
                "State": "withdrawn"
                if contribution.state != "active"
                else ("hidden" if contribution.hidden else "active"),
            },
        )
