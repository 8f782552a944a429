"""Each contact with the Open edX platform, against doubles that mirror it (tests/openedx_doubles.py).

The real block runs in an XBlock runtime given the services each platform runtime offers: the
LMS (courseware/block_render.py: prepare_runtime_for_user), Studio's preview and editor
(cms/djangoapps/contentstore/views/preview.py, cms/djangoapps/contentstore/utils.py) and a v2
content library (openedx/core/djangoapps/xblock/runtime/runtime.py). The grading route runs
against the real edx-submissions API and a model of the LMS's reading rule
(lms/djangoapps/grades/scores.py, in ``openedx_doubles.lms_weighted_score``).
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.test import RequestFactory
from django.utils import translation
from opaque_keys.edx.keys import UsageKey
from submissions import api as submissions_api
from webob import Request
from xblock.exceptions import InvalidScopeError
from xblock.field_data import DictFieldData, ReadOnlyFieldData, SplitFieldData
from xblock.fields import Scope, ScopeIds
from xblock.test.tools import TestRuntime

from collective_coaching_xblock.block import CollectiveCoachingXBlock
from collective_coaching_xblock.models import Membership
from collective_coaching_xblock.platform.openedx import OpenEdxHost

from . import openedx_doubles as doubles
from .test_openedx_adapter import ANON, COURSE, USAGE, USERS

LIBRARY_USAGE = UsageKey.from_string("lb:Org:careers:collective_coaching:unit1")
OPENEDX_HOST = "collective_coaching_xblock.platform.openedx.OpenEdxHost"


@pytest.fixture
def platform(monkeypatch, settings):
    state = doubles.Platform()
    doubles.install(monkeypatch, state)
    settings.COLLECTIVE_COACHING_HOST = OPENEDX_HOST
    return state


class PlatformRuntime(TestRuntime):
    """An XBlock runtime with a platform's services; ``publish`` goes where the platform sends it."""

    def __init__(self, services, publisher=None):
        super().__init__(services=services)
        self.publisher = publisher
        self.events = []

    def publish(self, block, event_type, event_data):
        self.events.append((event_type, event_data))
        if self.publisher is not None:
            self.publisher.publish(block, event_type, event_data)

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        return f"/handler/{handler_name}/{suffix}"

    def local_resource_url(self, block, uri):
        return f"/resource/{uri}"


def lms_field_data(fields=None):
    """lms/djangoapps/lms_xblock/field_data.py: LmsFieldData: authored scopes read-only, learner scopes writable."""
    authored = ReadOnlyFieldData(DictFieldData(dict(fields or {})))
    student = DictFieldData({})
    return SplitFieldData(
        {
            Scope.content: authored,
            Scope.settings: authored,
            Scope.parent: authored,
            Scope.children: authored,
            Scope.user_state_summary: student,
            Scope.user_state: student,
            Scope.user_info: student,
            Scope.preferences: student,
        }
    )


def real_block(services, *, usage=USAGE, user_id=1, field_data=None, publisher=None):
    services = {"i18n": None, "field-data": field_data or DictFieldData({}), **services}
    runtime = PlatformRuntime({k: v for k, v in services.items() if v is not None}, publisher)
    return runtime.construct_xblock_from_class(
        CollectiveCoachingXBlock, ScopeIds(user_id, "collective_coaching", usage, usage)
    )


def call(block, handler, body):
    request = Request.blank("/", method="POST", body=json.dumps(body).encode())
    response = block.handle(handler, request)
    return response.status_code, json.loads(response.body)


def lms_services(platform, user_id, *, is_staff=False):
    return {
        "user": doubles.UserServiceDouble(USERS[user_id], ANON, is_staff=is_staff),
        "teams": doubles.TeamsServiceDouble(platform),
        "teams_configuration": doubles.TeamsConfigurationServiceDouble([doubles.Teamset("circles", "Circles")]),
    }


# --- grading: lms/djangoapps/grades/scores.py -------------------------------------------------------


def grading_block(weight):
    runtime = doubles.RuntimeDouble({"user": doubles.UserServiceDouble(USERS[0], ANON, is_staff=True)})
    return SimpleNamespace(
        runtime=runtime,
        scope_ids=ScopeIds("0", "collective_coaching", USAGE, USAGE),
        location=USAGE,
        weight=weight,
        group_source="cohort",
    )


