"""The host adapter interface: what the block needs to know from the platform it runs in.

One interface, two hosts: Open edX (``openedx.py``) and the xblock-sdk workbench demo
(``collective_coaching_xblock.demo.host``). The block and the application layer ask the host
and never import platform code themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The cohort id used for the block's own pool, where a course has no cohorts.
OWN_POOL = ""


@dataclass(frozen=True)
class Person:
    """Who is making the current request."""

    key: str  # stable per learner and course (Open edX: the anonymous user id)
    name: str
    user_id: int | None = None  # the platform's user id, where there is one
    username: str = ""
    is_staff: bool = False
    can_write: bool = True  # False for anonymous or read-only visitors


@dataclass(frozen=True)
class Contact:
    """How to write to a learner by email: their address, their language (None: the site's) and user id."""

    email: str
    language: str | None = None
    user_id: int | None = None


@dataclass(frozen=True)
class EnrolledLearner:
    """A learner enrolled in the course (not staff), with the cohort they are in (``OWN_POOL`` for none)."""

    user_id: int
    username: str
    name: str
    cohort_id: str


@dataclass(frozen=True)
class CohortRef:
    """The cohort a learner's group forms in; ``id`` is ``OWN_POOL`` for the block's own pool."""

    id: str
    name: str


class Host:
    """Answers, for a block and the current request, the questions the block cannot answer itself.

    The user-facing attributes are read from the XBlock ``user`` service with the
    ``edx-platform.*`` attribute names, which both hosts provide; the rest is per host.
    """

    def course_id(self, block) -> str:
        """The course the block belongs to, as a string."""
        raise NotImplementedError

    def block_id(self, block) -> str:
        """The block's usage id, as a string (stable across requests)."""
        return str(block.scope_ids.usage_id)

    def current_person(self, block) -> Person | None:
        """The person making this request, or None when nobody is signed in."""
        service = block.runtime.service(block, "user")
        user = service.get_current_user() if service else None
        if user is None:
            return None
        attrs = user.opt_attrs or {}
        key = attrs.get("edx-platform.anonymous_user_id")
        if not key:
            return None
        user_id = attrs.get("edx-platform.user_id")
        return Person(
            key=str(key),
            name=user.full_name or attrs.get("edx-platform.username") or "",
            user_id=int(user_id) if user_id is not None else None,
            username=str(attrs.get("edx-platform.username") or ""),
            is_staff=bool(attrs.get("edx-platform.user_is_staff")),
            can_write=bool(attrs.get("edx-platform.is_authenticated", True)),
        )

    def visitor_note(self, block) -> str:
        """What the learner view tells a visitor who may not take part (nobody signed in, or not enrolled)."""
        from ..i18n import gettext

        return gettext("Sign in and enrol in the course to take part.")

    def course_has_cohorts(self, block) -> bool:
        """Whether the block's course divides its learners into cohorts."""
        raise NotImplementedError

    def cohort_of(self, block, person: Person) -> CohortRef:
        """The cohort a learner's group forms in (the block's own pool where there is none)."""
        raise NotImplementedError

    def export_url(self, block) -> str | None:
        """Where the streamed CSV export of this block is served, if the coaching app's URLs are installed."""
        from django.urls import NoReverseMatch, reverse

        try:
            return reverse("collective_coaching:export_csv", kwargs={"usage_id": self.block_id(block)})
        except NoReverseMatch:
            return None

    def load_block(self, request, usage_id: str):
        """The block ``usage_id`` bound to the user of a plain Django request (None if unknown)."""
        raise NotImplementedError

    def group_place(self, block, person: Person) -> CohortRef:
        """Where the learner's small group forms, as the block's group source says.

        Teams: the learner's team (the unit's pool if they have none); cohorts: their cohort (the
        pool in a course without cohorts, or for a learner without a cohort); pool: the pool.
        """
        own_pool = CohortRef(OWN_POOL, "")
        source = getattr(block, "group_source", "cohort")
        if source == "pool":
            return own_pool
        if source == "team":
            return self.team_of(block, person) or own_pool
        return self.cohort_of(block, person)

    def team_of(self, block, person: Person) -> CohortRef | None:
        """The learner's team in the block's teamset, or None (no teams, or not in one)."""
        return None

    def teamsets(self, block) -> list[tuple[str, str]] | None:
        """The course's teamsets as (id, name); none where the host has no teams, None where it cannot tell."""
        return []

    def settings_editable(self, block) -> bool:
        """Whether the runtime can save the block's settings (``save_settings``) at all."""
        return True

    def course_cohorts(self, block) -> list[CohortRef]:
        """Every cohort of the block's course (empty for a course without cohorts)."""
        raise NotImplementedError

    def record_score_override(self, block, *, learner_key: str, earned: int, possible: int, by: str, reason: str):
        """Send a facilitator's score for another learner to where the host's gradebook reads it.

        ``earned`` and ``possible`` are raw points, as the participation grade publishes them.
        The workbench has no gradebook: the block's own record (``ScoreOverride``) is all there
        is, and the learner sees it. The Open edX host sends it to the LMS (see ``openedx.py``).
        """

    def enrolled_learners(self, block) -> list[EnrolledLearner] | None:
        """The course's enrolled learners (not its staff), each with their cohort; None where the host
        cannot tell (as for groups formed from teams). One or two queries for the lot."""
        return None

    # --- for commands, outside any request: the group's news by email (send_group_news) ---------

    def load_unit(self, block_id: str):
        """The coaching block ``block_id`` as its course holds it, bound to no user, or None if it is gone."""
        raise NotImplementedError

    def contacts(self, members) -> dict[int, Contact]:
        """How to write to each of these memberships' learners, by membership id (none: no address known).

        Reads the learners in bulk: a fixed number of queries for the lot, beyond what the host's
        own language preferences cost.
        """
        raise NotImplementedError

    def unit_url(self, block, learner_key: str) -> str:
        """An absolute link to the unit, for a learner's email."""
        raise NotImplementedError

    def staff_contacts(self, block) -> dict[str, Contact]:
        """The course's facilitators (its staff), by username, with how to write to them: for their digest."""
        return {}

    def publish_event(self, block, name: str, data: dict) -> None:
        """Send a tracking event about a unit from a command, outside any learner's request.

        The workbench publishes through the block's runtime, as a request would; the Open edX
        host sends it to the platform's event tracking with the course's context.
        """
        block.runtime.publish(block, name, data)
