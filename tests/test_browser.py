"""Browser journeys in real Chromium against the real demo server: learners, a facilitator, the
keyboard alone, script payloads and accessibility (axe-core, WCAG 2.2 AA, serious and critical).

Needs Debian's Chromium (/usr/bin/chromium) and the Python packages playwright and
axe-playwright-python; `.ci/run` installs them. Where they are missing, these tests are skipped
and pytest's summary says why.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager

import pytest

from collective_coaching_xblock.demo.server import CHROMIUM_FLAGS

from .demo_server import Browserless, start_demo_server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Records every text the block's live region shows (set up before the page's own scripts run).
ANNOUNCEMENT_RECORDER = """
window.ccAnnouncements = [];
new MutationObserver(function() {
    document.querySelectorAll('[data-role=live]').forEach(function(live) {
        var text = live.textContent;
        if (text && window.ccAnnouncements[window.ccAnnouncements.length - 1] !== text) {
            window.ccAnnouncements.push(text);
        }
    });
}).observe(document, {subtree: true, childList: true, characterData: true});
"""
PAYLOAD = '<img src=x onerror="alert(1)"><script>alert(2)</script><b>bold</b>'
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

sync_api = pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")
if not shutil.which(CHROMIUM):
    pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)

demo_server = start_demo_server()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class Watch:
    """A page opened as one user, recording dialogs, console errors and page errors."""

    def __init__(self, browser, base, student, scenario="collective_coaching.0", view="", width=1280, locale=None):
        self.problems = []
        self.base = base
        self.page = browser.new_page(viewport={"width": width, "height": 900}, accept_downloads=True, locale=locale)
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("console", self._console)
        self.page.on("response", self._response)
        # Every message the live region announces, in order: a later one may replace the text.
        self.page.add_init_script(ANNOUNCEMENT_RECORDER)
        path = f"/scenario/{scenario}/{view + '/' if view else ''}?student={student}"
        # goto returns at the load event, after the workbench initialised the block (at DOM ready).
        self.page.goto(base + path)
        self.page.wait_for_selector(".cc-block, .cc-author")

    def _dialog(self, dialog):
        if dialog.type == "confirm":  # our own "withdraw?" confirmation
            dialog.accept()
        else:
            self.problems.append(f"dialog: {dialog.type} {dialog.message}")
            dialog.dismiss()

    def _console(self, message):
        # The workbench page asks for a favicon it does not have; anything else is ours.
        url = (message.location or {}).get("url", "")
        if message.type == "error" and "favicon" not in url and "status of 404" not in message.text:
            self.problems.append(f"console: {message.text}")

    def _response(self, response):
        if response.status >= 500:  # the console says only "500"; the server's log says why
            why = self.base.last_traceback() if hasattr(self.base, "last_traceback") else ""
            self.problems.append(f"{response.status} from {response.request.method} {response.url}\n{why}")

    def wait_for_status(self, stage_id, status):
        self.page.wait_for_selector(f'li[data-stage-id="{stage_id}"][data-status="{status}"]')

    @contextmanager
    def sends(self, handler, status=200):
        """Around an action that calls ``handler``: waits for its answer and for the page to show it.

        The page marks a form ``aria-busy`` while its request runs and re-renders the forms that
        depend on the new state; only then is the next form safe to fill.
        """
        with self.page.expect_response(
            lambda response: f"/{handler}/" in response.url and response.request.method == "POST"
        ) as answer:
            yield answer
        if status is not None:
            assert answer.value.status == status, (handler, answer.value.status, answer.value.text())
        self.page.wait_for_function("() => !document.querySelector('.cc-block [aria-busy], .cc-author [aria-busy]')")

    def wait_for_announcement(self, text):
        self.page.wait_for_function("(text) => window.ccAnnouncements.some((m) => m.includes(text))", arg=text)

    def close(self):
        self.page.close()
        assert not self.problems, "\n\n".join(self.problems)  # whole, with any server traceback


def consent_and_tell(watch, text, sharing="group"):
    page = watch.page
    page.check("input[name=consent]")
    with watch.sends("submit_contribution"):
        page.click("form[data-role=contract-form] button")
    watch.wait_for_status("tell", "open")
    page.fill("form[data-stage-id=tell] textarea", text)
    page.check(f"form[data-stage-id=tell] input[value={sharing}]")
    with watch.sends("submit_contribution"):
        page.click("form[data-stage-id=tell] button[type=submit]")
    watch.wait_for_status("tell", "done")


def witness_all(watch):
    """Share a reflection on every peer's story, one form at a time.

    Each answer re-renders the witness forms, so each form is found afresh by its story's id
    after the previous answer is shown, never by a position or after a fixed time.
    """
    page = watch.page
    story_ids = page.eval_on_selector_all(
        "[data-role=witness] form[data-contribution-id]", "forms => forms.map(f => f.dataset.contributionId)"
    )
    for story_id in story_ids:
        form = page.locator(f'[data-role=witness] form[data-contribution-id="{story_id}"]')
        area = form.locator("textarea").first
        area.fill(f"What caught my attention: {PAYLOAD}")
        sync_api.expect(area).to_have_value(f"What caught my attention: {PAYLOAD}")
        with watch.sends("submit_reflection"):
            form.locator("button").click()
        sync_api.expect(form.locator("textarea").first).to_have_value(f"What caught my attention: {PAYLOAD}")
    return len(story_ids)


def test_a_group_of_three_through_all_five_stages(browser, demo_server):
    students = ("alice", "bob", "carol")
    for student in students:
        watch = Watch(browser, demo_server, student)
        consent_and_tell(watch, f"{student}'s story {PAYLOAD}")
        watch.close()
    for student in students:
        watch = Watch(browser, demo_server, student)
        page = watch.page
        assert witness_all(watch) == 2
        watch.wait_for_status("witness", "done")
        page.check("[data-role=themes] fieldset[data-theme=money] input[value=structural]")
        page.fill("[data-role=themes] input[type=text]", f"night work {PAYLOAD}"[:100])
        page.click("[data-role=themes] button:has-text('Add theme')")
        with watch.sends("tag_themes"):
            page.click("[data-role=themes] button:has-text('Save my themes')")
        watch.wait_for_status("themes", "done")
        page.fill("form[data-stage-id=act] textarea", f"Apply by Friday. {PAYLOAD}")
        page.check("form[data-stage-id=act] input[value=group]")
        with watch.sends("submit_contribution"):
            page.click("form[data-stage-id=act] button[type=submit]")
        watch.wait_for_status("act", "done")
        plan = page.locator("[data-role=plan] textarea").first
        plan.fill(f"{student}: meet at the library. {PAYLOAD}")
        with watch.sends("save_group_plan", status=None) as answer:
            page.click("[data-role=plan] button[type=submit]")
        if answer.value.status == 409:  # someone saved meanwhile: the form now holds the current version
            plan = page.locator("[data-role=plan] textarea").first
            plan.fill(f"{student}: meet at the library. {PAYLOAD}")
            with watch.sends("save_group_plan"):
                page.click("[data-role=plan] button[type=submit]")
        watch.wait_for_announcement("The group plan is saved.")
        watch.close()
    watch = Watch(browser, demo_server, "alice")
    page = watch.page
    assert [
        page.get_attribute(f'li[data-stage-id="{s}"]', "data-status")
        for s in ("contract", "tell", "witness", "themes", "act")
    ] == ["done"] * 5
    assert page.locator("[data-role=score-earned]").inner_text() == "4"
    # What the others wrote shows as text: nothing from the payloads became an element.
    assert page.locator(".cc-block img, .cc-block b, .cc-block script:not([type='application/json'])").count() == 0
    assert page.get_by_text(PAYLOAD, exact=False).count() > 0
    responses = page.locator("[data-role=my-story] form textarea[name=text]")
    responses.first.fill(f"Thank you. {PAYLOAD}")
    with watch.sends("respond_to_reflection"):
        page.locator("[data-role=my-story] form:has(textarea[name=text]) button").first.click()
    watch.close()


def test_a_facilitator_moderates_moves_and_exports(browser, demo_server):
    dan = Browserless(demo_server, "dan")
    dan.open_unit()  # the second group of Cohort A
    bob = Browserless(demo_server, "bob")
    bob.open_unit()
    alice_story = next(
        c for c in bob.ok("get_state")["contributions"] if c["author_name"] == "Alice" and c["stage_id"] == "tell"
    )
    bob.ok("flag_content", {"kind": "contribution", "id": alice_story["id"], "reason": f"Names a colleague {PAYLOAD}"})
    watch = Watch(browser, demo_server, "facilitator")
    page = watch.page
    page.wait_for_selector(".cc-flag-item")
    assert page.locator(".cc-dashboard img, .cc-dashboard b").count() == 0
    # A hide needs a reason (its author reads it), and says what it changes before it is confirmed.
    page.fill(".cc-flag-item input[type=text]", "It names a colleague.")
    with watch.sends("moderate"):  # first the preview of what the hide would change
        page.click(".cc-flag-item button:has-text('Hide from learners')")
    with watch.sends("moderate"):
        page.click(".cc-confirm button:has-text('Go ahead')")
    page.wait_for_selector(".cc-flag-item button:has-text('Restore')")
    assert alice_story["id"] not in {
        c["id"] for c in Browserless(demo_server, "carol").ok_after_open("get_state")["contributions"]
    }
    page.click(".cc-flag-item button:has-text('Resolve flag')")
    page.wait_for_selector("text=No flagged items.")
    # Move carol to dan's group.
    page.click("summary:has-text('Actions for Carol')")
    with page.expect_response(lambda response: "/move_member/" in response.url):  # first what it would do
        page.locator("details[open] form:has(select) button:has-text('Move')").click()
    confirm = page.locator("details[open] .cc-confirm")
    assert confirm.locator("li").first.inner_text() == "Members of the group after it: 2."
    with watch.sends("move_member"):
        confirm.get_by_role("button", name="Confirm").click()
    watch.wait_for_announcement("Carol moved.")  # the dashboard shows the new groups
    carol = Browserless(demo_server, "carol").ok_after_open("get_state")
    assert {m["name"] for m in carol["group"]["members"]} == {"Carol", "Dan"}
    with page.expect_download() as download:
        page.click("[data-role=export]")
    csv_text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert csv_text.startswith("cohort,group,member_id,name,username") and "Carol" in csv_text
    watch.close()


def tab_to(page, selector, limit=200):
    """Press Tab until the element matching ``selector`` has the focus (keyboard only)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never received the focus")


