"""Drafts through the real handler: which fields, which refusals, and that retirement removes them."""

from __future__ import annotations

import pytest

from collective_coaching_xblock.models import Draft, Membership
from collective_coaching_xblock.retirement import retire_user

from .test_authorization_matrix import snapshot


@pytest.fixture
def alice(workbench):
    workbench.open_unit("alice")
    return workbench


@pytest.mark.parametrize(
    "key", ["contribution:tell", "contribution:act", "reflection:12:attention", "response:7", "plan"]
)
def test_a_draft_of_each_field_is_kept_and_an_empty_one_deleted(alice, key):
    alice.ok("alice", "save_draft", {"key": key, "text": "half written"})
    alice.ok("alice", "save_draft", {"key": key, "text": "half written, then more"})  # one row per field
    assert list(Draft.objects.values_list("key", "text")) == [(key, "half written, then more")]
    alice.ok("alice", "save_draft", {"key": key, "text": ""})
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    ("student", "body", "status"),
    [
        ("alice", {"key": "contribution:contract", "text": "x"}, 400),  # the contract takes no text
        ("alice", {"key": "contribution:nope", "text": "x"}, 400),
        ("alice", {"key": "reflection:12:nope", "text": "x"}, 400),
        ("alice", {"key": "flag:contribution:3", "text": "x"}, 400),
        ("alice", {"key": "plan", "text": ["x"]}, 400),
        ("alice", {"key": "plan", "text": "x" * 20_001}, 400),
        ("alice", {"text": "x"}, 400),
        ("facilitator", {"key": "plan", "text": "x"}, 403),
        ("", {"key": "plan", "text": "x"}, 403),
    ],
)
def test_drafts_refuse_what_is_not_a_learners_field(alice, student, body, status):
    before = snapshot()
    result = alice.call(student, "save_draft", body)
    assert result.status == status and result.body["error"]
    assert snapshot() == before and not Draft.objects.exists()


def test_retirement_deletes_drafts(alice):
    alice.ok("alice", "save_draft", {"key": "plan", "text": "a plan in progress"})
    member = Membership.objects.get(learner_key="alice")
    retire_user(member.user_id, member.username)
    assert not Draft.objects.exists()
