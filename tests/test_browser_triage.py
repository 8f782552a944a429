"""In Chromium: the facilitator's triage list, from what needs attention to the action that resolves it."""

from __future__ import annotations

from .demo_server import Browserless
from .test_browser import Watch, axe_violations, browser, demo_server  # noqa: F401 - the module's fixtures
from .test_browser_typing import _share


def test_the_facilitator_reads_what_needs_attention_and_resolves_a_small_group(browser, demo_server):  # noqa: F811
    people = {name: _share(demo_server, name) for name in ("alice", "bob", "carol", "dan")}
    dan = people["dan"]  # alone in group 2: he does his own stages, then only the group's part is left
    dan.ok("tag_themes", {"themes": [{"theme": "time", "structural": True}]})
    dan.ok("submit_contribution", {"stage_id": "act", "text": "Dan acts.", "sharing": "group"})
    alice_story = next(c for c in people["bob"].ok("get_state")["contributions"] if c["author_name"] == "Alice")
    people["bob"].ok("flag_content", {"kind": "contribution", "id": alice_story["id"], "reason": "Unkind."})

    watch = Watch(browser, demo_server, "facilitator", width=360)
    page = watch.page
    triage = page.locator("[data-role=triage]")
    triage.locator("h4").first.wait_for()
    headings = triage.locator("h4").all_inner_texts()
    assert headings == ["Open flags: 1", "Waiting for peers: 1", "Groups below three: 1", "Never opened the unit: 2"]
    assert "Dan (group 2, Cohort A) has done their part and waits for their group." in triage.inner_text()
    assert "erin" in triage.inner_text() and "farah" in triage.inner_text()
    assert page.locator("tr", has_text="Dan").locator(".cc-tag--waiting").inner_text() == "Waiting for peers"
    # Read Dan's group from the line that names him.
    with page.expect_response(lambda response: "/group_detail/" in response.url):
        triage.locator("li", has_text="waits for their group").get_by_role("button", name="Read the group").click()
    # The answer is in; the page then fills the heading.
    page.locator("[data-role=detail-heading]", has_text="Reading Group 2").wait_for()
    # Merge the small group from its line; the list then has no small group left.
    small = triage.locator("li", has_text="of at least 3 members")
    with page.expect_response(lambda response: "/merge_groups/" in response.url):  # the preview: nothing changes
        small.get_by_role("button", name="Merge").click()
    confirm = small.locator(".cc-confirm")
    confirm.locator("li").first.wait_for()  # drawn once the preview's answer is read
    assert confirm.locator("li").all_inner_texts() == [
        "Members of the group after it: 4.",
        "That is above the unit's group size of 3.",
        "The group they leave will be empty.",
        "Alice will have new stories to witness: 1.",
        "Bob will have new stories to witness: 1.",
        "Carol will have new stories to witness: 1.",
        "Dan will have new stories to witness: 3.",
    ]
    assert page.evaluate("document.activeElement.textContent") == "Confirm"
    with watch.sends("merge_groups"):
        confirm.get_by_role("button", name="Confirm").click()
    watch.wait_for_announcement("Groups merged.")
    page.wait_for_function("() => !document.querySelector('[data-role=triage]').textContent.includes('below three')")
    assert Browserless(demo_server, "dan").ok_after_open("get_state")["group"]["members"][0]["name"] == "Alice"
    assert axe_violations(page) == []
    watch.close()


def test_the_list_in_spanish(browser, demo_server):  # noqa: F811
    watch = Watch(browser, demo_server, "facilitator", width=1280, locale="es-419")
    page = watch.page
    page.context.add_cookies([{"name": "django_language", "value": "es-419", "url": demo_server}])
    page.reload()
    triage = page.locator("[data-role=triage]")
    triage.locator("h4").first.wait_for()
    assert triage.locator("h4").all_inner_texts() == ["Reportes abiertos: 1", "Nunca abrieron la unidad: 2"]
    assert axe_violations(page) == []
    watch.close()
