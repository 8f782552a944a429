"""The Open edX host adapter against doubles of the platform (tests/openedx_doubles.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from opaque_keys.edx.keys import UsageKey
from xblock.fields import ScopeIds

from collective_coaching_xblock.exercise.exercise import Exercise
from collective_coaching_xblock.exercise.stages import stages_from_settings
from collective_coaching_xblock.exercise.templates import GINA
from collective_coaching_xblock.models import Contribution, GroupPlanRevision, Membership, Reflection, ThemeTag
from collective_coaching_xblock.operations.groups import join_group
from collective_coaching_xblock.platform.openedx import OpenEdxHost

from . import openedx_doubles as doubles

USAGE = UsageKey.from_string("block-v1:Org+Coaching+2026+type@collective_coaching+block@unit1")
COURSE = USAGE.context_key
USERS = {
    i: doubles.DjangoUser(i, name, email=f"{name}@example.org", profile=doubles.Profile(f"{name.title()} Full"))
    for i, name in enumerate(["staff", "ana", "ben", "cho", "dev", "eve"])
}
USERS[6] = doubles.DjangoUser(6, "noprofile")  # a user without a UserProfile (full_name None)
ANON = {f"anon-{user.id}": user for user in USERS.values()}


@pytest.fixture
def platform(monkeypatch):
    state = doubles.Platform()
    doubles.install(monkeypatch, state)
    return state


def block_for(platform, user_id, *, group_source="cohort", teamset_id="", is_staff=False, services=None):
    user = USERS.get(user_id)
    default_services = {
        "user": doubles.UserServiceDouble(user, ANON, is_staff=is_staff, role="staff" if is_staff else "student"),
        "teams": doubles.TeamsServiceDouble(platform),
        "teams_configuration": doubles.TeamsConfigurationServiceDouble([doubles.Teamset("circles", "Circles")]),
    }
    if services is not None:
        default_services.update(services)
    return SimpleNamespace(
        runtime=doubles.RuntimeDouble({k: v for k, v in default_services.items() if v is not None}),
        scope_ids=ScopeIds(str(user_id), "collective_coaching", USAGE, USAGE),
        group_source=group_source,
        teamset_id=teamset_id,
    )


def exercise(group_size=3):
    return Exercise(str(USAGE), str(COURSE), stages_from_settings(GINA.stages), group_size)


def test_course_and_block_ids_come_from_the_opaque_keys(platform):
    host = OpenEdxHost()
    block = block_for(platform, 1)
    assert host.course_id(block) == "course-v1:Org+Coaching+2026"
    assert host.block_id(block) == str(USAGE)


def test_roles_come_from_the_user_service_attributes(platform):
    host = OpenEdxHost()
    platform.enrolled.add((COURSE, 1))
    learner = host.current_person(block_for(platform, 1))
    assert (learner.key, learner.user_id, learner.username, learner.is_staff, learner.can_write) == (
        "anon-1",
        1,
        "ana",
        False,
        True,
    )
    assert learner.name == "Ana Full"  # the user service's full_name is profile.name
    assert host.current_person(block_for(platform, 6)).name == "noprofile"  # no profile: the username
    staff = host.current_person(block_for(platform, 0, is_staff=True))
    assert staff.is_staff and staff.can_write  # staff need no enrolment


def test_anonymous_unenrolled_and_masquerading_people_cannot_write(platform):
    host = OpenEdxHost()
    assert host.current_person(block_for(platform, None)) is None  # anonymous: nobody to write as
    assert host.current_person(block_for(platform, 2)).can_write is False  # not enrolled
    platform.enrolled.add((COURSE, 2))
    assert host.current_person(block_for(platform, 2)).can_write is True
    # Staff viewing the course as a generic learner: the runtime's user is still the staff member.
    platform.current_request_user, platform.masquerades = USERS[0], {0: doubles.Masquerade("student")}
    viewer = host.current_person(block_for(platform, 0, is_staff=True))
    assert viewer.can_write is False and viewer.is_staff is False
    # What the learner view tells them (the demo host says how to pick a demo user instead).
    assert host.visitor_note(block_for(platform, None)) == "Sign in and enrol in the course to take part."


def test_masquerading_as_a_specific_learner_reads_as_that_learner_and_writes_nothing(platform):
    host = OpenEdxHost()
    platform.enrolled.add((COURSE, 2))
    # The LMS loads the block for the learner (setup_masquerade returns Ben, whose user service the
    # runtime gets, is_staff False); the request's user (crum) is still the staff member.
    platform.current_request_user = USERS[0]
    platform.masquerades = {0: doubles.Masquerade("student", user_name="ben")}
    viewer = host.current_person(block_for(platform, 2))
    assert (viewer.key, viewer.username) == ("anon-2", "ben")
    assert viewer.can_write is False and viewer.is_staff is False


def test_cohorted_course_groups_inside_the_learners_cohort(platform):
    host = OpenEdxHost()
    platform.cohorted_courses.add(COURSE)
    platform.enrolled.add((COURSE, 1))
    platform.cohorts[(COURSE, 1)] = doubles.Cohort(7, "Evening")
    platform.course_cohorts[COURSE] = [doubles.Cohort(8, "Morning"), doubles.Cohort(7, "Evening")]
    block = block_for(platform, 1)
    person = host.current_person(block)
    place = host.group_place(block, person)
    assert (place.id, place.name) == ("7", "Evening")
    assert [c.name for c in host.course_cohorts(block)] == ["Evening", "Morning"]  # sorted by name
    # Someone who only reads (not enrolled) is never put into a cohort: assign=False, the pool.
    platform.assign_calls.clear()
    lone = block_for(platform, 2)
    assert host.group_place(lone, host.current_person(lone)).id == ""
    assert platform.assign_calls == [False] and (COURSE, 2) not in platform.cohorts


@pytest.mark.django_db
@pytest.mark.parametrize("automatic", [["Morning"], []], ids=["random-cohorts", "no-cohort-yet"])
def test_an_enrolled_learner_without_a_cohort_yet_is_placed_as_the_platform_does(platform, automatic):
    """Automatic cohorts are filled lazily: the first visit places the learner (docs/decisions/0008)."""
    host = OpenEdxHost()
    platform.cohorted_courses.add(COURSE)
    platform.random_cohorts[COURSE] = [doubles.Cohort(8, name) for name in automatic]
    platform.course_cohorts[COURSE] = list(platform.random_cohorts[COURSE])
    platform.enrolled.update({(COURSE, 3), (COURSE, 4)})
    members = []
    for user_id in (3, 4):
        block = block_for(platform, user_id)
        person = host.current_person(block)
        members.append(join_group(exercise(), person, host.group_place(block, person)))
    cohort = platform.cohorts[(COURSE, 3)]
    assert cohort.name == (automatic[0] if automatic else "Default Group")
    assert platform.assign_calls == [True, True]  # get_cohort(..., assign=True), as on first meeting
    assert {m.group.cohort.cohort_id for m in members} == {str(cohort.id)}  # their cohort, not the pool
    assert members[0].group_id == members[1].group_id
    # Staff are never placed in a cohort.
    platform.assign_calls.clear()
    staff_block = block_for(platform, 0, is_staff=True)
    host.cohort_of(staff_block, host.current_person(staff_block))
    assert platform.assign_calls == [False] and (COURSE, 0) not in platform.cohorts


def test_course_without_cohorts_uses_the_units_pool(platform):
    host = OpenEdxHost()
    block = block_for(platform, 1)
    assert host.course_has_cohorts(block) is False
    assert host.group_place(block, host.current_person(block)).id == ""
    assert host.course_cohorts(block) == []


@pytest.mark.django_db
def test_teams_are_the_groups_and_membership_stays_when_teams_change(platform):
    host = OpenEdxHost()
    for user_id in (1, 2):
        platform.teams[(COURSE, user_id, "circles")] = doubles.Team("t-red", "Red team")
    platform.teams[(COURSE, 3, "circles")] = doubles.Team("t-blue", "Blue team")
    members = {}
    for user_id in (1, 2, 3):
        block = block_for(platform, user_id, group_source="team", teamset_id="circles")
        person = host.current_person(block)
        members[user_id] = join_group(exercise(group_size=8), person, host.group_place(block, person))
    assert members[1].group_id == members[2].group_id != members[3].group_id
    assert members[1].group.cohort.name == "Red team"
    assert {c.name for c in host.course_cohorts(block_for(platform, 1, group_source="team", teamset_id="circles"))} == {
        "Red team",
        "Blue team",
    }
    assert host.teamsets(block_for(platform, 1)) == [("circles", "Circles")]
    # Ben changes team later: his group, and the work in it, stay where they were.
    platform.teams[(COURSE, 2, "circles")] = doubles.Team("t-blue", "Blue team")
    block = block_for(platform, 2, group_source="team", teamset_id="circles")
    again = join_group(
        exercise(group_size=8), host.current_person(block), host.group_place(block, host.current_person(block))
    )
    assert again.pk == members[2].pk and again.group_id == members[1].group_id


def test_a_missing_optional_service_degrades_to_the_units_pool(platform):
    host = OpenEdxHost()
    block = block_for(
        platform, 1, group_source="team", teamset_id="circles", services={"teams": None, "teams_configuration": None}
    )
    assert host.group_place(block, host.current_person(block)).id == ""
    assert host.course_cohorts(block) == []
    assert host.teamsets(block) is None  # without teams_configuration nothing can be said


@pytest.mark.django_db
def test_retirement_signal_deletes_or_anonymises_every_row(platform, workbench):
    # The app connects to the platform's signal when the platform is there; connect as ready() does.
    from collective_coaching_xblock.apps import CollectiveCoachingConfig

    CollectiveCoachingConfig.ready(None)
    for student in ("alice", "bob"):
        workbench.open_unit(student)
        workbench.ok(student, "submit_contribution", {"stage_id": "contract"})
        workbench.ok(
            student, "submit_contribution", {"stage_id": "tell", "text": f"{student} story", "sharing": "group"}
        )
    bob_story = Contribution.objects.get(author__learner_key="bob", stage_id="tell").pk
    alice_story = Contribution.objects.get(author__learner_key="alice", stage_id="tell").pk
    workbench.ok("alice", "submit_reflection", {"contribution_id": bob_story, "answers": {"image": "a river"}})
    workbench.ok("bob", "submit_reflection", {"contribution_id": alice_story, "answers": {"image": "a road"}})
    workbench.ok("alice", "tag_themes", {"themes": [{"theme": "time", "structural": True}]})
    alice = Membership.objects.get(learner_key="alice")
    platform.retire_signal.send(sender=None, user=doubles.DjangoUser(alice.user_id, "alice"))
    assert not Membership.objects.filter(learner_key="alice").exists()
    assert not Contribution.objects.filter(pk=alice_story).exists()
    assert not Reflection.objects.filter(answers__image="a river").exists()  # her reflection on Bob's story
    assert not Reflection.objects.filter(contribution_id=alice_story).exists()
    assert not ThemeTag.objects.exists()
    assert Contribution.objects.filter(pk=bob_story).exists()  # others' work stays
    assert not GroupPlanRevision.objects.filter(author__learner_key="alice").exists()


def test_validate_warns_when_the_teamset_is_not_in_the_course(workbench, monkeypatch):
    block = workbench.block("facilitator")
    block.group_source, block.teamset_id = "team", "circles"
    (message,) = block.validate().messages  # the demo has no teams service
    assert message.type == "warning" and "'circles'" in message.text


# --- for the group's news by email (send_group_news), outside any request ------------------------


def test_a_unit_is_read_from_the_modulestore_and_none_when_gone(platform):
    unit = object()
    platform.blocks[str(USAGE)] = unit
    host = OpenEdxHost()
    assert host.load_unit(str(USAGE)) is unit
    assert host.load_unit(str(COURSE.make_usage_key("collective_coaching", "gone"))) is None
    assert host.load_unit("not a usage key") is None


def test_contacts_are_active_users_with_an_address_in_their_preferred_language(platform, db):
    from django.contrib.auth import get_user_model

    from collective_coaching_xblock.platform import Contact

    make = get_user_model().objects.create
    ana, ben = make(username="ana", email="ana@example.org"), make(username="ben", email="ben@example.org")
    inactive, no_address = make(username="cho", email="cho@example.org", is_active=False), make(username="dev")
    platform.preferences[(ana.id, "pref-lang")] = "es-419"
    members = [SimpleNamespace(pk=pk, user_id=user.id) for pk, user in enumerate((ana, ben, inactive, no_address), 1)]
    members.append(SimpleNamespace(pk=5, user_id=None))
    assert OpenEdxHost().contacts(members) == {
        1: Contact("ana@example.org", "es-419", ana.id),
        2: Contact("ben@example.org", None, ben.id),
    }


def test_the_unit_link_is_the_lms_jump_to_link(platform, settings):
    settings.ROOT_URLCONF = "tests.openedx_doubles"
    settings.LMS_ROOT_URL = "https://lms.example.org/"
    link = OpenEdxHost().unit_url(block_for(platform, 1), "anon-1")
    assert link == f"https://lms.example.org/courses/{COURSE}/jump_to/{USAGE}"


# --- the course's learners and staff, from the platform's tables (tests/openedx_platform/models.py) -----


def _platform_users():
    """A course's people, each with what makes them a learner or not; users of the real auth model."""
    from django.contrib.auth import get_user_model
    from opaque_keys.edx.django.models import CourseKeyField

    from .openedx_platform import models as m

    other = COURSE.replace(run="2025")
    make = get_user_model().objects.create

    def person(username, *, profile=None, enrolled=True, active_enrolment=True, role=None, org_role=None, **user):
        u = make(username=username, email=user.pop("email", f"{username}@example.org"), **user)
        if profile is not None:
            m.UserProfile.objects.create(user=u, name=profile)
        if enrolled:
            m.CourseEnrollment.objects.create(user=u, course_id=COURSE, is_active=active_enrolment, mode="audit")
        if role is not None:
            m.CourseAccessRole.objects.create(user=u, org=COURSE.org, course_id=COURSE, role=role)
        if org_role is not None:  # org-wide: a blank course_id, as student/roles.py's OrgRole writes it
            m.CourseAccessRole.objects.create(user=u, org=COURSE.org, course_id=CourseKeyField.Empty, role=org_role)
        return u

    people = {
        "ana": person("ana", profile="Ana Full"),
        "ben": person("ben"),  # no UserProfile: the username
        "blank": person("blank", profile=""),  # a blank full name: the username
        "beta": person("beta", profile="Beta Tester", role="beta_testers"),  # a learner who sees content early
        "researcher": person("researcher", role="data_researcher"),  # no staff access to the course
        "left": person("left", active_enrolment=False),  # unenrolled
        "gone": person("gone", is_active=False),  # a deactivated account
        "global": person("global", is_staff=True),  # global staff
        "staff": person("staff", role="staff"),
        "limited": person("limited", role="limited_staff"),
        "teacher": person("teacher", role="instructor"),
        "orgstaff": person("orgstaff", org_role="staff"),
        "outsider": person("outsider", enrolled=False),
        "elsewhere": person("elsewhere"),  # a learner here, staff of another run of the course
    }
    m.CourseAccessRole.objects.create(user=people["elsewhere"], org=COURSE.org, course_id=other, role="staff")
    m.CourseEnrollment.objects.create(user=people["outsider"], course_id=other)  # enrolled in another run only
    return people


