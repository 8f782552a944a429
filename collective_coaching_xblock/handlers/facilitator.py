"""The facilitator's handlers: the dashboard, a group in detail, moderation, pacing, regrouping,
score overrides, facilitator assignment, the CSV export and the Instructor Dashboard's report.

``FacilitatorHandlers`` is a mixin of ``block.CollectiveCoachingXBlock``; it uses the block's
``_coaching_request()`` and ``exports_texts()``. The work happens in
``operations/facilitator/``, one module per responsibility; these methods emit events.
"""

from __future__ import annotations

import itertools

from webob import Response
from xblock.core import XBlock

from .. import events
from ..i18n import gettext
from ..operations import export, one_to_one, small_groups
from ..operations.errors import CoachingError, Forbidden, NotFound
from ..operations.facilitator import (
    assignment,
    dashboard,
    detail,
    digest,
    live,
    moderation,
    regrouping,
    scores,
    stages,
    triage,
)
from ..operations.facilitator.scope import _member_in_scope, facilitator_scope
from ..operations.validation import require_object
from .decorators import error_response, facilitator_handler


class FacilitatorHandlers:
    """The handlers the facilitator dashboard calls; course staff only (403 for anyone else)."""

    @facilitator_handler
    def dashboard_data(self, request, scope, data):
        """Cohorts, one page of groups with each member's progress per stage, flags and the chart."""
        cohorts = request.host.course_cohorts(self)
        return dashboard.dashboard_data(request.exercise, scope, cohorts, data, stall_days=request.exercise.stall_days)

    @facilitator_handler
    def triage(self, request, scope, data):
        """What needs attention first, for one cohort or all the facilitator's: flags, learners waiting
        for peers, stalled learners, learners who never opened the unit, groups below three."""
        host = request.host
        listed = triage.triage(request.exercise, scope, host.course_cohorts(self), host.enrolled_learners(self), data)
        listed["digest"] = digest.wants_digest(request.exercise.block_id, scope.username)
        return listed

    @facilitator_handler
    def set_facilitator_digest(self, request, scope, data):
        """Whether this facilitator gets the unit's daily digest by email (``{"email": bool}``)."""
        return digest.set_choice(request.exercise, scope.username, data)

    @facilitator_handler
    def live_session(self, request, scope, data):
        """A group's or a cohort's screen for a live session, as the room may read it (``live.live_session``)."""
        return live.live_session(request.exercise, scope, data)

    @facilitator_handler
    def group_detail(self, request, scope, data):
        """Everything a facilitator may read of one group."""
        return detail.group_detail(request.exercise, scope, data)

    @facilitator_handler
    def moderate(self, request, scope, data):
        """Hide (with a reason) or restore a story, reflection or response, or preview how; resolve a flag."""
        result = moderation.moderate(request.exercise, scope, data)
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
        result = stages.open_stage(request.exercise, scope, data)
        events.emit(self, "stage.opened", stage_id=result["opened"]["stage_id"], groups=len(result["opened"]["groups"]))
        return result

    @facilitator_handler
    def set_stage_dates(self, request, scope, data):
        """Set or extend a stage's open and close dates."""
        result = stages.set_stage_dates(request.exercise, scope, data)
        events.emit(self, "stage.rescheduled", **{f"stage_{k}": v for k, v in result["stage"].items()})
        return result

    @facilitator_handler
    def move_member(self, request, scope, data):
        """Move a learner to another group of their cohort (or preview what it would do)."""
        result = regrouping.move_member(request.exercise, scope, data)
        if "preview" in result:
            return result
        events.emit(self, "member.moved", member_id=result["member"]["id"], group_id=result["member"]["group_id"])
        return result

    @facilitator_handler
    def split_group(self, request, scope, data):
        """Form a new group from some members of a group."""
        result = regrouping.split_group(request.exercise, scope, data)
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
        """Move every member of one group into another (or preview what it would do)."""
        result = regrouping.merge_groups(request.exercise, scope, data)
        if "preview" in result:
            return result
        events.emit(
            self,
            "groups.merged",
            group_id=data["group_id"],
            into_group_id=result["group"]["id"],
            members=len(result["group"]["moved"]),
        )
        return result

    @facilitator_handler
    def write_to_learner(self, request, scope, data):
        """Write one to one to a learner of the facilitator's cohorts (``{"member_id", "text"}``)."""
        member = _member_in_scope(request.exercise, scope, require_object(data).get("member_id"))
        result = one_to_one.write_to_learner(member, request.person, data)
        events.emit(self, "one_to_one.written", member_id=member.member_id, message_id=result["message"]["id"])
        return result

    @facilitator_handler
    def regroup_selected(self, request, scope, data):
        """Regroup now the learners left alone (or in twos) in the selected groups (or preview it)."""
        result = small_groups.regroup_selected(request.exercise, scope, data)
        for merge in result.get("regrouped", {}).get("merges", []):
            events.emit(
                self,
                "groups.merged",
                group_id=merge["group_id"],
                into_group_id=merge["into_group_id"],
                members=merge["members"],
            )
        return result

    @facilitator_handler
    def set_auto_regroup(self, request, scope, data):
        """Turn on or off, for the whole unit, the automatic merges of groups below three."""
        if scope.is_limited:
            raise Forbidden(gettext("Only a facilitator of every cohort can change this for the whole unit."))
        result = small_groups.set_switch(request.exercise, data)
        events.emit(self, "auto_regroup.changed", enabled=result["auto_regroup"]["enabled"])
        return result

    @facilitator_handler
    def override_score(self, request, scope, data):
        """Override a learner's score with a reason (recorded, and sent to the gradebook)."""

        def record(**score):
            request.host.record_score_override(self, **score)

        result = scores.override_score(request.exercise, scope, data, record=record)
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
        result = assignment.assign_facilitator(request.exercise, scope, request.host.course_cohorts(self), data)
        events.emit(self, "facilitator.assigned", cohorts=len(result["facilitator"]["cohorts"]))
        return result

    @XBlock.handler
    def export_csv(self, request, suffix=""):
        """GET: a CSV with one row per learner; ``?texts=1`` adds their texts, ``?cohort=<id>`` filters."""
        try:
            coaching = self._coaching_request()
            scope = facilitator_scope(coaching.exercise, coaching.person)
            cohort = request.GET.get("cohort")
            if cohort is not None and not scope.allows(cohort):
                raise NotFound(gettext("There is no such cohort for you."))
            with_texts = request.GET.get("texts") == "1" and self.exports_texts()
            part = request.GET.get("part") or None
            rows = export.rows_for(coaching.exercise, scope, cohort=cohort, with_texts=with_texts, part=part)
        except CoachingError as error:
            return error_response(error)
        response = Response(content_type="text/csv", charset="utf8")
        response.app_iter = export.csv_chunks(rows)
        name = export.file_name(coaching.exercise, self.display_name, cohort=cohort, with_texts=with_texts, part=part)
        response.content_disposition = f'attachment; filename="{name}"'
        return response

    def generate_report_data(self, user_state_iterator, limit_responses=None):
        """Rows for the Instructor Dashboard's problem responses report (one per contribution)."""
        rows = export.report_rows(self.exercise(), (user_state.username for user_state in user_state_iterator))
        return itertools.islice(rows, limit_responses) if limit_responses is not None else rows
