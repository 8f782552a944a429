"""In Chromium: feedback where the person acted, the way on to what opened, and who reads each sharing choice."""

from __future__ import annotations

from playwright import sync_api

from .demo_server import Browserless
from .test_browser import Watch, axe_violations, browser, consent_and_tell, demo_server  # noqa: F401 - fixtures


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


def test_after_withdrawing_consent_the_contract_and_the_story_say_what_is_shared_and_how_to_share_again(
    browser,  # noqa: F811
    demo_server,  # noqa: F811
):
    watch = Watch(browser, demo_server, "dan", width=360)
    page = watch.page
    consent_and_tell(watch, "I moved from the mine to the hospital kitchen.")
    contract = page.locator("form[data-role=contract-form]")
    story_note = page.locator("li[data-stage-id=tell] [data-role=my-story] [data-role=consent-note]")
    sync_api.expect(contract.locator("[data-role=consent-note]")).to_be_hidden()
    assert story_note.count() == 0
    contract.locator("input[name=consent]").uncheck()
    with watch.sends("withdraw_contribution"):
        contract.locator("button[type=submit]").click()
    watch.wait_for_announcement("Your consent is withdrawn. Your group no longer sees what you shared.")
    sync_api.expect(contract.locator("[data-role=consent-note]")).to_have_text(
        "You withdrew your consent. Your group no longer reads your story, your reflections or your responses; "
        "your facilitator still reads what you shared with them. To share with your group again, tick the box "
        "and save."
    )
    says = (
        "Your group does not read this story while your consent is withdrawn. To share it with them again, "
        "agree to the group contract: tick its box and save."
    )
    sync_api.expect(story_note).to_have_text(says)
    # Opened again, the finished story stage stays unfolded: its note waits for the learner.
    page.reload()
    sync_api.expect(story_note).to_be_visible()
    sync_api.expect(story_note).to_have_text(says)
    assert axe_violations(page) == []
    # Agreeing again shares the story again: both notes go.
    contract.locator("input[name=consent]").check()
    with watch.sends("submit_contribution"):
        contract.locator("button[type=submit]").click()
    sync_api.expect(contract.locator("[data-role=consent-note]")).to_be_hidden()
    sync_api.expect(story_note).to_have_count(0)
    watch.close()


def _luminance(css_color):
    """The relative luminance (WCAG) of a computed colour such as ``rgb(138, 75, 0)``."""
    red, green, blue = (int(part) for part in css_color[css_color.index("(") + 1 : -1].split(",")[:3])

    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def test_the_focus_outline_stands_out_and_the_live_region_is_there_before_its_first_message(
    browser,  # noqa: F811
    demo_server,  # noqa: F811
):
    watch = Watch(browser, demo_server, "erin", width=360)
    page = watch.page
    # The live region is in the page, and read by screen readers, before anything is announced.
    live = page.locator(".cc-block [data-role=live]")
    assert live.inner_text() == ""
    assert live.get_attribute("role") == "status" and live.get_attribute("aria-live") == "polite"
    assert live.evaluate("node => !node.hidden && getComputedStyle(node).display !== 'none'")
    assert live.evaluate("node => getComputedStyle(node).visibility") == "visible"
    # Every kind of control the learner reaches with Tab shows an outline of 3:1 at least (WCAG 1.4.11).

    def focus_outline(control):
        control.focus()
        style, width, color = control.evaluate(
            "node => { const s = getComputedStyle(node); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
        )
        lighter, darker = sorted((_luminance(color), _luminance("rgb(255, 255, 255)")), reverse=True)
        return style, float(width.removesuffix("px")), round((lighter + 0.05) / (darker + 0.05), 2)

    controls = [".cc-stepper a", "input[name=consent]", "form[data-role=contract-form] button"]
    for selector in controls:
        style, width, contrast = focus_outline(page.locator(f".cc-block {selector}").first)
        assert style == "solid" and width >= 2 and contrast >= 3, (selector, style, width, contrast)
    page.locator("input[name=consent]").check()
    with watch.sends("submit_contribution"):
        page.click("form[data-role=contract-form] button")
    for selector in ("form[data-stage-id=tell] textarea", "form[data-stage-id=tell] input[value=group]"):
        style, width, contrast = focus_outline(page.locator(f".cc-block {selector}"))
        assert style == "solid" and width >= 2 and contrast >= 3, (selector, style, width, contrast)
    watch.close()


def test_a_pseudonym_is_explained_as_one(browser, demo_server):  # noqa: F811
    watch = Watch(browser, demo_server, "frida", scenario="collective_coaching.3", width=360)
    page = watch.page
    me = page.locator(".cc-block [data-role=members] li").first.inner_text()
    assert me.endswith(" (you)") and "frida" not in me.lower()  # the group knows Frida by a pseudonym
    pseudonym = me.removesuffix(" (you)")
    assert page.locator(".cc-group .cc-hint").first.inner_text() == (
        f"These are pseudonyms: nobody in your group sees anyone's real name, and they know you as {pseudonym}. "
        "Your facilitator sees real names."
    )
    watch.close()
    named = Watch(browser, demo_server, "frida", width=360)  # a unit with names says nothing of pseudonyms
    assert "pseudonym" not in named.page.locator(".cc-block").inner_text()
    named.close()