LEARNERS_HERE = {"ana", "ben", "blank", "beta", "researcher", "elsewhere"}


def test_enrolled_learners_are_the_active_enrolments_without_the_course_staff(platform, db, django_assert_num_queries):
    from collective_coaching_xblock.platform import OWN_POOL, EnrolledLearner

    from .openedx_platform import models as m

    people = _platform_users()
    platform.cohorted_courses.add(COURSE)
    evening = m.CourseUserGroup.objects.create(name="Evening", course_id=COURSE, group_type="cohort")
    m.CohortMembership.objects.create(course_user_group=evening, user=people["ana"], course_id=COURSE)
    m.CohortMembership.objects.create(course_user_group=evening, user=people["beta"], course_id=COURSE)
    other = COURSE.replace(run="2025")
    elsewhere = m.CourseUserGroup.objects.create(name="Evening", course_id=other, group_type="cohort")
    m.CohortMembership.objects.create(course_user_group=elsewhere, user=people["ben"], course_id=other)
    with django_assert_num_queries(2):  # the enrolments, the cohort memberships
        learners = OpenEdxHost().enrolled_learners(block_for(platform, 1))
    assert {learner.username for learner in learners} == LEARNERS_HERE
    by_name = {learner.username: learner for learner in learners}
    assert by_name["ana"] == EnrolledLearner(people["ana"].id, "ana", "Ana Full", str(evening.pk))
    assert by_name["beta"] == EnrolledLearner(people["beta"].id, "beta", "Beta Tester", str(evening.pk))
    # No profile, a blank name: the username. No cohort yet here (ben's is another run's): the pool.
    assert by_name["ben"] == EnrolledLearner(people["ben"].id, "ben", "ben", OWN_POOL)
    assert by_name["blank"] == EnrolledLearner(people["blank"].id, "blank", "blank", OWN_POOL)


