"""The group's news by email (send_group_news): who gets a message, what it holds, and what it never holds.

The command runs against the real database and sends through edx-ace's Django email channel,
into Django's test outbox (``mailoutbox``).
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from collective_coaching_xblock.demo.data import DEMO_COURSE_ID
from collective_coaching_xblock.demo.host import DemoHost
from collective_coaching_xblock.demo.models import DemoPerson
from collective_coaching_xblock.demo.scale import seed_learners
from collective_coaching_xblock.models import Contribution, Membership

from .test_authorization_matrix import snapshot

STORIES = {"alice": "Alice's secret about the night shift.", "bob": "Bob's words about his first job."}


def send(*args, at=None) -> str:
    """Run the command (``at``: as if it were then) and return its summary."""
    from collective_coaching_xblock.management.commands import send_group_news

    out = StringIO()
    with mock.patch.object(send_group_news.timezone, "now", return_value=at) if at else nullcontext():
        call_command("send_group_news", *args, stdout=out)
    return out.getvalue().strip()


def share(wb, student: str, sharing: str = "group") -> int:
    """The student agrees to the group contract and tells their story; returns the story's id."""
    wb.ok(student, "submit_contribution", {"stage_id": "contract"})
    return wb.ok(student, "submit_contribution", {"stage_id": "tell", "text": STORIES[student], "sharing": sharing})[
        "contribution"
    ]["id"]


@pytest.fixture
def group(workbench):
    """alice, bob and carol in one group (joined an hour ago); alice and bob shared their stories since."""
    for student in ("alice", "bob", "carol"):
        workbench.open_unit(student)
    Membership.objects.update(joined=timezone.now() - timedelta(hours=1))
    workbench.stories = {student: share(workbench, student) for student in ("alice", "bob")}
    return workbench


def mail_to(outbox, student: str):
    found = [message for message in outbox if message.to == [f"{student}@example.com"]]
    assert len(found) <= 1
    return found[0] if found else None


def everything(message) -> str:
    """What a learner reads of the message: subject, text and HTML."""
    return "\n".join([message.subject, message.body, *(content for content, _type in message.alternatives)])


def test_a_learner_with_news_gets_one_message_and_one_without_news_none(group, mailoutbox, settings):
    assert send() == (
        "Group news: 2 sent, 0 failed, 0 no longer wanted, 0 without an address; 1 units read, 0 could not be read."
    )
    assert sorted(message.to[0] for message in mailoutbox) == ["alice@example.com", "bob@example.com"]
    # carol shared no story yet, so the unit shows her no peer's story: she has no news
    assert mail_to(mailoutbox, "carol") is None
    message = mail_to(mailoutbox, "alice")
    assert message.subject == "News from your small group"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "1 new story or next steps shared in your group" in message.body
    assert "reflection" not in message.body and "plan" not in message.body
    link = f"{settings.COLLECTIVE_COACHING_DEMO_URL}/scenario/collective_coaching.0/?student=alice"
    assert link in message.body and f'href="{link}"' in message.alternatives[0][0]
    assert Membership.objects.get(learner_key="alice").news_sent_at is not None
    assert Membership.objects.get(learner_key="carol").news_sent_at is None


def test_the_message_holds_no_learners_words_and_no_names(group, mailoutbox):
    send()
    for student in ("alice", "bob"):
        text = everything(mail_to(mailoutbox, student))
        for words in STORIES.values():
            assert words not in text
        for name in ("Alice", "Bob", "Carol", "bob" if student == "alice" else "alice", "carol"):
            assert name not in text