def test_one_learner_does_the_whole_journey_with_the_keyboard(browser, demo_server):
    for name in ("gita", "hamid"):  # peers of Cohort B who share first
        peer = Browserless(demo_server, name)
        peer.open_unit()
        peer.ok("submit_contribution", {"stage_id": "contract"})
        peer.ok("submit_contribution", {"stage_id": "tell", "text": f"{name} story", "sharing": "group"})
    watch = Watch(browser, demo_server, "ines")
    page, keyboard = watch.page, watch.page.keyboard
    tab_to(page, "input[name=consent]")
    keyboard.press("Space")
    tab_to(page, "form[data-role=contract-form] button")
    with watch.sends("submit_contribution"):
        keyboard.press("Enter")
    watch.wait_for_status("tell", "open")
    tab_to(page, "form[data-stage-id=tell] textarea")
    keyboard.type("My story, typed with the keyboard.")
    tab_to(page, "form[data-stage-id=tell] input[value=group]")
    keyboard.press("Space")
    tab_to(page, "form[data-stage-id=tell] button[type=submit]")
    with watch.sends("submit_contribution"):
        keyboard.press("Enter")
    watch.wait_for_status("tell", "done")
    story_ids = page.eval_on_selector_all(
        "[data-role=witness] form[data-contribution-id]", "forms => forms.map(f => f.dataset.contributionId)"
    )
    assert len(story_ids) == 2
    for story_id in story_ids:
        form = f'[data-role=witness] form[data-contribution-id="{story_id}"]'
        tab_to(page, f"{form} textarea[name=attention]")
        keyboard.type("It moved me.")
        sync_api.expect(page.locator(f"{form} textarea[name=attention]")).to_have_value("It moved me.")
        tab_to(page, f"{form} button")
        with watch.sends("submit_reflection"):
            keyboard.press("Enter")
    watch.wait_for_status("witness", "done")
    # Tab reaches a radio group at its checked radio; the arrow keys choose within it.
    tab_to(page, "[data-role=themes] fieldset[data-theme=time] input:checked")
    keyboard.press("ArrowRight")  # "Not in my story" -> "Structural"
    tab_to(page, "[data-role=themes] button[type=submit]")
    with watch.sends("tag_themes"):
        keyboard.press("Enter")
    watch.wait_for_status("themes", "done")
    tab_to(page, "form[data-stage-id=act] textarea")
    keyboard.type("Visit the careers fair.")
    sync_api.expect(page.locator("form[data-stage-id=act] textarea")).to_have_value("Visit the careers fair.")
    tab_to(page, "form[data-stage-id=act] input[name=sharing]")
    keyboard.press("ArrowDown")
    keyboard.press("ArrowDown")  # "My group" -> "The facilitator only" -> "Only me"
    tab_to(page, "form[data-stage-id=act] button[type=submit]")
    with watch.sends("submit_contribution"):
        keyboard.press("Enter")
    watch.wait_for_status("act", "done")
    assert page.is_checked("[data-role=themes] fieldset[data-theme=time] input[value=structural]")
    assert page.is_checked("form[data-stage-id=act] input[value=private]")
    # Announced once the answer is shown (a later "a new stage is open" may replace the text).
    watch.wait_for_announcement("Saved.")
    watch.close()


