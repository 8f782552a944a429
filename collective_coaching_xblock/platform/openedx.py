"""The Open edX host: cohorts from the platform's course_groups app, people from the user service.

Platform modules are imported lazily, inside the methods, so that this module imports
anywhere (Studio, tests, the demo) and only touches the platform when asked.
"""

from __future__ import annotations

from .base import OWN_POOL, CohortRef, Host, Person


class OpenEdxHost(Host):
    """Answers from the LMS: ``openedx.core.djangoapps.course_groups.cohorts`` and the user service."""

    def course_id(self, block) -> str:
        usage_id = block.scope_ids.usage_id
        return str(getattr(usage_id, "context_key", getattr(usage_id, "course_key", "")))

    def _course_key(self, block):
        usage_id = block.scope_ids.usage_id
        return getattr(usage_id, "context_key", getattr(usage_id, "course_key", None))

    def course_has_cohorts(self, block) -> bool:
        try:
            from openedx.core.djangoapps.course_groups.cohorts import is_course_cohorted
        except ImportError:
            return False
        return bool(is_course_cohorted(self._course_key(block)))

    def cohort_of(self, block, person: Person) -> CohortRef:
        own_pool = CohortRef(OWN_POOL, "")
        if not self.course_has_cohorts(block):
            return own_pool
        from openedx.core.djangoapps.course_groups.cohorts import get_cohort

        service = block.runtime.service(block, "user")
        django_user = service.get_user_by_anonymous_id(person.key) if service else None
        if django_user is None:
            return own_pool
        # assign=False: reading a cohort must never put the learner into one.
        cohort = get_cohort(django_user, self._course_key(block), assign=False)
        if cohort is None:
            return own_pool
        return CohortRef(str(cohort.id), cohort.name)

    def course_cohorts(self, block) -> list[CohortRef]:
        if not self.course_has_cohorts(block):
            return []
        from openedx.core.djangoapps.course_groups.cohorts import get_course_cohorts

        return [
            CohortRef(str(cohort.id), cohort.name) for cohort in get_course_cohorts(course_id=self._course_key(block))
        ]

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
