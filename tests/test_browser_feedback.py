"""In Chromium: feedback where the person acted, the way on to what opened, and who reads each sharing choice."""

from __future__ import annotations

from .demo_server import Browserless
from .test_browser import Watch, axe_violations, browser, demo_server  # noqa: F401 - the module's fixtures


def test_saved_shows_beside_the_button_and_the_focus_goes_on_to_the_stage_that_opened(browser, demo_server):  # noqa: F811
    Browserless(demo_server, "alice").open_unit()
    watch = Watch(browser, demo_server, "alice", width=360)
    page = watch.page
    contract = page.locator("form[data-role=contract-form]")
    contract.locator("input[name=consent]").check()
    with watch.sends("submit_contribution"):
        contract.locator("button[type=submit]").click()
    saved = contract.locator(".cc-saved")
    assert saved.locator("span").inner_text() == "✓ Saved"
    box, viewport = saved.bounding_box(), page.viewport_size
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]  # seen on a phone without scrolling
    go_on = saved.locator("a")
    assert go_on.inner_text() == "Go on to: Tell your career story"
    assert page.evaluate("document.activeElement.textContent") == "Go on to: Tell your career story"
    watch.wait_for_announcement(
        "Thank you: you agreed to the group contract. A new stage is open: Tell your career story."
    )
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == page.locator(
        'li[data-stage-id="tell"] .cc-stage-heading'
    ).get_attribute("id")
    # Typing again in the form takes the old "Saved" away.
    story = page.locator("form[data-role=contribution-form][data-stage-id=tell]")
    story.locator("textarea").fill("I left nursing to teach.")
    story.locator("input[value=group]").check()
    with watch.sends("submit_contribution"):
        story.locator("button[type=submit]").click()
    assert story.locator(".cc-saved span").inner_text() == "✓ Saved"
    story.locator("textarea").type(" Then I came back.")
    assert story.locator(".cc-saved").count() == 0
    assert axe_violations(page) == []
    watch.close()


def test_each_sharing_choice_says_who_will_read_it(browser, demo_server):  # noqa: F811
    watch = Watch(browser, demo_server, "bob", width=1280)
    page = watch.page

    def description(value):
        radio = page.locator(f"form[data-stage-id=tell] input[name=sharing][value={value}]")
        return page.locator("#" + radio.get_attribute("aria-describedby")).inner_text()

    assert description("group").startswith("The members of your group read it")
    assert description("facilitator") == (
        "Only your facilitator reads it; your group does not see it. "
        "Your peers' stories open for you once you share your own with your group."
    )
    assert description("private").startswith("Nobody else reads it, not even your facilitator. Your peers'")
    watch.close()
