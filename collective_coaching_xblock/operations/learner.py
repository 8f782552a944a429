"""What one learner sees and does: their group, their progress, their contributions.

Everything a learner's page shows comes from ``load_learner_view``, which runs the same small
number of queries whatever the size of the cohort (the group is at most eight people).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.db.models import Q
from django.utils import timezone

from ..exercise import checkin
from ..exercise import stages as st
from ..exercise import visibility as vis
from ..exercise.exercise import Exercise
from ..exercise.scoring import Score
from ..i18n import gettext as _
from ..models import (
    CONSENT_GIVEN,
    CONSENT_WITHDRAWN,
    Contribution,
    Flag,
    GroupPlan,
    Membership,
    Reflection,
    ThemeTag,
)
from ..platform import OWN_POOL
from .compiled import CompiledQuery
from .drafts import drop_drafts
from .errors import Forbidden, InvalidInput, NotFound
from .groups import group_of, opened_stages, reported_items, score_override
from .one_to_one import threads_of
from .progress import Progress, group_sharing, progress_by_member, theme_map
from .reading import Rows, reads
from .transactions import learner_write, save_own_row
from .validation import choice_field, id_field, require_object, required_text, text_field


@dataclass
class LearnerView:
    """Everything the learner's page and ``get_state`` show, loaded in one go."""

    exercise: Exercise
    membership: Membership
    members: list[Membership]
    contributions: list[Contribution]  # the group's contributions that this learner may read
    mine: dict[str, Contribution]  # stage id -> this learner's contribution
    progress: Progress
    reflections: list[Reflection] = field(default_factory=list)  # those this learner may read
    hidden_responses: set[int] = field(default_factory=set)  # reflection ids whose response I flagged
    my_themes: list[ThemeTag] = field(default_factory=list)
    theme_map: list[dict] = field(default_factory=list)
    plan: GroupPlan | None = None
    sharers: set[int] = field(default_factory=set)  # members whose story the group can read
    flagged: set[tuple[str, int]] = field(default_factory=set)  # (kind, id) this learner flagged
    facts: Rows | None = None  # the visibility rule's facts of these rows
    group_reflections: list[Reflection] = field(default_factory=list)  # on the group's stories
    consents: bool = False  # this learner's consent to share with the group stands
    score_override: Score | None = None  # a facilitator's override, which then counts
    rows: GroupRows | None = None  # what the view was computed from

    @cached_property
    def flaggable(self) -> dict[tuple[str, int], object]:
        """(kind, id) -> an item this learner may report: what they may read, as if not reported yet.

        Only a report needs it, so it is worked out when asked.
        """
        me, facts, items = self.membership.pk, self.facts, {}
        for c in self.rows.contributions:
            if c.author_id != me and facts.learner_reads_contribution(me, c, ignore_report=True):
                items[(Flag.CONTRIBUTION, c.pk)] = c
        for r in self.group_reflections:
            if r.author_id != me and facts.learner_reads_reflection(me, r, ignore_report=True):
                items[(Flag.REFLECTION, r.pk)] = r
            if facts.story_author(r) != me and facts.learner_reads_response(me, r, ignore_report=True):
                items[(Flag.RESPONSE, r.pk)] = r
        return items

    def after_write(self, now: datetime | None = None) -> LearnerView:
        """The view again, from the rows as the write left them (no query)."""
        return build_view(self.exercise, self.rows, now)

    @property
    def score(self):
        """The score the learner and the gradebook see: the facilitator's override, if there is one."""
        return self.progress.score if self.score_override is None else self.score_override

    @property
    def has_consent(self) -> bool:
        return self.consents

    @property
    def waiting_for_peers(self) -> bool:
        return len(self.members) < 2

    @property
    def cohort_name(self) -> str:
        cohort = self.membership.group.cohort
        return cohort.name if cohort.cohort_id != OWN_POOL else ""

    def peer_stories(self) -> list[Contribution]:
        """Peers' stories this learner may read (and witness)."""
        return [
            c
            for c in self.contributions
            if c.author_id != self.membership.pk and c.stage_id in self.exercise.story_stage_ids
        ]

    def display_name(self, member: Membership) -> str:
        """How this learner sees a member: the name, or the pseudonym when the block hides names."""
        return shown_name(self.exercise, member)


