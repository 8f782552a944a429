"""``send_group_news``: email each learner who wants it their small group's news, at most once a day.

Safe for cron, and meant to run every hour or every day: a learner is due a message a day after
their last one, and only when something is new for them since then (docs/decisions/0014).
Running it again sends nothing to anyone already written to within the day.
"""

from __future__ import annotations

import logging
from collections import Counter

from django.core.management.base import BaseCommand
from django.utils import timezone

from ...notifications import send_group_news
from ...operations import news
from ...platform import get_host
from ..units import readable_units, units_read

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Email each learner who asked for it their small group's news since their last message: new stories "
        "or next steps, reflections on their story, a changed plan. At most one message a day; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the messages that would go; send and write nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        host = get_host()
        counts = Counter()
        for _block_id, unit, exercise in readable_units(host, news.units_with_learners_due(now), counts):
            found = news.news_of_unit(exercise, now)
            contacts = host.contacts([member for member, _news in found]) if found else {}
            for member, learner_news in found:
                contact = contacts.get(member.pk)
                if contact is None:
                    counts["without an address"] += 1
                elif dry_run:
                    counts["would be sent"] += 1
                else:
                    counts[_send(host, unit, member, learner_news, contact, now)] += 1
        self.stdout.write(_summary(counts, dry_run))


def _send(host, unit, member, learner_news, contact, now) -> str:
    """Send one learner their news, if they still want it now; what happened, for the summary."""
    if not news.claim(member, now):
        return "no longer wanted"
    try:
        send_group_news(learner_news, contact, host.unit_url(unit, member.learner_key))
    except Exception:  # one learner's failure stops nobody else's message; they are due again next run
        news.release(member, now)
        log.exception("collective_coaching: the group news of member %s could not be sent", member.member_id)
        return "failed"
    return "sent"


def _summary(counts: Counter, dry_run: bool) -> str:
    if dry_run:
        head = f"Group news, dry run (nothing sent or written): {counts['would be sent']} would be sent"
    else:
        sent, failed, unwanted = counts["sent"], counts["failed"], counts["no longer wanted"]
        head = f"Group news: {sent} sent, {failed} failed, {unwanted} no longer wanted"
    return f"{head}, {counts['without an address']} without an address; {units_read(counts)}"
