"""``seed_demo``: create the demo's cohorts and people (safe to run again)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from ...data import COHORTS, STAFF, display_name
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
        for username in STAFF:
            DemoPerson.objects.update_or_create(
                username=username,
                defaults={"display_name": display_name(username), "cohort": None, "is_staff": True},
            )
        self.stdout.write(
            f"Demo data: {DemoCohort.objects.count()} cohorts, {DemoPerson.objects.count()} people."
        )
