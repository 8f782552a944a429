"""In Chromium: a learner alone goes on with what is theirs, and the facilitator sees and steers the merges."""

from __future__ import annotations

from .demo_server import Browserless
from .test_browser import Watch, axe_violations, browser, demo_server  # noqa: F401 - the module's fixtures
from .test_browser_typing import _share


def test_a_learner_alone_tags_themes_and_writes_next_steps_without_waiting(browser, demo_server):  # noqa: F811
    alice = Browserless(demo_server, "alice")  # the first of the cohort: alone in group 1
    alice.open_unit()
    alice.ok("submit_contribution", {"stage_id": "contract"})
    story = "The nursery closes at five and the last bus leaves before my shift ends."
    alice.ok("submit_contribution", {"stage_id": "tell", "text": story, "sharing": "group"})
    watch = Watch(browser, demo_server, "alice", width=360)
    page = watch.page
    witness = page.locator('li.cc-stage[data-stage-id="witness"]')
    assert witness.locator("[data-role=status]").inner_text() == "Waiting for your group"
    assert "You need not wait here" in witness.inner_text()
    note = page.locator("[data-role=merge-note]")
    assert note.is_visible() and note.inner_text().startswith("If nobody joins your group by ")
    # The stepper puts her on the themes stage, which is open.
    assert page.locator(".cc-stepper [aria-current=step]").inner_text().find("Name shared themes") != -1
    themes = page.locator('li.cc-stage[data-stage-id="themes"]')
    # Suggested from her own words, under the themes they suggest: nothing is ticked for her.
    assert (
        themes.locator(".cc-hint", has_text="Your story may speak of")
        .inner_text()
        .startswith("Your story may speak of: caring responsibilities, place and transport.")
    )
    caring = themes.locator('fieldset.cc-theme[data-theme="caring responsibilities"]')
    assert caring.locator(".cc-suggestion").inner_text() == "Suggested: your story mentions “nursery”."
    assert themes.locator('fieldset.cc-theme[data-theme="money"] .cc-suggestion').count() == 0
    assert (
        themes.locator("fieldset.cc-theme input:checked").evaluate_all("(inputs) => inputs.map((i) => i.value)")
        == ["none"] * themes.locator("fieldset.cc-theme").count()
    )
    caring.locator("input[value=structural]").check()
    with watch.sends("tag_themes"):
        themes.locator("button[type=submit]").first.click()
    watch.wait_for_status("themes", "done")
    act = page.locator('li.cc-stage[data-stage-id="act"]')
    steps = act.locator("form[data-role=contribution-form]")
    steps.locator("textarea[name=text]").fill("Ask two nurses how they moved into teaching.")
    steps.locator("input[name=sharing][value=group]").check()
    with watch.sends("submit_contribution"):
        steps.locator("button[type=submit]").click()
    watch.wait_for_status("act", "done")
    assert witness.locator("[data-role=status]").inner_text() == "Waiting for your group"
    assert axe_violations(page) == []
    assert watch.problems == []
    watch.close()


def test_the_same_in_spanish_at_360_px(browser, demo_server):  # noqa: F811
    Browserless(demo_server, "alice").open_unit()
    watch = Watch(browser, demo_server, "alice", width=360, locale="es-419")
    page = watch.page
    page.context.add_cookies([{"name": "django_language", "value": "es-419", "url": demo_server}])
    page.reload()
    page.wait_for_selector(".cc-block")
    witness = page.locator('li.cc-stage[data-stage-id="witness"]')
    assert witness.locator("[data-role=status]").inner_text() == "Esperando a tu grupo"
    # Her own stages are done (the test before): what remains waits for a peer's story.
    assert "Tu parte aquí espera el relato de alguien de tu grupo" in witness.inner_text()
    assert page.locator("[data-role=merge-note]").inner_text().startswith("Si nadie se une a tu grupo antes del ")
    # The block fits the phone's width (the workbench's own header around it does not).
    fits = "(() => { var b = document.querySelector('.cc-block'); return b.scrollWidth <= b.clientWidth; })()"
    assert page.evaluate(fits)
    assert axe_violations(page) == []
    watch.close()


def test_the_facilitator_sees_the_small_groups_and_turns_the_merges_off(browser, demo_server):  # noqa: F811
    _share(demo_server, "bob")
    watch = Watch(browser, demo_server, "facilitator", width=360)
    page = watch.page
    box = page.get_by_label("Merge a group below three into another group of its cohort after 3 days", exact=False)
    assert box.is_checked()
    with watch.sends("set_auto_regroup"):
        box.uncheck()
    watch.wait_for_announcement("Saved: no group will be merged automatically.")
    assert Browserless(demo_server, "alice").ok_after_open("get_state")["group"]["merge_by"] is None
    page.reload()
    page.wait_for_selector("[data-role=small-groups] input[type=checkbox]")
    assert not page.get_by_label("Merge a group below three", exact=False).is_checked()
    assert axe_violations(page) == []
    assert watch.problems == []
    watch.close()