def shown_name(exercise: Exercise, member: Membership) -> str:
    """How learners of the block see a member: the name, or the pseudonym when the block hides names."""
    return member.pseudonym if exercise.uses_pseudonyms else member.name


@dataclass
class GroupRows:
    """The rows one learner's view is computed from: their group's, and their own reflections.

    A write changes these rows in memory as it changes the database, so that the learner's new
    view is computed without reading everything again.
    """

    membership: Membership
    members: list[Membership]
    contributions: list[Contribution]
    reflections: list[Reflection]  # on the group's stories, and the learner's own anywhere
    tags: list[ThemeTag]
    plan: GroupPlan | None
    opened: frozenset[str]
    flagged: set[tuple[str, int]]
    override: Score | None  # the facilitator's latest override of the learner's score
    thread: list = field(default_factory=list)  # the learner's one-to-one thread with the facilitators

    def put(self, name: str, row) -> None:
        """Put a row just written into the list ``name``, in place of the row with its id."""
        rows = getattr(self, name)
        for index, old in enumerate(rows):
            if old.pk == row.pk:
                rows[index] = row
                return
        rows.append(row)


@dataclass
class Outcome:
    """What a learner's write returns: its result and the learner's view after it."""

    result: object
    view: LearnerView


def _contributions(members):
    return Contribution.objects.filter(author_id__in=members).order_by("created", "id")


def _reflections(stories, me):
    return Reflection.objects.filter(Q(contribution_id__in=stories) | Q(author_id=me)).order_by("created", "id")


def _tags(members):
    return ThemeTag.objects.filter(member_id__in=members).order_by("theme")


# Run on every learner request, compiled once (see compiled.py) for groups of up to 16 members
# and 64 contributions; a larger group (after a facilitator's merge) is read through the ORM.
def _stand_ins(count: int, first: int) -> tuple[int, ...]:
    return tuple(range(first, first - count, -1))  # negative ids: no row has one


_CONTRIBUTIONS = CompiledQuery(_contributions, members=_stand_ins(16, -1000))
_REFLECTIONS = CompiledQuery(_reflections, stories=_stand_ins(64, -2000), me=-3000)
_TAGS = CompiledQuery(_tags, members=_stand_ins(16, -4000))


def _read(compiled: CompiledQuery, build, **values) -> list:
    return compiled.run(**values) if compiled.fits(**values) else list(build(**values))


def load_rows(membership: Membership) -> GroupRows:
    """The rows of the learner's view: three queries, whatever the size of the cohort.

    The group's members (with the group, its plan, the stages opened for it, what each reported
    and their score overrides) come with the membership from ``find_membership``, or in one query
    here; then the group's contributions, reflections and theme tags.
    The plan's earlier versions are read only when the learner asks (``plans.plan_history``).
    """
    members = getattr(membership, "group_members", None)
    if members is None:
        members = group_of(pk=membership.pk)
    me = next(member for member in members if member.pk == membership.pk)
    plan = plan_of(me.group)
    # The rows of these members, not of the group's id: a facilitator may move someone meanwhile,
    # and the view stays the one group as it was read.
    member_ids = [member.pk for member in members]
    contributions = _read(_CONTRIBUTIONS, _contributions, members=member_ids)
    # On these stories, or by this learner anywhere: both sides of the OR use an index (a join to
    # the stories' authors inside the OR would make the database read every reflection).
    story_ids = [contribution.pk for contribution in contributions]
    reflections = _read(_REFLECTIONS, _reflections, stories=story_ids, me=me.pk)
    return GroupRows(
        membership=me,
        members=members,
        contributions=contributions,
        reflections=reflections,
        tags=_read(_TAGS, _tags, members=member_ids),
        plan=plan,
        opened=opened_stages(me),
        flagged=reported_items(me),
        override=score_override(me),
        # One query more only for a learner a facilitator wrote to (``member_facts``: has_thread).
        thread=threads_of([me.pk]).get(me.pk, []) if getattr(me, "has_thread", False) else [],
    )


