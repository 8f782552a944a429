"""In Chromium: a facilitator of two cohorts with twenty groups, from the triage list to each action.

The course is filled over HTTP by the block's own handlers (``demo/busy.py``): ten groups per
cohort, the tenth a member short, and two seeded learners who never opened the unit.
"""

from __future__ import annotations

from collective_coaching_xblock.demo import busy

from .demo_server import Browserless
from .test_browser import Watch, axe_violations, browser, demo_server  # noqa: F401 - the module's fixtures


def test_a_facilitator_of_two_cohorts_with_twenty_groups(browser, demo_server):  # noqa: F811
    people = busy.fill(demo_server)
    assert len(people) == 58
    hamid_story = next(c for c in people["gita"].ok("get_state")["contributions"] if c["author_name"] == "Hamid")
    people["gita"].ok("flag_content", {"kind": "contribution", "id": hamid_story["id"], "reason": "It names my firm."})

    watch = Watch(browser, demo_server, "facilitator", width=1280)
    page = watch.page
    panels = page.locator("[data-role=groups] .cc-group-panel h4")
    assert panels.all_inner_texts() == [f"Group {n}" for n in range(1, 11)]  # Cohort A, selected first

    # What needs attention, in both cohorts.
    triage = page.locator("[data-role=triage]")
    with page.expect_response(lambda response: "/triage/" in response.url):
        page.get_by_label("For all my cohorts").check()
    triage.get_by_text("Cohort B", exact=False).first.wait_for()
    assert triage.locator("h4").all_inner_texts() == [
        "Open flags: 1",
        "Groups below three: 2",
        "Never opened the unit: 2",
    ]
    text = triage.inner_text()
    assert "On a story or next steps, in group 1, Cohort B." in text  # Gita and Hamid's group
    assert "Group 10 (Cohort A) has 2 of at least 3 members." in text
    assert "Group 10 (Cohort B) has 2 of at least 3 members." in text
    assert "Farah (farah, Cohort A)" in text and "Lena (lena, Cohort B)" in text

    # A bulk action: a private message to every learner of two groups.
    page.get_by_label("Select Group 1", exact=True).check()
    page.get_by_label("Select Group 2", exact=True).check()
    page.locator("[data-role=group-tools] summary", has_text="Act on the selected groups").click()
    page.get_by_label("Write privately to every learner of the selected groups", exact=False).fill(
        "We meet on Thursday at six, in room 4."
    )
    page.locator("[data-role=group-tools]").get_by_role("button", name="Send to each").click()
    watch.wait_for_announcement("Sent to 6 learners, each privately.")

    # A guarded move: one of group 10's two members into group 9, which is full.
    group_ten = page.locator("[data-role=groups] .cc-group-panel", has=page.locator("h4", has_text="Group 10"))
    mover = group_ten.locator("tbody th[scope=row] > span").first.inner_text()
    actions = group_ten.locator(".cc-member-actions").first
    actions.locator("summary").click()
    actions.get_by_label("Move to").select_option(label="Group 9")
    with page.expect_response(lambda response: "/move_member/" in response.url):  # the preview: nothing moves yet
        actions.get_by_role("button", name="Move").click()
    actions.locator(".cc-confirm li").first.wait_for()  # drawn once the preview's answer is read
    notes = actions.locator(".cc-confirm li").all_inner_texts()
    assert notes[:2] == ["Members of the group after it: 4.", "That is above the unit's group size of 3."]
    assert f"{mover} will have new stories to witness: 3." in notes
    with watch.sends("move_member"):
        actions.locator(".cc-confirm").get_by_role("button", name="Confirm").click()
    watch.wait_for_announcement(f"{mover} moved.")
    nine = page.locator("[data-role=groups] .cc-group-panel", has=page.locator("h4", has_text="Group 9"))
    nine.locator("tbody th[scope=row] > span", has_text=mover).wait_for()
    moved = Browserless(demo_server, mover.lower()).ok_after_open("get_state")
    assert len([c for c in moved["contributions"] if not c["mine"]]) == 3

    # A hide, with what it changes for the author first.
    with page.expect_response(lambda response: "/group_detail/" in response.url):
        page.locator("[data-role=groups] .cc-group-panel").first.get_by_role("button", name="Read this group").click()
    detail = page.locator("[data-role=detail-body]")
    story = detail.locator(".cc-contribution, .cc-story", has_text="Carol's story").first
    story.get_by_label("Why hide it? Its author will read this.").fill("It names her employer.")
    with watch.sends("moderate"):  # the preview
        story.get_by_role("button", name="Hide from learners").click()
    warning = detail.locator(".cc-confirm")
    warning.locator("li").first.wait_for()
    assert warning.locator("li").all_inner_texts() == [
        "Carol will read that a facilitator hid it, and your reason.",
        "Carol's progress and score do not change: hidden work still counts for its author.",
    ]
    assert page.evaluate("document.activeElement.textContent") == "Go ahead"
    with watch.sends("moderate"):
        warning.get_by_role("button", name="Go ahead").click()
    watch.wait_for_announcement("Hidden from learners.")
    carol = Browserless(demo_server, "carol").ok_after_open("get_state")
    hidden = next(c for c in carol["contributions"] if c["mine"] and c["stage_id"] == "tell")
    assert hidden["hidden"] and hidden["hidden_reason"] == "It names her employer."

    # One to one: the facilitator writes to Bob; Bob answers from his phone.
    bob_thread = detail.locator(".cc-thread-of", has_text="Bob")
    assert bob_thread.locator("summary").inner_text() == "Bob: messages: 1"  # the bulk message: open already
    detail.get_by_label("Write to Bob privately").fill("How did the interview go?")
    with watch.sends("write_to_learner"):
        bob_thread.get_by_role("button", name="Send").click()
    watch.wait_for_announcement("Sent to Bob. Only they and their facilitators read it.")
    bob = Watch(browser, demo_server, "bob", width=360)
    thread = bob.page.locator(".cc-one-to-one")
    assert [m.split("\n")[-1] for m in thread.locator(".cc-message").all_inner_texts()] == [
        "We meet on Thursday at six, in room 4.",
        "How did the interview go?",
    ]
    thread.get_by_label("Answer your facilitator").fill("Well: they call me back on Monday.")
    with bob.sends("answer_facilitator"):
        thread.get_by_role("button", name="Send to my facilitator").click()
    bob.wait_for_announcement("Sent. Only your facilitators read it.")
    bob.close()

    page.reload()
    page.locator("[data-role=triage] h4").first.wait_for()
    assert "Answered you one to one: 1" in page.locator("[data-role=triage] h4").all_inner_texts()
    assert "Bob (group 1, Cohort A) answered your private message." in page.locator("[data-role=triage]").inner_text()
    assert axe_violations(page) == []
    watch.close()