def test_enrolled_learners_of_a_course_without_cohorts_are_all_in_the_units_pool(platform, db):
    from .openedx_platform import models as m

    people = _platform_users()
    # A membership left from when the course had cohorts: the course has none now.
    old = m.CourseUserGroup.objects.create(name="Evening", course_id=COURSE, group_type="cohort")
    m.CohortMembership.objects.create(course_user_group=old, user=people["ana"], course_id=COURSE)
    learners = OpenEdxHost().enrolled_learners(block_for(platform, 1))
    assert {learner.username for learner in learners} == LEARNERS_HERE
    assert {learner.cohort_id for learner in learners} == {""}


def test_enrolled_learners_are_unknown_for_groups_formed_from_teams(platform, db):
    _platform_users()
    host = OpenEdxHost()
    assert host.enrolled_learners(block_for(platform, 1, group_source="team", teamset_id="circles")) is None
    assert host.enrolled_learners(block_for(platform, 1)) is not None


def _staff(username, **user):
    from django.contrib.auth import get_user_model

    from .openedx_platform import models as m

    u = get_user_model().objects.create(username=username, email=user.pop("email", f"{username}@example.org"), **user)
    m.CourseAccessRole.objects.create(user=u, org=COURSE.org, course_id=COURSE, role="staff")
    return u


