"""The collective coaching XBlock: fields, views and JSON handlers.

The block is thin: it reads its settings, asks the host adapter who is asking, checks input
through the application layer (``operations``) and renders. Shared data lives in Django models.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from xml.sax.saxutils import quoteattr

from django.utils import timezone
from web_fragments.fragment import Fragment
from webob import Response
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, Float, Integer, List, Scope, String
from xblock.validation import ValidationMessage

from . import authoring, events, rendering, retirement
from .exercise import stages as st
from .exercise.exercise import (
    ANONYMITY,
    NAMES,
    PSEUDONYMS,
    REQUIRED_REFLECTIONS_DEFAULT,
    TEXT_CAP_DEFAULT,
    Exercise,
)
from .exercise.grouping import GROUP_SIZE_DEFAULT, GROUP_SIZE_MAX, GROUP_SIZE_MIN
from .exercise.settings import SettingsError, clean_settings
from .exercise.templates import DEFAULT_TEMPLATE, DEFAULT_THEMES, TEMPLATES
from .i18n import gettext, js_catalog, page_language
from .operations import drafts, export, facilitation, flags, plans, reflections, themes
from .operations import learner as learner_ops
from .operations.errors import CoachingError, Forbidden, InvalidInput, NotFound
from .operations.groups import find_membership, join_group, refresh_name
from .operations.schedule import with_schedule
from .platform import get_host
from .presentation import learner_state, view_context


def _(text):
    """Mark a field's label for translation; Studio translates it when it shows the editor."""
    return text


#: The deepest nesting of arrays and objects a handler body may have (the real ones nest a few
#: levels). The limit is the block's own, so whether a body is refused never depends on the
#: interpreter's JSON recursion limit (Python 3.13 parses bodies that 3.11 and 3.12 cannot).
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def _nested_too_deeply(text: str) -> bool:
    """Whether arrays and objects in ``text`` nest deeper than ``MAX_JSON_DEPTH`` (strings aside)."""
    depth = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            return True
    return False


def json_handler(func):
    """Like ``XBlock.json_handler`` (POST, JSON in and out), with every bad body answered 400.

    XBlock's own decorator lets a deeply nested body raise ``RecursionError`` (a 500); this one
    refuses any body nested deeper than ``MAX_JSON_DEPTH``, and says so in the person's language.
    It also refuses what JSON allows but no handler can store: ``NaN`` and ``Infinity``, and
    text with lone surrogates (not UTF-8).
    """

    @XBlock.handler
    @functools.wraps(func)
    def wrapper(self, request, suffix=""):
        if request.method != "POST":
            response = _error_response(CoachingError(gettext("Use POST.")))
            response.status = 405
            response.allow = ["POST"]
            return response
        try:
            text = request.body.decode("utf-8")
            if _nested_too_deeply(text):
                raise ValueError("nested too deeply")
            data = json.loads(text, parse_constant=_refuse_constant)
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except (ValueError, RecursionError):  # UnicodeError is a ValueError
            return _error_response(InvalidInput(gettext("The request body is not valid JSON.")))
        result = func(self, data, suffix)
        if isinstance(result, Response):
            return result
        return Response(json.dumps(result), content_type="application/json", charset="utf8")

    return wrapper


def coaching_handler(*, write: bool):
    """A JSON handler that knows who is asking and turns refusals into 4xx responses.

    ``write=True`` handlers need a signed-in learner who may write (403 otherwise). Every
    refusal answers ``{"error": message}`` with its status and writes nothing.
    """

    def decorator(func):
        @json_handler
        @functools.wraps(func)
        def wrapper(self, data, suffix=""):
            try:
                request = self._coaching_request()
                if write:
                    request.require_learner()
                return func(self, request, data)
            except CoachingError as error:
                return _error_response(error)

        return wrapper

    return decorator


def facilitator_handler(func):
    """A JSON handler for facilitators: 403 for anyone else before the input is even read."""

    @coaching_handler(write=False)
    @functools.wraps(func)
    def wrapper(self, request, data):
        scope = facilitation.facilitator_scope(request.exercise, request.person)
        return func(self, request, scope, data)

    return wrapper


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