def plan_of(group) -> GroupPlan | None:
    """The group's plan, read with the group (no query), or None before anyone saved one."""
    try:
        return group.plan
    except GroupPlan.DoesNotExist:
        return None


def load_learner_view(exercise: Exercise, membership: Membership, now: datetime | None = None) -> LearnerView:
    """The learner's group, progress and everything they may read, in a fixed number of queries."""
    return build_view(exercise, load_rows(membership), now)


def build_view(exercise: Exercise, rows: GroupRows, now: datetime | None = None) -> LearnerView:
    """The learner's view from the rows (no query).

    Which texts the learner may read is the visibility rule's answer (``reading.Rows``); this
    function only asks.
    """
    now = now or timezone.now()
    membership, members, me = rows.membership, rows.members, rows.membership.pk
    group_contributions, tags, flagged = rows.contributions, rows.tags, rows.flagged
    sharing = group_sharing(exercise, members, group_contributions, reported=flagged)
    facts = sharing.rows
    visible = [
        c
        for c in group_contributions
        if facts.learner_reads_contribution(me, c) and (c.author_id != me or exercise.stage(c.stage_id) is not None)
    ]
    visible_ids = {c.pk for c in visible}
    group_reflections = [r for r in rows.reflections if r.contribution_id in facts.contributions]
    elsewhere = [r for r in rows.reflections if r.author_id == me and r.contribution_id not in facts.contributions]
    readable_reflections = [
        r for r in group_reflections if r.contribution_id in visible_ids and facts.learner_reads_reflection(me, r)
    ]
    record = progress_by_member(
        exercise,
        members,
        group_contributions,
        group_reflections + elsewhere,
        {tag.member_id for tag in tags},
        {membership.group_id: rows.opened},
        now,
        sharing=sharing,
    )[me]
    plan_readable = reads(vis.GROUP_PEER, vis.PLAN)
    return LearnerView(
        exercise=exercise,
        membership=membership,
        members=members,
        contributions=visible,
        mine=sharing.by_author.get(me, {}),
        progress=record.progress,
        reflections=readable_reflections,
        hidden_responses={r.pk for r in readable_reflections if not facts.learner_reads_response(me, r)},
        my_themes=[tag for tag in tags if tag.member_id == me],
        theme_map=theme_map(tags, facts.theme_members({m.pk for m in members})),
        plan=rows.plan if plan_readable else None,
        sharers=sharing.sharers,
        flagged=flagged,
        facts=facts,
        group_reflections=group_reflections,
        consents=me in sharing.consenting,
        score_override=rows.override,
        rows=rows,
    )


def require_writable(view: LearnerView, stage: st.Stage, now: datetime) -> None:
    """Refuse (400) work on a stage that is locked or closed for this learner."""
    if not st.is_writable(stage, view.progress.statuses[stage.id], now):
        raise InvalidInput(_("The stage '{title}' is not open.").format(title=stage.title))


