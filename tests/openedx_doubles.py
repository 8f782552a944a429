"""Test doubles of exactly the Open edX functions and services the Open edX host adapter calls.

The platform cannot be installed here, so each double keeps the platform's signature and
semantics, with the file it mirrors named beside it. They live in tests/ and are installed into
``sys.modules`` only by the tests that ask for them; the package never imports this module.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field

from django.dispatch import Signal
from xblock.reference.user_service import UserService, XBlockUser


@dataclass
class DjangoUser:
    """The fields of django.contrib.auth's User that the adapter reads."""

    id: int
    username: str
    is_authenticated: bool = True


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
class Platform:
    """The state the doubles answer from: who is in which cohort, team and enrolment."""

    cohorted_courses: set = field(default_factory=set)
    cohorts: dict = field(default_factory=dict)  # (course_key, user id) -> Cohort
    course_cohorts: dict = field(default_factory=dict)  # course_key -> [Cohort]
    teams: dict = field(default_factory=dict)  # (course_key, user id, teamset id) -> Team
    enrolled: set = field(default_factory=set)  # (course_key, user id)
    masquerading: set = field(default_factory=set)  # request user ids viewing as a learner
    current_request_user: DjangoUser | None = None
    assign_calls: list = field(default_factory=list)  # every get_cohort call's assign argument
    retire_signal: Signal = field(default_factory=Signal)


def install(monkeypatch, platform: Platform) -> None:
    """Put the doubles where the adapter imports the platform from."""

    def module(name, **attrs):
        mod = types.ModuleType(name)
        for key, value in attrs.items():
            setattr(mod, key, value)
        monkeypatch.setitem(sys.modules, name, mod)
        return mod

    # openedx/core/djangoapps/course_groups/cohorts.py
    def is_course_cohorted(course_key):
        return course_key in platform.cohorted_courses

    def get_cohort(user, course_key, assign=True, use_cached=False):
        platform.assign_calls.append(assign)
        return platform.cohorts.get((course_key, user.id))

    def get_course_cohorts(course=None, course_id=None, assignment_type=None):
        return list(platform.course_cohorts.get(course_id, []))

    for name in (
        "openedx",
        "openedx.core",
        "openedx.core.djangoapps",
        "openedx.core.djangoapps.course_groups",
        "openedx.core.djangoapps.user_api",
        "openedx.core.djangoapps.user_api.accounts",
        "lms",
        "lms.djangoapps",
        "lms.djangoapps.courseware",
        "common",
        "common.djangoapps",
        "common.djangoapps.student",
    ):
        module(name)
    module(
        "openedx.core.djangoapps.course_groups.cohorts",
        is_course_cohorted=is_course_cohorted,
        get_cohort=get_cohort,
        get_course_cohorts=get_course_cohorts,
    )

    # lms/djangoapps/courseware/masquerade.py
    module(
        "lms.djangoapps.courseware.masquerade",
        is_masquerading_as_student=lambda user, course_key: user.id in platform.masquerading,
        is_masquerading_as_specific_student=lambda user, course_key: False,
    )

    # common/djangoapps/student/models/course_enrollment.py: CourseEnrollment.is_enrolled
    class CourseEnrollment:
        @classmethod
        def is_enrolled(cls, user, course_key):
            return (course_key, user.id) in platform.enrolled

    module("common.djangoapps.student.models", CourseEnrollment=CourseEnrollment)

    # django-crum: get_current_user (the request's user, set by CurrentRequestUserMiddleware)
    module("crum", get_current_user=lambda: platform.current_request_user)

    # openedx/core/djangoapps/user_api/accounts/signals.py
    module("openedx.core.djangoapps.user_api.accounts.signals", USER_RETIRE_LMS_MISC=platform.retire_signal)


class UserServiceDouble(UserService):
    """common/djangoapps/xblock_django/user_service.py: DjangoXBlockUserService."""

    def __init__(self, user: DjangoUser | None, anonymous_ids: dict, *, is_staff=False, role="student", **kwargs):
        super().__init__(**kwargs)
        self._user, self._anonymous_ids = user, anonymous_ids
        self._is_staff, self._role = is_staff, role

    def get_current_user(self):
        xblock_user = XBlockUser(is_current_user=True)
        if self._user is None or not self._user.is_authenticated:
            xblock_user.opt_attrs["edx-platform.is_authenticated"] = False
            return xblock_user
        xblock_user.full_name = self._user.username.title()
        xblock_user.opt_attrs.update(
            {
                "edx-platform.anonymous_user_id": f"anon-{self._user.id}",
                "edx-platform.is_authenticated": True,
                "edx-platform.user_id": self._user.id,
                "edx-platform.username": self._user.username,
                "edx-platform.user_is_staff": self._is_staff,
                "edx-platform.user_role": self._role,
            }
        )
        return xblock_user

    def get_user_by_anonymous_id(self, uid=None):
        return self._anonymous_ids.get(uid)


class TeamsServiceDouble:
    """lms/djangoapps/teams/services.py: TeamsService."""

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
