"""What facilitators do: see every group, read, moderate, pace, regroup, grade and scope.

Every function here takes the facilitator's ``Scope`` and acts only inside it: a group or item
outside the facilitator's cohorts answers 404, as if it did not exist.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Trim
from django.utils import timezone

from ..exercise import stages as st
from ..exercise import visibility as vis
from ..exercise.exercise import Exercise
from ..exercise.grouping import GROUP_SIZE_MAX, choose_pseudonym
from ..exercise.scoring import Score
from ..i18n import gettext as _
from ..models import (
    CONSENT_GIVEN,
    CONSENT_NOT_ASKED,
    BlockCohort,
    CoachingGroup,
    Contribution,
    FacilitatorScope,
    Flag,
    GroupPlan,
    Membership,
    Reflection,
    ScoreOverride,
    StageOpening,
    ThemeTag,
)
from ..platform import CohortRef, Person
from . import schedule
from .errors import Forbidden, InvalidInput, NotFound
from .groups import member_facts, opened_stages, score_override
from .progress import MemberRecord, group_sharing, progress_by_member, theme_map
from .reading import contribution_kind, reads
from .validation import choice_field, id_field, require_object, required_text, text_field

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE = "done"
GROUPS_PER_PAGE = 50


@dataclass(frozen=True)
class Scope:
    """The cohorts a facilitator acts in: all of them, or the named ones."""

    username: str
    cohort_ids: frozenset[str] | None  # None: every cohort

    @property
    def is_limited(self) -> bool:
        return self.cohort_ids is not None

    def allows(self, cohort_id: str) -> bool:
        return self.cohort_ids is None or cohort_id in self.cohort_ids


def facilitator_scope(exercise: Exercise, person: Person | None) -> Scope:
    """The scope of a course staff member; 403 for anyone else, whatever they asked."""
    if person is None or not person.is_staff:
        raise Forbidden(_("Only the course's facilitators can do this."))
    cohorts = set(
        FacilitatorScope.objects.filter(course_id=exercise.course_id, username=person.username).values_list(
            "cohort_id", flat=True
        )
    )
    return Scope(person.username, frozenset(cohorts) if cohorts else None)


# --- reading ---------------------------------------------------------------------------------


def _stage_state(stage: st.Stage, record: MemberRecord) -> str:
    if stage.id in record.progress.done:
        return DONE
    started = stage.id in record.progress.started or (stage.kind == st.WITNESS and record.reflections_given)
    return IN_PROGRESS if started else NOT_STARTED


@dataclass
class _GroupRows:
    """The rows of some groups that their members' progress is computed from (three queries)."""

    members: list[Membership]  # with ``groups.member_facts``: opened stages, tags, overrides
    contributions: list[Contribution]
    reflections: list[Reflection]
    tagged: set[int]
    opened: dict[int, frozenset[str]]

    @classmethod
    def load(cls, exercise: Exercise, group_ids: list[int]) -> _GroupRows:
        members = list(
            Membership.objects.filter(group_id__in=group_ids)
            .annotate(**member_facts(exercise))
            .order_by("group_id", "joined", "id")
        )
        return cls(
            members=members,
            contributions=list(
                Contribution.objects.filter(author__group_id__in=group_ids).only(
                    "id", "author_id", "stage_id", "text", "sharing", "state", "hidden"
                )
            ),
            reflections=list(
                Reflection.objects.filter(author__group_id__in=group_ids).only(
                    "id", "author_id", "contribution_id", "hidden", "response_hidden"
                )
            ),
            tagged={member.pk for member in members if member.tagged},
            opened={member.group_id: opened_stages(exercise, member) for member in members},
        )

    def records(self, exercise: Exercise, now: datetime) -> dict[int, MemberRecord]:
        """Each member's progress from these rows, as they are in memory (no query)."""
        return progress_by_member(
            exercise, self.members, self.contributions, self.reflections, self.tagged, self.opened, now
        )