def gradebook(platform, user_id, block):
    """The figure the gradebook shows: submissions first, then the StudentModule (scores.py: get_score)."""
    scores = submissions_api.get_scores(str(COURSE), f"anon-{user_id}")  # subsection_grade_factory.py
    return doubles.lms_weighted_score(scores, platform, user_id, block)


@pytest.mark.django_db
@pytest.mark.parametrize("weight", [0, 0.25, 0.5, 1, 1.5, 2.5, 3, 7.3])
def test_an_override_and_the_participation_grade_give_the_gradebook_the_same_weighted_figure(platform, weight):
    host = OpenEdxHost()
    block = grading_block(weight)
    for earned in range(5):
        # Ana's participation grade: the block publishes raw points; the LMS sends SCORE_PUBLISHED.
        doubles.EventPublishingServiceDouble(platform, USERS[1]).publish(
            block, "grade", {"value": earned, "max_value": 4}
        )
        # Ben's override, recorded by a facilitator.
        host.record_score_override(block, learner_key="anon-2", earned=earned, possible=4, by="staff", reason="r")
        participation, override = gradebook(platform, 1, block), gradebook(platform, 2, block)
        assert participation == override == doubles.weighted_score(earned, 4, weight)
        assert override == ((earned * weight / 4, float(weight)) if weight else (0.0, 0.0))


@pytest.mark.django_db
def test_an_override_takes_over_from_a_score_an_earlier_version_wrote_to_submissions(platform):
    host = OpenEdxHost()
    block = grading_block(1.0)
    item = {"student_id": "anon-2", "course_id": str(COURSE), "item_id": str(USAGE), "item_type": "collective_coaching"}
    submission = submissions_api.create_submission(item, {"score_override": "old"})
    submissions_api.set_score(submission["uuid"], 3, 4, annotation_type="staff_override")
    assert gradebook(platform, 2, block) == (3, 4)  # read as already weighted: 3 points, not 0.75 of 1
    host.record_score_override(block, learner_key="anon-2", earned=3, possible=4, by="staff", reason="r")
    assert str(USAGE) not in submissions_api.get_scores(str(COURSE), "anon-2")
    assert gradebook(platform, 2, block) == (0.75, 1.0)


def test_submissions_cannot_hold_a_fractional_weighted_score():
    """Why overrides do not go to edx-submissions: its points are whole numbers (models.py: Score)."""
    from submissions.models import Score

    assert Score._meta.get_field("points_earned").get_internal_type() == "PositiveIntegerField"
    assert Score._meta.get_field("points_possible").get_internal_type() == "PositiveIntegerField"


@pytest.mark.django_db
def test_the_override_handler_sends_the_override_through_the_platform(platform):
    """The block's facilitator handler, in an LMS runtime, reaches SCORE_PUBLISHED for the learner."""
    platform.enrolled.add((COURSE, 1))
    learner = real_block(lms_services(platform, 1), user_id=1, field_data=lms_field_data({"weight": 0.5}))
    assert call(learner, "join_group", {})[0] == 200
    member = Membership.objects.get(learner_key="anon-1")
    staff = real_block(lms_services(platform, 0, is_staff=True), user_id=0, field_data=lms_field_data({"weight": 0.5}))
    staff.location = USAGE  # the LMS's blocks carry their location (XModuleMixin)
    status, body = call(staff, "override_score", {"member_id": member.member_id, "score": 2, "reason": "r"})
    assert status == 200, body
    assert platform.csm[(1, str(USAGE))] == (2, 4)
    assert doubles.lms_weighted_score({}, platform, 1, staff) == (0.25, 0.5)


# --- the export view: lms/djangoapps/courseware/block_render.py: load_single_xblock --------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "usage_id",
    [
        "block-v1:Org+Coaching+2026+type@collective_coaching+block@nosuchunit",  # well-formed, no such block
        str(USAGE),  # a block the person may not load
        "block-v1:Org+Coaching+2026+type@problem+block@p1",  # another kind of block
        str(LIBRARY_USAGE),  # not in a course
        "not-a-key",
    ],
    ids=["unknown", "denied", "other-type", "library", "malformed"],
)
def test_the_export_answers_404_for_a_unit_the_person_cannot_load(platform, usage_id):
    from collective_coaching_xblock import views

    platform.blocks[str(USAGE)] = object()
    platform.blocks["block-v1:Org+Coaching+2026+type@problem+block@p1"] = object()
    platform.denied.add((1, str(USAGE)))
    request = RequestFactory().get(f"/collective-coaching/export/{usage_id}.csv")
    request.user = USERS[1]
    response = views.export_csv(request, usage_id)
    assert response.status_code == 404
    assert json.loads(response.content) == {"error": "There is no such unit."}


