"""The Open edX host: cohorts, teams, enrolment, masquerade and users from the LMS.

Platform modules are imported lazily, inside the methods, so that this module imports anywhere
(Studio, tests, the demo) and only touches the platform when asked. Each platform function used
here is named with its file in openedx/openedx-platform (read at commit e57a655d, the source of
the pins in requirements/openedx-platform-constraints.txt being 9b3f529); tests/openedx_doubles.py
mirrors exactly these.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from .base import OWN_POOL, CohortRef, Contact, EnrolledLearner, Host, Person

TEAM_PREFIX = "team:"

#: The ``CourseAccessRole`` roles that make someone staff of a course in the LMS, whether given for the
#: course or org-wide (a blank ``course_id``): ``has_access(user, "staff", ...)``, which sets the user
#: service's ``user_is_staff``, grants staff and instructors of the course or its org
#: (lms/djangoapps/courseware/access.py: ``administrative_accesses_to_course_for_user``), and
#: ``limited_staff`` counts as staff (common/djangoapps/student/roles.py: ``CourseLimitedStaffRole``,
#: ``BASE_ROLE`` staff, through ``RoleCache.get_roles``). Every other role (``beta_testers``,
#: ``data_researcher``, ``finance_admin``, ``sales_admin``, ``ccx_coach``, ``library_user``) makes
#: nobody staff: the block treats them as learners.
STAFF_ROLES = ("staff", "limited_staff", "instructor")

log = logging.getLogger(__name__)


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
        context_key = getattr(usage_id, "context_key", None)
        return context_key if context_key is not None else getattr(usage_id, "course_key", None)

    def course_id(self, block) -> str:
        return str(self._course_key(block) or "")

    def _in_course(self, block) -> bool:
        """Whether the block lives in a course (not in a v2 content library, whose keys are no courses)."""
        return bool(getattr(self._course_key(block), "is_course", False))

    def _django_user(self, block, person: Person):
        service = block.runtime.service(block, "user")
        return service.get_user_by_anonymous_id(person.key) if service else None

    def current_person(self, block) -> Person | None:
        """The person from the user service, read-only unless enrolled (or staff) and not masquerading.

        In a content library (v2: openedx/core/djangoapps/xblock/runtime/runtime.py renders it,
        with no course, cohorts or enrolment) everyone reads and nobody writes.
        """
        person = super().current_person(block)
        if person is None or not person.can_write:
            return person
        if not self._in_course(block):
            return replace(person, can_write=False)
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
        if not self._in_course(block):
            return False  # is_course_cohorted looks the course up, and a library is none
        try:
            from openedx.core.djangoapps.course_groups.cohorts import is_course_cohorted
        except ImportError:
            return False
        return bool(is_course_cohorted(self._course_key(block)))

    def cohort_of(self, block, person: Person) -> CohortRef:
        """The learner's cohort (course_groups/cohorts.py: get_cohort), or the unit's own pool.

        With automatic cohorts the platform places a learner in a cohort lazily, when they first
        meet cohorted content: ``CohortPartitionScheme.get_group_for_user``
        (course_groups/partition_scheme.py) calls ``get_cohort`` with its default ``assign=True``,
        which files them in their pre-registered cohort, else a random automatic cohort, else the
        "Default Group" it creates. A learner who may write (enrolled, not staff, not masquerading)
        is placed the same way here, so they never land in the unit's pool for good on a first
        visit (docs/decisions/0008). Anyone else is only read, with ``assign=False``.
        """
        own_pool = CohortRef(OWN_POOL, "")
        if not self.course_has_cohorts(block):
            return own_pool
        from openedx.core.djangoapps.course_groups.cohorts import get_cohort

        django_user = self._django_user(block, person)
        if django_user is None:
            return own_pool
        assign = person.can_write and not person.is_staff
        cohort = get_cohort(django_user, self._course_key(block), assign=assign)
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
        if not self._in_course(block):
            return []
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

        # Sorted by name (the function's own ordering="asc").
        cohorts = get_course_cohorts(course_id=self._course_key(block))
        return [CohortRef(str(cohort.id), cohort.name) for cohort in cohorts]

    def teamsets(self, block) -> list[tuple[str, str]] | None:
        """The course's teamsets as (id, name), from the teams_configuration service.

        Studio's preview and editor runtimes offer ``teams_configuration`` but no ``teams``
        (cms/djangoapps/contentstore/views/preview.py, cms/djangoapps/contentstore/utils.py:
        load_services_for_studio), so this is what Studio can check. None where the runtime
        offers no such service (a content library): nothing can be said there.
        """
        service = block.runtime.service(block, "teams_configuration")
        if service is None or not self._in_course(block):
            return None
        configuration = service.get_teams_configuration(self._course_key(block))
        return [(teamset.teamset_id, teamset.name) for teamset in getattr(configuration, "teamsets", [])]

    def settings_editable(self, block) -> bool:
        """Studio (and a content library's authoring runtime) save settings; the LMS cannot.

        The LMS reads settings-scoped fields read-only (lms/djangoapps/lms_xblock/field_data.py:
        ``LmsFieldData`` serves them through ``ReadOnlyFieldData``), so saving them there raises
        ``InvalidScopeError`` when the runtime saves the block after the handler: a 500. Studio's
        runtimes offer ``studio_user_permissions`` (cms/djangoapps/contentstore/views/preview.py,
        cms/djangoapps/contentstore/utils.py: load_services_for_studio); the LMS's does not.
        """
        if not self._in_course(block):
            return True
        return block.runtime.service(block, "studio_user_permissions") is not None

    def load_block(self, request, usage_id: str):
        """The coaching block ``usage_id`` for the request's user, or None (the view answers 404).

        ``load_single_xblock`` (lms/djangoapps/courseware/block_render.py) raises
        ``ItemNotFoundError`` (xmodule/modulestore/exceptions.py) for a well-formed id of no block,
        and ``Http404`` for a block the person may not load.
        """
        from django.http import Http404
        from lms.djangoapps.courseware.block_render import load_single_xblock
        from opaque_keys import InvalidKeyError
        from opaque_keys.edx.keys import UsageKey
        from xmodule.modulestore.exceptions import ItemNotFoundError

        if not request.user.is_authenticated:
            return None
        try:
            usage_key = UsageKey.from_string(usage_id)
        except InvalidKeyError:
            return None
        if usage_key.block_type != "collective_coaching" or not getattr(usage_key.context_key, "is_course", False):
            return None
        try:
            return load_single_xblock(request, request.user.id, str(usage_key.context_key), usage_id)
        except (Http404, ItemNotFoundError):
            return None

    def record_score_override(self, block, *, learner_key: str, earned: int, possible: int, by: str, reason: str):
        """Give the learner's override to the LMS by the route of the participation grade itself.

        The block publishes its participation grade as raw points through the runtime; the LMS
        sends ``SCORE_PUBLISHED`` (xmodule/services.py: ``EventPublishingService._handle_grade_event``),
        stores the raw points (lms/djangoapps/grades/signals/handlers.py: ``score_published_handler``)
        and weights them by the block's ``weight`` when it reads them
        (lms/djangoapps/grades/scores.py: ``_get_score_from_csm``, ``weighted_score``). The same
        signal for the learner's user puts the override through the same rule, so the gradebook
        shows the same weighted figure for any weight, 0 and fractions included.

        edx-submissions is not used: the LMS reads its points as already weighted
        (``_get_score_from_submissions``), stores them as whole numbers (3 of 4 at weight 1 would
        have to be 0.75 of 1) and refuses 0 points possible. A score an earlier version of this
        block wrote there would shadow the grade for good, so it is reset. docs/decisions/0007.
        """
        try:
            from lms.djangoapps.grades.api import signals as grades_signals
        except ImportError:  # not in the LMS: no gradebook to send it to
            return
        from submissions import api as submissions_api

        service = block.runtime.service(block, "user")
        user = service.get_user_by_anonymous_id(learner_key) if service else None
        if user is None:
            log.warning("collective_coaching: no user for a score override in %s", self.block_id(block))
            return
        submissions_api.reset_score(learner_key, self.course_id(block), self.block_id(block), emit_signal=False)
        grades_signals.SCORE_PUBLISHED.send(
            sender=None,
            block=block,
            user=user,
            raw_earned=earned,
            raw_possible=possible,
            only_if_higher=False,
            score_deleted=False,
        )

    def load_unit(self, block_id: str):
        """The published block from the modulestore (xmodule/modulestore/django.py: ``modulestore().get_item``).

        None for an id that is no usage key, or a block that is gone (``ItemNotFoundError``,
        xmodule/modulestore/exceptions.py). Bound to no user: its settings are all the news needs.
        """
        from opaque_keys import InvalidKeyError
        from opaque_keys.edx.keys import UsageKey
        from xmodule.modulestore.django import modulestore
        from xmodule.modulestore.exceptions import ItemNotFoundError

        try:
            usage_key = UsageKey.from_string(block_id)
        except InvalidKeyError:
            return None
        try:
            return modulestore().get_item(usage_key)
        except ItemNotFoundError:
            return None

    def contacts(self, members) -> dict[int, Contact]:
        """Addresses of active users (django.contrib.auth's User, one query for the lot), each in their language.

        The language is the learner's preference, read as the platform's own emails read it
        (user_api/preferences/api.py: ``get_user_preference(user, LANGUAGE_KEY)``, the key
        ``pref-lang`` of lang_pref/__init__.py): one query per learner written to.
        """
        from django.contrib.auth import get_user_model
        from openedx.core.djangoapps.lang_pref import LANGUAGE_KEY
        from openedx.core.djangoapps.user_api.preferences.api import get_user_preference

        members = list(members)
        user_ids = {member.user_id for member in members if member.user_id is not None}
        users = get_user_model().objects.filter(pk__in=user_ids, is_active=True).in_bulk()
        found = {}
        for member in members:
            user = users.get(member.user_id)
            if user is not None and user.email:
                found[member.pk] = Contact(user.email, get_user_preference(user, LANGUAGE_KEY) or None, user.id)
        return found

    def enrolled_learners(self, block) -> list[EnrolledLearner] | None:
        """Active enrolments of active users (common/djangoapps/student/models/course_enrollment.py:
        ``CourseEnrollment``), without those the LMS treats as the course's staff: global staff, and
        ``STAFF_ROLES`` in the course or its org (student/models/user.py: ``CourseAccessRole``). Beta
        testers and the other roles are learners and stay. Each with their profile's name (user.py:
        ``UserProfile``, ``user.profile``; the username where there is none) and their cohort
        (openedx/core/djangoapps/course_groups/models.py: ``CohortMembership``), or the own pool in a
        course without cohorts: two queries. None for groups formed from teams, whose membership is
        the teams app's.

        Roles kept by openedx-authz instead of ``CourseAccessRole`` (the ``authz.enable_course_authoring``
        flag of student/roles.py) are not read.
        """
        if getattr(block, "group_source", "cohort") == "team" or not self._in_course(block):
            return None
        from common.djangoapps.student.models import CourseAccessRole, CourseEnrollment
        from django.db.models import Q
        from opaque_keys.edx.django.models import CourseKeyField
        from openedx.core.djangoapps.course_groups.models import CohortMembership

        key = self._course_key(block)
        # Org-wide roles have an empty course_id, as student/roles.py queries them (``CourseKeyField.Empty``).
        staff = CourseAccessRole.objects.filter(
            Q(course_id=key) | Q(course_id=CourseKeyField.Empty, org=key.org), role__in=STAFF_ROLES
        ).values("user_id")
        rows = (
            CourseEnrollment.objects.filter(course_id=key, is_active=True, user__is_active=True, user__is_staff=False)
            .exclude(user_id__in=staff)
            .values_list("user_id", "user__username", "user__profile__name")
        )
        cohorted = self.course_has_cohorts(block)
        cohorts = (
            dict(CohortMembership.objects.filter(course_id=key).values_list("user_id", "course_user_group_id"))
            if cohorted
            else {}
        )
        return [
            EnrolledLearner(
                user_id, username, name or username, str(cohorts[user_id]) if user_id in cohorts else OWN_POOL
            )
            for user_id, username, name in rows
        ]

    def staff_contacts(self, block) -> dict[str, Contact]:
        """The course's own team (student/models/user.py: ``CourseAccessRole`` for this course, roles
        ``STAFF_ROLES``: staff, limited staff and instructors), active, each once with their address and
        language preference (as ``contacts``); those without an address are left out. Staff of the whole
        org or the platform are not written to: they would hear of every unit of every course."""
        from common.djangoapps.student.models import CourseAccessRole
        from openedx.core.djangoapps.lang_pref import LANGUAGE_KEY
        from openedx.core.djangoapps.user_api.preferences.api import get_user_preference

        roles = (
            CourseAccessRole.objects.filter(
                course_id=self._course_key(block), role__in=STAFF_ROLES, user__is_active=True
            )
            .select_related("user")
            .order_by("user__username", "role")
        )
        found = {}
        for role in roles:
            user = role.user
            if user.email and user.username not in found:
                found[user.username] = Contact(user.email, get_user_preference(user, LANGUAGE_KEY) or None, user.id)
        return found

    def publish_event(self, block, name: str, data: dict) -> None:
        """To the platform's event tracking with the course's context, as the platform's own code emits
        outside a request (common/djangoapps/track/service.py: ``AnalyticsService.emit_event``;
        lms/djangoapps/course_blocks/transformers/library_content.py): the context of
        ``contexts.course_context_from_course_id`` (common/djangoapps/track/contexts.py) entered with
        ``tracker.get_tracker().context`` around ``tracker.emit`` (eventtracking/tracker.py). The LMS
        registers the default tracker at start-up (``eventtracking.django.apps.EventTrackingConfig``),
        so a management command has it too."""
        from common.djangoapps.track import contexts
        from eventtracking import tracker

        context = contexts.course_context_from_course_id(self._course_key(block))
        with tracker.get_tracker().context(name, context):
            tracker.emit(name, data)

    def unit_url(self, block, learner_key: str) -> str:
        """The LMS's ``jump_to`` link to the unit (lms/urls.py), under ``LMS_ROOT_URL``: the same for everyone."""
        from django.conf import settings
        from django.urls import reverse

        path = reverse("jump_to", kwargs={"course_id": self.course_id(block), "location": self.block_id(block)})
        return settings.LMS_ROOT_URL.rstrip("/") + path
