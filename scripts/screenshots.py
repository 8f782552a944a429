"""Screenshots of every view at 1280 and 360 px wide, into docs/screenshots/ (``make screenshots``).

Starts a fresh demo server, plays a group of three through the stages over HTTP (and a fourth
learner who arrives alone), then photographs the learner view (finished, and alone), the
facilitator dashboard, the Studio editor and the Studio preview in Debian's Chromium. A second
server holds a busy course (two cohorts of ten groups, ``demo/busy.py``) for the dashboard of a
facilitator at scale: its top, where the triage list and the group tools are. The live session's
screen is photographed at 1920, 1280 and 360 px, as a room or a call would see it. Only the block
is photographed, not the workbench around it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from collective_coaching_xblock.demo import busy
from collective_coaching_xblock.demo.server import CHROMIUM_FLAGS, Browserless, demo_server

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STORIES = {
    "alice": "I left school at sixteen to care for my mother. Years later a night class gave me back the idea that "
    "I could study. The bus to the college takes an hour each way.",
    "bob": "I was a welder for twelve years until the plant closed. People keep telling me to retrain, but the "
    "courses are in the daytime, when I drive for a delivery firm.",
    "carol": "I came here as a nurse but my qualifications are not recognised. I work as a care assistant and "
    "study for the exams at night.",
}
VIEWS = [
    ("learner", "alice", "collective_coaching.0", ""),
    ("learner-alone", "dan", "collective_coaching.0", ""),
    ("dashboard", "facilitator", "collective_coaching.0", ""),
    ("learner-checkin", "frank", "collective_coaching.4", ""),
    ("dashboard-checkin", "facilitator", "collective_coaching.4", ""),
    ("studio-editor", "facilitator", "collective_coaching.2", "studio_view"),
    ("studio-preview", "facilitator", "collective_coaching.2", "author_view"),
]


def play(base: str) -> None:
    """A group of three: consent, stories, witnessing, themes, next steps and a plan."""
    people = {name: Browserless(base, name) for name in STORIES}
    for name, person in people.items():
        person.open_unit()
        person.ok("submit_contribution", {"stage_id": "contract"})
        person.ok("submit_contribution", {"stage_id": "tell", "text": STORIES[name], "sharing": "group"})
    for person in people.values():
        for story in [c for c in person.ok("get_state")["contributions"] if not c["mine"]]:
            person.ok(
                "submit_reflection",
                {
                    "contribution_id": story["id"],
                    "answers": {
                        "attention": f"How {story['author_name']} kept going.",
                        "connection": "My own evening classes.",
                    },
                },
            )
        person.ok(
            "tag_themes",
            {
                "themes": [
                    {"theme": "time", "structural": True},
                    {"theme": "money", "structural": True},
                    {"theme": "confidence", "structural": False},
                ]
            },
        )
    people["alice"].ok(
        "submit_contribution", {"stage_id": "act", "text": "Ask the college about a travel grant.", "sharing": "group"}
    )
    people["alice"].ok(
        "save_group_plan", {"text": "Write together to the college about evening timetables.", "version": 0}
    )
    # Dan arrives after the group of three is full: alone in group 2, his story told, he goes on.
    dan = Browserless(base, "dan")
    dan.open_unit()
    dan.ok("submit_contribution", {"stage_id": "contract"})
    dan.ok(
        "submit_contribution",
        {
            "stage_id": "tell",
            "text": "I drove a forklift on night shifts for ten years. Now the nursery fees take most of what I earn.",
            "sharing": "group",
        },
    )


CHECKIN_ITEMS = ("hope", "agency", "clarity", "shared", "structural")


def play_checkin(base: str) -> None:
    """The check-in unit: five learners answer at the start and at the end (the end opened for them)."""
    scenario = "collective_coaching.4"
    people = {name: Browserless(base, name, scenario=scenario) for name in ("alice", "bob", "carol", "dan", "erin")}
    for n, person in enumerate(people.values()):
        person.open_unit()
        start = dict(zip(CHECKIN_ITEMS, (2, 2, 1 + n % 2, 3, 2), strict=True))
        person.ok("submit_contribution", {"stage_id": "checkin_before", "answers": start})
    facilitator = Browserless(base, "facilitator", scenario=scenario)
    facilitator.open_unit()
    for group in {person.ok("get_state")["group"]["id"] for person in people.values()}:
        facilitator.ok("open_stage", {"stage_id": "checkin_after", "group_id": group})
    for n, person in enumerate(people.values()):
        end = dict(zip(CHECKIN_ITEMS, (4, 3 + n % 2, 4, 5, 4 if n else "prefer_not"), strict=True))
        person.ok("submit_contribution", {"stage_id": "checkin_after", "answers": end})
    Browserless(base, "frank", scenario=scenario).open_unit()  # photographed at the start


def play_busy(base: str) -> None:
    """Twenty groups in two cohorts, a flag in Cohort B and a learner who answered one to one."""
    people = busy.fill(base)
    hamid = next(c for c in people["gita"].ok("get_state")["contributions"] if c["author_name"] == "Hamid")
    people["gita"].ok("flag_content", {"kind": "contribution", "id": hamid["id"], "reason": "It names my firm."})
    facilitator = Browserless(base, "facilitator")
    facilitator.open_unit()
    groups = facilitator.ok("dashboard_data", {"cohort": "cohort-a"})["groups"]
    bob = next(m["id"] for g in groups for m in g["members"] if m["name"] == "Bob")
    facilitator.ok("write_to_learner", {"member_id": bob, "text": "How did the interview go?"})
    people["bob"].ok("answer_facilitator", {"text": "Well: they call me back on Monday."})


#: The busy dashboard is photographed down to this height: its top, where a facilitator starts.
BUSY_HEIGHT = 2400


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    var = Path(__file__).resolve().parent.parent / "var"  # the tree's ignored folder; removed afterwards
    var.mkdir(exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="cc-shots-", dir=var) as folder,
        tempfile.TemporaryDirectory(prefix="cc-shots-busy-", dir=var) as busy_folder,
        demo_server(Path(folder)) as base,
        demo_server(Path(busy_folder)) as busy_base,
        sync_playwright() as playwright,
    ):
        play(base)
        play_checkin(base)
        play_busy(busy_base)
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        for width in (1280, 360):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(f"{busy_base}/scenario/collective_coaching.0/?student=facilitator")
            page.add_style_tag(content="header.banner { display: none !important; }")
            page.get_by_label("For all my cohorts").check()
            page.locator("[data-role=triage] h4").first.wait_for()
            page.wait_for_timeout(600)
            box = page.locator(".cc-block").first.bounding_box()
            path = OUT / f"dashboard-twenty-groups-{width}.png"
            page.screenshot(
                path=str(path),
                full_page=True,
                clip={"x": box["x"], "y": box["y"], "width": box["width"], "height": min(box["height"], BUSY_HEIGHT)},
            )
            print(path.relative_to(OUT.parent.parent))
            page.close()
        for width in (1920, 1280, 360):  # the live session's screen, for a room or a call
            page = browser.new_page(viewport={"width": width, "height": 1080 if width == 1920 else 900})
            page.goto(f"{base}/scenario/collective_coaching.0/?student=facilitator")
            page.locator("[data-role=groups] .cc-group-panel").first.get_by_role("button", name="Live session").click()
            page.locator(".cc-session-themes").wait_for()
            page.wait_for_timeout(600)
            path = OUT / f"live-session-{width}.png"
            page.screenshot(path=str(path), full_page=False)
            print(path.relative_to(OUT.parent.parent))
            page.close()
        for name, student, scenario, view in VIEWS:
            for width in (1280, 360):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(f"{base}/scenario/{scenario}/{view + '/' if view else ''}?student={student}")
                page.add_style_tag(content="header.banner { display: none !important; }")  # the workbench's
                page.wait_for_timeout(600)
                target = (
                    page.locator(".cc-block, .cc-author").first
                    if view != "author_view"
                    else page.locator(".xblock-v1").first
                )
                path = OUT / f"{name}-{width}.png"
                target.screenshot(path=str(path))
                print(path.relative_to(OUT.parent.parent))
                page.close()
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
