"""In Chromium: a redraw never drops what a learner typed, and Enter in a theme's field adds it.

The page redraws the witnessing, themes and plan regions after every save. A learner writing
two reflections, or a reflection and the plan, must not lose the one they have not saved yet.
"""

from __future__ import annotations

from .demo_server import Browserless
from .test_browser import Watch, browser, demo_server  # noqa: F401 - the module's fixtures


def _share(base, student):
    person = Browserless(base, student)
    person.open_unit()
    person.ok("submit_contribution", {"stage_id": "contract"})
    person.ok("submit_contribution", {"stage_id": "tell", "text": f"{student.title()} tells.", "sharing": "group"})
    return person


def test_saving_one_form_keeps_the_unsaved_text_of_the_others(browser, demo_server):  # noqa: F811
    for student in ("alice", "bob", "carol"):
        _share(demo_server, student)
    watch = Watch(browser, demo_server, "bob")
    page = watch.page
    forms = page.locator("[data-role=witness] form[data-contribution-id]")
    forms.first.wait_for()
    assert forms.count() == 2
    first, second = forms.nth(0), forms.nth(1)
    second.locator("textarea").first.fill("Half a thought I have not saved")
    first.locator("textarea").first.fill("What caught my attention")
    first.locator("button[type=submit]").click()
    page.locator("[data-role=live]").filter(has_text="is shared with them").wait_for()
    second = page.locator("[data-role=witness] form[data-contribution-id]").nth(1)
    assert second.locator("textarea").first.input_value() == "Half a thought I have not saved"
    # Enter in "Another theme of your own" adds the theme and sends nothing.
    opened = Browserless(demo_server, "facilitator").ok_after_open
    group_id = Browserless(demo_server, "bob").ok_after_open("get_state")["group"]["id"]
    opened("open_stage", {"stage_id": "themes", "group_id": group_id})
    page.reload()
    own = page.locator("[data-role=themes] .cc-add-theme input")
    own.wait_for()
    own.fill("Night buses")
    own.press("Enter")
    page.locator('[data-role=themes] fieldset[data-theme="night buses"]').wait_for()
    assert own.input_value() == ""
    state = Browserless(demo_server, "bob").ok_after_open("get_state")
    assert state["themes"]["mine"] == []  # added to the form, not saved behind the learner's back
    watch.close()


def test_a_draft_is_kept_while_writing_and_restored_when_the_page_opens_again(browser, demo_server):  # noqa: F811
    Browserless(demo_server, "dan").ok_after_open("submit_contribution", {"stage_id": "contract"})
    watch = Watch(browser, demo_server, "dan")
    page = watch.page
    story = page.locator('form[data-role=contribution-form][data-stage-id="tell"] textarea')
    story.wait_for()
    with page.expect_response(lambda response: response.url.split("?")[0].endswith("/save_draft/")) as saved:
        story.fill("The summer I learned to weld")
        story.blur()  # leaving the field keeps the draft at once (typing keeps it after a pause)
    assert saved.value.ok
    page.reload()
    story = page.locator('form[data-role=contribution-form][data-stage-id="tell"] textarea')
    story.wait_for()
    assert story.input_value() == "The summer I learned to weld"
    assert page.locator("text=Your unsaved draft is back").count() == 1
    dan = Browserless(demo_server, "dan").ok_after_open("get_state")
    assert not [c for c in dan["contributions"] if c["stage_id"] == "tell"]  # a draft is not a submission
    watch.close()


def test_a_learner_who_shared_with_the_facilitator_only_is_told_how_peers_stories_open(browser, demo_server):  # noqa: F811
    for student in ("erin", "farah"):
        _share(demo_server, student)  # Cohort A's second group: dan, erin, farah
    dan = Browserless(demo_server, "dan")
    dan.ok_after_open(
        "submit_contribution", {"stage_id": "tell", "text": "For the facilitator.", "sharing": "facilitator"}
    )
    watch = Watch(browser, demo_server, "dan")
    note = watch.page.locator("[data-role=witness] .cc-note")
    note.wait_for()
    assert "Stories shared by your peers: 2" in note.inner_text()
    assert watch.page.locator("text=No stories from your peers to witness yet").count() == 0
    watch.close()
