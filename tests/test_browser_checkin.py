"""In Chromium: a check-in before and after, as a learner answers it and a facilitator reads the figures."""

from __future__ import annotations

from .demo_server import Browserless
from .test_browser import Watch, axe_violations, browser, demo_server  # noqa: F401 - the module's fixtures

SCENARIO = "collective_coaching.4"  # GINA with a check-in before and after
ITEMS = ("hope", "agency", "clarity", "shared", "structural")


def _answer(person, stage, value):
    person.ok("submit_contribution", {"stage_id": stage, "answers": dict.fromkeys(ITEMS, value)})


def test_a_learner_answers_the_check_in_and_the_facilitator_reads_the_figures(browser, demo_server):  # noqa: F811
    watch = Watch(browser, demo_server, "alice", scenario=SCENARIO, width=360)
    page = watch.page
    form = page.locator("form[data-role=checkin-form][data-stage-id=checkin_before]")
    statement = form.locator("fieldset[data-item=hope]")
    assert statement.locator("legend").inner_text() == "I can see ways forward in my working life."
    assert statement.locator("label").all_inner_texts() == [
        "Strongly disagree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
        "Prefer not to say",
    ]
    for item in ITEMS:
        form.locator(f"fieldset[data-item={item}] input[value='2']").check()
    form.locator("fieldset[data-item=shared] input[value=prefer_not]").check()
    with watch.sends("submit_contribution"):
        form.get_by_role("button", name="Save my answers").click()
    watch.wait_for_status("checkin_before", "done")
    watch.wait_for_announcement("Your answers are saved.")
    assert axe_violations(page) == []
    watch.close()

    # Four more learners answer at the start; the facilitator opens the last check-in for both groups.
    people = {
        name: Browserless(demo_server, name, scenario=SCENARIO) for name in ("alice", "bob", "carol", "dan", "erin")
    }
    for name, person in people.items():
        person.open_unit()
        if name != "alice":
            _answer(person, "checkin_before", 2)
    facilitator = Browserless(demo_server, "facilitator", scenario=SCENARIO)
    facilitator.open_unit()
    for group in {person.ok("get_state")["group"]["id"] for person in people.values()}:
        facilitator.ok("open_stage", {"stage_id": "checkin_after", "group_id": group})
    for name, person in people.items():
        _answer(person, "checkin_after", 5 if name == "erin" else 4)

    alice = Watch(browser, demo_server, "alice", scenario=SCENARIO, width=360)
    # The last check-in is done, so folded away: one click opens it, with her answers then and now.
    after = alice.page.locator('li.cc-stage[data-stage-id="checkin_after"]')
    after.get_by_role("button", name="Show this stage").click()
    result = after.locator("[data-role=checkin-result] table")
    result.wait_for()
    assert result.locator("tbody tr").first.locator("td").all_inner_texts() == ["2", "4"]
    assert "prefer not to say" in result.inner_text()
    alice.close()

    watch = Watch(browser, demo_server, "facilitator", scenario=SCENARIO, width=1280)
    outcomes = watch.page.locator("[data-role=outcomes]")
    outcomes.locator(".cc-outcome").first.wait_for()
    first = outcomes.locator(".cc-outcomes").first.locator(".cc-outcome").first
    assert first.locator(".cc-outcome-item").inner_text() == "I can see ways forward in my working life."
    assert "Mean before 2, after 4.2: change +2.2" in first.inner_text()
    assert "answered both times: 5" in first.inner_text()
    assert axe_violations(watch.page) == []
    watch.close()
    # In Spanish, numbers as the page's language writes them (es-419 writes 4.2, as CLDR has it).
    spanish = Watch(browser, demo_server, "facilitator", scenario=SCENARIO, width=360, locale="es-419")
    spanish.page.context.add_cookies([{"name": "django_language", "value": "es-419", "url": demo_server}])
    spanish.page.reload()
    first = spanish.page.locator("[data-role=outcomes] .cc-outcome").first
    first.wait_for()
    assert "Promedio antes 2, después 4.2: cambio +2.2" in first.inner_text()
    spanish.close()
