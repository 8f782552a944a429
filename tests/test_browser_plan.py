"""In Chromium: the group plan's earlier versions, read one by one, in the page's language."""

from __future__ import annotations

import re

from .demo_server import Browserless
from .test_browser import Watch, axe_violations, browser, demo_server  # noqa: F401 - the module's fixtures


def test_a_learner_reads_the_plans_earlier_versions_one_by_one_in_spanish(browser, demo_server):  # noqa: F811
    people = {name: Browserless(demo_server, name) for name in ("alice", "bob", "carol")}
    for person in people.values():
        person.open_unit()
    Browserless(demo_server, "facilitator").ok_after_open("open_stage", {"stage_id": "act", "all": True})
    people["alice"].ok("save_group_plan", {"text": "Escribir juntas a la universidad.", "version": 0})
    people["bob"].ok("save_group_plan", {"text": "Escribir a la universidad y pedir guardería.", "version": 1})

    # A browser set to English, a person whose language is Spanish (the platform's preference, here
    # Django's language cookie): the page and its dates are in Spanish.
    watch = Watch(browser, demo_server, "carol", width=360, locale="en-US")
    page = watch.page
    page.context.add_cookies([{"name": "django_language", "value": "es-419", "url": demo_server}])
    page.reload()
    show = page.locator("[data-role=plan] .cc-plan-history button")
    show.wait_for()
    assert show.inner_text() == "Ver las versiones anteriores" and show.get_attribute("aria-expanded") == "false"
    with page.expect_response(lambda response: response.url.split("?")[0].endswith("/plan_history/")):
        show.click()
    versions = page.locator("[data-role=plan] details.cc-version")
    versions.first.wait_for()
    summaries = versions.locator("summary").all_inner_texts()
    assert [text.split(" el ")[0] for text in summaries] == [
        "Versión 2, guardada por Bob",
        "Versión 1, guardada por Alice",
    ]
    assert re.search(r"\d{1,2}/\d{1,2}/\d{4}, \d{1,2}:\d{2}\s[ap]\.\s?m\.$", summaries[0]), summaries[0]
    assert show.get_attribute("aria-expanded") == "true" and show.inner_text() == "Ocultar las versiones anteriores"
    assert not versions.nth(1).locator(".cc-text").is_visible()  # each version opens on request
    versions.nth(1).locator("summary").click()
    assert versions.nth(1).locator(".cc-text").inner_text() == "Escribir juntas a la universidad."
    assert axe_violations(page) == []
    assert watch.problems == []
    watch.page.close()


def test_the_facilitators_chart_reads_in_spanish_on_a_phone(browser, demo_server):  # noqa: F811
    Browserless(demo_server, "alice").open_unit()
    watch = Watch(browser, demo_server, "facilitator", width=360, locale="es-419")
    page = watch.page
    rows = page.locator("[data-role=chart] .cc-bar-row")
    rows.first.wait_for()
    first = rows.first.inner_text().split("\n")
    assert first[0] == "Nuestro acuerdo de grupo" and re.fullmatch(r"\d+ de \d+", first[1])
    chart = page.locator("[data-role=chart]")
    assert chart.bounding_box()["x"] + chart.bounding_box()["width"] <= 360  # (the workbench's own header is wider)
    assert chart.evaluate("(node) => node.scrollWidth <= node.clientWidth")  # nothing in it sticks out
    assert axe_violations(page) == []
    assert watch.problems == []
    page.close()
