"""What one learner sees and does: their group, their progress, their contributions.

Everything a learner's page shows comes from ``load_learner_view``, which runs the same small
number of queries whatever the size of the cohort (the group is at most eight people).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from ..exercise import stages as st
from ..exercise.exercise import Exercise
from ..exercise.scoring import Score, completion, participation_score
from ..i18n import gettext as _
from ..models import Contribution, Membership
from ..platform import OWN_POOL
from .errors import Forbidden, InvalidInput, NotFound
from .validation import choice_field, id_field, require_object, text_field


@dataclass(frozen=True)
class Progress:
    """A learner's standing in the exercise."""

    statuses: dict[str, str]
    done: frozenset[str]
    score: Score
    completion: float


@dataclass
class LearnerView:
    """Everything the learner's page and ``get_state`` show, loaded in one go."""

    exercise: Exercise
    membership: Membership
    members: list[Membership]
    contributions: list[Contribution]  # the group's contributions that this learner may read
    mine: dict[str, Contribution]  # stage id -> this learner's contribution
    progress: Progress

    @property
    def has_consent(self) -> bool:
        return has_consent(self.exercise, self.mine)

    @property
    def waiting_for_peers(self) -> bool:
        return len(self.members) < 2

    @property
    def cohort_name(self) -> str:
        cohort = self.membership.group.cohort
        return cohort.name if cohort.cohort_id != OWN_POOL else ""


def _is_written(stage: st.Stage, contribution: Contribution | None) -> bool:
    if contribution is None or contribution.state != Contribution.ACTIVE:
        return False
    return stage.kind == st.CONTRACT or bool(contribution.text.strip())


def has_consent(exercise: Exercise, contributions_by_stage: dict[str, Contribution]) -> bool:
    """Consent to share with the group: an active contribution to every contract stage (if any)."""
    return all(
        _is_written(stage, contributions_by_stage.get(stage.id))
        for stage in exercise.stages
        if stage.kind == st.CONTRACT
    )


def compute_progress(exercise: Exercise, mine: dict[str, Contribution], now: datetime) -> Progress:
    """Statuses, done stages, score and completion from the learner's own contributions."""
    work = st.Work(
        written=frozenset(stage.id for stage in exercise.stages if _is_written(stage, mine.get(stage.id))),
        started=frozenset(mine),
    )
    statuses = st.stage_statuses(exercise.stages, work, st.Pace(), now)
    done = frozenset(stage_id for stage_id, status in statuses.items() if status == st.DONE)
    return Progress(
        statuses=statuses,
        done=done,
        score=participation_score(exercise.stages, done),
        completion=completion(exercise.stages, done),
    )


def _visible_to_peers(exercise: Exercise, contribution: Contribution, consenting: set[int]) -> bool:
    stage = exercise.stage(contribution.stage_id)
    return (
        stage is not None
        and stage.kind in (st.NARRATIVE, st.ACTION)
        and contribution.sharing == st.SHARE_GROUP
        and contribution.state == Contribution.ACTIVE
        and contribution.author_id in consenting
    )


def load_learner_view(exercise: Exercise, membership: Membership, now: datetime | None = None) -> LearnerView:
    """The learner's group, progress and the contributions they may read (two queries)."""
    now = now or timezone.now()
    members = list(Membership.objects.filter(group_id=membership.group_id))
    group_contributions = list(
        Contribution.objects.filter(author__group_id=membership.group_id).order_by("created", "id")
    )
    by_author: dict[int, dict[str, Contribution]] = {}
    for contribution in group_contributions:
        by_author.setdefault(contribution.author_id, {})[contribution.stage_id] = contribution
    mine = by_author.get(membership.pk, {})
    consenting = {author for author, theirs in by_author.items() if has_consent(exercise, theirs)}
    story_stages = {stage.id for stage in exercise.stages if stage.kind == st.NARRATIVE}
    shared_own_story = any(
        contribution.stage_id in story_stages and _visible_to_peers(exercise, contribution, consenting)
        for contribution in mine.values()
    )
    may_read_peers = shared_own_story or not exercise.peers_after_own_story or not story_stages
    visible = [
        contribution
        for contribution in group_contributions
        if contribution.author_id == membership.pk
        or (may_read_peers and _visible_to_peers(exercise, contribution, consenting))
    ]
    return LearnerView(
        exercise=exercise,
        membership=membership,
        members=members,
        contributions=visible,
        mine=mine,
        progress=compute_progress(exercise, mine, now),
    )


def submit_contribution(exercise: Exercise, membership: Membership, data, now: datetime | None = None):
    """Create or replace the learner's contribution to a stage; returns (contribution, progress).

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
        raise InvalidInput(
            _("The stage '{stage_id}' does not take a written contribution.").format(stage_id=stage_id)
        )
    mine = {c.stage_id: c for c in Contribution.objects.filter(author=membership)}
    progress = compute_progress(exercise, mine, now)
    if not st.is_writable(stage, progress.statuses[stage.id], now):
        raise InvalidInput(_("The stage '{title}' is not open.").format(title=stage.title))

    if stage.kind == st.CONTRACT:
        text = text_field(data, "text", max_length=exercise.max_text_length, required=False)
        sharing = choice_field(
            data, "sharing", (st.SHARE_FACILITATOR,), required=False, default=st.SHARE_FACILITATOR
        )
    else:
        text = text_field(data, "text", max_length=exercise.max_text_length)
        if not text.strip():
            raise InvalidInput(_("Write something before you save."))
        sharing = choice_field(data, "sharing", st.SHARING)
        if sharing == st.SHARE_GROUP and not has_consent(exercise, mine):
            raise Forbidden(_("Agree to the group contract before you share with the group."))

    with transaction.atomic():
        contribution, _created = Contribution.objects.update_or_create(
            author=membership,
            stage_id=stage.id,
            defaults={"text": text, "sharing": sharing, "state": Contribution.ACTIVE},
        )
        Membership.objects.filter(pk=membership.pk).update(last_activity=now)
    mine[stage.id] = contribution
    return contribution, compute_progress(exercise, mine, now)


def withdraw_contribution(exercise: Exercise, membership: Membership, data, now: datetime | None = None):
    """Withdraw one of the learner's own contributions; returns (contribution, progress).

    A withdrawn story disappears for the group at once; withdrawing the contract withdraws
    consent, which hides everything the learner shared with the group. Withdrawing twice is
    the same as once. Someone else's contribution, or none, answers 404.
    """
    now = now or timezone.now()
    contribution_id = id_field(require_object(data), "contribution_id")
    contribution = Contribution.objects.filter(pk=contribution_id, author=membership).first()
    if contribution is None:
        raise NotFound(_("There is no such contribution of yours."))
    if contribution.state != Contribution.WITHDRAWN:
        with transaction.atomic():
            Contribution.objects.filter(pk=contribution.pk).update(state=Contribution.WITHDRAWN, modified=now)
            Membership.objects.filter(pk=membership.pk).update(last_activity=now)
        contribution.state = Contribution.WITHDRAWN
    mine = {c.stage_id: c for c in Contribution.objects.filter(author=membership)}
    return contribution, compute_progress(exercise, mine, now)
