"""In Chromium: a facilitator writes to a learner one to one, the learner answers beside their story."""

from __future__ import annotations

from .test_browser import Watch, axe_violations, browser, demo_server  # noqa: F401 - the module's fixtures
from .test_browser_typing import _share


def test_a_one_to_one_exchange_between_a_facilitator_and_a_learner(browser, demo_server):  # noqa: F811
    for name in ("alice", "bob", "carol"):
        _share(demo_server, name)
    facilitator = Watch(browser, demo_server, "facilitator", width=1280)
    page = facilitator.page
    with page.expect_response(lambda response: "/group_detail/" in response.url):
        page.get_by_role("button", name="Read this group").first.click()
    page.locator(".cc-thread-of summary", has_text="Alice").click()
    page.get_by_label("Write to Alice privately").fill("Would you like to talk about the night shifts?")
    with facilitator.sends("write_to_learner"):
        page.locator(".cc-thread-of", has_text="Alice").get_by_role("button", name="Send").click()
    facilitator.wait_for_announcement("Sent to Alice. Only they and their facilitators read it.")

    alice = Watch(browser, demo_server, "alice", width=360)
    thread = alice.page.locator(".cc-one-to-one")
    assert thread.locator(".cc-message").all_inner_texts()[0].endswith("Would you like to talk about the night shifts?")
    assert "your group never does" in thread.inner_text()
    thread.get_by_label("Answer your facilitator").fill("Yes, after Thursday's session.")
    with alice.sends("answer_facilitator"):
        thread.get_by_role("button", name="Send to my facilitator").click()
    alice.wait_for_announcement("Sent. Only your facilitators read it.")
    assert alice.page.locator(".cc-one-to-one .cc-message").count() == 2
    assert axe_violations(alice.page) == []
    alice.close()

    bob = Watch(browser, demo_server, "bob", width=360)
    assert bob.page.locator(".cc-one-to-one").count() == 0
    assert "night shifts" not in bob.page.content()
    bob.close()

    page.reload()
    triage = page.locator("[data-role=triage]")
    triage.locator("h4").first.wait_for()
    assert "Answered you one to one: 1" in triage.locator("h4").all_inner_texts()
    assert "Alice (group 1, Cohort A) answered your private message." in triage.inner_text()
    assert axe_violations(page) == []
    facilitator.close()
