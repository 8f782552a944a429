"""One to one: a private thread between a learner and the facilitators of their cohort."""

from __future__ import annotations

import json

import pytest

from collective_coaching_xblock.models import Membership, PrivateMessage
from collective_coaching_xblock.retirement import retire_user

from .test_facilitation import course  # noqa: F401 - Cohort A: alice, bob, carol (group 1), dan (group 2); B: gita, hamid

SECRET = "I noticed you mentioned your illness; would you like to talk?"


def member(student):
    return Membership.objects.get(learner_key=student)


def write(wb, text=SECRET, to="alice", who="facilitator"):
    return wb.call(who, "write_to_learner", {"member_id": member(to).member_id, "text": text})


def everything_seen_by(wb, student) -> str:
    """Every surface a learner reads: their state, their page and their download."""
    state = wb.ok(student, "get_state")
    page = wb.open_unit(student)
    download = wb.client.get(f"/handler/{wb.usage_id}/download_my_data/?student={student}").content.decode()
    return json.dumps(state) + page + download


def test_a_facilitator_writes_the_learner_answers_and_nobody_else_reads_a_word(course, published):  # noqa: F811
    assert write(course).status == 200
    alice = course.ok("alice", "get_state")["one_to_one"]
    assert [(m["from"], m["name"], m["text"]) for m in alice] == [("facilitator", "Facilitator", SECRET)]
    for other in ("bob", "carol", "dan", "gita"):
        assert SECRET not in everything_seen_by(course, other)
        assert course.ok(other, "get_state")["one_to_one"] == []
    course.ok("alice", "answer_facilitator", {"text": "Yes, after the session please."})
    detail = course.ok("facilitator", "group_detail", {"group_id": member("alice").group_id})
    thread = next(m for m in detail["members"] if m["name"] == "Alice")["one_to_one"]
    assert [(m["from"], m["text"]) for m in thread] == [
        ("facilitator", SECRET),
        ("learner", "Yes, after the session please."),
    ]
    # The answer waits in the facilitator's triage list until they write again.
    assert [p["name"] for p in course.ok("facilitator", "triage", {"cohort": "cohort-a"})["answered"]] == ["Alice"]
    write(course, "Thursday then.")
    assert course.ok("facilitator", "triage", {"cohort": "cohort-a"})["answered"] == []
    # Events say who and when, never what.
    sent = [(name, data) for _user, name, data in published if "one_to_one" in name]
    assert [name for name, _data in sent] == [
        "xblock.collective_coaching.one_to_one.written",
        "xblock.collective_coaching.one_to_one.answered",
        "xblock.collective_coaching.one_to_one.written",
    ]
    assert SECRET not in json.dumps(sent) and "session" not in json.dumps(sent)
    # The learner's download holds the thread, the facilitator unnamed.
    download = json.loads(course.client.get(f"/handler/{course.usage_id}/download_my_data/?student=alice").content)
    assert [(m["from"], m["text"]) for m in download["one_to_one"]] == [
        ("a facilitator", SECRET),
        ("me", "Yes, after the session please."),
        ("a facilitator", "Thursday then."),
    ]
    assert "Facilitator" not in json.dumps(download["one_to_one"])


def test_who_may_write_and_bad_input_change_nothing(course):  # noqa: F811
    assert write(course, who="alice").status == 403  # learners do not write to each other this way
    assert write(course, who="facilitator_b").status == 404  # Alice is outside Cohort B
    assert write(course, text="   \u200b ").status == 400
    assert write(course, text="x" * 5001).status == 400
    assert course.call("facilitator", "write_to_learner", {"member_id": "nobody", "text": "Hi"}).status == 404
    assert course.call("facilitator", "write_to_learner", ["alice"]).status == 400
    # A learner answers only once a facilitator wrote; someone who never opened the unit joins nothing.
    assert course.call("alice", "answer_facilitator", {"text": "Hello?"}).status == 400
    assert course.call("erin", "answer_facilitator", {"text": "Hello?"}).status == 400
    assert not Membership.objects.filter(learner_key="erin").exists()
    assert course.call("facilitator", "answer_facilitator", {"text": "As staff"}).status == 403
    assert not PrivateMessage.objects.exists()


@pytest.mark.parametrize("retired", ["alice", "facilitator"])
def test_retirement_removes_the_learners_thread_or_the_facilitators_name(course, retired):  # noqa: F811
    write(course)
    course.ok("alice", "answer_facilitator", {"text": "Thank you."})
    if retired == "alice":
        alice = member("alice")
        retire_user(alice.user_id, alice.username)
        assert not PrivateMessage.objects.exists()
    else:
        retire_user(None, "facilitator")
        message = PrivateMessage.objects.get(from_facilitator=True)
        assert (message.author_username, message.author_name) == ("retired user", "")
        assert course.ok("alice", "get_state")["one_to_one"][0]["name"] == ""


def test_the_learner_hears_by_email_that_their_facilitator_wrote_but_not_what(course, mailoutbox):  # noqa: F811
    from django.core.management import call_command

    write(course)
    call_command("send_group_news", stdout=__import__("io").StringIO())
    to_alice = [m for m in mailoutbox if m.to == ["alice@example.com"]]
    assert len(to_alice) == 1
    body = to_alice[0].body + "".join(str(alt[0]) for alt in getattr(to_alice[0], "alternatives", []))
    assert "Your facilitator wrote to you (only you read it)." in body and SECRET not in body
    assert not [m for m in mailoutbox if "Your facilitator wrote" in m.body and m.to != ["alice@example.com"]]


def test_the_page_learns_of_a_facilitators_message_without_a_reload(course):  # noqa: F811
    before = course.ok("alice", "get_state")["fingerprint"]
    bob_before = course.ok("bob", "get_state")["fingerprint"]
    write(course)
    assert course.ok("alice", "changes", {"since": before})["changed"] is True
    assert course.ok("bob", "changes", {"since": bob_before})["changed"] is False  # nothing of hers reaches him
