"""Test doubles of exactly the Open edX functions and services the Open edX host adapter calls.

The platform cannot be installed here, so each double keeps the platform's signature and
semantics, with the file it mirrors named beside it. Unless another commit is named, the file was
read in openedx/openedx-platform at commit e57a655d77b614f19223984e9805b1fb940ab192 (master of
early 2026; the pins in requirements/openedx-platform-constraints.txt come from its commit 9b3f529).
They live in tests/ and are installed into ``sys.modules`` only by the tests that ask for them;
the package never imports this module. The platform's models the adapter queries through the ORM
(enrolments, course roles, profiles, cohort memberships) are real Django models with the
platform's fields, in the test-only app tests/openedx_platform (installed by tests/settings.py).
"""

from __future__ import annotations

import sys
import types
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.dispatch import Signal
from django.http import Http404
from django.urls import re_path
from opaque_keys.edx.keys import LearningContextKey
from xblock.reference.user_service import UserService, XBlockUser

PLATFORM_COMMIT = "e57a655d77b614f19223984e9805b1fb940ab192"


@dataclass
class Profile:
    """common/djangoapps/student/models/user.py: UserProfile (``name`` is the full name)."""

    name: str


@dataclass
class DjangoUser:
    """The fields of django.contrib.auth's User that the adapter and the doubles read.

    ``profile`` is the platform's UserProfile (a user may have none); ``is_anonymous`` is what
    ``get_cohort`` reads (course_groups/cohorts.py).
    """

    id: int
    username: str
    is_authenticated: bool = True
    email: str = ""
    profile: Profile | None = None

    @property
    def is_anonymous(self) -> bool:
        return not self.is_authenticated


@dataclass
class Cohort:
    """openedx/core/djangoapps/course_groups/models.py: CourseUserGroup (id, name)."""

    id: int
    name: str


@dataclass
class Team:
    """lms/djangoapps/teams/models.py: CourseTeam (team_id, name)."""

    team_id: str
    name: str


@dataclass
class Teamset:
    """openedx/core/lib/teams_config.py: TeamsetConfig (teamset_id, name)."""

    teamset_id: str
    name: str


@dataclass
class Masquerade:
    """lms/djangoapps/courseware/masquerade.py: CourseMasquerade (role, user_name of a specific learner)."""

    role: str = "student"
    user_name: str | None = None


@dataclass
class Platform:
    """The state the doubles answer from: who is in which cohort, team and enrolment."""

    cohorted_courses: set = field(default_factory=set)
    cohorts: dict = field(default_factory=dict)  # (course_key, user id) -> Cohort: CohortMembership
    course_cohorts: dict = field(default_factory=dict)  # course_key -> [Cohort]
    random_cohorts: dict = field(default_factory=dict)  # course_key -> [Cohort] of assignment type RANDOM
    teams: dict = field(default_factory=dict)  # (course_key, user id, teamset id) -> Team
    enrolled: set = field(default_factory=set)  # (course_key, user id)
    masquerades: dict = field(default_factory=dict)  # request user id -> Masquerade (the session's settings)
    current_request_user: DjangoUser | None = None
    assign_calls: list = field(default_factory=list)  # every get_cohort call's assign argument
    retire_signal: Signal = field(default_factory=Signal)
    # lms/djangoapps/grades/signals/signals.py: SCORE_PUBLISHED (exposed as lms.djangoapps.grades.api.signals)
    score_published: Signal = field(default_factory=Signal)
    # courseware StudentModule grades: (user id, usage id) -> (raw earned, raw possible)
    csm: dict = field(default_factory=dict)
    blocks: dict = field(default_factory=dict)  # usage id -> block, for load_single_xblock and the modulestore
    preferences: dict = field(default_factory=dict)  # (user id, key) -> value: UserPreference rows
    denied: set = field(default_factory=set)  # (user id, usage id) the user may not load
    events: list = field(default_factory=list)  # what eventtracking's default tracker emitted: name, data, context


