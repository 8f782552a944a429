"""In Chromium: one to one between a facilitator and a learner, and moderation while reading a group."""

from __future__ import annotations

from .demo_server import Browserless
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


def test_reading_a_group_shows_each_answer_with_its_question_and_hides_a_reflection_there(
    browser,  # noqa: F811
    demo_server,  # noqa: F811
):
    bob = Browserless(demo_server, "bob")
    alice_story = next(c for c in bob.ok_after_open("get_state")["contributions"] if c["author_name"] == "Alice")
    bob.ok("submit_reflection", {"contribution_id": alice_story["id"], "answers": {"attention": "The night bus."}})
    watch = Watch(browser, demo_server, "facilitator", width=360)
    page = watch.page
    with page.expect_response(lambda response: "/group_detail/" in response.url):
        page.get_by_role("button", name="Read this group").first.click()
    reflection = page.locator("[data-role=detail-body] .cc-witness", has_text="Reflection from Bob")
    assert reflection.locator("dt").first.inner_text() == "What caught your attention in this story?"
    assert reflection.locator("dd").first.inner_text() == "The night bus."
    reflection.get_by_label("Why hide it? Its author will read this.").fill("It names a place.")
    with watch.sends("moderate"):  # the preview of what the hide changes
        reflection.get_by_role("button", name="Hide from learners").click()
    with watch.sends("moderate"):
        page.locator("[data-role=detail-body] .cc-confirm button", has_text="Go ahead").click()
    watch.wait_for_announcement("Hidden from learners.")
    page.locator("[data-role=detail-body] .cc-witness h5", has_text="Reflection from Bob · hidden").wait_for()
    bob_state = Browserless(demo_server, "bob").ok_after_open("get_state")
    mine = next(r for r in bob_state["reflections"] if r["mine"])
    assert mine["hidden"] and mine["hidden_reason"] == "It names a place."
    assert axe_violations(page) == []
    watch.close()


def test_a_live_session_on_a_shared_screen_with_the_keyboard_alone(browser, demo_server):  # noqa: F811
    """Alice, Bob and Carol shared their stories above; the facilitator opens group 1's screen."""
    facilitator = Browserless(demo_server, "facilitator")
    group_id = Browserless(demo_server, "alice").ok_after_open("get_state")["group"]["id"]
    facilitator.ok_after_open("open_stage", {"stage_id": "themes", "group_id": group_id})
    Browserless(demo_server, "bob").ok_after_open("tag_themes", {"themes": [{"theme": "time", "structural": True}]})
    watch = Watch(browser, demo_server, "facilitator", width=1920)
    page = watch.page
    # The author's notes per stage, folded in the dashboard's guide: one click opens a stage's.
    guide = page.locator("[data-role=guide-section]")
    assert guide.is_visible() and guide.locator("details summary").count() == 5
    guide.locator("details summary", has_text="Witness each other's stories").click()
    assert guide.locator("details[open] p").inner_text().startswith("Model one outsider-witness response")
    opener = page.locator("[data-role=groups] .cc-group-panel").first.get_by_role("button", name="Live session")
    opener.focus()
    with page.expect_response(lambda response: "/live_session/" in response.url):
        page.keyboard.press("Enter")
    screen = page.get_by_role("dialog")
    heading = screen.locator(".cc-session-title")
    heading.wait_for()
    page.wait_for_function("() => document.activeElement.classList.contains('cc-session-title')")
    assert heading.inner_text() == "Live session: Group 1 (Cohort A)"
    rows = screen.locator(".cc-session-themes tbody tr")
    assert rows.first.locator("th").inner_text() == "time"
    assert rows.first.locator("td").all_inner_texts()[:2] == ["1", "0"]
    assert screen.locator(".cc-session-stories").count() == 0  # no story text unless the facilitator shows it
    assert screen.locator(".cc-session-notes").evaluate("(node) => node.open") is False  # notes stay folded
    # Stories shared with the group, by pseudonym: the keyboard reaches the choice from the heading.
    page.keyboard.press("Tab")  # the screen's first control: names
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.nextSibling.textContent") == "Show the stories shared with the group"
    with page.expect_response(lambda response: "/live_session/" in response.url):
        page.keyboard.press("Space")
    stories = screen.locator(".cc-session-stories li")
    stories.first.wait_for()
    authors = stories.locator("strong").all_inner_texts()
    assert authors and not {"Alice", "Bob", "Carol"} & set(authors)  # pseudonyms by default
    # A learner tags a theme: the screen follows within its next look (every few seconds).
    Browserless(demo_server, "alice").ok_after_open("tag_themes", {"themes": [{"theme": "money", "structural": False}]})
    page.wait_for_function(
        "() => [...document.querySelectorAll('.cc-session-themes tbody th')].some((th) => th.textContent === 'money')",
        timeout=15000,
    )
    assert axe_violations(page) == []
    for _ in range(6):  # Tab never leaves the screen
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('.cc-session')")
    page.keyboard.press("Escape")
    assert screen.count() == 0
    assert page.evaluate("document.activeElement.textContent") == "Live session"
    watch.close()
