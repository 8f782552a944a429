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