@XBlock.needs("user")
@XBlock.needs("i18n")
@XBlock.wants("studio_user_permissions")
@XBlock.wants("settings")
@XBlock.wants("teams")
@XBlock.wants("teams_configuration")
class CollectiveCoachingXBlock(CompletableXBlockMixin, XBlock):
    """Collective career coaching: small groups tell, witness and re-author their career stories."""

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

    def _publish_progress(self, request: CoachingRequest, membership, view):
        """After a learner's successful write: keep their name current, send score and completion.

        ``view`` is the learner's view after the write. A facilitator's override stands: no
        participation grade is published over it. Returns the view, for the handler's answer.
        """
        refresh_name(membership, request.person)
        if view.score_override is None:
            score = view.progress.score
            self.runtime.publish(self, "grade", {"value": score.earned, "max_value": score.possible})
        self.emit_completion(view.progress.completion)
        return view

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
        fragment.add_javascript(rendering.resource_text("static/js/learner.js"))
        # The learner's state travels in the page through json_script (which escapes "<"), never
        # through initialize_js arguments, which runtimes write into a <script> unescaped.
        fragment.initialize_js("CollectiveCoachingLearner")
        return fragment

    def _dashboard_view(self, request, fragment):
        """The facilitator dashboard, which course staff see instead of the learner view."""
        scope = facilitation.facilitator_scope(request.exercise, request.person)
        data = facilitation.dashboard_data(
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

    @json_handler
    def save_settings(self, data, suffix=""):
        """Studio's save: check every setting, then save them all, or nothing (400 with every reason)."""
        if not get_host().settings_editable(self):
            return _error_response(Forbidden(gettext("This unit's settings are edited in Studio.")))
        if not self._may_edit():
            return _error_response(Forbidden(gettext("Only the course's authors can change this unit.")))
        try:
            cleaned = clean_settings(data, defaults=authoring.current_settings(self))
        except SettingsError as error:
            reasons = error.render(gettext)
            return _error_response(InvalidInput(" ".join(reasons), errors=reasons))
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
            return not facilitation.facilitator_scope(self.exercise(), person).is_limited
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

    # --- handlers ------------------------------------------------------------------------

    @coaching_handler(write=False)
    def get_state(self, request, data):
        """The learner's stages, group, visible contributions and score. Changes nothing."""
        membership = request.membership(join=False)
        if membership is None:
            return {"stages": [], "group": None, "contributions": [], "score": None}
        return learner_state(learner_ops.load_learner_view(request.exercise, membership), drafts.my_drafts(membership))

    @coaching_handler(write=True)
    def join_group(self, request, data):
        """Join a small group of the learner's cohort (what opening the unit does). Idempotent."""
        membership = request.membership(join=True)
        return learner_state(learner_ops.load_learner_view(request.exercise, membership))

    @coaching_handler(write=True)
    def submit_contribution(self, request, data):
        """Create or replace the learner's contribution to a stage."""
        membership = request.membership(join=True)
        outcome = learner_ops.submit_contribution(request.exercise, membership, data, now=timezone.now())
        contribution = outcome.result
        self._publish_progress(request, membership, outcome.view)
        events.emit(
            self,
            "contribution.submitted",
            contribution_id=contribution.pk,
            stage_id=contribution.stage_id,
            sharing=contribution.sharing,
            words=len(contribution.text.split()),
        )
        return {"contribution": _contribution_json(contribution, membership)}

    @coaching_handler(write=True)
    def withdraw_contribution(self, request, data):
        """Withdraw one of the learner's own contributions (a story, or consent to the contract)."""
        membership = request.membership(join=True)
        outcome = learner_ops.withdraw_contribution(request.exercise, membership, data, now=timezone.now())
        contribution = outcome.result
        self._publish_progress(request, membership, outcome.view)
        events.emit(self, "contribution.withdrawn", contribution_id=contribution.pk, stage_id=contribution.stage_id)
        return {"contribution": _contribution_json(contribution, membership)}

    def _learner_write(self, request, operation, data, event):
        """Run a learner's write operation, emit its event, publish progress, answer the new state.

        ``event`` turns the operation's result into the event's name and data.
        """
        membership = request.membership(join=True)
        outcome = operation(request.exercise, membership, data, now=timezone.now())
        view = self._publish_progress(request, membership, outcome.view)
        name, event_data = event(outcome.result)
        events.emit(self, name, **event_data)
        return learner_state(view)

    @coaching_handler(write=True)
    def submit_reflection(self, request, data):
        """Witness a peer's story: answers to the witness prompts. Answers the new state."""
        return self._learner_write(
            request,
            reflections.submit_reflection,
            data,
            lambda r: (
                "reflection.submitted",
                {
                    "reflection_id": r.pk,
                    "contribution_id": r.contribution_id,
                    "answers": sum(1 for text in r.answers.values() if text.strip()),
                },
            ),
        )

    @coaching_handler(write=True)
    def respond_to_reflection(self, request, data):
        """The story's author responds to a reflection on it. Answers the new state."""
        return self._learner_write(
            request,
            reflections.respond_to_reflection,
            data,
            lambda r: ("reflection.responded", {"reflection_id": r.pk, "contribution_id": r.contribution_id}),
        )

    @coaching_handler(write=True)
    def tag_themes(self, request, data):
        """Replace the learner's theme tags. Answers the new state (with the group's theme map)."""
        return self._learner_write(
            request,
            themes.tag_themes,
            data,
            lambda tags: ("themes.tagged", {"themes": len(tags), "structural": sum(1 for t in tags if t.structural)}),
        )

    @coaching_handler(write=True)
    def save_group_plan(self, request, data):
        """Save the group's plan from the version it was read at; 409 with the current text if stale."""
        return self._learner_write(
            request,
            plans.save_group_plan,
            data,
            lambda plan: ("plan.saved", {"group_id": plan.group_id, "version": plan.version}),
        )

    @coaching_handler(write=False)
    def plan_history(self, request, data):
        """The group plan's saved versions, newest first, each with its text. Changes nothing."""
        return plans.plan_history(request.exercise, request.membership(join=False), data)

    @coaching_handler(write=True)
    def save_draft(self, request, data):
        """Keep what the learner is still writing (private to them; not a submission)."""
        return drafts.save_draft(request.exercise, request.membership(join=True), data, now=timezone.now())

    @coaching_handler(write=True)
    def flag_content(self, request, data):
        """Flag a story, reflection or response as harmful; it is hidden from the reporter."""
        return self._learner_write(
            request,
            flags.flag_content,
            data,
            lambda flag: ("content.flagged", {"flag_id": flag.pk, "kind": flag.kind, "item_id": flag.object_id}),
        )

    # --- facilitator handlers ------------------------------------------------------------

    @facilitator_handler
    def dashboard_data(self, request, scope, data):
        """Cohorts, one page of groups with each member's progress per stage, flags and the chart."""
        cohorts = request.host.course_cohorts(self)
        return facilitation.dashboard_data(
            request.exercise, scope, cohorts, data, stall_days=max(1, int(self.stall_days))
        )

    @facilitator_handler
    def group_detail(self, request, scope, data):
        """Everything a facilitator may read of one group."""
        return facilitation.group_detail(request.exercise, scope, data)

    @facilitator_handler
    def moderate(self, request, scope, data):
        """Hide (with a reason) or restore a story, reflection or response, or preview how; resolve a flag."""
        result = facilitation.moderate(request.exercise, scope, data)
        if "preview" in result:
            return result
        if "flag" in result:
            events.emit(self, "flag.resolved", flag_id=result["flag"]["id"])
        else:
            item = result["item"]
            verb = "hidden" if item["hidden"] else "restored"
            events.emit(self, f"content.{verb}", kind=item["kind"], item_id=item["id"])
        return result

    @facilitator_handler
    def open_stage(self, request, scope, data):
        """Open a stage for one group or for every group in the facilitator's cohorts."""
        result = facilitation.open_stage(request.exercise, scope, data)
        events.emit(self, "stage.opened", stage_id=result["opened"]["stage_id"], groups=len(result["opened"]["groups"]))
        return result

    @facilitator_handler
    def set_stage_dates(self, request, scope, data):
        """Set or extend a stage's open and close dates."""
        result = facilitation.set_stage_dates(request.exercise, scope, data)
        events.emit(self, "stage.rescheduled", **{f"stage_{k}": v for k, v in result["stage"].items()})
        return result

    @facilitator_handler
    def move_member(self, request, scope, data):
        """Move a learner to another group of their cohort."""
        result = facilitation.move_member(request.exercise, scope, data)
        events.emit(self, "member.moved", member_id=result["member"]["id"], group_id=result["member"]["group_id"])
        return result

    @facilitator_handler
    def split_group(self, request, scope, data):
        """Form a new group from some members of a group."""
        result = facilitation.split_group(request.exercise, scope, data)
        events.emit(
            self,
            "group.split",
            group_id=data["group_id"],
            new_group_id=result["group"]["id"],
            members=len(result["group"]["members"]),
        )
        return result

    @facilitator_handler
    def merge_groups(self, request, scope, data):
        """Move every member of one group into another."""
        result = facilitation.merge_groups(request.exercise, scope, data)
        events.emit(
            self,
            "groups.merged",
            group_id=data["group_id"],
            into_group_id=result["group"]["id"],
            members=len(result["group"]["moved"]),
        )
        return result

    @facilitator_handler
    def override_score(self, request, scope, data):
        """Override a learner's score with a reason (recorded, and sent to the gradebook)."""

        def record(**score):
            request.host.record_score_override(self, **score)

        result = facilitation.override_score(request.exercise, scope, data, record=record)
        override = result["override"]
        events.emit(
            self,
            "score.overridden",
            member_id=override["member_id"],
            earned=override["earned"],
            possible=override["possible"],
        )
        return result

    @facilitator_handler
    def assign_facilitator(self, request, scope, data):
        """Limit a facilitator to named cohorts, or lift the limit."""
        result = facilitation.assign_facilitator(request.exercise, scope, request.host.course_cohorts(self), data)
        events.emit(self, "facilitator.assigned", cohorts=len(result["facilitator"]["cohorts"]))
        return result

    @XBlock.handler
    def download_my_data(self, request, suffix=""):
        """GET: everything the learner wrote in this unit, as a JSON file of their own."""
        try:
            coaching = self._coaching_request()
            membership = coaching.membership(join=False)
            if membership is None:
                raise NotFound(gettext("You have not taken part in this unit yet."))
        except CoachingError as error:
            return _error_response(error)
        response = Response(
            json.dumps(retirement.my_data(coaching.exercise, membership), indent=2, ensure_ascii=False),
            content_type="application/json",
            charset="utf8",
        )
        response.content_disposition = 'attachment; filename="my-collective-coaching.json"'
        return response

    @XBlock.handler
    def export_csv(self, request, suffix=""):
        """GET: a CSV with one row per learner; ``?texts=1`` adds their texts, ``?cohort=<id>`` filters."""
        try:
            coaching = self._coaching_request()
            scope = facilitation.facilitator_scope(coaching.exercise, coaching.person)
            cohort = request.GET.get("cohort")
            if cohort is not None and not scope.allows(cohort):
                raise NotFound(gettext("There is no such cohort for you."))
        except CoachingError as error:
            return _error_response(error)
        with_texts = request.GET.get("texts") == "1" and self.exports_texts()
        rows = export.export_rows(coaching.exercise, scope, cohort=cohort, with_texts=with_texts)
        response = Response(content_type="text/csv", charset="utf8")
        response.app_iter = export.csv_chunks(rows)
        response.content_disposition = 'attachment; filename="collective-coaching.csv"'
        return response

    def generate_report_data(self, user_state_iterator, limit_responses=None):
        """Rows for the Instructor Dashboard's problem responses report (one per contribution)."""
        rows = export.report_rows(self.exercise(), (user_state.username for user_state in user_state_iterator))
        return itertools.islice(rows, limit_responses) if limit_responses is not None else rows

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
        ]


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number a handler accepts")


def _error_response(error: CoachingError) -> Response:
    return Response(json.dumps(error.payload()), status=error.status, content_type="application/json", charset="utf8")


def _contribution_json(contribution, membership) -> dict:
    return {
        "id": contribution.pk,
        "stage_id": contribution.stage_id,
        "author": membership.member_id,
        "text": contribution.text,
        "sharing": contribution.sharing,
        "state": contribution.state,
        "mine": True,
    }