def _member_records(exercise: Exercise, group_ids: list[int], now: datetime):
    """Members (with ``groups.member_facts``) and their records for these groups: three queries."""
    rows = _GroupRows.load(exercise, group_ids)
    return rows.members, rows.records(exercise, now)


# --- the chart, from aggregates ----------------------------------------------------------------
# The rules of ``progress.progress_by_member`` (a stage is done, whatever its dates or pace, when
# its completion rule is met), as SQL over the whole cohort: no member's rows come into Python.


def _count(queryset):
    """The number of rows of ``queryset`` (which may refer to the outer query), as a subquery."""
    counted = queryset.order_by().values(n=Func("pk", function="COUNT", output_field=IntegerField()))
    return Coalesce(Subquery(counted), Value(0))


def _consenting(exercise: Exercise, queryset, author: str):
    """Rows of ``queryset`` whose ``author`` (a path to a membership) consents (``reading.consents``)."""
    given = [CONSENT_GIVEN]
    if exercise.first_stage_of_kind(st.CONTRACT) is None:
        given.append(CONSENT_NOT_ASKED)
    return queryset.filter(**{f"{author}__consent__in": given})


def _shared_stories(exercise: Exercise, *, hidden_too: bool = False):
    """Stories their group can read (``visibility.shared_with_group``); ``hidden_too``: as shared by
    their author, whatever a facilitator hid (``reading.Rows.has_shared_story``)."""
    stories = Contribution.objects.filter(
        stage_id__in=exercise.story_stage_ids, sharing=st.SHARE_GROUP, state=Contribution.ACTIVE
    )
    if not hidden_too:
        stories = stories.filter(hidden=False)
    return _consenting(exercise, stories, "author")


def _witness_done(exercise: Exercise, witness: st.Stage) -> tuple[dict, Q]:
    """Annotations of a member and the condition under which they have done the witness stage.

    As ``progress.progress_by_member``: every reflection a member wrote counts (decision 0010);
    done after ``required`` of them, or on every story they could witness (their group's shared
    stories and those they witnessed) when fewer; or done in a former group (carried).
    """
    peer_stories = (
        _shared_stories(exercise).filter(author__group_id=OuterRef("group_id")).exclude(author_id=OuterRef("pk"))
    )
    given = Reflection.objects.filter(author_id=OuterRef("pk")).exclude(contribution__author_id=OuterRef("pk"))
    # Reflections on stories that are also among the group's shared stories (counted once).
    overlap = _consenting(
        exercise,
        given.filter(
            contribution__stage_id__in=exercise.story_stage_ids,
            contribution__sharing=st.SHARE_GROUP,
            contribution__state=Contribution.ACTIVE,
            contribution__hidden=False,
            contribution__author__group_id=OuterRef("group_id"),
        ),
        "contribution__author",
    )
    annotations = {
        "peer_stories": _count(peer_stories),
        "given": _count(given),
        "overlap": _count(overlap),
        "carried": Cast("carried_stages", TextField()),
    }
    witnessable = F("peer_stories") + F("given") - F("overlap")
    # st.witness_complete: something to witness, and min(required, witnessable) of it witnessed
    done = (Q(peer_stories__gt=0) | Q(given__gt=0)) & (
        Q(given__gte=exercise.required_reflections) | Q(given__gte=witnessable)
    )
    if exercise.peers_after_own_story and exercise.story_stage_ids:  # may read peers' stories only after sharing
        annotations["sharer"] = Exists(_shared_stories(exercise, hidden_too=True).filter(author_id=OuterRef("pk")))
        done &= Q(sharer=True)
    return annotations, done | Q(carried__contains=f'"{witness.id}"')


