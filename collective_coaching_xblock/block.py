"""The collective coaching XBlock: fields, views, and the handlers of each role wired in.

The block is thin: it reads its settings, asks the host adapter who is asking and renders. Its
handlers live in ``handlers/``, one mixin per role (learner, facilitator, author); they check
input through the application layer (``operations``). Shared data lives in Django models.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import quoteattr

from web_fragments.fragment import Fragment
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Float, Integer, List, Scope, String

from . import authoring, events, rendering
from .exercise import stages as st
from .exercise.checkin import MIN_PAIRED as CHECKIN_MIN_PAIRED
from .exercise.exercise import ANONYMITY, NAMES, PSEUDONYMS, REQUIRED_REFLECTIONS_DEFAULT, TEXT_CAP_DEFAULT, Exercise
from .exercise.grouping import (
    GROUP_SIZE_DEFAULT,
    GROUP_SIZE_MAX,
    GROUP_SIZE_MIN,
    REGROUP_DAYS_DEFAULT,
    REGROUP_DAYS_MAX,
)
from .exercise.settings import SettingsError, clean_settings
from .exercise.suggestions import DEFAULT_CUES
from .exercise.templates import DEFAULT_TEMPLATE, DEFAULT_THEMES, TEMPLATES
from .handlers.author import AuthorHandlers
from .handlers.decorators import MAX_JSON_DEPTH as MAX_JSON_DEPTH  # re-exported: decision 0011's limit
from .handlers.decorators import _nested_too_deeply as _nested_too_deeply
from .handlers.facilitator import FacilitatorHandlers
from .handlers.learner import LearnerHandlers
from .i18n import gettext, js_catalog, page_language
from .operations import drafts
from .operations import learner as learner_ops
from .operations.errors import CoachingError, Forbidden, InvalidInput
from .operations.facilitator import dashboard
from .operations.facilitator.scope import facilitator_scope
from .operations.groups import find_membership, join_group, refresh_name
from .operations.schedule import with_schedule
from .platform import get_host
from .presentation import view_context


def _(text):
    """Mark a field's label for translation; Studio translates it when it shows the editor."""
    return text


class OlxError(ValueError):
    """An OLX file describes a coaching unit that cannot be imported; the message says why."""


class CoachingRequest:
    """One request to the block: the exercise, the host and the person asking."""

    def __init__(self, block, exercise, host, person):
        self.block = block
        self.exercise = exercise
        self.host = host
        self.person = person

    def require_learner(self):
        """Refuse (403) anyone who may not write as a learner: nobody signed in, or course staff."""
        if self.person is None or not self.person.can_write:
            raise Forbidden(gettext("Sign in and enrol in the course to take part."))
        if self.person.is_staff:
            raise Forbidden(gettext("Course staff facilitate the groups and do not take part as learners."))

    def membership(self, *, join: bool):
        """The learner's membership; joins their cohort's next group when ``join`` is set."""
        if self.person is None:
            return None
        membership = find_membership(self.exercise, self.person)
        if membership is None and join:
            cohort = self.host.group_place(self.block, self.person)
            membership = join_group(self.exercise, self.person, cohort)
            events.emit(self.block, "group.joined", group_id=membership.group_id, member_id=membership.member_id)
        return membership


def _at_least(value, floor: int) -> int:
    """An operator's whole number, never below ``floor`` (a threshold an operator may only raise)."""
    return max(value, floor) if isinstance(value, int) and not isinstance(value, bool) else floor


