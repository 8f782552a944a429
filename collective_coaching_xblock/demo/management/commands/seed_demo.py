"""``seed_demo``: create the demo's cohorts and people (safe to run again)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from ....models import FacilitatorScope
from ...data import COHORTS, DEMO_COURSE_ID, STAFF, display_name
from ...models import DemoCohort, DemoPerson


class Command(BaseCommand):
    help = "Seed the demo's two cohorts, their learners and the facilitator. Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        for slug, (name, usernames) in COHORTS.items():
            cohort, _ = DemoCohort.objects.update_or_create(slug=slug, defaults={"name": name})
            for username in usernames:
                DemoPerson.objects.update_or_create(
                    username=username,
                    defaults={"display_name": display_name(username), "cohort": cohort, "is_staff": False},
                )
        for username, cohorts in STAFF.items():
            DemoPerson.objects.update_or_create(
                username=username,
                defaults={"display_name": display_name(username), "cohort": None, "is_staff": True},
            )
            for cohort in cohorts:
                FacilitatorScope.objects.get_or_create(
                    course_id=DEMO_COURSE_ID,
                    username=username,
                    cohort_id=cohort,
                    defaults={"assigned_by": "seed"},
                )
        self.stdout.write(f"Demo data: {DemoCohort.objects.count()} cohorts, {DemoPerson.objects.count()} people.")