def _chart_counts(exercise: Exercise, block_cohort: BlockCohort) -> dict[str, int]:
    """How many members of the cohort have done each stage: one aggregate query."""
    members = Membership.objects.filter(group__cohort=block_cohort)
    witness = exercise.first_stage_of_kind(st.WITNESS)
    themes = exercise.first_stage_of_kind(st.THEMES)
    flags = {}  # stage index -> a condition on one member: the stage is done
    for index, stage in enumerate(exercise.stages):
        if stage.kind in st.CONTRIBUTION_KINDS:  # progress.is_written
            written = Contribution.objects.filter(
                author_id=OuterRef("pk"), stage_id=stage.id, state=Contribution.ACTIVE
            )
            if stage.kind != st.CONTRACT:
                written = written.annotate(trimmed=Trim("text")).exclude(trimmed="")
            flags[index] = Q(Exists(written))
        elif witness is not None and stage.id == witness.id:
            annotations, done = _witness_done(exercise, witness)
            members = members.annotate(**annotations)
            flags[index] = done
        elif themes is not None and stage.id == themes.id:
            flags[index] = Q(Exists(ThemeTag.objects.filter(member_id=OuterRef("pk"))))
    if not flags:
        return {}
    members = members.annotate(
        **{f"done_{index}": Case(When(flag, then=Value(1)), default=Value(0)) for index, flag in flags.items()}
    )
    totals = members.aggregate(**{f"stage_{index}": Sum(f"done_{index}") for index in flags})
    return {stage.id: totals.get(f"stage_{index}") or 0 for index, stage in enumerate(exercise.stages)}


def _reflection_counts(exercise: Exercise, block_cohort: BlockCohort, records: dict[int, MemberRecord]) -> None:
    """Reflections given and received by these members, counted over their whole cohort.

    A member's record comes from their own group's rows; a reflection may cross groups (a member
    moved), so these two counts are read for the cohort, by one aggregate query.
    """
    members = list(records)
    given = (
        Reflection.objects.filter(author_id__in=members)
        .order_by()
        .values_list("author_id")
        .annotate(n=Count("contribution_id"), received=Value(False))
    )
    received = (
        Reflection.objects.filter(contribution__author_id__in=members)
        .order_by()
        .values_list("contribution__author_id")
        .annotate(n=Count("id"), received=Value(True))
    )
    for record in records.values():
        record.reflections_given = record.reflections_received = 0
    for member_pk, n, is_received in given.union(received, all=True):
        if is_received:
            records[member_pk].reflections_received = n
        else:
            records[member_pk].reflections_given = n


def _score_json(record: MemberRecord, override: Score | None) -> dict:
    if override is not None:
        return {
            "earned": override.earned,
            "possible": override.possible,
            "overridden": True,
            "participation": record.progress.score.earned,
        }
    score = record.progress.score
    return {
        "earned": score.earned,
        "possible": score.possible,
        "overridden": False,
        "participation": score.earned,
    }


def _is_stalled(record: MemberRecord, last_activity: datetime, now: datetime, stall_days: int) -> bool:
    all_done = all(status == st.DONE for status in record.progress.statuses.values())
    has_open = any(status == st.OPEN for status in record.progress.statuses.values())
    return not all_done and has_open and last_activity < now - timedelta(days=stall_days)


