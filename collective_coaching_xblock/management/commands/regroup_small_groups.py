"""``regroup_small_groups``: merge groups that stayed below three members into another group of their cohort.

Safe for cron, and meant to run every hour or every day: a group is merged once it has waited the
delay its unit's author chose without a newcomer, into a group of the same cohort that has room
within the unit's group size; running it again merges nothing more unless time or people moved on.
A facilitator can turn it off per unit; groups formed by a course's teams, and groups a facilitator
arranged by hand, are never merged (docs/decisions/0015).
"""

from __future__ import annotations

from collections import Counter

from django.core.management.base import BaseCommand
from django.utils import timezone

from ... import events
from ...operations import small_groups
from ...platform import get_host
from ..units import readable_units, units_read


class Command(BaseCommand):
    help = (
        "Merge each group that has stayed below three members for its unit's delay into another group of "
        "its cohort with room for it, keeping everyone's work. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be merged; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        host = get_host()
        counts = Counter()
        for _block_id, unit, exercise in readable_units(host, small_groups.units_with_small_groups(now), counts):
            for merge in small_groups.regroup_unit(exercise, now, dry_run=dry_run):
                counts["groups"] += 1
                counts["learners"] += merge.members
                if not dry_run:
                    host.publish_event(
                        unit,
                        events.PREFIX + "groups.merged",
                        {
                            "group_id": merge.group_id,
                            "group_number": merge.from_number,
                            "into_group_id": merge.into_group_id,
                            "into_group_number": merge.into_number,
                            "members": merge.members,
                            "automatic": True,
                        },
                    )
        head = "Small groups, dry run (nothing changed): would merge" if dry_run else "Small groups: merged"
        self.stdout.write(f"{head} {counts['groups']} groups ({counts['learners']} learners); {units_read(counts)}")
