"""In Chromium: a facilitator of many groups filters and sorts them, and acts on several at once."""

from __future__ import annotations

from .demo_server import Browserless
from .test_browser import Watch, axe_violations, browser, demo_server  # noqa: F401 - the module's fixtures
from .test_browser_typing import _share


def test_filter_select_and_act_on_several_groups(browser, demo_server):  # noqa: F811
    for name in ("alice", "bob", "carol"):
        _share(demo_server, name)  # group 1
    dan = _share(demo_server, "dan")  # group 2, alone: he does his part, then waits for peers
    dan.ok("tag_themes", {"themes": [{"theme": "time", "structural": True}]})
    dan.ok("submit_contribution", {"stage_id": "act", "text": "Dan acts.", "sharing": "group"})
    watch = Watch(browser, demo_server, "facilitator", width=360)
    page = watch.page
    panels = page.locator("[data-role=groups] .cc-group-panel h4")
    assert panels.all_inner_texts() == ["Group 1", "Group 2"]
    page.get_by_label("Show").select_option(label="With a learner waiting for peers")
    watch.wait_for_announcement("Groups shown: 1")
    assert panels.all_inner_texts() == ["Group 2"]
    page.get_by_label("Show").select_option(label="All groups")
    page.get_by_label("Sort by").select_option(label="Furthest behind first")
    assert panels.all_inner_texts() == ["Group 1", "Group 2"]  # Dan has done more than the group of three
    page.get_by_label("Select Group 1").check()
    page.get_by_label("Select Group 2").check()
    assert page.locator("[data-role=group-tools] .cc-hint").inner_text() == "Selected groups: 2"
    page.locator("[data-role=group-tools] summary", has_text="Act on the selected groups").click()
    page.get_by_label("Open a stage for the selected groups").select_option(label="Re-author and act")
    with watch.sends("open_stage"):
        page.locator("[data-role=group-tools]").get_by_role("button", name="Open it").click()
    watch.wait_for_announcement("Re-author and act is open for the selected groups.")
    carol = Browserless(demo_server, "carol").ok_after_open("get_state")
    assert next(s for s in carol["stages"] if s["id"] == "act")["status"] == "open"
    # Regrouping the learners left alone says first what it will do: groups of three here, so Dan's
    # group finds no room (the unit never goes above its group size).
    with page.expect_response(lambda response: "/regroup_selected/" in response.url):
        page.get_by_role("button", name="Regroup the learners left alone").click()
    confirm = page.locator("[data-role=bulk-regroup] .cc-confirm")
    confirm.locator("li").first.wait_for()
    assert confirm.locator("li").all_inner_texts() == ["Group 2: no group has room for its members."]
    assert confirm.get_by_role("button", name="Confirm").count() == 0
    confirm.get_by_role("button", name="Cancel").click()
    watch.wait_for_announcement("Nothing changed.")
    page.get_by_label("Write privately to every learner of the selected groups", exact=False).fill(
        "We meet on Thursday at six."
    )
    page.locator("[data-role=group-tools]").get_by_role("button", name="Send to each").click()
    watch.wait_for_announcement("Sent to 4 learners, each privately.")
    alice = Browserless(demo_server, "alice").ok_after_open("get_state")
    assert [m["text"] for m in alice["one_to_one"]] == ["We meet on Thursday at six."]
    assert axe_violations(page) == []
    watch.close()
