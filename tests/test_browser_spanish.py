"""In Chromium, in Spanish: no English on any page a person reads.

A person whose language is Latin American Spanish (Django's language cookie, as the platform sets
it from their preference) walks every page: a learner at the start, a learner mid-journey, a
learner who finished, the facilitator's dashboard, Studio's editor and its preview. On each, the
text of the block (its innerText with every panel open, the labels read to a screen reader, and
what the live region announced) holds none of the English source strings of the catalogs that
have a Spanish translation of their own; no line of it reads word for word as on the same page in
English (which finds a string no catalog has: one never marked for translation), learners' texts
aside; and axe finds no serious or critical violation.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from collective_coaching_xblock.demo.data import COHORTS

from .demo_server import Browserless
from .test_browser import Watch, axe_violations, browser, demo_server  # noqa: F401 - the module's fixtures

SPANISH = Path(__file__).resolve().parent.parent / "collective_coaching_xblock" / "translations" / "es_419"
#: A placeholder of either kind: {name} (the scripts' format) and %(name)s, %s, %d (Python's).
PLACEHOLDER = re.compile(r"\{\w*\}|%\(\w+\)[sdif]|%[sdif]")
SHORTEST_PIECE = 12


def _unquote(line: str) -> str:
    text = line[line.index('"') + 1 : line.rindex('"')]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def read_po(path: Path) -> list[dict[str, str]]:
    """The entries of a .po file (msgid, msgid_plural, msgstr, msgstr[n]), without obsolete ones."""
    entries, entry, key = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line:
            if entry:
                entries.append(entry)
            entry, key = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"') and key:
            entry[key] += _unquote(line)
        else:
            key = line.split(" ", 1)[0]
            entry[key] = _unquote(line)
    return [e for e in entries if e.get("msgid")]


def english_pieces() -> set[str]:
    """Every literal piece (12 characters or more) of an English source string of two words or more
    whose Spanish translation differs from it."""
    pieces = set()
    for domain in ("text", "textjs"):
        for entry in read_po(SPANISH / "LC_MESSAGES" / f"{domain}.po"):
            translations = {value for key, value in entry.items() if key.startswith("msgstr")}
            for source in (entry["msgid"], entry.get("msgid_plural")):
                if not source or len(source.split()) < 2 or source in translations:
                    continue
                for piece in PLACEHOLDER.split(source):
                    for line in piece.split("\n"):
                        if len(line.strip()) >= SHORTEST_PIECE:
                            pieces.add(line.strip())
    return pieces


def test_the_catalogs_give_english_pieces_to_look_for():
    pieces = english_pieces()
    assert len(pieces) > 300
    assert "Your small group" in pieces and "Learners who have done each stage" in pieces
    assert " is open for " not in pieces  # placeholders split a string; short pieces are left out
    assert "Waiting for stories from:" in pieces


#: Everything of the block a person reads: its text with every panel open, the names read to a screen
#: reader and every announcement of the live region (recorded by test_browser's Watch).
READ_ALL = """() => {
    const blocks = Array.from(document.querySelectorAll('.cc-block, .cc-author'));
    const labels = blocks.flatMap((block) => Array.from(
        block.querySelectorAll('[aria-label], [title], [placeholder], img[alt]'))).flatMap(
        (node) => ['aria-label', 'title', 'placeholder', 'alt'].map((name) => node.getAttribute(name) || ''));
    return blocks.map((block) => block.innerText).concat(labels, window.ccAnnouncements || []).join('\\n');
}"""
#: The units' names in the demo's scenarios: an author's text, shown as written (decision 0005), even
#: where it is also the English title of a template ("Tree of life").
UNIT_NAMES = {"collective_coaching.0": "Career stories in small groups", "collective_coaching.2": "Tree of life"}
WITHOUT_UNIT_NAME = """(name) => {
    document.querySelectorAll('.cc-title').forEach((title) => {
        title.childNodes.forEach((node) => {
            if (node.nodeType === Node.TEXT_NODE) { node.textContent = node.textContent.replace(name, '«unit»'); }
        });
    });
}"""
OPEN_EVERYTHING = """() => {
    document.querySelectorAll('.cc-block details, .cc-author details').forEach((node) => { node.open = true; });
    document.querySelectorAll('.cc-block [data-role=fold][aria-expanded=false]').forEach((node) => node.click());
}"""


def spanish_page(browser, base, student, scenario="collective_coaching.0", view=""):  # noqa: F811
    """A page opened as ``student`` whose language is es-419 (the platform's preference: the cookie)."""
    watch = Watch(browser, base, student, scenario, view, locale="es-419")
    watch.page.context.add_cookies([{"name": "django_language", "value": "es-419", "url": base}])
    watch.page.reload()
    watch.page.wait_for_selector(".cc-block, .cc-author")
    watch.opened_as = (browser, base, student, scenario, view)
    return watch


def read(watch, prepare=None) -> str:
    """What a person reads of the block, every panel open (after ``prepare(watch)``, if given)."""
    page = watch.page
    if prepare:
        prepare(watch)
    page.evaluate(OPEN_EVERYTHING)
    page.wait_for_function("() => !document.querySelector('.cc-block [aria-busy], .cc-author [aria-busy]')")
    page.evaluate(WITHOUT_UNIT_NAME, UNIT_NAMES[watch.opened_as[3]])
    return page.evaluate(READ_ALL)


def catalog_english_in(text: str) -> list[str]:
    """The English pieces of the catalogs in ``text``, each in its context."""
    return sorted(
        f"{piece!r} in {text[max(0, at - 40) : at + len(piece) + 40]!r}"
        for piece in english_pieces()
        if (at := text.find(piece)) != -1
    )


#: A line a person reads the same in English and in Spanish that is not a learner's or an author's text.
SAME_IN_BOTH = {"Personal", "«unit»"}
CITATION = re.compile(r"\(\d{4}\)\. ")


def same_as_in_english(spanish: str, english: str, data) -> list[str]:
    """Lines (and table cells) of the Spanish page that the English page shows word for word: text
    that was never translated, even where no catalog has it (a string not marked for translation)."""
    lines = {line.strip() for line in re.split(r"[\n\t]", english)}

    def words_left(line: str) -> str:
        """The line without the people's data in it (names, usernames, cohorts): what was translatable."""
        for text in sorted(data, key=len, reverse=True):
            line = line.replace(text, "")
        return line

    return sorted(
        {
            line
            for line in (piece.strip() for piece in re.split(r"[\n\t]", spanish))
            if line in lines
            and re.search(r"[^\W\d_]{2}", words_left(line))
            and line not in SAME_IN_BOTH
            and not CITATION.search(line)
            and line not in data
            and not any(text in line for text in data if len(text) >= SHORTEST_PIECE)
        }
    )


def check(watch, prepare=None, data=()):
    """The page (``watch``, in Spanish) holds no English: none of the catalogs' English strings, and no
    line that the same page in English shows as it is (but the learners' texts in ``data``); and axe
    finds nothing serious on it."""
    spanish = read(watch, prepare)
    english_pieces_found = catalog_english_in(spanish)
    assert not english_pieces_found, "English on a Spanish page:\n" + "\n".join(english_pieces_found)
    assert axe_violations(watch.page) == []
    chromium, base, student, scenario, view = watch.opened_as
    twin = Watch(chromium, base, student, scenario, view, locale="en-US")
    twin.opened_as = watch.opened_as
    untranslated = same_as_in_english(spanish, read(twin, prepare), set(data) | DATA)
    assert not untranslated, "Text the same in Spanish and in English:\n" + "\n".join(untranslated)
    twin.close()
    watch.close()


STORIES = {
    "alice": "Trabajé de noche en una panadería mientras estudiaba enfermería; mi madre me enseñó a no rendirme.",
    "bob": "Dejé la escuela a los dieciséis para cuidar a mi hermano. Ahora quiero estudiar contabilidad.",
    "carol": "Llegué al país hace tres años y mi título de maestra no vale aquí; busco cómo convalidarlo.",
}
WITNESS = {
    "attention": "Me llamó la atención tu constancia.",
    "image": "Imaginé una cocina encendida de madrugada.",
    "connection": "Me recuerda a mi abuela.",
    "transport": "Me lleva a pensar en lo que callo.",
}
PLAN = "Nos vemos el jueves en la biblioteca ({name})."
STEPS = "{name}: pedir cita en la bolsa de empleo."
RESPONSE = "Gracias por escucharme."
FLAG_REASON = "Nombra a una compañera de trabajo."
OWN_THEME = "cuidados"
#: What learners wrote and the demo's own data (names, cohorts), the same in every language.
DATA = (
    set(STORIES.values())
    | set(WITNESS.values())
    | {PLAN.format(name=n) for n in STORIES}
    | {STEPS.format(name=n) for n in STORIES}
    | {RESPONSE, FLAG_REASON, OWN_THEME, "Cohort A", "Cohort B"}
    | {"Alice", "Bob", "Carol", "Dan", "Gita"}
    # every demo person's name and username (the triage list names those who never opened the unit)
    | {name for _cohort, people in COHORTS.values() for person in people for name in (person, person.title())}
)


def _tell(person, student):
    person.ok("submit_contribution", {"stage_id": "contract"})
    person.ok("submit_contribution", {"stage_id": "tell", "text": STORIES[student], "sharing": "group"})


def _group_of_three(base) -> dict:
    """Alice, Bob and Carol, their stories told (where a test before has not told them already)."""
    people = {name: Browserless(base, name) for name in STORIES}
    for person in people.values():
        person.open_unit()
    if not people["bob"].ok("get_state")["contributions"]:
        for name, person in people.items():
            _tell(person, name)
    return people


def _witness_all(person):
    for story in [c for c in person.ok("get_state")["contributions"] if not c["mine"] and c["stage_id"] == "tell"]:
        person.ok("submit_reflection", {"contribution_id": story["id"], "answers": WITNESS})


def test_the_checks_find_a_planted_english_sentence(browser, demo_server):  # noqa: F811
    """Not vacuous: an English sentence of the catalogs, or one that no catalog has, is found."""
    watch = spanish_page(browser, demo_server, "gita")
    watch.page.evaluate(
        "document.querySelector('.cc-block').insertAdjacentHTML('beforeend', "
        "'<p>Your small group</p><p>A sentence nobody marked</p>')"
    )
    spanish = read(watch)
    assert [found.split(" in ")[0] for found in catalog_english_in(spanish)] == ["'Your small group'"]
    english = f"A sentence nobody marked\nYour small group\n{STORIES['alice']}\nGita"
    assert same_as_in_english(spanish + f"\n{STORIES['alice']}\nGita", english, DATA) == [
        "A sentence nobody marked",
        "Your small group",
    ]
    watch.close()


def test_a_learner_at_the_start_reads_spanish_only(browser, demo_server):  # noqa: F811
    watch = spanish_page(browser, demo_server, "gita")  # the first of Cohort B: alone, waiting for peers
    assert "Tu grupo pequeño" in watch.page.inner_text(".cc-block")
    check(watch)


def test_a_learner_mid_journey_reads_spanish_only(browser, demo_server):  # noqa: F811
    people = {name: Browserless(demo_server, name) for name in ("alice", "bob")}
    for name, person in people.items():
        person.open_unit()
        _tell(person, name)
    watch = spanish_page(browser, demo_server, "carol")
    page = watch.page
    page.check("input[name=consent]")
    with watch.sends("submit_contribution"):
        page.click("form[data-role=contract-form] button")
    watch.wait_for_status("tell", "open")
    page.fill("form[data-stage-id=tell] textarea", STORIES["carol"])
    page.check("form[data-stage-id=tell] input[value=group]")
    with watch.sends("submit_contribution"):
        page.click("form[data-stage-id=tell] button[type=submit]")
    watch.wait_for_status("tell", "done")
    for story_id in page.eval_on_selector_all(
        "[data-role=witness] form[data-contribution-id]", "forms => forms.map(f => f.dataset.contributionId)"
    ):
        form = page.locator(f'[data-role=witness] form[data-contribution-id="{story_id}"]')
        form.locator("textarea").first.fill(WITNESS["attention"])
        with watch.sends("submit_reflection"):
            form.locator("button[type=submit]").click()
    watch.wait_for_status("themes", "open")
    page.locator("[data-role=themes] input[type=text]").fill(OWN_THEME)
    page.locator("[data-role=themes] .cc-add-theme button").click()
    _witness_all(people["alice"])  # Alice's reflection on Carol's story, for Carol to answer
    watch.page.wait_for_selector("[data-role=my-story] form", state="attached")  # the page looks for news itself
    check(watch)


def test_a_learner_who_finished_reads_spanish_only(browser, demo_server):  # noqa: F811
    people = _group_of_three(demo_server)
    version = 0
    for name, person in people.items():
        _witness_all(person)
        themes = [{"theme": "money", "structural": True}, {"theme": OWN_THEME, "structural": False}]
        person.ok("tag_themes", {"themes": themes})
        person.ok("submit_contribution", {"stage_id": "act", "text": STEPS.format(name=name), "sharing": "group"})
        version = person.ok("save_group_plan", {"text": PLAN.format(name=name), "version": version})["group_plan"][
            "version"
        ]
    alice = people["alice"]
    mine = next(c for c in alice.ok("get_state")["contributions"] if c["mine"] and c["stage_id"] == "tell")
    reflection = next(r for r in alice.ok("get_state")["reflections"] if r["contribution_id"] == mine["id"])
    alice.ok("respond_to_reflection", {"reflection_id": reflection["id"], "text": RESPONSE})

    def plan_history(watch):
        page = watch.page
        page.wait_for_selector("[data-role=summary]")
        page.evaluate(OPEN_EVERYTHING)
        with page.expect_response(lambda response: "/plan_history/" in response.url):
            page.locator("[data-role=plan] .cc-plan-history button").click()
        page.locator("[data-role=plan] details.cc-version").first.wait_for()

    check(spanish_page(browser, demo_server, "alice"), plan_history)


def test_the_facilitators_dashboard_reads_spanish_only(browser, demo_server):  # noqa: F811
    bob = _group_of_three(demo_server)["bob"]
    Browserless(demo_server, "dan").open_unit()  # alone in Cohort A's second group
    story = next(
        c for c in bob.ok("get_state")["contributions"] if c["author_name"] == "Alice" and c["stage_id"] == "tell"
    )
    bob.ok("flag_content", {"kind": "contribution", "id": story["id"], "reason": FLAG_REASON})

    # A merge done and a small group waiting for each reason: no group waits days in a test, so the
    # dashboard's answer gains them (the page draws them as it draws the server's own).
    def with_small_groups(route):
        response = route.fetch()
        data = response.json()
        now = datetime.now(UTC).isoformat()
        data["regrouping"]["merges"] = [{"at": now, "from_number": 3, "into_number": 1, "members": 1}]
        data["regrouping"]["waiting"] = [
            {"number": 2, "members": 1, "since": now, "reason": reason}
            for reason in ("arranged", "off", "next_run", "no_room")
        ]
        route.fulfill(response=response, json=data)

    def flag_small_groups_and_a_group_read(watch):
        page = watch.page
        page.wait_for_selector(".cc-flag-item")
        page.route("**/dashboard_data/**", with_small_groups)
        with watch.sends("dashboard_data"):
            page.evaluate("document.querySelector('[data-role=cohort]').dispatchEvent(new Event('change'))")
        assert page.locator("[data-role=small-groups] .cc-waiting").count() == 4
        page.locator(".cc-group-panel .cc-actions button").first.click()
        page.wait_for_selector("[data-role=detail]:not([hidden]) .cc-story")

    check(spanish_page(browser, demo_server, "facilitator"), flag_small_groups_and_a_group_read)
    check(spanish_page(browser, demo_server, "facilitator_b"))  # limited to Cohort B: other notes, fewer forms


def test_the_studio_editor_and_its_preview_read_spanish_only(browser, demo_server):  # noqa: F811
    for view in ("studio_view", "author_view"):
        check(spanish_page(browser, demo_server, "facilitator", "collective_coaching.2", view))
