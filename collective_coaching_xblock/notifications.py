"""The group's news and the facilitators' digest by email, sent through edx-ace (the platform's messaging library).

Only the ``send_group_news`` and ``send_facilitator_digest`` commands import this module: edx-ace
comes with the platform (and with the demo's and the tests' extras), not with the block.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from edx_ace import ace
from edx_ace.message import Message, MessageType
from edx_ace.recipient import Recipient

from .operations.news import News
from .platform import Contact


class GroupNews(MessageType):
    """A learner's news from their small group: counts and a link to the unit, nobody's words or name.

    Its templates are in templates/collective_coaching/edx_ace/groupnews/email/.
    """

    APP_LABEL = "collective_coaching"  # the label of apps.CollectiveCoachingConfig
    NAME = "groupnews"


def group_news_message(news: News, contact: Contact, unit_url: str) -> Message:
    """The message for one learner, in their language (the site's where the host knows none)."""
    context = {
        "contributions": news.contributions,
        "reflections": news.reflections,
        "plan_changed": news.plan_changed,
        "facilitator_wrote": news.facilitator_wrote,
        "unit_url": unit_url,
    }
    return GroupNews(context=context).personalize(
        recipient=Recipient(lms_user_id=contact.user_id, email_address=contact.email),
        language=contact.language or settings.LANGUAGE_CODE,
        user_context={},
    )


class FacilitatorDigestMessage(MessageType):
    """A facilitator's daily digest of one unit: counts and a link, nobody's words or name.

    Its templates are in templates/collective_coaching/edx_ace/facilitatordigest/email/.
    """

    APP_LABEL = "collective_coaching"
    NAME = "facilitatordigest"


def send_facilitator_digest(digest, contact: Contact, unit_url: str) -> None:
    """Send one facilitator their digest of a unit, in their language."""
    message = FacilitatorDigestMessage(
        context={"flags": digest.flags, "stalled": digest.stalled, "answered": digest.answered, "unit_url": unit_url}
    ).personalize(
        recipient=Recipient(lms_user_id=contact.user_id, email_address=contact.email),
        language=contact.language or settings.LANGUAGE_CODE,
        user_context={},
    )
    with translation.override(message.language):
        ace.send(message)


def send_group_news(news: News, contact: Contact, unit_url: str) -> None:
    """Send one learner their news (edx-ace renders it in the message's language)."""
    message = group_news_message(news, contact, unit_url)
    with translation.override(message.language):
        ace.send(message)