@XBlock.needs("user")
@XBlock.needs("i18n")
@XBlock.wants("studio_user_permissions")
@XBlock.wants("settings")
@XBlock.wants("teams")
@XBlock.wants("teams_configuration")
class CollectiveCoachingXBlock(LearnerHandlers, FacilitatorHandlers, AuthorHandlers, CompletableXBlockMixin, XBlock):
    """Collective career coaching: small groups tell, witness and re-author their career stories.

    Its handlers come from one mixin per role in ``handlers/``; each uses the block's fields,
    ``exercise()`` and ``_coaching_request()``.
    """

    display_name = String(
        display_name=_("Display name"),
        default="Collective coaching",
        scope=Scope.settings,
    )
    template = String(
        display_name=_("Template"),
        help=_("The built-in exercise this unit started from."),
        default=DEFAULT_TEMPLATE.id,
        scope=Scope.settings,
    )
    stages = List(
        display_name=_("Stages"),
        help=_("The steps of the exercise, in order."),
        default=[dict(stage) for stage in DEFAULT_TEMPLATE.stages],
        scope=Scope.settings,
    )
    group_size = Integer(
        display_name=_("Group size"),
        help=_("How many learners form one small group (3 to 8)."),
        default=GROUP_SIZE_DEFAULT,
        scope=Scope.settings,
        values={"min": GROUP_SIZE_MIN, "max": GROUP_SIZE_MAX},
    )
    max_text_length = Integer(
        display_name=_("Longest text"),
        help=_("The most characters a learner may write in one answer."),
        default=TEXT_CAP_DEFAULT,
        scope=Scope.settings,
    )
    peers_after_own_story = Boolean(
        display_name=_("See peers' stories only after sharing my own"),
        default=True,
        scope=Scope.settings,
    )
    required_reflections = Integer(
        display_name=_("Required reflections"),
        help=_("How many peers' stories each learner witnesses (fewer when fewer are shared)."),
        default=REQUIRED_REFLECTIONS_DEFAULT,
        scope=Scope.settings,
    )
    anonymity = String(
        display_name=_("Anonymity"),
        help=_("Whether peers see each other's names or stable pseudonyms. Facilitators always see names."),
        default=NAMES,
        values=[
            {"display_name": _("Names"), "value": NAMES},
            {"display_name": _("Pseudonyms"), "value": PSEUDONYMS},
        ],
        scope=Scope.settings,
    )
    themes = List(
        display_name=_("Themes"),
        help=_("The themes learners can tag in their stories; they can add their own."),
        default=list(DEFAULT_THEMES),
        scope=Scope.settings,
    )
    theme_cues = Dict(
        display_name=_("Theme cue words"),
        help=_(
            "Per theme and language, the words that suggest the theme to a learner whose story uses them "
            "(a word that starts with ~ counts only with another)."
        ),
        default=DEFAULT_CUES,
        scope=Scope.settings,
    )
    group_source = String(
        display_name=_("Group source"),
        help=_("Where small groups form: inside cohorts, as the course's teams, or in the block's own pool."),
        default="cohort",
        values=[
            {"display_name": _("Cohorts"), "value": "cohort"},
            {"display_name": _("Teams"), "value": "team"},
            {"display_name": _("The block's own pool"), "value": "pool"},
        ],
        scope=Scope.settings,
    )
    teamset_id = String(
        display_name=_("Teamset"),
        help=_("With group source 'team': the teamset whose teams are the groups."),
        default="",
        scope=Scope.settings,
    )
    regroup_days = Integer(
        display_name=_("Days a group below three waits"),
        help=_(
            "After this many days without a newcomer, a group of one or two learners is merged into another "
            "group of its cohort that has room (0: never). Facilitators can turn this off; teams are never merged."
        ),
        default=REGROUP_DAYS_DEFAULT,
        scope=Scope.settings,
        values={"min": 0, "max": REGROUP_DAYS_MAX},
    )
    stall_days = Integer(
        display_name=_("Days before a learner counts as stalled"),
        help=_(
            "The facilitator dashboard highlights learners with no progress for this many days while a stage is open."
        ),
        default=7,
        scope=Scope.settings,
    )
    weight = Float(
        display_name=_("Problem weight"),
        help=_("How many points this unit is worth in the course gradebook."),
        default=1.0,
        scope=Scope.settings,
        values={"min": 0},
    )

    has_score = True
    icon_class = "problem"

    # --- configuration -------------------------------------------------------------------

    def instance_settings(self) -> dict:
        """The operator's ``XBLOCK_SETTINGS["CollectiveCoachingXBlock"]`` (settings service), or {}."""
        service = self.runtime.service(self, "settings")
        bucket = service.get_settings_bucket(self) if service is not None else None
        return bucket if isinstance(bucket, dict) else {}

    def _configured(self, field_name: str, instance: dict):
        """The author's value; where the author set none, the operator's default, else the block's."""
        key = field_name.upper()
        if key in instance and not self.fields[field_name].is_set_on(self):  # asks the field store only then
            return instance[key]
        return getattr(self, field_name)

    def exercise(self) -> Exercise:
        """This block's settings as the application layer's ``Exercise`` (raises StageConfigError).

        Operators cap the text length with ``MAX_TEXT_LENGTH`` and give defaults for
        ``GROUP_SIZE``, ``ANONYMITY`` and ``REQUIRED_REFLECTIONS`` in the instance settings.
        """
        host = get_host()
        instance = self.instance_settings()
        text_cap = max(1, int(self.max_text_length))
        if isinstance(instance.get("MAX_TEXT_LENGTH"), int):
            text_cap = min(text_cap, instance["MAX_TEXT_LENGTH"])
        anonymity = self._configured("anonymity", instance)
        return Exercise(
            block_id=host.block_id(self),
            course_id=host.course_id(self),
            stages=st.stages_from_settings(self.stages),
            group_size=min(max(int(self._configured("group_size", instance)), GROUP_SIZE_MIN), GROUP_SIZE_MAX),
            max_text_length=text_cap,
            peers_after_own_story=bool(self.peers_after_own_story),
            required_reflections=max(1, int(self._configured("required_reflections", instance))),
            anonymity=anonymity if anonymity in ANONYMITY else NAMES,
            themes=tuple(str(theme) for theme in self.themes),
            theme_cues=self.theme_cues if isinstance(self.theme_cues, dict) else {},
            # The course's teams are the platform's to form: never merged by the block.
            regroup_days=0 if self.group_source == "team" else min(max(int(self.regroup_days), 0), REGROUP_DAYS_MAX),
            stall_days=max(1, int(self.stall_days)),
            checkin_min_paired=_at_least(instance.get("CHECKIN_MIN_PAIRED"), CHECKIN_MIN_PAIRED),
        )

    def exports_texts(self) -> bool:
        """Whether facilitators may export learners' texts (operators can forbid it: ``EXPORT_TEXTS``)."""
        return self.instance_settings().get("EXPORT_TEXTS", True) is not False

    def student_view_data(self, context=None):
        """For the mobile apps: the unit's stages and prompts, never peers' texts.

        The Blocks API's ``StudentViewTransformer.collect`` (lms/djangoapps/course_api/blocks/
        transformers/student_view.py) calls it once per course publish, on blocks bound to no user
        and in the server's language: so it holds nothing per user, and the texts as authored.
        """
        try:
            exercise = self.exercise()
        except st.StageConfigError:
            return {"display_name": self.display_name, "stages": []}
        return {
            "display_name": self.display_name,
            "group_size": exercise.group_size,
            "anonymity": exercise.anonymity,
            "max_text_length": exercise.max_text_length,
            "stages": [
                {
                    "id": stage.id,
                    "kind": stage.kind,
                    "title": stage.title,
                    "instructions": stage.instructions,
                    "prompts": [{"id": prompt.id, "text": prompt.text} for prompt in stage.prompts],
                    "graded": stage.graded,
                    "opens": stage.opens.isoformat() if stage.opens else None,
                    "closes": stage.closes.isoformat() if stage.closes else None,
                }
                for stage in exercise.stages
            ],
        }

    def _coaching_request(self) -> CoachingRequest:
        host = get_host()
        try:
            exercise = self.exercise()
        except st.StageConfigError as error:
            raise InvalidInput(error.message.render(gettext)) from error
        return CoachingRequest(self, with_schedule(exercise), host, host.current_person(self))

    def max_score(self):
        """The points a learner can earn: the sum of the graded stages' weights."""
        try:
            return sum(stage.weight for stage in st.stages_from_settings(self.stages) if stage.graded)
        except st.StageConfigError:
            return 0

    # --- views ---------------------------------------------------------------------------

    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        """The learner's view: stages, their small group and their work. Opening it joins a group."""
        fragment = Fragment()
        try:
            request = self._coaching_request()
        except CoachingError as error:
            fragment.add_content(rendering.render("templates/problem.html", {"message": error.message}))
            return fragment
        view = None
        person = request.person
        if person is not None and person.is_staff:
            return self._dashboard_view(request, fragment)
        if person is not None and person.can_write:
            membership = request.membership(join=True)
            refresh_name(membership, person)
            view = learner_ops.load_learner_view(request.exercise, membership)
        context = view_context(self, request, view, drafts.my_drafts(membership) if view else None)
        fragment.add_content(rendering.render("templates/learner.html", context))
        fragment.add_css(rendering.resource_text("static/css/coaching.css"))
        fragment.add_javascript(rendering.resource_text("static/js/common.js"))
        fragment.add_javascript(rendering.resource_text("static/js/journey.js"))
        fragment.add_javascript(rendering.resource_text("static/js/fields.js"))
        fragment.add_javascript(rendering.resource_text("static/js/learner.js"))
        # The learner's state travels in the page through json_script (which escapes "<"), never
        # through initialize_js arguments, which runtimes write into a <script> unescaped.
        fragment.initialize_js("CollectiveCoachingLearner")
        return fragment

    def _dashboard_view(self, request, fragment):
        """The facilitator dashboard, which course staff see instead of the learner view."""
        scope = facilitator_scope(request.exercise, request.person)
        data = dashboard.dashboard_data(
            request.exercise, scope, request.host.course_cohorts(self), {}, stall_days=max(1, int(self.stall_days))
        )
        context = view_context(self, request, None)
        context["payload"] = {
            "dashboard": data,
            "export_url": request.host.export_url(self),
            "i18n": js_catalog(),
            "language": page_language(),
        }
        fragment.add_content(rendering.render("templates/dashboard.html", context))
        fragment.add_css(rendering.resource_text("static/css/coaching.css"))
        fragment.add_javascript(rendering.resource_text("static/js/common.js"))
        fragment.add_javascript(rendering.resource_text("static/js/chart.js"))
        fragment.add_javascript(rendering.resource_text("static/js/live.js"))
        fragment.add_javascript(rendering.resource_text("static/js/dashboard.js"))
        fragment.initialize_js("CollectiveCoachingDashboard")
        return fragment

    # --- OLX ------------------------------------------------------------------------------

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Import from OLX, refusing a unit whose settings could not work (``OlxError`` says why)."""
        try:
            block = super().parse_xml(node, runtime, keys)
            values = authoring.current_settings(block)
        except (ValueError, TypeError) as error:
            raise OlxError(f"collective_coaching: the OLX could not be read: {error}") from error
        try:
            clean_settings(values)
        except SettingsError as error:
            raise OlxError("collective_coaching: " + " ".join(error.render())) from error
        return block

    # --- authoring -------------------------------------------------------------------------

    def author_view(self, context=None):
        """Studio's preview: the stages, prompts and evidence, and how learners see the stages."""
        fragment = Fragment()
        host = get_host()
        try:
            exercise = self.exercise()
        except st.StageConfigError as error:
            fragment.add_content(rendering.render("templates/problem.html", {"message": error.message.render(gettext)}))
            return fragment
        request = CoachingRequest(self, exercise, host, None)
        context = view_context(self, request, None)
        context.update(evidence=authoring.evidence(self.template), preview=True)
        fragment.add_content(rendering.render("templates/author.html", context))
        fragment.add_content(rendering.render("templates/learner.html", context))
        fragment.add_css(rendering.resource_text("static/css/coaching.css"))
        return fragment

    def studio_view(self, context=None):
        """Studio's editor: settings, template, and a stage editor (add, remove, reorder, edit)."""
        fragment = Fragment()
        uid = "cc-edit-" + str(abs(hash(str(self.scope_ids.usage_id))))[:10]
        fragment.add_content(
            rendering.render(
                "templates/studio.html",
                {"uid": uid, "payload_id": f"{uid}-state", "payload": authoring.editor_payload(self)},
            )
        )
        fragment.add_css(rendering.resource_text("static/css/coaching.css"))
        fragment.add_javascript(rendering.resource_text("static/js/common.js"))
        fragment.add_javascript(rendering.resource_text("static/js/studio.js"))
        fragment.initialize_js("CollectiveCoachingStudio")
        return fragment

    def __repr__(self) -> str:
        # XBlock's own lists every field's value, and the workbench prints it on every page (logs may
        # too): the author's notes for facilitators are not for learners.
        return f"<{type(self).__name__} {self.scope_ids.usage_id}>"

    @staticmethod
    def workbench_scenarios():
        """Scenarios shown on the demo's front page; the first is the default GINA exercise."""
        return [
            (
                "GINA group coaching (group size 3)",
                '<collective_coaching display_name="Career stories in small groups" group_size="3"/>',
            ),
            (
                "GINA group coaching (group size 4, peers' stories visible before sharing)",
                '<collective_coaching display_name="Open circle" peers_after_own_story="false"/>',
            ),
            (
                "Tree of life (open 'studio_view' as facilitator to try the Studio editor)",
                '<collective_coaching display_name="Tree of life" template="tree_of_life" group_size="3" '
                "stages=" + quoteattr(json.dumps([dict(stage) for stage in TEMPLATES["tree_of_life"].stages])) + "/>",
            ),
            (
                "GINA group coaching with pseudonyms (group size 3)",
                '<collective_coaching display_name="Stories under pseudonyms" group_size="3" anonymity="pseudonyms"/>',
            ),
            (
                "GINA with a check-in before and after (group size 3)",
                '<collective_coaching display_name="Stories, before and after" template="gina_checkin" group_size="3" '
                "stages=" + quoteattr(json.dumps([dict(stage) for stage in TEMPLATES["gina_checkin"].stages])) + "/>",
            ),
        ]
