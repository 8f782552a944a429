"""The Open edX host: cohorts, teams, enrolment, masquerade and users from the LMS.

Platform modules are imported lazily, inside the methods, so that this module imports anywhere
(Studio, tests, the demo) and only touches the platform when asked. Each platform function used
here is named with its file in edx-platform; tests/openedx_doubles.py mirrors exactly these.
"""

from __future__ import annotations

from dataclasses import replace

from .base import OWN_POOL, CohortRef, Host, Person

TEAM_PREFIX = "team:"


def retirement_signal():
    """The LMS's ``USER_RETIRE_LMS_MISC`` signal (user_api/accounts/signals.py), or None outside the LMS."""
    try:
        from openedx.core.djangoapps.user_api.accounts.signals import USER_RETIRE_LMS_MISC
    except ImportError:
        return None
    return USER_RETIRE_LMS_MISC


class OpenEdxHost(Host):
    """Answers from the LMS through its XBlock services and the modules named in each method."""

    @staticmethod
    def _course_key(block):
        usage_id = block.scope_ids.usage_id
        return getattr(usage_id, "context_key", getattr(usage_id, "course_key", None))

    def course_id(self, block) -> str:
        return str(self._course_key(block) or "")

    def _django_user(self, block, person: Person):
        service = block.runtime.service(block, "user")
        return service.get_user_by_anonymous_id(person.key) if service else None

    def current_person(self, block) -> Person | None:
        """The person from the user service, read-only unless enrolled (or staff) and not masquerading."""
        person = super().current_person(block)
        if person is None or not person.can_write:
            return person
        course_key = self._course_key(block)
        if self._is_masquerading(course_key):
            return replace(person, can_write=False, is_staff=False)
        if not person.is_staff and not self._is_enrolled(block, person, course_key):
            return replace(person, can_write=False)
        return person

    @staticmethod
    def _is_masquerading(course_key) -> bool:
        """Course staff viewing as a learner or as a specific learner (courseware/masquerade.py)."""
        try:
            from crum import get_current_user
            from lms.djangoapps.courseware.masquerade import (
                is_masquerading_as_specific_student,
                is_masquerading_as_student,
            )
        except ImportError:
            return False
        user = get_current_user()
        if user is None or course_key is None:
            return False
        return bool(
            is_masquerading_as_student(user, course_key) or is_masquerading_as_specific_student(user, course_key)
        )

    def _is_enrolled(self, block, person: Person, course_key) -> bool:
        """Whether the learner is enrolled (common/djangoapps/student/models: CourseEnrollment.is_enrolled)."""
        try:
            from common.djangoapps.student.models import CourseEnrollment
        except ImportError:
            return True
        user = self._django_user(block, person)
        return user is not None and bool(CourseEnrollment.is_enrolled(user, course_key))

    def course_has_cohorts(self, block) -> bool:
        try:
            from openedx.core.djangoapps.course_groups.cohorts import is_course_cohorted
        except ImportError:
            return False
        return bool(is_course_cohorted(self._course_key(block)))

    def cohort_of(self, block, person: Person) -> CohortRef:
        """The learner's cohort (course_groups/cohorts.py: get_cohort), or the unit's own pool."""
        own_pool = CohortRef(OWN_POOL, "")
        if not self.course_has_cohorts(block):
            return own_pool
        from openedx.core.djangoapps.course_groups.cohorts import get_cohort

        django_user = self._django_user(block, person)
        if django_user is None:
            return own_pool
        # assign=False: reading a cohort must never put the learner into one.
        cohort = get_cohort(django_user, self._course_key(block), assign=False)
        if cohort is None:
            return own_pool
        return CohortRef(str(cohort.id), cohort.name)

    def team_of(self, block, person: Person) -> CohortRef | None:
        """The learner's team in the block's teamset (lms/djangoapps/teams/services.py: get_team)."""
        teams = block.runtime.service(block, "teams")
        teamset_id = getattr(block, "teamset_id", "")
        if teams is None or not teamset_id:
            return None
        django_user = self._django_user(block, person)
        team = teams.get_team(django_user, self._course_key(block), teamset_id) if django_user else None
        if team is None:
            return None
        return CohortRef(TEAM_PREFIX + str(team.team_id), team.name)

    def course_cohorts(self, block) -> list[CohortRef]:
        if getattr(block, "group_source", "cohort") == "team":
            teams = block.runtime.service(block, "teams")
            teamset_id = getattr(block, "teamset_id", "")
            if teams is None or not teamset_id:
                return []
            names = teams.get_team_names(self._course_key(block), teamset_id)
            return [CohortRef(TEAM_PREFIX + str(team_id), name) for team_id, name in sorted(names.items())]
        if not self.course_has_cohorts(block):
            return []
        from openedx.core.djangoapps.course_groups.cohorts import get_course_cohorts

        cohorts = get_course_cohorts(course_id=self._course_key(block))
        return [CohortRef(str(cohort.id), cohort.name) for cohort in cohorts]

    def teamsets(self, block) -> list[tuple[str, str]]:
        """The course's teamsets as (id, name), from the teams_configuration service."""
        service = block.runtime.service(block, "teams_configuration")
        if service is None:
            return []
        configuration = service.get_teams_configuration(self._course_key(block))
        return [(teamset.teamset_id, teamset.name) for teamset in getattr(configuration, "teamsets", [])]

    def load_block(self, request, usage_id: str):
        from lms.djangoapps.courseware.block_render import load_single_xblock
        from opaque_keys import InvalidKeyError
        from opaque_keys.edx.keys import UsageKey

        if not request.user.is_authenticated:
            return None
        try:
            usage_key = UsageKey.from_string(usage_id)
        except InvalidKeyError:
            return None
        return load_single_xblock(request, request.user.id, str(usage_key.course_key), usage_id)