def install(monkeypatch, platform: Platform) -> None:
    """Put the doubles where the adapter imports the platform from."""

    def module(name, **attrs):
        mod = types.ModuleType(name)
        for key, value in attrs.items():
            setattr(mod, key, value)
        monkeypatch.setitem(sys.modules, name, mod)
        return mod

    # openedx/core/djangoapps/course_groups/cohorts.py (at openedx-platform commit 03a9cf9a)
    def is_course_cohorted(course_key):
        # _get_course_cohort_settings looks the course up: Http404 for anything that is no course.
        if not getattr(course_key, "is_course", False):
            raise Http404
        return course_key in platform.cohorted_courses

    def get_cohort(user, course_key, assign=True, use_cached=False):
        platform.assign_calls.append(assign)
        if user is None or user.is_anonymous:
            return None
        if not is_course_cohorted(course_key):
            return None
        membership = platform.cohorts.get((course_key, user.id))
        if membership is not None or not assign:
            return membership
        # Assign: get_random_cohort picks one of the RANDOM cohorts, else creates "Default Group".
        # (A pre-registered assignment by email, UnregisteredLearnerCohortAssignments, is not modelled.)
        randoms = platform.random_cohorts.get(course_key)
        if randoms:
            cohort = randoms[user.id % len(randoms)]
        else:
            cohort = Cohort(900 + len(platform.course_cohorts.get(course_key, [])), "Default Group")
            platform.random_cohorts[course_key] = [cohort]
            platform.course_cohorts.setdefault(course_key, []).append(cohort)
        platform.cohorts[(course_key, user.id)] = cohort
        return cohort

    def get_course_cohorts(course=None, course_id=None, assignment_type=None, ordering="asc"):
        assert bool(course) ^ bool(course_id), "course or course_id required"
        return sorted(platform.course_cohorts.get(course_id, []), key=lambda c: c.name, reverse=ordering == "desc")

    for name in (
        "openedx",
        "openedx.core",
        "openedx.core.djangoapps",
        "openedx.core.djangoapps.course_groups",
        "openedx.core.djangoapps.user_api",
        "openedx.core.djangoapps.user_api.accounts",
        "openedx.core.djangoapps.user_api.preferences",
        "lms",
        "lms.djangoapps",
        "lms.djangoapps.courseware",
        "lms.djangoapps.grades",
        "xmodule",
        "xmodule.modulestore",
        "common",
        "common.djangoapps",
        "common.djangoapps.student",
        "common.djangoapps.track",
    ):
        module(name)
    module(
        "openedx.core.djangoapps.course_groups.cohorts",
        is_course_cohorted=is_course_cohorted,
        get_cohort=get_cohort,
        get_course_cohorts=get_course_cohorts,
    )

    # lms/djangoapps/courseware/masquerade.py (at openedx-platform commit 14f7dc89): the masquerade
    # is stored on the request's user by setup_masquerade; get_course_masquerade reads it.
    def get_course_masquerade(user, course_key):
        return platform.masquerades.get(user.id)

    def is_masquerading_as_student(user, course_key):
        masquerade = get_course_masquerade(user, course_key)
        return bool(masquerade and masquerade.role == "student")

    def is_masquerading_as_specific_student(user, course_key):
        masquerade = get_course_masquerade(user, course_key)
        return bool(masquerade and masquerade.user_name)

    module(
        "lms.djangoapps.courseware.masquerade",
        get_course_masquerade=get_course_masquerade,
        is_masquerading_as_student=is_masquerading_as_student,
        is_masquerading_as_specific_student=is_masquerading_as_specific_student,
    )

    # lms/djangoapps/grades/api.py exposes signals (lms/djangoapps/grades/signals/signals.py).
    module("lms.djangoapps.grades.api", signals=types.SimpleNamespace(SCORE_PUBLISHED=platform.score_published))

    # lms/djangoapps/grades/signals/handlers.py (copies found by text search, commit not known):
    # score_published_handler stores the raw points in
    # the courseware StudentModule (courseware/model_data.py: set_score) for (user, block.location).
    def score_published_handler(sender, block, user, raw_earned, raw_possible, only_if_higher, **kwargs):
        platform.csm[(user.id, str(block.location))] = (raw_earned, raw_possible)

    platform.score_published.connect(score_published_handler, weak=False)

    # xmodule/modulestore/exceptions.py and lms/djangoapps/courseware/block_render.py (at commit
    # 5af5f01f): load_single_xblock: modulestore().get_item raises ItemNotFoundError, no access Http404
    class ItemNotFoundError(Exception):
        pass

    module("xmodule.modulestore.exceptions", ItemNotFoundError=ItemNotFoundError)

    def load_single_xblock(request, user_id, course_id, usage_key_string, course=None, will_recheck_access=False):
        if usage_key_string not in platform.blocks:
            raise ItemNotFoundError(usage_key_string)  # modulestore().get_item
        if (user_id, usage_key_string) in platform.denied:
            raise Http404  # get_block returned None: no access
        return platform.blocks[usage_key_string]

    module("lms.djangoapps.courseware.block_render", load_single_xblock=load_single_xblock)

    # xmodule/modulestore/django.py: modulestore(); its get_item raises ItemNotFoundError for a block that is gone
    class ModuleStore:
        def get_item(self, usage_key, depth=0, **kwargs):
            try:
                return platform.blocks[str(usage_key)]
            except KeyError:
                raise ItemNotFoundError(usage_key) from None

    module("xmodule.modulestore.django", modulestore=ModuleStore)

    # openedx/core/djangoapps/lang_pref/__init__.py: the UserPreference key of the preferred language
    module("openedx.core.djangoapps.lang_pref", LANGUAGE_KEY="pref-lang")

    # openedx/core/djangoapps/user_api/preferences/api.py: get_user_preference; a user asking for
    # their own preference (username None) is read without a lookup: UserPreference.get_value
    def get_user_preference(requesting_user, preference_key, username=None):
        assert username is None, "the adapter asks for the user's own preference"
        return platform.preferences.get((requesting_user.id, preference_key))

    module("openedx.core.djangoapps.user_api.preferences.api", get_user_preference=get_user_preference)

    # common/djangoapps/student/models: the models the adapter queries are real Django models with the
    # platform's fields (tests/openedx_platform/models.py, where each file read is named).
    # CourseEnrollment.is_enrolled (course_enrollment.py, not re-read for #12) answers from
    # ``platform.enrolled``, so that tests of the current person need no database.
    from .openedx_platform import models as platform_models

    monkeypatch.setattr(
        platform_models.CourseEnrollment,
        "is_enrolled",
        classmethod(lambda cls, user, course_key: (course_key, user.id) in platform.enrolled),
        raising=False,
    )
    module(
        "common.djangoapps.student.models",
        CourseEnrollment=platform_models.CourseEnrollment,
        CourseAccessRole=platform_models.CourseAccessRole,
        UserProfile=platform_models.UserProfile,
    )
    module(
        "openedx.core.djangoapps.course_groups.models",
        CourseUserGroup=platform_models.CourseUserGroup,
        CohortMembership=platform_models.CohortMembership,
    )

    # common/djangoapps/track/contexts.py (at commit 2f8af3b9): course_context_from_course_id is
    # context_dict_for_learning_context without its 'context_id'.
    def course_context_from_course_id(course_id):
        context = {"course_id": "", "org_id": "", "enterprise_uuid": ""}
        if course_id is not None:
            assert isinstance(course_id, LearningContextKey)
            if course_id.is_course:
                context["course_id"] = str(course_id)
            if hasattr(course_id, "org"):
                context["org_id"] = course_id.org
            if hasattr(course_id, "enterprise_uuid"):
                context["enterprise_uuid"] = course_id.enterprise_uuid
        return context

    contexts = module("common.djangoapps.track.contexts", course_context_from_course_id=course_context_from_course_id)
    sys.modules["common.djangoapps.track"].contexts = contexts

    # eventtracking/tracker.py (event-tracking 4.1.5, the wheel read): the default tracker, which the
    # LMS registers at start-up (eventtracking.django.apps.EventTrackingConfig.ready, in the LMS's
    # INSTALLED_APPS); ``emit`` sends the union of the named contexts entered and not yet left.
    class Tracker:
        def __init__(self):
            self.located_context = OrderedDict()

        def resolve_context(self):
            merged = {}
            for context in self.located_context.values():
                merged.update(context)
            return merged

        def enter_context(self, name, ctx):
            self.located_context[name] = ctx

        def exit_context(self, name):
            del self.located_context[name]

        @contextmanager
        def context(self, name, ctx):
            self.enter_context(name, ctx)
            try:
                yield
            finally:
                self.exit_context(name)

        def emit(self, name=None, data=None):
            platform.events.append({"name": name or "unknown", "data": data or {}, "context": self.resolve_context()})

    trackers = {"default": Tracker()}

    def get_tracker(name="default"):
        return trackers[name]  # a KeyError for a tracker nobody registered, as in eventtracking

    def emit(name=None, data=None):
        return get_tracker().emit(name=name, data=data)

    tracker = module("eventtracking.tracker", get_tracker=get_tracker, emit=emit)
    module("eventtracking", tracker=tracker)

    # django-crum: get_current_user (the request's user, set by CurrentRequestUserMiddleware; the
    # LMS keeps request.user the staff member while masquerading: courseware/masquerade.py)
    module("crum", get_current_user=lambda: platform.current_request_user)

    # openedx/core/djangoapps/user_api/accounts/signals.py
    module("openedx.core.djangoapps.user_api.accounts.signals", USER_RETIRE_LMS_MISC=platform.retire_signal)


