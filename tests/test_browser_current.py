"""In Chromium: the page stays current without a reload, and never touches what the learner types."""

from __future__ import annotations

from .demo_server import Browserless
from .test_browser import Watch, axe_violations, browser, demo_server  # noqa: F401 - the module's fixtures
from .test_browser_typing import _share


def test_a_peers_new_story_appears_and_is_announced_while_the_learner_keeps_typing(browser, demo_server):  # noqa: F811
    _share(demo_server, "alice")
    _share(demo_server, "bob")
    carol = Browserless(demo_server, "carol")
    carol.open_unit()  # in the group, not yet sharing
    watch = Watch(browser, demo_server, "alice", width=360)
    page = watch.page
    forms = page.locator("[data-role=witness] form[data-contribution-id]")
    forms.first.wait_for()
    assert forms.count() == 1  # Bob's story
    waiting = page.locator("[data-role=witness] .cc-waiting").inner_text()
    assert waiting.startswith("Since you shared your story on ") and waiting.endswith("stories from: Carol.")
    typing = forms.first.locator("textarea").first
    typing.click()
    typing.type("What caught my attention was")
    carol.ok("submit_contribution", {"stage_id": "contract"})
    carol.ok("submit_contribution", {"stage_id": "tell", "text": "Carol tells.", "sharing": "group"})
    with page.expect_response(lambda response: response.url.split("?")[0].endswith("/get_state/")):
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # as when the tab is shown again
    watch.wait_for_announcement("New in your group: a new story to witness.")
    assert page.locator("[data-role=witness] form[data-contribution-id]").count() == 2
    typing = page.locator("[data-role=witness] form[data-contribution-id]").first.locator("textarea").first
    assert typing.input_value() == "What caught my attention was"
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    assert page.evaluate("document.activeElement.value") == "What caught my attention was"
    # Nothing new: the page asks, and reads nothing more.
    with page.expect_response(lambda response: response.url.split("?")[0].endswith("/changes/")) as asked:
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    assert asked.value.json()["changed"] is False
    assert axe_violations(page) == []
    watch.close()


def test_a_learner_turns_off_the_groups_news_by_email_from_the_page(browser, demo_server):  # noqa: F811
    Browserless(demo_server, "dan").open_unit()
    watch = Watch(browser, demo_server, "dan", width=360)
    page = watch.page
    box = page.get_by_label("Email me my group's news (at most once a day)")
    assert box.is_checked()  # on by default
    with page.expect_response(lambda response: response.url.split("?")[0].endswith("/set_email_news/")) as saved:
        box.click()
    assert saved.value.json() == {"email_news": False}
    watch.wait_for_announcement("you will get no more emails about your group's news")
    assert Browserless(demo_server, "dan").ok_after_open("get_state")["email_news"] is False
    page.reload()
    assert not page.get_by_label("Email me my group's news (at most once a day)").is_checked()
    assert axe_violations(page) == []
    watch.close()


def test_a_click_in_progress_lands_on_its_button_when_the_groups_news_redraws_the_page(browser, demo_server):  # noqa: F811
    scenario = "collective_coaching.1"  # groups of four, a group of its own in this module
    for student in ("hana", "ivan"):
        person = Browserless(demo_server, student, scenario=scenario)
        person.open_unit()
        person.ok("submit_contribution", {"stage_id": "contract"})
        person.ok("submit_contribution", {"stage_id": "tell", "text": f"{student} tells.", "sharing": "group"})
    jun = Browserless(demo_server, "jun", scenario=scenario)
    jun.open_unit()
    watch = Watch(browser, demo_server, "hana", scenario=scenario, width=360)
    page = watch.page
    form = page.locator("[data-role=witness] form[data-contribution-id]").first
    form.locator("textarea").first.fill("What caught my attention: the night shifts.")
    button = form.locator("button[type=submit]")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()  # the learner presses the button; meanwhile the group's news arrives
    jun.ok("submit_contribution", {"stage_id": "contract"})
    jun.ok("submit_contribution", {"stage_id": "tell", "text": "Jun tells.", "sharing": "group"})
    with page.expect_response(lambda response: response.url.split("?")[0].endswith("/get_state/")):
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    with watch.sends("submit_reflection"):
        page.mouse.up()  # the click is made on the button pressed, not lost in a redraw
    watch.wait_for_announcement("story is shared with them.")
    watch.wait_for_announcement("New in your group: a new story to witness.")  # the news, once the click landed
    assert page.locator("[data-role=witness] form[data-contribution-id]").count() == 2
    # The keyboard's place survives a redraw as well: focus on a button stays on its redrawn twin.
    save = page.locator("[data-role=witness] form[data-contribution-id] button[type=submit]").last
    save.focus()
    before = save.inner_text()
    Browserless(demo_server, "omar", scenario=scenario).open_unit()  # a new member (same cohort): the news
    with page.expect_response(lambda response: response.url.split("?")[0].endswith("/get_state/")):
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    watch.wait_for_announcement("New in your group: a new member.")
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    assert page.evaluate("document.activeElement.textContent") == before
    watch.close()