def test_staff_contacts_are_the_courses_active_staff_and_instructors_once_each(platform, db):
    from collective_coaching_xblock.platform import Contact

    from .openedx_platform import models as m

    people = _platform_users()
    # The instructor is staff too: written to once.
    m.CourseAccessRole.objects.create(user=people["teacher"], org=COURSE.org, course_id=COURSE, role="staff")
    silent = _staff("silent", email="")  # no address: nobody to write to
    retired = _staff("retired", is_active=False)
    platform.preferences[(people["teacher"].id, "pref-lang")] = "es-419"
    contacts = OpenEdxHost().staff_contacts(block_for(platform, 1))
    assert contacts == {
        "limited": Contact("limited@example.org", None, people["limited"].id),
        "staff": Contact("staff@example.org", None, people["staff"].id),
        "teacher": Contact("teacher@example.org", "es-419", people["teacher"].id),
    }
    # Beta testers and researchers are no staff; org-wide and global staff get no digest of every course;
    # "elsewhere" is staff of another run only.
    assert silent.username not in contacts and retired.username not in contacts


def test_an_event_from_a_command_is_emitted_with_the_courses_context(platform):
    from eventtracking import tracker

    data = {"group_id": 4, "into_group_id": 5, "members": 2, "automatic": True}
    OpenEdxHost().publish_event(block_for(platform, None), "collective_coaching.groups.merged", data)
    assert platform.events == [
        {
            "name": "collective_coaching.groups.merged",
            "data": data,
            "context": {"course_id": "course-v1:Org+Coaching+2026", "org_id": "Org", "enterprise_uuid": ""},
        }
    ]
    assert tracker.get_tracker().resolve_context() == {}  # the context is left again