# lms/urls.py: the jump_to link to a place in a course (at openedx-platform commit 06d1a0ef), with
# COURSE_ID_PATTERN of the platform's settings; tests that reverse it use this module as ROOT_URLCONF.
COURSE_ID_PATTERN = r"(?P<course_id>[^/+]+(/|\+)[^/+]+(/|\+)[^/?]+)"
urlpatterns = [
    re_path(rf"^courses/{COURSE_ID_PATTERN}/jump_to/(?P<location>.*)$", lambda request, **kwargs: None, name="jump_to")
]


class UserServiceDouble(UserService):
    """common/djangoapps/xblock_django/user_service.py: DjangoXBlockUserService.

    The LMS builds it with ``user_is_staff``, ``user_role`` and the learner's course-specific
    ``anonymous_user_id`` (courseware/block_render.py: prepare_runtime_for_user). Studio does not:
    see ``studio_preview_user_service`` and ``studio_editor_user_service``.
    """

    _NOT_GIVEN = object()

    def __init__(
        self,
        user: DjangoUser | None,
        anonymous_ids: dict,
        *,
        is_staff=False,
        role="student",
        anonymous_user_id=_NOT_GIVEN,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self._user, self._anonymous_ids = user, anonymous_ids
        self._is_staff, self._role = is_staff, role
        if anonymous_user_id is self._NOT_GIVEN:
            anonymous_user_id = f"anon-{user.id}" if user is not None else None
        self._anonymous_user_id = anonymous_user_id

    def get_current_user(self):
        xblock_user = XBlockUser(is_current_user=True)
        if self._user is None or not self._user.is_authenticated:
            xblock_user.opt_attrs["edx-platform.is_authenticated"] = False
            return xblock_user
        # "This full_name is dependent on edx-platform's profile implementation"
        xblock_user.full_name = self._user.profile.name if self._user.profile is not None else None
        xblock_user.emails = [self._user.email]
        xblock_user.opt_attrs.update(
            {
                "edx-platform.anonymous_user_id": self._anonymous_user_id,
                "edx-platform.is_authenticated": True,
                "edx-platform.user_id": self._user.id,
                "edx-platform.username": self._user.username,
                "edx-platform.user_is_staff": self._is_staff,
                "edx-platform.user_role": self._role,
            }
        )
        return xblock_user

    def get_user_by_anonymous_id(self, uid=None):
        # student/models: user_by_anonymous_id (None for an id of nobody, such as Studio's "student")
        return self._anonymous_ids.get(uid or self._anonymous_user_id)


def studio_preview_user_service(user: DjangoUser, anonymous_ids: dict, role="instructor") -> UserServiceDouble:
    """cms/djangoapps/contentstore/views/preview.py (at commit 30b0a0bf): _prepare_runtime_for_preview.

    No ``user_is_staff`` (so ``edx-platform.user_is_staff`` is False even for the course's
    author), and the anonymous user id of the preview is the fixed ``"student"`` (unless the
    ``individualize_anonymous_user_id`` flag is on), which is nobody's.
    """
    return UserServiceDouble(user, anonymous_ids, role=role, anonymous_user_id="student")


def studio_editor_user_service(user: DjangoUser, anonymous_ids: dict) -> UserServiceDouble:
    """cms/djangoapps/contentstore/utils.py: load_services_for_studio: ``DjangoXBlockUserService(user)``.

    (Read in copies found by text search, commit not known.)

    Nothing more: no anonymous user id, no staff flag, no role.
    """
    return UserServiceDouble(user, anonymous_ids, anonymous_user_id=None)


class StudioPermissionsServiceDouble:
    """StudioPermissionsService (openedx/core/djangoapps/content/services.py, as preview.py imports it)."""

    def __init__(self, can_write: bool):
        self._can_write = can_write

    def can_write(self, course_key):
        return self._can_write


class EventPublishingServiceDouble:
    """xmodule/services.py: EventPublishingService.publish, for "grade" events.

    ``_handle_grade_event`` sends SCORE_PUBLISHED with the runtime's user and the raw points,
    unless that user is anonymous or staff is masquerading as a specific learner.
    """

    def __init__(self, platform: Platform, user: DjangoUser):
        self.platform, self.user = platform, user

    def publish(self, block, event_type, event):
        if event_type != "grade" or self.user.is_anonymous:
            return
        self.platform.score_published.send(
            sender=None,
            block=block,
            user=self.user,
            raw_earned=event["value"],
            raw_possible=event["max_value"],
            only_if_higher=event.get("only_if_higher"),
            score_deleted=event.get("score_deleted"),
            grader_response=event.get("grader_response"),
        )


# --- the LMS's reading rule: lms/djangoapps/grades/scores.py (get_score and its helpers) -----------


def weighted_score(raw_earned, raw_possible, weight):
    """scores.py: weighted_score, as it is."""
    assert raw_possible is not None
    cannot_compute_with_weight = weight is None or raw_possible == 0
    if cannot_compute_with_weight:
        return raw_earned, raw_possible
    return float(raw_earned) * weight / raw_possible, float(weight)


def lms_weighted_score(submissions_scores: dict, platform: Platform, user_id, block) -> tuple | None:
    """What the gradebook shows for a block, as (weighted earned, weighted possible), or None.

    scores.py: get_score reads, in this order, edx-submissions (``_get_score_from_submissions``:
    ``points_earned`` and ``points_possible`` taken as already weighted; it asserts
    ``points_possible > 0``), then the courseware StudentModule (``_get_score_from_csm``: raw
    points through ``weighted_score`` with the block's ``weight``). ``submissions_scores`` is
    ``submissions.api.get_scores(course id, anonymous user id)``, as
    lms/djangoapps/grades/subsection_grade_factory.py reads it. The fallback to the block's
    max_score (nothing attempted yet) is left out.
    """
    value = (submissions_scores or {}).get(str(block.location))
    if value:
        assert value["points_earned"] >= 0.0 and value["points_possible"] > 0.0
        return value["points_earned"], value["points_possible"]
    raw = platform.csm.get((user_id, str(block.location)))
    if raw is None:
        return None
    return weighted_score(raw[0], raw[1], getattr(block, "weight", None))


class TeamsServiceDouble:
    """lms/djangoapps/teams/services.py: TeamsService (not re-read for #12)."""

    def __init__(self, platform: Platform):
        self.platform = platform

    def get_team(self, user, course_id, topic_id):
        return self.platform.teams.get((course_id, user.id, topic_id))

    def get_team_names(self, course_id, topic_id):
        return {
            team.team_id: team.name
            for (course, _user, teamset), team in self.platform.teams.items()
            if course == course_id and teamset == topic_id
        }


class TeamsConfigurationServiceDouble:
    """xmodule/services.py: TeamsConfigurationService (get_teams_configuration(course_id).teamsets)."""

    def __init__(self, teamsets):
        self.teamsets = teamsets

    def get_teams_configuration(self, course_id):
        return types.SimpleNamespace(teamsets=self.teamsets)


class RuntimeDouble:
    """The part of an XBlock runtime the adapter uses: ``service(block, name)``."""

    def __init__(self, services: dict):
        self.services = services

    def service(self, block, name):
        return self.services.get(name)
