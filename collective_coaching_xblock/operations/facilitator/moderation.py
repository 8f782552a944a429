"""Moderation: the queue of flags, hiding and restoring work, and how either would change progress."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from ...exercise import visibility as vis
from ...exercise.exercise import Exercise
from ...i18n import gettext as _
from ...models import Contribution, Flag, Reflection
from ..errors import NotFound
from ..validation import bool_field, choice_field, id_field, require_object, required_text
from .records import _GroupRows
from .scope import Scope


def flag_queue(exercise: Exercise, scope: Scope, cohort_ids=None) -> list[dict]:
    """Unresolved flags in the facilitator's cohorts, or in ``cohort_ids`` of them (one query).

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
        cohort_id = flag.reporter.group.cohort.cohort_id
        if not scope.allows(cohort_id) or (cohort_ids is not None and cohort_id not in cohort_ids):
            continue  # a flag never shows under another cohort
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
                "group": flag.reporter.group.number,
                "cohort": flag.reporter.group.cohort.name,
                "cohort_id": flag.reporter.group.cohort.cohort_id,
                "author": author.name,
                "text": flag.copy if vis.may_read(vis.FACILITATOR, copy) else None,
                "hidden": hidden,
                "withdrawn": withdrawn,
                "created": flag.created.isoformat(),
            }
        )
    return queue


HIDE_REASON_LENGTH = 2000


def moderate(exercise: Exercise, scope: Scope, data, now: datetime | None = None) -> dict:
    """Hide or restore a story, reflection or response, or resolve a flag.

    A hide needs a reason, which the item's author reads. With ``"preview": true`` nothing
    changes: the answer names the item's author and lists how the hide or restore would change
    learners' progress, so that moderation never changes a grade silently (hidden work still counts for its author:
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
    preview = bool_field(data, "preview", default=False)
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
        author = {"id": owner.member_id, "name": owner.name}
        return {"preview": {"kind": kind, "id": item.pk, "hidden": hide, "author": author, "changes": changes}}
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
