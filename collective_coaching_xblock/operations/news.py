"""A learner's news from their group by email: their choice, and what is new for them since their last message.

Nothing is recorded when learners write. The daily command (``send_group_news``) counts, from
the rows' own dates, what each learner may read that is new since their last message, asking
the visibility rule (``reading.Rows``) as their page does. It reads no text: a message holds
counts and a link to the unit, never anyone's words or name.
"""

from __future__ import annotations

from ..models import Membership
from .validation import bool_field, require_object


def email_choice(data) -> bool:
    """The learner's choice in ``{"email": true | false}`` (400 for anything else)."""
    return bool_field(require_object(data), "email")


def set_email_news(membership: Membership, email: bool) -> dict:
    """Keep the learner's choice: their group's news by email (at most once a day), or none. Idempotent.

    The command reads the choice when it sends, so a learner who says no gets nothing more.
    """
    if membership.email_news != email:
        Membership.objects.filter(pk=membership.pk).update(email_news=email)
        membership.email_news = email
    return {"email_news": email}
