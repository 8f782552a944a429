"""The demo host adapter: cohorts and roles from the seeded demo data."""

from __future__ import annotations

from django.conf import settings

from ..platform.base import CohortRef, Contact, EnrolledLearner, Host, Person
from .data import COHORTS, DEMO_COURSE_ID, cohort_for_unknown, email_address
from .models import DemoCohort, DemoPerson


class DemoHost(Host):
    """The xblock-sdk workbench with two seeded cohorts; unknown students get a stable cohort."""

    def course_id(self, block) -> str:
        return DEMO_COURSE_ID

    def course_has_cohorts(self, block) -> bool:
        return True

    def cohort_of(self, block, person: Person) -> CohortRef:
        seeded = DemoPerson.objects.select_related("cohort").filter(username=person.key).first()
        if seeded is not None and seeded.cohort is not None:
            return CohortRef(seeded.cohort.slug, seeded.cohort.name)
        slug = cohort_for_unknown(person.key)
        return CohortRef(slug, COHORTS[slug][0])

    def course_cohorts(self, block) -> list[CohortRef]:
        return [CohortRef(cohort.slug, cohort.name) for cohort in DemoCohort.objects.order_by("name")]

    def enrolled_learners(self, block) -> list[EnrolledLearner]:
        """The seeded learners: every demo person but staff is enrolled in the demo course."""
        people = DemoPerson.objects.filter(is_staff=False).select_related("cohort").order_by("username")
        return [EnrolledLearner(p.pk, p.username, p.display_name, p.cohort.slug if p.cohort else "") for p in people]

    def visitor_note(self, block) -> str:
        # The demo's own text, in English like the rest of the demo's pages.
        return (
            "You have not picked a demo user, so you can read but not take part. Add ?student=alice "
            "(or bob, carol, any id; facilitator for the dashboard) to the address of this page."
        )

    def load_block(self, request, usage_id: str):
        from workbench.runtime import WorkbenchRuntime
        from xblock.exceptions import NoSuchUsage

        try:
            return WorkbenchRuntime(request.GET.get("student", "")).get_block(usage_id)
        except NoSuchUsage:
            return None

    def export_url(self, block) -> str | None:
        url = super().export_url(block)
        # The workbench names its user in the query string.
        return f"{url}?student={block.scope_ids.user_id}" if url else None

    def load_unit(self, block_id: str):
        from workbench.runtime import WorkbenchRuntime
        from workbench.scenarios import get_scenarios
        from xblock.exceptions import NoSuchUsage

        get_scenarios()  # the workbench knows its units once it loaded its scenarios, as its server does
        try:
            return WorkbenchRuntime().get_block(block_id)
        except NoSuchUsage:
            return None

    def staff_contacts(self, block) -> dict[str, Contact]:
        """The demo's staff: facilitator and facilitator_b, each with an address and their language."""
        staff = DemoPerson.objects.filter(is_staff=True).order_by("username")
        return {p.username: Contact(email_address(p.username), p.language or None, p.pk) for p in staff}

    def contacts(self, members) -> dict[int, Contact]:
        """Every demo person has an address; their language is the one seeded for them (English unless set)."""
        members = list(members)
        languages = dict(
            DemoPerson.objects.filter(username__in=[m.learner_key for m in members]).values_list("username", "language")
        )
        return {
            m.pk: Contact(email_address(m.learner_key), languages.get(m.learner_key) or None, m.user_id)
            for m in members
        }

    def unit_url(self, block, learner_key: str) -> str:
        """The workbench's page of the unit's scenario (its front page for a unit of none), as that learner."""
        from urllib.parse import urlencode

        from workbench.scenarios import get_scenarios

        block_id = self.block_id(block)
        scenario = next((name for name, s in get_scenarios().items() if s.usage_id == block_id), None)
        path = f"/scenario/{scenario}/" if scenario else "/"
        return f"{settings.COLLECTIVE_COACHING_DEMO_URL.rstrip('/')}{path}?{urlencode({'student': learner_key})}"
