"""A learner's choice of their group's news by email: the handler, the state, the page, refusals."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from collective_coaching_xblock.models import Membership

from .test_authorization_matrix import snapshot


@pytest.fixture
def alice(workbench):
    workbench.open_unit("alice")
    return workbench


def chooses_email(student: str = "alice") -> bool:
    return Membership.objects.get(learner_key=student).email_news


def test_the_news_comes_by_email_until_the_learner_says_no(alice):
    assert alice.ok("alice", "get_state")["email_news"] is True
    assert alice.ok("alice", "set_email_news", {"email": False}) == {"email_news": False}
    assert chooses_email() is False
    assert alice.ok("alice", "get_state")["email_news"] is False
    assert alice.ok("alice", "set_email_news", {"email": False}) == {"email_news": False}  # the same twice
    assert chooses_email() is False
    assert alice.ok("alice", "set_email_news", {"email": True}) == {"email_news": True}
    assert alice.ok("alice", "get_state")["email_news"] is True


def test_a_learners_choice_is_their_own(alice):
    alice.open_unit("bob")
    alice.ok("alice", "set_email_news", {"email": False})
    assert chooses_email("bob") is True
    assert alice.ok("bob", "get_state")["email_news"] is True


def _checkbox(html: str) -> str:
    return re.search(r'<input[^>]*data-role="email-news"[^>]*>', html).group()


def test_the_page_shows_the_choice(alice):
    html = alice.open_unit("alice")
    assert "checked" in _checkbox(html)
    assert "Email me my group's news (at most once a day)" in html
    assert '"email_news": true' in html  # the page's state, which its script keeps
    alice.ok("alice", "set_email_news", {"email": False})
    html = alice.open_unit("alice")
    assert "checked" not in _checkbox(html)
    assert '"email_news": false' in html


@pytest.mark.parametrize(
    ("student", "body", "status"),
    [
        ("alice", {"email": "no"}, 400),
        ("alice", {"email": 0}, 400),
        ("alice", {"email": None}, 400),
        ("alice", {}, 400),
        ("alice", [False], 400),
        ("facilitator", {"email": False}, 403),
        ("", {"email": False}, 403),
    ],
)
def test_refusals_write_nothing(alice, student, body, status):
    before = snapshot()
    result = alice.call(student, "set_email_news", body)
    assert result.status == status and result.body["error"]
    assert snapshot() == before and chooses_email() is True


def test_a_refusal_does_not_place_a_newcomer_in_a_group(workbench):
    result = workbench.call("bob", "set_email_news", {"email": "never"})
    assert result.status == 400
    assert not Membership.objects.filter(learner_key="bob").exists()


def test_the_learners_download_holds_their_choice_and_their_last_message(alice):
    def download():
        response = alice.client.get(f"/handler/{alice.usage_id}/download_my_data/?student=alice")
        assert response.status_code == 200
        return json.loads(response.content)

    mine = download()
    assert (mine["email_news"], mine["news_sent_at"]) == (True, None)
    alice.open_unit("bob")  # bob shares his story, which alice may read once she shared hers
    for student in ("alice", "bob"):
        alice.ok(student, "submit_contribution", {"stage_id": "contract"})
        alice.ok(student, "submit_contribution", {"stage_id": "tell", "text": "A story.", "sharing": "group"})
    call_command("send_group_news", stdout=StringIO())
    sent = Membership.objects.get(learner_key="alice").news_sent_at
    assert sent is not None
    alice.ok("alice", "set_email_news", {"email": False})
    mine = download()
    assert (mine["email_news"], mine["news_sent_at"]) == (False, sent.isoformat())
