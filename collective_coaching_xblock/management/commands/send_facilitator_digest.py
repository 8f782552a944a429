"""``send_facilitator_digest``: email each facilitator, once a day, what needs their attention that is new.

Safe for cron, every hour or every day: a facilitator is due a unit's digest a day after their
last one, and gets one only when something is new in their cohorts (new flags, newly stalled
learners, answers to their one-to-one messages). Counts and a link only. Running it again sends
nothing to anyone already written to within the day; a facilitator can say no on the dashboard.
"""

from __future__ import annotations

import logging
from collections import Counter

from django.core.management.base import BaseCommand
from django.utils import timezone

from ...models import Membership
from ...operations.facilitator import digest
from ...operations.facilitator.scope import facilitator_scope
from ...platform import Person, get_host
from ..units import readable_units, units_read

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Email each facilitator who wants it a daily digest of each unit: new flags, newly stalled learners and "
        "answers to their one-to-one messages, in their cohorts. At most once a day; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count the digests that would go; send nothing.")

    def handle(self, *args, dry_run=False, **options):
        from ...notifications import send_facilitator_digest

        now = timezone.now()
        host = get_host()
        counts = Counter()
        block_ids = Membership.objects.order_by("block_id").values_list("block_id", flat=True).distinct()
        for block_id, unit, exercise in readable_units(host, block_ids, counts):
            cohorts = host.course_cohorts(unit)
            for username, contact in host.staff_contacts(unit).items():
                state = digest.due(block_id, username, now)
                if not state.due:
                    continue
                scope = facilitator_scope(exercise, Person(key=username, name="", username=username, is_staff=True))
                found = digest.digest_of(exercise, scope, cohorts, state.start(now), now)
                if not found:
                    continue
                if dry_run:
                    counts["would be sent"] += 1
                elif not digest.claim(block_id, username, state.last, now):
                    counts["no longer wanted"] += 1
                else:
                    try:
                        send_facilitator_digest(found, contact, host.unit_url(unit, username))
                        counts["sent"] += 1
                    except Exception:  # one failure stops nobody else's digest; due again next run
                        digest.release(block_id, username, state.last, now)
                        log.exception("collective_coaching: the digest of %s could not be sent", username)
                        counts["failed"] += 1
        if dry_run:
            head = f"Facilitator digests, dry run (nothing sent or written): {counts['would be sent']} would be sent"
        else:
            head = f"Facilitator digests: {counts['sent']} sent, {counts['failed']} failed"
        self.stdout.write(f"{head}; {units_read(counts)}")