def dashboard_data(
    exercise: Exercise,
    scope: Scope,
    cohorts: list[CohortRef],
    data,
    *,
    stall_days: int,
    now: datetime | None = None,
) -> dict:
    """Cohorts, one page of groups with each member's progress, the flags, and a per-stage chart."""
    now = now or timezone.now()
    data = require_object(data)
    allowed = [cohort for cohort in cohorts if scope.allows(cohort.id)]
    known = {
        row.cohort_id: row
        for row in BlockCohort.objects.filter(block_id=exercise.block_id).annotate(
            learners=Count("groups__memberships")
        )
    }
    if not cohorts and "" in known:  # a course without cohorts: the block's own pool
        allowed = [CohortRef("", _("All learners"))]
    cohort_id = data.get("cohort")
    if cohort_id is None:
        cohort_id = allowed[0].id if allowed else None
    if not isinstance(cohort_id, str | type(None)) or (cohort_id is not None and not scope.allows(cohort_id)):
        raise NotFound(_("There is no such cohort for you."))
    page = data.get("page", 1)
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise InvalidInput(_("The field 'page' must be a whole number from 1."))
    block_cohort = known.get(cohort_id) if cohort_id is not None else None
    groups = (
        list(CoachingGroup.objects.filter(cohort=block_cohort).order_by("number").values_list("pk", "number"))
        if block_cohort
        else []
    )
    page_groups = groups[(page - 1) * GROUPS_PER_PAGE : page * GROUPS_PER_PAGE]
    # Each member's progress only for the groups shown; the chart and counts from aggregates.
    members, records = _member_records(exercise, [pk for pk, _number in page_groups], now)
    if records:
        _reflection_counts(exercise, block_cohort, records)
    by_group: dict[int, list[Membership]] = defaultdict(list)
    for member in members:
        by_group[member.group_id].append(member)
    done = _chart_counts(exercise, block_cohort) if block_cohort else {}
    chart = [{"stage_id": stage.id, "title": stage.title, "done": done.get(stage.id, 0)} for stage in exercise.stages]
    counts = {row.cohort_id: row.learners for row in known.values()}
    groups_json = []
    for group_id, number in page_groups:
        member_rows = []
        for member in by_group[group_id]:
            record = records[member.pk]
            member_rows.append(
                {
                    "id": member.member_id,
                    "name": member.name,
                    "username": member.username,
                    "stages": {stage.id: _stage_state(stage, record) for stage in exercise.stages},
                    "last_activity": member.last_activity.isoformat(),
                    "reflections_given": record.reflections_given,
                    "reflections_received": record.reflections_received,
                    "score": _score_json(record, score_override(member)),
                    "stalled": _is_stalled(record, member.last_activity, now, stall_days),
                }
            )
        groups_json.append(
            {
                "id": group_id,
                "cohort": block_cohort.name,
                "number": number,
                "name": _("Group {number}").format(number=number),
                "members": member_rows,
                "stalled": bool(member_rows) and all(row["stalled"] for row in member_rows),
            }
        )
    return {
        "cohorts": [{"id": c.id, "name": c.name, "learners": counts.get(c.id, 0)} for c in allowed],
        "cohort": cohort_id,
        "stages": [{"id": stage.id, "title": _(stage.title), "kind": stage.kind} for stage in exercise.stages],
        "groups": groups_json,
        "page": page,
        "pages": max(1, -(-len(groups) // GROUPS_PER_PAGE)),
        "chart": chart,
        "learners": counts.get(cohort_id, 0) if block_cohort else 0,
        "flags": flag_queue(exercise, scope),
        "scoped": scope.is_limited,
        "stall_days": stall_days,
    }


def flag_queue(exercise: Exercise, scope: Scope) -> list[dict]:
    """Unresolved flags in the facilitator's cohorts (one query).

    Each shows the copy its reporter saw when reporting, never the item's later text, and
    whether the item has since been hidden or withdrawn (docs/decisions/0009).
    """
    flags = list(
        Flag.objects.filter(reporter__block_id=exercise.block_id, resolved=False)
        .select_related(
            "reporter__group__cohort", "contribution__author", "reflection__author", "reflection__contribution__author"
        )
        .order_by("created", "id")
    )
    queue = []
    for flag in flags:
        if not scope.allows(flag.reporter.group.cohort.cohort_id):
            continue
        copy = vis.Item(vis.FLAG_COPY, open=not flag.resolved)
        reason = vis.Item(vis.FLAG_REASON)
        if flag.kind == Flag.CONTRIBUTION:
            item, author = flag.contribution, flag.contribution.author
            hidden, withdrawn = item.hidden, item.state != Contribution.ACTIVE
        elif flag.kind == Flag.REFLECTION:
            item, author = flag.reflection, flag.reflection.author
            hidden, withdrawn = item.hidden, item.contribution.state != Contribution.ACTIVE
        else:
            item, author = flag.reflection, flag.reflection.contribution.author
            hidden, withdrawn = item.response_hidden, item.contribution.state != Contribution.ACTIVE
        queue.append(
            {
                "id": flag.pk,
                "kind": flag.kind,
                "item_id": flag.object_id,
                "reason": flag.reason if vis.may_read(vis.FACILITATOR, reason) else None,
                "reporter": flag.reporter.name,
                "group_id": flag.reporter.group_id,
                "cohort": flag.reporter.group.cohort.name,
                "author": author.name,
                "text": flag.copy if vis.may_read(vis.FACILITATOR, copy) else None,
                "hidden": hidden,
                "withdrawn": withdrawn,
                "created": flag.created.isoformat(),
            }
        )
    return queue


def _group_in_scope(exercise: Exercise, scope: Scope, group_id) -> CoachingGroup:
    if isinstance(group_id, bool) or not isinstance(group_id, int) or not 0 < group_id < 2**63:
        raise InvalidInput(_("The field 'group_id' must be a whole number."))
    group = (
        CoachingGroup.objects.select_related("cohort").filter(pk=group_id, cohort__block_id=exercise.block_id).first()
    )
    if group is None or not scope.allows(group.cohort.cohort_id):
        raise NotFound(_("There is no such group for you."))
    return group


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

    return {
        "group": {
            "id": group.pk,
            "cohort": group.cohort.name,
            "name": _("Group {number}").format(number=group.number),
        },
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
            if contribution_kind(exercise, c) != vis.CONSENT
        ],
        "consent": {members[pk].member_id: pk in rows.consenting for pk in members},
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
        "themes": theme_map(tags, rows.theme_members(members, vis.FACILITATOR)),
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


# --- acting ----------------------------------------------------------------------------------


def _member_in_scope(exercise: Exercise, scope: Scope, member_id) -> Membership:
    if not isinstance(member_id, str) or not member_id or len(member_id) > 32:
        raise InvalidInput(_("The field 'member_id' must be a member id."))
    member = (
        Membership.objects.select_related("group__cohort")
        .filter(member_id=member_id, block_id=exercise.block_id)
        .first()
    )
    if member is None or not scope.allows(member.group.cohort.cohort_id):
        raise NotFound(_("There is no such learner for you."))
    return member


HIDE_REASON_LENGTH = 2000


def moderate(exercise: Exercise, scope: Scope, data, now: datetime | None = None) -> dict:
    """Hide or restore a story, reflection or response, or resolve a flag.

    A hide needs a reason, which the item's author reads. With ``"preview": true`` nothing
    changes: the answer lists how the hide or restore would change learners' progress, so that
    moderation never changes a grade silently (hidden work still counts for its author:
    docs/decisions/0010). Resolving a flag erases the copy of the text it kept.
    """
    now = now or timezone.now()
    data = require_object(data)
    action = choice_field(data, "action", ("hide", "restore", "resolve"))
    if action == "resolve":
        flag_id = id_field(data, "flag_id")
        flag = (
            Flag.objects.select_related("reporter__group__cohort")
            .filter(pk=flag_id, reporter__block_id=exercise.block_id)
            .first()
        )
        if flag is None or not scope.allows(flag.reporter.group.cohort.cohort_id):
            raise NotFound(_("There is no such flag for you."))
        Flag.objects.filter(pk=flag.pk).update(resolved=True, resolved_by=scope.username, resolved_at=now, copy="")
        return {"flag": {"id": flag.pk, "resolved": True}}
    kind = choice_field(data, "kind", Flag.KINDS)
    object_id = id_field(data, "id")
    preview = data.get("preview", False)
    if not isinstance(preview, bool):
        raise InvalidInput(_("The field 'preview' must be true or false."))
    hide = action == "hide"
    model = Contribution if kind == Flag.CONTRIBUTION else Reflection
    author_path = "author" if kind == Flag.CONTRIBUTION else "contribution__author"
    item = (
        model.objects.select_related(f"{author_path}__group__cohort")
        .filter(pk=object_id, **{f"{author_path}__block_id": exercise.block_id})
        .first()
    )
    if item is None:
        raise NotFound(_("There is no such item for you."))
    owner = item.author if kind == Flag.CONTRIBUTION else item.contribution.author
    if not scope.allows(owner.group.cohort.cohort_id):
        raise NotFound(_("There is no such item for you."))
    reason = ""
    if hide:
        reason = required_text(
            data,
            "reason",
            max_length=HIDE_REASON_LENGTH,
            message=_("Say why you hide this: its author will read your reason."),
        )
    field_name = "response_hidden" if kind == Flag.RESPONSE else "hidden"
    changes = _progress_changes(exercise, owner.group_id, model, item.pk, field_name, hide, now)
    if preview:
        return {"preview": {"kind": kind, "id": item.pk, "hidden": hide, "changes": changes}}
    model.objects.filter(pk=item.pk).update(**{field_name: hide, f"{field_name}_reason": reason})
    return {"item": {"kind": kind, "id": item.pk, "hidden": hide}, "changes": changes}


def _progress_changes(exercise, group_id: int, model, item_pk: int, field_name: str, value: bool, now) -> list[dict]:
    """How setting ``field_name`` of one item to ``value`` would change its group's progress.

    The group's rows are read once; the item is changed in memory only.
    """
    rows = _GroupRows.load(exercise, [group_id])
    before = rows.records(exercise, now)
    for row in rows.contributions if model is Contribution else rows.reflections:
        if row.pk == item_pk:
            setattr(row, field_name, value)
    after = rows.records(exercise, now)
    changes = []
    for member in rows.members:
        old, new = before[member.pk].progress, after[member.pk].progress
        if old.done == new.done and old.score == new.score:
            continue
        changes.append(
            {
                "member_id": member.member_id,
                "name": member.name,
                "stages_done_before": sorted(old.done),
                "stages_done_after": sorted(new.done),
                "score_before": old.score.earned,
                "score_after": new.score.earned,
            }
        )
    return changes


def open_stage(exercise: Exercise, scope: Scope, data, now: datetime | None = None) -> dict:
    """Open a stage for one group, or for every group of a cohort the facilitator may act in."""
    now = now or timezone.now()
    data = require_object(data)
    stage_id = text_field(data, "stage_id", max_length=64)
    if exercise.stage(stage_id) is None:
        raise InvalidInput(_("There is no stage '{stage_id}' in this exercise.").format(stage_id=stage_id))
    if data.get("all") is True:
        groups = CoachingGroup.objects.filter(cohort__block_id=exercise.block_id).select_related("cohort")
        cohort = data.get("cohort")
        if cohort is not None:
            if not isinstance(cohort, str) or not scope.allows(cohort):
                raise NotFound(_("There is no such cohort for you."))
            groups = groups.filter(cohort__cohort_id=cohort)
        targets = [g for g in groups if scope.allows(g.cohort.cohort_id)]
    else:
        targets = [_group_in_scope(exercise, scope, data.get("group_id"))]
    # Opening twice, or two facilitators at once, leaves one opening per group.
    StageOpening.objects.bulk_create(
        [StageOpening(group=g, stage_id=stage_id, opened_at=now) for g in targets], ignore_conflicts=True
    )
    return {"opened": {"stage_id": stage_id, "groups": sorted(g.pk for g in targets)}}


def _parse_date(data, name):
    value = data.get(name)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InvalidInput(_("The field '{name}' must be a date and time (ISO 8601).").format(name=name))
    try:
        return st.parse_utc(value)
    except st.NaiveDateError as error:
        raise InvalidInput(_("The field '{name}' needs a time zone.").format(name=name)) from error
    except ValueError as error:
        raise InvalidInput(_("The field '{name}' must be a date and time (ISO 8601).").format(name=name)) from error


def set_stage_dates(exercise: Exercise, scope: Scope, data, now: datetime | None = None) -> dict:
    """Set or extend a stage's open and close dates for the whole block (facilitators of all cohorts)."""
    now = now or timezone.now()
    if scope.is_limited:
        raise Forbidden(_("Only facilitators of every cohort can change a stage's dates."))
    data = require_object(data)
    stage_id = text_field(data, "stage_id", max_length=64)
    if exercise.stage(stage_id) is None:
        raise InvalidInput(_("There is no stage '{stage_id}' in this exercise.").format(stage_id=stage_id))
    opens, closes = _parse_date(data, "opens"), _parse_date(data, "closes")
    if opens and closes and closes < opens:
        raise InvalidInput(_("A stage cannot close before it opens."))
    schedule.set_dates(exercise.block_id, stage_id, opens, closes, scope.username, now)
    return {
        "stage": {
            "id": stage_id,
            "opens": opens.isoformat() if opens else None,
            "closes": closes.isoformat() if closes else None,
        }
    }


def _lock_cohort(cohort_pk: int) -> None:
    """Inside a transaction: queue behind joins and other regroupings of the same cohort."""
    BlockCohort.objects.filter(pk=cohort_pk).update(joins=F("joins") + 1)


def _move(member: Membership, group: CoachingGroup) -> None:
    taken = set(Membership.objects.filter(group=group).values_list("pseudonym", flat=True))
    pseudonym = member.pseudonym if member.pseudonym not in taken else choose_pseudonym(taken)
    Membership.objects.filter(pk=member.pk).update(group=group, pseudonym=pseudonym)


def _keep_work(exercise: Exercise, group_ids: list[int], now: datetime) -> None:
    """Before a regrouping: the stages each member of these groups has done because of their group
    (witnessing) stay done, wherever they go and whoever joins them (docs/decisions/0010)."""
    witness_stages = {stage.id for stage in exercise.stages if stage.kind == st.WITNESS}
    members, records = _member_records(exercise, group_ids, now)
    for member in members:
        carried = set(member.carried_stages or ())
        keep = carried | (set(records[member.pk].progress.done) & witness_stages)
        if keep != carried:
            Membership.objects.filter(pk=member.pk).update(carried_stages=sorted(keep))


def move_member(exercise: Exercise, scope: Scope, data) -> dict:
    """Move a learner to another group of the same cohort; their work moves with them."""
    data = require_object(data)
    member = _member_in_scope(exercise, scope, data.get("member_id"))
    group = _group_in_scope(exercise, scope, data.get("group_id"))
    if group.cohort_id != member.group.cohort_id:
        raise InvalidInput(_("A learner can only move to a group of their own cohort."))
    if group.pk == member.group_id:
        return {"member": {"id": member.member_id, "group_id": group.pk}}
    with transaction.atomic():
        _lock_cohort(group.cohort_id)
        if Membership.objects.filter(group=group).count() >= GROUP_SIZE_MAX:
            raise InvalidInput(_("That group already has {limit} members.").format(limit=GROUP_SIZE_MAX))
        _keep_work(exercise, [member.group_id, group.pk], timezone.now())
        _move(member, group)
    return {"member": {"id": member.member_id, "group_id": group.pk}}


def split_group(exercise: Exercise, scope: Scope, data) -> dict:
    """Move the named members of a group into a new group of the same cohort."""
    data = require_object(data)
    group = _group_in_scope(exercise, scope, data.get("group_id"))
    member_ids = data.get("member_ids")
    if not isinstance(member_ids, list) or not member_ids or not all(isinstance(m, str) for m in member_ids):
        raise InvalidInput(_("The field 'member_ids' must list the members who form the new group."))
    with transaction.atomic():
        _lock_cohort(group.cohort_id)
        members = list(Membership.objects.filter(group=group))
        moving = [m for m in members if m.member_id in set(member_ids)]
        if len(moving) != len(set(member_ids)):
            raise InvalidInput(_("Every member to move must belong to the group."))
        if len(moving) == len(members):
            raise InvalidInput(_("Leave at least one member in the group."))
        _keep_work(exercise, [group.pk], timezone.now())
        number = (CoachingGroup.objects.filter(cohort_id=group.cohort_id).aggregate(n=Max("number"))["n"] or 0) + 1
        new_group = CoachingGroup.objects.create(cohort_id=group.cohort_id, number=number)
        for member in moving:
            _move(member, new_group)
    return {"group": {"id": new_group.pk, "number": number, "members": [m.member_id for m in moving]}}


def merge_groups(exercise: Exercise, scope: Scope, data) -> dict:
    """Move every member of one group into another group of the same cohort."""
    data = require_object(data)
    source = _group_in_scope(exercise, scope, data.get("group_id"))
    target = _group_in_scope(exercise, scope, data.get("into_group_id"))
    if source.pk == target.pk or source.cohort_id != target.cohort_id:
        raise InvalidInput(_("Merge two different groups of the same cohort."))
    with transaction.atomic():
        _lock_cohort(source.cohort_id)
        moving = list(Membership.objects.filter(group=source))
        if len(moving) + Membership.objects.filter(group=target).count() > GROUP_SIZE_MAX:
            raise InvalidInput(_("A merged group can have at most {limit} members.").format(limit=GROUP_SIZE_MAX))
        _keep_work(exercise, [source.pk, target.pk], timezone.now())
        for member in moving:
            _move(member, target)
    return {"group": {"id": target.pk, "moved": [m.member_id for m in moving]}}


def override_score(exercise: Exercise, scope: Scope, data, *, record, now: datetime | None = None) -> dict:
    """Override a learner's score with a reason; ``record`` sends it where the gradebook reads it."""
    now = now or timezone.now()
    data = require_object(data)
    member = _member_in_scope(exercise, scope, data.get("member_id"))
    possible = sum(stage.weight for stage in exercise.stages if stage.graded)
    score = data.get("score")
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= possible:
        raise InvalidInput(_("The score must be a whole number from 0 to {possible}.").format(possible=int(possible)))
    reason = required_text(
        data, "reason", max_length=2000, message=_("Give a reason for the override; the learner's record keeps it.")
    )
    with transaction.atomic():
        override = ScoreOverride.objects.create(
            member=member, earned=score, possible=possible, reason=reason, by=scope.username, created=now
        )
        record(
            learner_key=member.learner_key,
            earned=score,
            possible=int(possible),
            by=scope.username,
            reason=reason,
        )
    return {
        "override": {
            "member_id": member.member_id,
            "earned": override.earned,
            "possible": override.possible,
            "reason": override.reason,
            "by": override.by,
            "at": override.created.isoformat(),
        }
    }


def assign_facilitator(exercise: Exercise, scope: Scope, cohorts: list[CohortRef], data, now=None) -> dict:
    """Limit a facilitator to named cohorts (an empty list lifts the limit). Staff of every cohort only."""
    now = now or timezone.now()
    if scope.is_limited:
        raise Forbidden(_("Only facilitators of every cohort can assign facilitators."))
    data = require_object(data)
    username = text_field(data, "username", max_length=150).strip()
    if not username:
        raise InvalidInput(_("The field 'username' is required."))
    chosen = data.get("cohorts")
    known = {cohort.id for cohort in cohorts}
    if not isinstance(chosen, list) or not all(isinstance(c, str) and c in known for c in chosen):
        raise InvalidInput(_("The field 'cohorts' must list cohort ids of this course."))
    with transaction.atomic():
        FacilitatorScope.objects.filter(course_id=exercise.course_id, username=username).delete()
        FacilitatorScope.objects.bulk_create(
            [
                FacilitatorScope(
                    course_id=exercise.course_id,
                    username=username,
                    cohort_id=c,
                    assigned_by=scope.username,
                    created=now,
                )
                for c in sorted(set(chosen))
            ]
        )
    return {"facilitator": {"username": username, "cohorts": sorted(set(chosen))}}