# --- Studio: preview.py and contentstore/utils.py -------------------------------------------------------


def studio_services(kind, *, teamsets=("circles",)):
    user_service = (
        doubles.studio_preview_user_service(USERS[0], ANON)
        if kind == "preview"
        else doubles.studio_editor_user_service(USERS[0], ANON)
    )
    return {
        "user": user_service,
        "studio_user_permissions": doubles.StudioPermissionsServiceDouble(can_write=True),
        "teams_configuration": doubles.TeamsConfigurationServiceDouble(
            [doubles.Teamset(teamset_id, teamset_id.title()) for teamset_id in teamsets]
        ),
        "settings": None,
    }


@pytest.mark.parametrize("kind", ["preview", "editor"])
def test_studio_warns_only_when_the_teamset_is_really_missing(platform, kind):
    platform.cohorted_courses.add(COURSE)
    block = real_block(studio_services(kind))  # no teams service, as in Studio
    block.group_source, block.teamset_id = "team", "circles"
    assert block.validate().messages == []
    block.teamset_id = "gone"
    (message,) = block.validate().messages
    assert message.type == "warning" and "'gone'" in message.text


@pytest.mark.parametrize("kind", ["preview", "editor"])
def test_studio_users_are_read_only_visitors_and_authors_save_settings(platform, kind):
    platform.cohorted_courses.add(COURSE)
    block = real_block(studio_services(kind))
    person = OpenEdxHost().current_person(block)
    # Preview: the fixed anonymous id "student", nobody's; editor: no anonymous id at all.
    assert person is None if kind == "editor" else (person.key == "student" and not person.can_write)
    assert "cc-" in block.render("author_view" if kind == "preview" else "studio_view", {}).body_html()
    status, body = call(block, "save_settings", {"group_size": 5})
    assert status == 200 and body["settings"]["group_size"] == 5


# --- the LMS: settings are read-only there ------------------------------------------------------------


def test_the_lms_field_data_refuses_to_save_settings():
    """The double is faithful: saving a settings field in the LMS raises InvalidScopeError (a 500)."""
    block = real_block({}, field_data=lms_field_data())
    block.group_size = 5
    with pytest.raises(InvalidScopeError):
        block.save()


@pytest.mark.django_db
def test_save_settings_in_the_lms_answers_a_clear_403(platform):
    block = real_block(lms_services(platform, 0, is_staff=True), user_id=0, field_data=lms_field_data())
    status, body = call(block, "save_settings", {"group_size": 5})
    assert status == 403 and body == {"error": "This unit's settings are edited in Studio."}
    assert block.group_size == 4


# --- a v2 content library: openedx/core/djangoapps/xblock/runtime/runtime.py --------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("is_staff", [False, True])
def test_a_content_library_renders_the_block_and_refuses_writes(platform, is_staff):
    # The library runtime's user service: user_is_staff is the global flag; no teams, no cohorts.
    services = {"user": doubles.UserServiceDouble(USERS[1], ANON, is_staff=is_staff)}
    block = real_block(services, usage=LIBRARY_USAGE)
    html = block.render("student_view", {}).body_html()
    assert "Collective coaching" in html or "cc-" in html
    assert platform.assign_calls == []  # no cohort lookup on a library key
    assert OpenEdxHost().course_has_cohorts(block) is False
    for handler, body in [("join_group", {}), ("submit_contribution", {"stage_id": "contract"})]:
        status, answer = call(block, handler, body)
        assert status == 403 and "error" in answer
    assert not Membership.objects.exists()


# --- student_view_data: the Blocks API collects it once, with no user ----------------------------------


@pytest.mark.django_db
def test_student_view_data_is_the_same_for_every_user_and_language(platform):
    seen = []
    for user_id, language in [(1, "en"), (2, "es-419"), (0, "es-419")]:
        block = real_block(lms_services(platform, user_id, is_staff=user_id == 0), user_id=user_id)
        with translation.override(language):
            seen.append(json.dumps(block.student_view_data(), sort_keys=True))
    assert seen[0] == seen[1] == seen[2]
    assert "Contract" in seen[0] or "contract" in seen[0]
