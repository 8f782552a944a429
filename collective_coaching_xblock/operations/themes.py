"""Naming what is shared: each learner tags their story's themes, structural or personal."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.utils import timezone

from ..exercise import stages as st
from ..exercise.exercise import Exercise
from ..i18n import gettext as _
from ..models import Membership, ThemeTag
from .errors import InvalidInput
from .learner import Outcome, load_learner_view, require_writable
from .transactions import learner_write
from .validation import normalise_name, require_object

MAX_THEMES = 20
THEME_LENGTH = 100


def _tags(data: Mapping) -> dict[str, bool]:
    items = data.get("themes")
    if not isinstance(items, list):
        raise InvalidInput(_('The field \'themes\' must be a list of {"theme": ..., "structural": ...}.'))
    if len(items) > MAX_THEMES:
        raise InvalidInput(_("Tag at most {limit} themes.").format(limit=MAX_THEMES))
    tags: dict[str, bool] = {}
    for item in items:
        if not isinstance(item, Mapping):
            raise InvalidInput(_("Each theme must be an object with 'theme' and 'structural'."))
        theme, structural = item.get("theme"), item.get("structural", False)
        if not isinstance(theme, str) or len(theme) > 10 * THEME_LENGTH:
            raise InvalidInput(_("A theme must be text of 1 to {limit} characters.").format(limit=THEME_LENGTH))
        # Stored and compared normalised, so look-alikes are one theme; the limit applies after.
        theme = normalise_name(theme)
        if not theme or len(theme) > THEME_LENGTH or "\x00" in theme:
            raise InvalidInput(_("A theme must be text of 1 to {limit} characters.").format(limit=THEME_LENGTH))
        if not isinstance(structural, bool):
            raise InvalidInput(_("'structural' must be true or false."))
        tags[theme] = structural
    return tags


def tag_themes(exercise: Exercise, membership: Membership, data, now: datetime | None = None) -> list[ThemeTag]:
    """Replace the learner's theme tags with the given list (themes from the list or their own)."""
    now = now or timezone.now()
    tags = _tags(require_object(data))
    stage = exercise.first_stage_of_kind(st.THEMES)
    if stage is None:
        raise InvalidInput(_("This exercise has no themes stage."))
    view = load_learner_view(exercise, membership, now)
    require_writable(view, stage, now)
    with learner_write(membership, now):
        # The learner's whole list is replaced: two statements, however many themes.
        ThemeTag.objects.filter(member=membership).delete()
        mine = ThemeTag.objects.bulk_create(
            [
                ThemeTag(member=membership, theme=theme, structural=structural)
                for theme, structural in sorted(tags.items())
            ]
        )
    rows = view.rows
    rows.tags = sorted([t for t in rows.tags if t.member_id != membership.pk] + mine, key=lambda t: t.theme)
    return Outcome(mine, view.after_write(now))