def axe_violations(page):
    """Serious and critical WCAG 2.2 AA violations inside our block (the workbench's page is not ours)."""
    from axe_playwright_python.sync_playwright import Axe

    context = {"include": [[".cc-block"], [".cc-author"]]}
    results = Axe().run(page, context=context, options={"runOnly": {"type": "tag", "values": WCAG}})
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(
    ("student", "scenario", "view", "width"),
    [
        ("alice", "collective_coaching.0", "", 1280),
        ("alice", "collective_coaching.0", "", 360),
        ("facilitator", "collective_coaching.0", "", 1280),
        ("facilitator", "collective_coaching.2", "studio_view", 1280),
        ("facilitator", "collective_coaching.2", "author_view", 1280),
    ],
    ids=["learner", "learner-360", "dashboard", "studio-editor", "studio-preview"],
)
def test_no_serious_or_critical_accessibility_violations(browser, demo_server, student, scenario, view, width):
    pytest.importorskip("axe_playwright_python", reason="axe-playwright-python is not installed")
    watch = Watch(browser, demo_server, student, scenario, view, width)
    assert axe_violations(watch.page) == []
    watch.close()


def test_author_text_in_the_studio_preview_shows_as_text(browser, demo_server):
    facilitator = Browserless(demo_server, "facilitator", scenario="collective_coaching.2")
    facilitator.open_unit()
    from collective_coaching_xblock.exercise.templates import TEMPLATES

    stages = [dict(stage) for stage in TEMPLATES["tree_of_life"].stages]
    stages[1] = {**stages[1], "title": f"Roots {PAYLOAD}", "instructions": PAYLOAD}
    status, body = facilitator.post("save_settings", {"display_name": f"Trees {PAYLOAD}"[:255], "stages": stages})
    assert status == 200, body
    for view in ("author_view", "studio_view", ""):
        watch = Watch(browser, demo_server, "facilitator", "collective_coaching.2", view)
        assert watch.page.locator(".cc-block img, .cc-author img, .cc-block b, .cc-author b").count() == 0
        watch.close()


def test_the_accessibility_check_does_find_a_planted_violation(browser, demo_server):
    """The harness is not vacuous: an image without alt text planted in the block is reported."""
    pytest.importorskip("axe_playwright_python", reason="axe-playwright-python is not installed")
    watch = Watch(browser, demo_server, "alice")
    watch.page.evaluate("document.querySelector('.cc-block').appendChild(document.createElement('img'))")
    assert "image-alt" in {violation_id for violation_id, _, _ in axe_violations(watch.page)}
    watch.close()
