"""In Chromium: the stepper, finished stages folded away, the summary at the end, the plan's merge view."""

from __future__ import annotations

from .demo_server import Browserless
from .test_browser import Watch, axe_violations, browser, demo_server  # noqa: F401 - the module's fixtures

TRIO = ("alice", "bob", "carol")


def _finish(base, scenario) -> dict[str, Browserless]:
    """Alice, Bob and Carol go through every stage of a unit; Alice writes next steps and the plan."""
    people = {name: Browserless(base, name, scenario=scenario) for name in TRIO}
    for name, person in people.items():
        person.open_unit()
        person.ok("submit_contribution", {"stage_id": "contract"})
        person.ok("submit_contribution", {"stage_id": "tell", "text": f"{name.title()}'s story.", "sharing": "group"})
    for person in people.values():
        for story in [c for c in person.ok("get_state")["contributions"] if not c["mine"] and c["stage_id"] == "tell"]:
            person.ok("submit_reflection", {"contribution_id": story["id"], "answers": {"attention": "I heard you."}})
        person.ok("tag_themes", {"themes": [{"theme": "time", "structural": True}]})
    people["alice"].ok("submit_contribution", {"stage_id": "act", "text": "Call the college.", "sharing": "group"})
    people["alice"].ok("save_group_plan", {"text": "Write to the college together.", "version": 0})
    return people


def test_a_finished_learner_reads_a_short_page_with_the_summary_first(browser, demo_server):  # noqa: F811
    people = _finish(demo_server, "collective_coaching.0")
    assert {s["status"] for s in people["alice"].ok("get_state")["stages"]} == {"done"}
    watch = Watch(browser, demo_server, "alice", width=360)
    page = watch.page
    page.locator("[data-role=summary]").wait_for()
    # Bob's and Carol's reflections on her story await an answer: that stage stays open, the rest fold.
    visible = {
        stage: page.locator(f'li.cc-stage[data-stage-id="{stage}"] [data-role=body]').is_visible()
        for stage in ("contract", "tell", "witness", "themes", "act")
    }
    assert visible == {"contract": False, "tell": True, "witness": False, "themes": False, "act": False}
    for reflection in people["alice"].ok("get_state")["reflections"]:
        if not reflection["mine"]:
            people["alice"].ok("respond_to_reflection", {"reflection_id": reflection["id"], "text": "Thank you."})
    page.reload()
    summary = page.locator("[data-role=summary]")
    summary.wait_for()
    assert "Witnessed by: Bob, Carol." in summary.inner_text()
    assert "Call the college." in summary.inner_text() and "Write to the college together." in summary.inner_text()
    bodies = page.locator("li.cc-stage [data-role=body]")
    assert bodies.count() == 5 and all(not bodies.nth(i).is_visible() for i in range(5))  # folded away
    assert page.locator(".cc-block").bounding_box()["height"] < 2 * 900  # two phone screens at most
    assert axe_violations(page) == []
    marks = page.locator("[data-role=stepper] li")
    assert marks.count() == 5 and page.locator("[data-role=stepper] li[data-status=done]").count() == 5
    # One click on the stepper opens a folded stage and takes the reader to it.
    page.locator("[data-role=stepper] a").nth(1).click()
    assert page.evaluate("document.activeElement.classList.contains('cc-stage-heading')")
    tell = page.locator('li.cc-stage[data-stage-id="tell"]')
    assert tell.locator("[data-role=body]").is_visible()
    assert tell.locator("[data-role=fold]").get_attribute("aria-expanded") == "true"
    tell.locator("[data-role=fold]").click()
    assert not tell.locator("[data-role=body]").is_visible()
    assert watch.problems == []
    page.close()


def test_a_learner_whose_plan_save_crossed_anothers_takes_lines_from_both(browser, demo_server):  # noqa: F811
    people = _finish(demo_server, "collective_coaching.1")
    watch = Watch(browser, demo_server, "carol", scenario="collective_coaching.1")
    page = watch.page
    field = page.locator("[data-role=plan] textarea").first
    field.wait_for()
    people["bob"].ok("save_group_plan", {"text": "Write to the college together.\nAsk about childcare.", "version": 1})
    field.fill("Write to the college together.\nMeet on Fridays.")
    with page.expect_response(lambda response: response.url.split("?")[0].endswith("/save_group_plan/")) as saved:
        page.get_by_role("button", name="Save the group plan").click()
    assert saved.value.status == 409
    merge = page.locator("[data-role=plan] .cc-conflict")
    merge.wait_for()
    lines = merge.locator("ol.cc-merge-lines > li")
    assert lines.all_inner_texts() == [
        "Write to the college together.",
        "Saved version: Ask about childcare.",
        "Yours: Meet on Fridays.",
    ]
    field = page.locator("[data-role=plan] textarea").first
    assert field.input_value() == "Write to the college together.\nAsk about childcare."  # the saved version
    assert axe_violations(page) == []
    merge.locator("button").click()
    assert field.input_value() == "Write to the college together.\nAsk about childcare.\nMeet on Fridays."
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    with page.expect_response(lambda response: response.url.split("?")[0].endswith("/save_group_plan/")) as saved:
        page.get_by_role("button", name="Save the group plan").click()
    assert saved.value.status == 200
    plan = people["alice"].ok("get_state")["group_plan"]
    assert plan["version"] == 3 and plan["text"].endswith("Meet on Fridays.")
    assert [p for p in watch.problems if "status of 409" not in p] == []  # the browser logs the 409 itself
    page.close()
