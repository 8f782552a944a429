"""The author's side in Studio: the editor's save handler, and the warnings Studio shows.

``AuthorHandlers`` is a mixin of ``block.CollectiveCoachingXBlock``; it uses the block's fields,
``runtime`` and ``exercise()``. The settings' checks live in ``exercise/settings.py`` and the
editor's payload in ``authoring.py``; the Studio views stay in ``block.py``.
"""

from __future__ import annotations

from xblock.validation import ValidationMessage

from .. import authoring
from ..exercise import stages as st
from ..exercise.settings import SettingsError, clean_settings
from ..i18n import gettext
from ..operations.errors import Forbidden, InvalidInput
from ..operations.facilitator.scope import facilitator_scope
from ..platform import get_host
from .decorators import error_response, json_handler


class AuthorHandlers:
    """What Studio calls on the author's behalf: saving the settings (authors only), and ``validate``."""

    @json_handler
    def save_settings(self, data, suffix=""):
        """Studio's save: check every setting, then save them all, or nothing (400 with every reason)."""
        if not get_host().settings_editable(self):
            return error_response(Forbidden(gettext("This unit's settings are edited in Studio.")))
        if not self._may_edit():
            return error_response(Forbidden(gettext("Only the course's authors can change this unit.")))
        try:
            cleaned = clean_settings(data, defaults=authoring.current_settings(self))
        except SettingsError as error:
            reasons = error.render(gettext)
            return error_response(InvalidInput(" ".join(reasons), errors=reasons))
        for name, value in cleaned.items():
            setattr(self, name, value)
        return {"saved": True, "settings": authoring.current_settings(self)}

    def _may_edit(self) -> bool:
        """Course authors in Studio; in the demo, staff who facilitate every cohort (the LMS never saves)."""
        permissions = self.runtime.service(self, "studio_user_permissions")
        if permissions is not None:
            usage_id = self.scope_ids.usage_id
            return bool(permissions.can_write(getattr(usage_id, "context_key", None)))
        person = get_host().current_person(self)
        if not (person and person.is_staff):
            return False
        # A facilitator limited to some cohorts cannot change a unit that every cohort shares.
        try:
            return not facilitator_scope(self.exercise(), person).is_limited
        except st.StageConfigError:
            return True

    def validate(self):
        """Studio's warnings: settings that will not work as the author expects."""
        result = super().validate()
        try:
            st.stages_from_settings(self.stages)
        except st.StageConfigError as error:
            result.add(ValidationMessage(ValidationMessage.ERROR, error.message.render(gettext)))
        if self.group_source == "cohort":
            try:
                cohorted = get_host().course_has_cohorts(self)
            except Exception:  # noqa: BLE001 - Studio without the cohorts app: say nothing rather than fail
                cohorted = True
            if not cohorted:
                result.add(
                    ValidationMessage(
                        ValidationMessage.WARNING,
                        gettext(
                            "Groups form inside cohorts, but this course has no cohorts: learners will form "
                            "groups in the unit's own pool. Enable cohorts, or choose another group source."
                        ),
                    )
                )
        if self.group_source == "team":
            # Studio offers teams_configuration, not teams: warn only where the teamset is really missing.
            teamsets = get_host().teamsets(self)
            if teamsets is not None and self.teamset_id not in [teamset_id for teamset_id, _name in teamsets]:
                result.add(
                    ValidationMessage(
                        ValidationMessage.WARNING,
                        gettext(
                            "Groups form from teams, but the teamset '{teamset}' is not among this course's teamsets: "
                            "learners will form groups in the unit's own pool."
                        ).format(teamset=self.teamset_id),
                    )
                )
        return result
