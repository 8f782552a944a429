"""Shared coaching data: groups, memberships and contributions.

Peers read each other's work and facilitators read across a course, so this data lives in
Django models rather than XBlock scopes (docs/decisions/0001-models-not-scopes.md). Block and
course ids are stored as strings: the demo's ids are not Open edX opaque keys.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone

from .exercise.stages import SHARING

ID_LENGTH = 255


def new_member_id() -> str:
    """An opaque id for a member, shown to peers instead of any platform identifier."""
    return secrets.token_hex(8)


class BlockCohort(models.Model):
    """A cohort as one block sees it: the place its small groups form.

    Its row is also the lock that serialises group formation in the cohort: a joiner updates
    it first, so two learners arriving together queue instead of overfilling a group.

    .. no_pii:
    """

    block_id = models.CharField(max_length=ID_LENGTH)
    course_id = models.CharField(max_length=ID_LENGTH, db_index=True)
    cohort_id = models.CharField(max_length=ID_LENGTH, blank=True)  # "" is the block's own pool
    name = models.CharField(max_length=ID_LENGTH, blank=True)
    joins = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["block_id", "cohort_id"], name="cc_block_cohort_unique"),
        ]

    def __str__(self):
        return f"{self.block_id} / {self.name or 'own pool'}"


class CoachingGroup(models.Model):
    """A small group inside one cohort of one block, numbered in order of formation.

    .. no_pii:
    """

    cohort = models.ForeignKey(BlockCohort, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveIntegerField()
    created = models.DateTimeField(auto_now_add=True)
    # When a facilitator last moved people into or out of the group: automatic merges leave it be.
    arranged = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "number"], name="cc_group_number_unique"),
        ]

    def __str__(self):
        return f"{self.cohort} / group {self.number}"


CONSENT_NOT_ASKED = ""
CONSENT_GIVEN = "given"
CONSENT_WITHDRAWN = "withdrawn"
CONSENT_STATES = [(CONSENT_NOT_ASKED, "not asked"), (CONSENT_GIVEN, "given"), (CONSENT_WITHDRAWN, "withdrawn")]


class Membership(models.Model):
    """A learner's place in one group of one block; stays put when their cohort changes later.

    .. pii: the learner's key, platform user id and display name.
    .. pii_types: id, name
    .. pii_retirement: local_api
    """

    group = models.ForeignKey(CoachingGroup, on_delete=models.CASCADE, related_name="memberships")
    block_id = models.CharField(max_length=ID_LENGTH)
    learner_key = models.CharField(max_length=ID_LENGTH)
    user_id = models.IntegerField(null=True, blank=True, db_index=True)
    name = models.CharField(max_length=ID_LENGTH, blank=True)
    username = models.CharField(max_length=ID_LENGTH, blank=True)  # for staff reports and facilitator scopes
    member_id = models.CharField(max_length=32, unique=True, default=new_member_id)
    pseudonym = models.CharField(max_length=64, blank=True)  # shown to peers when the block asks for it
    joined = models.DateTimeField(default=timezone.now)
    last_activity = models.DateTimeField(default=timezone.now)
    # Consent to share with the group is a fact about the learner in this unit: given or withdrawn
    # through the contract stage, and kept whatever an author later does to the stage list.
    consent = models.CharField(max_length=16, blank=True, choices=CONSENT_STATES, default=CONSENT_NOT_ASKED)
    consent_changed = models.DateTimeField(null=True, blank=True)
    # Stages done in a former group (a facilitator moved the learner): work counts where it was done.
    carried_stages = models.JSONField(default=list, blank=True)
    # The group's news by email, at most once a day (send_group_news): the learner's choice, and
    # when the last message went. The news is counted from the rows' own dates since then.
    email_news = models.BooleanField(default=True)
    news_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["block_id", "learner_key"], name="cc_one_group_per_learner"),
        ]
        ordering = ["joined", "id"]

    def __str__(self):
        return f"{self.member_id} in {self.group}"


class Contribution(models.Model):
    """What a learner wrote for one stage, and with whom they share it.

    Consent to share with the group is the learner's active contribution to the contract stage.

    .. pii: the learner's own text.
    .. pii_types: other
    .. pii_retirement: local_api
    """

    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    STATES = [(ACTIVE, "active"), (WITHDRAWN, "withdrawn")]

    author = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="contributions")
    stage_id = models.CharField(max_length=64)
    text = models.TextField(blank=True)
    sharing = models.CharField(max_length=16, choices=[(value, value) for value in SHARING])
    state = models.CharField(max_length=16, choices=STATES, default=ACTIVE)
    hidden = models.BooleanField(default=False)  # by a facilitator; hidden from learners at once
    hidden_reason = models.TextField(blank=True)  # the facilitator's reason, shown to the author
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["author", "stage_id"], name="cc_one_contribution_per_stage"),
        ]

    def __str__(self):
        return f"{self.author.member_id} / {self.stage_id}"


class StageOpening(models.Model):
    """A facilitator opened a stage for one group (for facilitator-paced stages, or to unblock it).

    .. no_pii:
    """

    group = models.ForeignKey(CoachingGroup, on_delete=models.CASCADE, related_name="stage_openings")
    stage_id = models.CharField(max_length=64)
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "stage_id"], name="cc_stage_opened_once"),
        ]

    def __str__(self):
        return f"{self.group} / {self.stage_id} opened"


class Reflection(models.Model):
    """An outsider-witness reflection on a peer's story, and the author's one response to it.

    .. pii: the witness's and the author's own text.
    .. pii_types: other
    .. pii_retirement: local_api
    """

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="reflections")
    author = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="reflections")
    answers = models.JSONField(default=dict)  # prompt id -> text
    response = models.TextField(blank=True)
    hidden = models.BooleanField(default=False)  # the reflection, by a facilitator
    hidden_reason = models.TextField(blank=True)
    response_hidden = models.BooleanField(default=False)  # the response, by a facilitator
    response_hidden_reason = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contribution", "author"], name="cc_one_reflection_per_story"),
        ]

    def __str__(self):
        return f"reflection {self.pk} on {self.contribution_id}"


class ThemeTag(models.Model):
    """A theme a learner names in their own story, seen as structural or personal.

    .. pii: a learner's own choice of themes.
    .. pii_types: other
    .. pii_retirement: local_api
    """

    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="theme_tags")
    theme = models.CharField(max_length=100)
    structural = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "theme"], name="cc_theme_tagged_once"),
        ]

    def __str__(self):
        return f"{self.theme} ({'structural' if self.structural else 'personal'})"


class GroupPlan(models.Model):
    """The group's collective action plan. ``version`` rises by one with every save.

    .. pii: text written by group members.
    .. pii_types: other
    .. pii_retirement: local_api
    """

    group = models.OneToOneField(CoachingGroup, on_delete=models.CASCADE, related_name="plan")
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"plan of {self.group} v{self.version}"


class GroupPlanRevision(models.Model):
    """One saved version of a group plan: who changed it, when, and to what.

    .. pii: text written by group members.
    .. pii_types: other
    .. pii_retirement: local_api
    """

    plan = models.ForeignKey(GroupPlan, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    author = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="cc_plan_version_once"),
        ]
        ordering = ["-version"]

    def __str__(self):
        return f"plan {self.plan_id} v{self.version}"


class Flag(models.Model):
    """A learner's report that a story, reflection or response is harmful, for the facilitator.

    The flag points at its item through a foreign key, so it goes when the item goes (retirement
    of its author), and keeps ``copy``: the text its reporter saw when reporting, never later text
    (docs/decisions/0009). Resolving the flag erases the copy.

    .. pii: the reporter, their reason and a copy of the reported text.
    .. pii_types: other
    .. pii_retirement: local_api
    """

    CONTRIBUTION = "contribution"
    REFLECTION = "reflection"
    RESPONSE = "response"
    KINDS = (CONTRIBUTION, REFLECTION, RESPONSE)

    reporter = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=16, choices=[(kind, kind) for kind in KINDS])
    object_id = models.BigIntegerField()
    contribution = models.ForeignKey(
        Contribution, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )  # the story, for a flag of kind contribution
    reflection = models.ForeignKey(
        Reflection, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )  # the reflection, for a flag of kind reflection or response
    copy = models.TextField(blank=True)
    reason = models.TextField()
    created = models.DateTimeField(default=timezone.now)
    resolved = models.BooleanField(default=False)
    resolved_by = models.CharField(max_length=ID_LENGTH, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reporter", "kind", "object_id"], name="cc_flag_once"),
        ]

    def __str__(self):
        return f"flag on {self.kind} {self.object_id}"


class StageSchedule(models.Model):
    """A facilitator's dates for one stage of one block, replacing the author's dates.

    .. no_pii:
    """

    block_id = models.CharField(max_length=ID_LENGTH)
    stage_id = models.CharField(max_length=64)
    opens = models.DateTimeField(null=True, blank=True)
    closes = models.DateTimeField(null=True, blank=True)
    changed_by = models.CharField(max_length=ID_LENGTH, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["block_id", "stage_id"], name="cc_stage_schedule_once"),
        ]

    def __str__(self):
        return f"{self.block_id} / {self.stage_id}: {self.opens} to {self.closes}"


class ScoreOverride(models.Model):
    """A facilitator's override of a learner's score: who, when, why. The newest one counts.

    .. pii: the facilitator's reason about a learner.
    .. pii_types: other
    .. pii_retirement: local_api
    """

    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="score_overrides")
    earned = models.FloatField()
    possible = models.FloatField()
    reason = models.TextField()
    by = models.CharField(max_length=ID_LENGTH)  # the facilitator's username
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.member} {self.earned}/{self.possible} by {self.by}"


class FacilitatorScope(models.Model):
    """Limits a facilitator to named cohorts of a course; a facilitator with no rows sees every cohort.

    .. pii: the facilitator's username.
    .. pii_types: username
    .. pii_retirement: local_api
    """

    course_id = models.CharField(max_length=ID_LENGTH)
    username = models.CharField(max_length=ID_LENGTH)
    cohort_id = models.CharField(max_length=ID_LENGTH)
    assigned_by = models.CharField(max_length=ID_LENGTH, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course_id", "username", "cohort_id"], name="cc_facilitator_scope_once"),
        ]

    def __str__(self):
        return f"{self.username} facilitates {self.cohort_id} in {self.course_id}"


class Draft(models.Model):
    """Text a learner is still writing, kept on the server so that no word is lost.

    Private to its author (the visibility rule's ``draft``): never shown to peers or
    facilitators, never exported or sent in events. Saving the real contribution deletes it.

    .. pii: the learner's own unsaved text.
    .. pii_types: other
    .. pii_retirement: local_api
    """

    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="drafts")
    key = models.CharField(max_length=160)  # which field: "contribution:<stage>", "reflection:<story>:<prompt>", ...
    text = models.TextField()
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "key"], name="cc_one_draft_per_field"),
        ]

    def __str__(self):
        return f"draft {self.key} of {self.member_id}"


class RegroupSwitch(models.Model):
    """A facilitator's choice for one unit: merge its groups below three automatically, or not.

    No row: on (the author's delay applies). ``regroup_small_groups`` reads it.

    .. no_pii:
    """

    block_id = models.CharField(max_length=ID_LENGTH, unique=True)
    enabled = models.BooleanField(default=True)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.block_id}: automatic merges {'on' if self.enabled else 'off'}"


class AutomaticMerge(models.Model):
    """A small group that ``regroup_small_groups`` merged into another: the dashboard's note of it.

    .. no_pii:
    """

    cohort = models.ForeignKey(BlockCohort, on_delete=models.CASCADE, related_name="automatic_merges")
    from_number = models.PositiveIntegerField()
    into = models.ForeignKey(CoachingGroup, on_delete=models.CASCADE, related_name="+")
    members = models.PositiveIntegerField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.cohort}: group {self.from_number} merged into group {self.into.number}"


class PrivateMessage(models.Model):
    """One message of the one-to-one thread between a learner and the facilitators of their cohort.

    Only that learner and those facilitators read it (the visibility rule's ``one_to_one``); it is
    shown beside the learner's story. A facilitator writes first; the learner may answer.

    .. pii: the words of a learner and of a facilitator; a facilitator's username and name.
    .. pii_types: other, username, name
    .. pii_retirement: local_api
    """

    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="private_messages")
    from_facilitator = models.BooleanField()
    author_username = models.CharField(max_length=ID_LENGTH, blank=True)  # a facilitator's; "" for the learner
    author_name = models.CharField(max_length=ID_LENGTH, blank=True)
    text = models.TextField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self):
        return f"message {'to' if self.from_facilitator else 'from'} {self.member_id}"


class FacilitatorDigest(models.Model):
    """A facilitator's daily digest of one unit: whether they want it, and when the last one went.

    No row: wanted, never sent. ``send_facilitator_digest`` reads and updates it.

    .. pii: the facilitator's username.
    .. pii_types: username
    .. pii_retirement: local_api
    """

    block_id = models.CharField(max_length=ID_LENGTH)
    username = models.CharField(max_length=ID_LENGTH)
    enabled = models.BooleanField(default=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["block_id", "username"], name="cc_one_digest_choice")]

    def __str__(self):
        return f"digest of {self.block_id} for {self.username}"