def submit_contribution(exercise: Exercise, membership: Membership, data, now: datetime | None = None):
    """Create or replace the learner's contribution to a stage, and return it.

    Validates everything before writing anything. Sending the same contribution twice leaves
    one row, as it was.
    """
    now = now or timezone.now()
    data = require_object(data)
    stage_id = text_field(data, "stage_id", max_length=64)
    stage = exercise.stage(stage_id)
    if stage is None:
        raise InvalidInput(_("There is no stage '{stage_id}' in this exercise.").format(stage_id=stage_id))
    if stage.kind not in st.CONTRIBUTION_KINDS:
        raise InvalidInput(_("The stage '{stage_id}' does not take a written contribution.").format(stage_id=stage_id))
    view = load_learner_view(exercise, membership, now)
    require_writable(view, stage, now)

    if stage.kind == st.CONTRACT:
        text = text_field(data, "text", max_length=exercise.max_text_length, required=False)
        sharing = choice_field(data, "sharing", (st.SHARE_FACILITATOR,), required=False, default=st.SHARE_FACILITATOR)
    elif stage.kind == st.CHECKIN:
        text, sharing = checkin.dump(_checkin_answers(stage, data)), st.SHARE_FACILITATOR
    else:
        text = required_text(
            data, "text", max_length=exercise.max_text_length, message=_("Write something before you save.")
        )
        words = len(text.split())
        if stage.min_words and words < stage.min_words:
            raise InvalidInput(
                _("Write at least {minimum} words (you have {count}).").format(minimum=stage.min_words, count=words)
            )
        if stage.max_words and words > stage.max_words:
            raise InvalidInput(
                _("Write at most {maximum} words (you have {count}).").format(maximum=stage.max_words, count=words)
            )
        sharing = choice_field(data, "sharing", st.SHARING)
        if sharing == st.SHARE_GROUP and not view.consents:
            raise Forbidden(_("Agree to the group contract before you share with the group."))

    me = view.rows.membership
    found = next((c for c in view.rows.contributions if c.author_id == me.pk and c.stage_id == stage.id), None)
    with learner_write(membership, now):
        contribution = save_own_row(
            Contribution,
            found,
            {"author": me, "stage_id": stage.id},
            {"text": text, "sharing": sharing, "state": Contribution.ACTIVE},
            now,
        )
        if stage.kind == st.CONTRACT:
            _record_consent(view.rows.membership, CONSENT_GIVEN, now)
        else:
            drop_drafts(membership, f"contribution:{stage.id}")
    view.rows.put("contributions", contribution)
    return Outcome(contribution, view.after_write(now))


def _checkin_answers(stage: st.Stage, data) -> dict:
    """``answers``: every statement of the check-in, each 1 to 5 or "prefer_not" (prefer not to say)."""
    answers = data.get("answers")
    items = [prompt.id for prompt in stage.prompts]
    if (
        not isinstance(answers, dict)
        or set(answers) != set(items)
        or not all(not isinstance(value, bool) and value in checkin.ANSWERS for value in answers.values())
    ):
        raise InvalidInput(
            _('Answer every statement: a number from 1 to 5, or "prefer not to say" ({items}).').format(
                items=", ".join(items)
            )
        )
    return answers


def _record_consent(membership: Membership, consent: str, now: datetime) -> None:
    """Consent is a fact about the learner in this unit, kept on their membership."""
    if membership.consent != consent:
        Membership.objects.filter(pk=membership.pk).update(consent=consent, consent_changed=now)
        membership.consent, membership.consent_changed = consent, now


def withdraw_contribution(exercise: Exercise, membership: Membership, data, now: datetime | None = None):
    """Withdraw one of the learner's own contributions, and return it.

    A withdrawn story disappears for the group at once; withdrawing the contract withdraws
    consent, which hides everything the learner shared with the group. Withdrawing twice is
    the same as once. Someone else's contribution, or none, answers 404.
    """
    now = now or timezone.now()
    contribution_id = id_field(require_object(data), "contribution_id")
    view = load_learner_view(exercise, membership, now)
    me = view.rows.membership
    contribution = next((c for c in view.rows.contributions if c.pk == contribution_id and c.author_id == me.pk), None)
    if contribution is None:
        raise NotFound(_("There is no such contribution of yours."))
    stage = exercise.stage(contribution.stage_id)
    withdraws_consent = stage is not None and stage.kind == st.CONTRACT
    if contribution.state != Contribution.WITHDRAWN or (withdraws_consent and me.consent != CONSENT_WITHDRAWN):
        with learner_write(membership, now):
            Contribution.objects.filter(pk=contribution.pk).update(state=Contribution.WITHDRAWN, modified=now)
            if withdraws_consent:
                _record_consent(me, CONSENT_WITHDRAWN, now)
        contribution.state, contribution.modified = Contribution.WITHDRAWN, now
    return Outcome(contribution, view.after_write(now))
