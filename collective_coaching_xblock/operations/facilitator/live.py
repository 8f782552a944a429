"""The live session: what a facilitator puts on a shared screen while a group (or a cohort) meets.

A shared screen is read by everyone in the room, so it shows only what the room may read under
the visibility rule, asked for the room's members (``GROUP_PEER``), never the facilitator's own
view: a group's theme map (structural against personal) and its plan, and, only when the
facilitator chooses to show them, the stories their authors shared with the group. Names are
pseudonyms unless the facilitator chooses names. For a cohort, where several groups meet, only
the cohort's theme map: counts of the unit's own themes (a learner's own theme is their words,
read by their group only) and how many other themes were named, no story, no plan.

The screen asks again every few seconds; a fingerprint (one query, no text) tells it whether
anything it shows has changed (``changes.group_fingerprint``, ``changes.cohort_fingerprint``).
"""

from __future__ import annotations

from ...exercise import visibility as vis
from ...exercise.exercise import Exercise
from ...i18n import gettext as _
from ...models import BlockCohort, Contribution, GroupPlan, Membership, ThemeTag
from .. import changes
from ..errors import InvalidInput, NotFound
from ..progress import group_sharing, theme_map
from ..reading import reads
from ..validation import bool_field, require_object
from .dashboard import stage_list
from .scope import Scope, _group_in_scope


def live_session(exercise: Exercise, scope: Scope, data) -> dict:
    """``{"group_id"}`` or ``{"cohort"}``, with ``show_stories``, ``names`` and ``since`` (a fingerprint).

    When ``since`` is the current fingerprint the answer is ``{"unchanged": true}``, read in one
    query after the scope's.
    """
    data = require_object(data)
    show_stories = bool_field(data, "show_stories", default=False)
    names = bool_field(data, "names", default=False)
    since = data.get("since", "")
    if not isinstance(since, str) or len(since) > changes.FINGERPRINT_LENGTH:
        raise InvalidInput(_("The field 'since' must be the fingerprint of the last answer."))
    if "group_id" in data:
        group = _group_in_scope(exercise, scope, data.get("group_id"))
        fingerprint = changes.group_fingerprint(group.pk)
        if since and since == fingerprint:
            return {"unchanged": True, "fingerprint": fingerprint}
        names = names and not exercise.uses_pseudonyms  # a unit under pseudonyms never shows names
        return dict(_group_screen(exercise, group, show_stories, names), fingerprint=fingerprint)
    cohort_id = data.get("cohort")
    cohort = (
        BlockCohort.objects.filter(block_id=exercise.block_id, cohort_id=cohort_id).first()
        if isinstance(cohort_id, str)
        else None
    )
    if cohort is None or not scope.allows(cohort.cohort_id):
        raise NotFound(_("There is no such cohort for you."))
    fingerprint = changes.cohort_fingerprint(cohort.pk)
    if since and since == fingerprint:
        return {"unchanged": True, "fingerprint": fingerprint}
    return dict(_cohort_screen(exercise, cohort), fingerprint=fingerprint)


def _label(theme: str) -> str:
    return _(theme)  # a theme of the unit's list in the reader's language; a learner's own as written


def _themes(entries: list[dict]) -> list[dict]:
    return [
        {
            "theme": entry["theme"],
            "label": _label(entry["theme"]),
            "structural": entry["structural"],
            "personal": entry["members"] - entry["structural"],
        }
        for entry in entries
    ]


def _group_screen(exercise: Exercise, group, show_stories: bool, names: bool) -> dict:
    members = {m.pk: m for m in Membership.objects.filter(group=group).order_by("pk")}
    contributions = list(Contribution.objects.filter(author__group=group).order_by("created", "id"))
    sharing = group_sharing(exercise, members.values(), contributions)
    rows = sharing.rows
    room = rows.theme_members(members, vis.GROUP_PEER)  # what the group itself may read of its themes
    tags = list(ThemeTag.objects.filter(member__group=group))
    plan = GroupPlan.objects.filter(group=group).first()

    def shown_name(pk):
        member = members.get(pk)
        if member is None:
            return _("a former member")
        return member.name if names else member.pseudonym

    # Where the unit lets a learner read peers' stories only after sharing their own, the room reads
    # them only once every member may: one who has not shared yet is in the room too.
    withheld = show_stories and not all(rows.may_read_peers(pk) for pk in members)
    stories = []
    if show_stories and not withheld:
        stories = [
            {"author": shown_name(c.author_id), "text": c.text}
            for c in contributions
            if c.stage_id in exercise.story_stage_ids and rows.group_can_read(c)
        ]
    return {
        "group": {"id": group.pk, "name": _("Group {number}").format(number=group.number), "cohort": group.cohort.name},
        "members": len(members),
        "themes": _themes(theme_map(tags, room)),
        "plan": {
            "text": plan.text if plan and reads(vis.GROUP_PEER, vis.PLAN) else "",
            "version": plan.version if plan else 0,
            "updated_by": shown_name(plan.updated_by_id) if plan and plan.updated_by_id else None,
        },
        "show_stories": show_stories,
        "stories_withheld": withheld,
        "names": names,
        "names_allowed": not exercise.uses_pseudonyms,
        "stories": stories,
        "stages": stage_list(exercise),
    }


def _cohort_screen(exercise: Exercise, cohort: BlockCohort) -> dict:
    members = list(Membership.objects.filter(group__cohort=cohort))
    contributions = list(
        Contribution.objects.filter(author__group__cohort=cohort, stage_id__in=exercise.story_stage_ids)
    )
    rows = group_sharing(exercise, members, contributions).rows
    room = rows.theme_members([m.pk for m in members], vis.GROUP_PEER)
    tags = list(ThemeTag.objects.filter(member__group__cohort=cohort))
    listed = set(exercise.themes)
    # The unit's own themes are the author's words; a learner's own theme is theirs, and the rule
    # lets no learner of another group (most of a cohort's room) read it.
    room_reads_own_themes = reads(vis.OTHER_LEARNER, vis.THEME)

    def shown(theme: str) -> bool:
        return theme in listed or room_reads_own_themes

    entries = theme_map(tags, room)
    return {
        "cohort": {"id": cohort.cohort_id, "name": cohort.name},
        "members": len(members),
        # Only the unit's own themes: a theme a learner named in their words is read by their group alone.
        "themes": _themes([entry for entry in entries if shown(entry["theme"])]),
        "other_themes": sum(entry["members"] for entry in entries if not shown(entry["theme"])),
        "stages": stage_list(exercise),
    }
