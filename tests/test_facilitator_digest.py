"""The facilitators' daily digest (send_facilitator_digest): new flags, newly stalled learners, answers."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import timedelta
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.utils import timezone

from collective_coaching_xblock.models import Contribution, FacilitatorDigest, Membership

from .test_facilitation import course  # noqa: F401 - Cohort A: alice, bob, carol (group 1), dan (group 2); B: gita, hamid


def send(*args, at=None) -> str:
    from collective_coaching_xblock.management.commands import send_facilitator_digest

    out = StringIO()
    when = mock.patch.object(send_facilitator_digest.timezone, "now", return_value=at) if at else nullcontext()
    with when:
        call_command("send_facilitator_digest", *args, stdout=out)
    return out.getvalue().strip()


def to(outbox, username):
    return [m for m in outbox if m.to == [f"{username}@example.com"]]


def test_each_facilitator_hears_what_is_new_in_their_cohorts_once_a_day(course, mailoutbox):  # noqa: F811
    alice_story = Contribution.objects.get(author__learner_key="alice", stage_id="tell")
    course.ok("bob", "flag_content", {"kind": "contribution", "id": alice_story.pk, "reason": "Names my boss."})
    Membership.objects.filter(learner_key="carol").update(last_activity=timezone.now() - timedelta(days=7, hours=1))
    course.ok(
        "facilitator",
        "write_to_learner",
        {"member_id": Membership.objects.get(learner_key="dan").member_id, "text": "How are you?"},
    )
    course.ok("dan", "answer_facilitator", {"text": "Fine, thanks."})
    assert send("--dry-run").startswith("Facilitator digests, dry run (nothing sent or written): 1 would be sent")
    assert not mailoutbox and not FacilitatorDigest.objects.exists()
    assert send().startswith("Facilitator digests: 1 sent, 0 failed")
    (message,) = to(mailoutbox, "facilitator")
    body = message.body
    assert "1 new flag to review" in body and "1 learner newly stalled" in body
    assert "1 learner answered you one to one" in body
    # Counts and a link: nobody's words or name.
    for private in ("Names my boss", "Fine, thanks", "alice tells", "Alice", "Carol", "Dan"):
        assert private not in body
    # facilitator_b (Cohort B) has nothing new: no digest. Nobody gets a second one the same day.
    assert not to(mailoutbox, "facilitator_b")
    assert send().startswith("Facilitator digests: 0 sent")
    # The next day, with nothing new, still nothing.
    assert send(at=timezone.now() + timedelta(hours=25)).startswith("Facilitator digests: 0 sent")


def test_a_facilitator_who_says_no_gets_nothing(course, mailoutbox):  # noqa: F811
    assert course.ok("facilitator", "triage", {})["digest"] is True
    assert course.ok("facilitator", "set_facilitator_digest", {"email": False}) == {"digest": False}
    assert course.ok("facilitator", "triage", {})["digest"] is False
    assert course.call("facilitator", "set_facilitator_digest", {"email": "no"}).status == 400
    assert course.call("alice", "set_facilitator_digest", {"email": False}).status == 403
    alice_story = Contribution.objects.get(author__learner_key="alice", stage_id="tell")
    course.ok("bob", "flag_content", {"kind": "contribution", "id": alice_story.pk, "reason": "Unkind."})
    send()
    assert not to(mailoutbox, "facilitator")


def test_retiring_a_facilitator_removes_their_digest_choice(course):  # noqa: F811
    from collective_coaching_xblock.retirement import retire_user

    course.ok("facilitator", "set_facilitator_digest", {"email": False})
    retire_user(None, "facilitator")
    assert not FacilitatorDigest.objects.exists()