def test_at_most_one_message_a_day(group, mailoutbox):
    first = timezone.now()
    send(at=first)
    assert len(mailoutbox) == 2
    assert send(at=first + timedelta(hours=23, minutes=59)).startswith("Group news: 0 sent")
    group.ok("carol", "submit_contribution", {"stage_id": "contract"})
    group.ok("carol", "submit_contribution", {"stage_id": "tell", "text": "Carol's story.", "sharing": "group"})
    # Carol's story is new for alice and bob, but they had their message today; carol had none yet.
    assert send().startswith("Group news: 1 sent")
    assert len(mailoutbox) == 3
    assert "2 new stories or next steps shared in your group" in mail_to(mailoutbox[2:], "carol").body
    # A day later, the news since each one's last message, and only that.
    send(at=first + timedelta(hours=24))
    assert sorted(message.to[0] for message in mailoutbox[3:]) == ["alice@example.com", "bob@example.com"]
    assert "1 new story or next steps shared in your group" in mail_to(mailoutbox[3:], "alice").body
    assert send(at=first + timedelta(hours=48)).startswith("Group news: 0 sent")  # nothing new since
    assert len(mailoutbox) == 5


def test_a_learner_who_says_no_gets_nothing(group, mailoutbox):
    group.ok("alice", "set_email_news", {"email": False})
    send()
    assert [message.to for message in mailoutbox] == [["bob@example.com"]]


def test_no_is_read_when_the_message_goes(group, mailoutbox, monkeypatch):
    """A learner who says no while the command runs, after their news was counted, gets nothing."""
    contacts = DemoHost.contacts

    def says_no_meanwhile(host, members):
        Membership.objects.filter(learner_key="alice").update(email_news=False)
        return contacts(host, members)

    monkeypatch.setattr(DemoHost, "contacts", says_no_meanwhile)
    assert send().startswith("Group news: 1 sent, 0 failed, 1 no longer wanted")
    assert [message.to for message in mailoutbox] == [["bob@example.com"]]
    assert Membership.objects.get(learner_key="alice").news_sent_at is None


def _facilitator_hides(wb, story):
    wb.ok("facilitator", "moderate", {"action": "hide", "kind": "contribution", "id": story, "reason": "r"})


@pytest.mark.parametrize(
    "what_bob_did",
    [
        lambda wb: wb.ok("bob", "submit_contribution", {"stage_id": "tell", "text": "x", "sharing": "facilitator"}),
        lambda wb: wb.ok("bob", "submit_contribution", {"stage_id": "tell", "text": "x", "sharing": "private"}),
        lambda wb: wb.ok("bob", "withdraw_contribution", {"contribution_id": wb.stories["bob"]}),
        lambda wb: wb.ok("bob", "withdraw_contribution", {"contribution_id": _contract(wb, "bob")}),
        lambda wb: _facilitator_hides(wb, wb.stories["bob"]),
    ],
    ids=["facilitator only", "only me", "story withdrawn", "consent withdrawn", "hidden by a facilitator"],
)
def test_no_news_of_a_story_the_learner_cannot_read(group, mailoutbox, what_bob_did):
    what_bob_did(group)
    send()
    assert mail_to(mailoutbox, "alice") is None


def _contract(wb, student):
    return Contribution.objects.get(author__learner_key=student, stage_id="contract").pk


def test_no_news_of_a_story_the_learner_reported(group, mailoutbox):
    group.ok("alice", "flag_content", {"kind": "contribution", "id": group.stories["bob"], "reason": "harmful"})
    send()
    assert mail_to(mailoutbox, "alice") is None


def _reflect_and_plan(wb):
    """bob witnesses alice's story, tags a theme and saves the group plan."""
    wb.ok("bob", "submit_reflection", {"contribution_id": wb.stories["alice"], "answers": {"image": "a map"}})
    wb.ok("bob", "tag_themes", {"themes": [{"theme": "time", "structural": True}]})
    wb.ok("bob", "save_group_plan", {"text": "Our plan, in bob's words.", "version": 0})


def test_reflections_on_my_story_and_a_plan_someone_else_changed(group, mailoutbox):
    _reflect_and_plan(group)
    send()
    alice = mail_to(mailoutbox, "alice").body
    assert "1 new reflection on your story" in alice
    assert "Your group's action plan has changed." in alice
    assert "a map" not in alice and "Our plan" not in alice
    bob = mail_to(mailoutbox, "bob").body  # his own reflection and plan are no news to him
    assert "reflection" not in bob and "action plan" not in bob
    carol = mail_to(mailoutbox, "carol").body  # the plan is the whole group's
    assert "Your group's action plan has changed." in carol and "stor" not in carol.split("\n\n")[0]


def test_a_learner_whose_consent_is_withdrawn_hears_of_no_reflection(group, mailoutbox):
    _reflect_and_plan(group)
    group.ok("alice", "withdraw_contribution", {"contribution_id": _contract(group, "alice")})
    send()
    alice = mail_to(mailoutbox, "alice").body  # her story is no longer shared, nor are its reflections
    assert "reflection" not in alice and "new stor" not in alice
    assert "Your group's action plan has changed." in alice


def test_the_message_comes_in_the_learners_language(group, mailoutbox):
    DemoPerson.objects.filter(username="alice").update(language="es-419")
    send()
    alice, bob = mail_to(mailoutbox, "alice"), mail_to(mailoutbox, "bob")
    assert alice.subject == "Novedades de tu grupo pequeño"
    assert "1 relato o próximos pasos nuevos compartidos en tu grupo" in alice.body
    assert "Envíame por correo las novedades de mi grupo (como máximo una vez al día)" in alice.body
    assert bob.subject == "News from your small group"


def test_a_dry_run_counts_and_writes_nothing(group, mailoutbox):
    before = snapshot()
    assert send("--dry-run") == (
        "Group news, dry run (nothing sent or written): 2 would be sent, 0 without an address; "
        "1 units read, 0 could not be read."
    )
    assert mailoutbox == [] and snapshot() == before
    assert not Membership.objects.filter(news_sent_at__isnull=False).exists()


def test_a_message_that_fails_is_sent_at_the_next_run(group, mailoutbox, monkeypatch):
    from collective_coaching_xblock.management.commands import send_group_news

    def fails(news, contact, url):
        raise OSError("the mail server is down")

    monkeypatch.setattr(send_group_news, "send_group_news", fails)
    assert send().startswith("Group news: 0 sent, 2 failed")
    assert not Membership.objects.filter(news_sent_at__isnull=False).exists()
    monkeypatch.undo()
    assert send().startswith("Group news: 2 sent")


def test_a_unit_that_is_gone_is_left_out(group, mailoutbox):
    Membership.objects.update(block_id="no-such-unit.collective_coaching.d0.u0")
    assert send().endswith("0 units read, 1 could not be read.")
    assert mailoutbox == []


def test_the_demo_links_to_the_units_scenario_or_the_front_page(workbench, settings):
    host = DemoHost()
    scenario = host.load_unit(workbench.usage_id)
    other = host.load_unit(workbench.add_block('<collective_coaching group_size="4"/>'))
    base = settings.COLLECTIVE_COACHING_DEMO_URL
    assert host.unit_url(scenario, "bob") == f"{base}/scenario/collective_coaching.0/?student=bob"
    assert host.unit_url(other, "bob") == f"{base}/?student=bob"
    assert host.load_unit("no-such-unit") is None


def test_the_queries_do_not_grow_with_the_groups(workbench, mailoutbox):
    """A fixed number of queries per unit, and one per message (the check that the learner still wants it)."""

    def run(learners: int) -> int:
        usage_id = workbench.add_block(f'<collective_coaching group_size="3" display_name="{learners}"/>')
        seed_learners(usage_id, DEMO_COURSE_ID, learners, group_size=3, cohorts=(("cohort-a", "A"),), prefix="q")
        Membership.objects.filter(block_id=usage_id).update(joined=timezone.now() - timedelta(hours=1))
        sent = len(mailoutbox)
        with CaptureQueriesContext(connection) as queries:
            send()
        assert len(mailoutbox) - sent == learners  # each hears of their peers' stories and reflections
        Membership.objects.filter(block_id=usage_id).update(email_news=False)
        return len(queries) - learners

    assert run(6) == run(12)
