"""Built-in exercise templates: a named list of stages with its aim and research basis.

Texts are marked with ``gettext_noop`` (a name the extraction tools know) so that they are
extracted for translation; they are translated when shown, not when stored. What a template is
(``Template``, ``Citation``) is in ``template.py``.
"""

from __future__ import annotations

from .stages import ACTION, CHECKIN, CONTRACT, NARRATIVE, THEMES, WITNESS
from .template import Citation, Template
from .text import gettext_noop

DEFAULT_THEMES = (
    gettext_noop("money"),
    gettext_noop("caring responsibilities"),
    gettext_noop("health"),
    gettext_noop("discrimination"),
    gettext_noop("confidence"),
    gettext_noop("qualifications"),
    gettext_noop("networks"),
    gettext_noop("place and transport"),
    gettext_noop("time"),
)

WITNESS_PROMPTS = (
    {"id": "attention", "text": gettext_noop("What caught your attention in this story?")},
    {"id": "image", "text": gettext_noop("What image or picture did it evoke for you?")},
    {"id": "connection", "text": gettext_noop("What in your own life does it connect to?")},
    {"id": "transport", "text": gettext_noop("Where has hearing it taken you?")},
)

GINA = Template(
    id="gina",
    title=gettext_noop("Group integrative narrative approach (GINA)"),
    aim=gettext_noop(
        "A small group tells, witnesses and re-authors career stories, names the barriers its "
        "members share, and plans action alone and together."
    ),
    citations=(
        Citation(
            "Meldrum, S.",
            2021,
            "Group career coaching: a critical pedagogical approach. Journal for Specialists in Group Work",
            "10.1080/01933922.2021.1929619",
        ),
        Citation(
            "Meldrum, S.",
            2022,
            "Agents for change: reimagining emancipatory career guidance practices in Scotland. "
            "Journal of the National Institute for Career Education and Counselling",
            "10.20856/jnicec.4907",
        ),
    ),
    stages=(
        {
            "id": "contract",
            "kind": CONTRACT,
            "title": gettext_noop("Our group contract"),
            "instructions": gettext_noop(
                "We listen without judging and we give no advice. What is shared in the group stays "
                "in the group. You choose what you share and with whom, and you can change your mind "
                "at any time. Facilitators can read what you share with the group or with them; "
                "they must act if someone is at risk of harm."
            ),
            "graded": False,
            "facilitator_notes": gettext_noop(
                "Read the contract aloud and ask what the group would add. Say plainly what you must act on "
                "(risk of harm) and that sharing is always a choice. Watch for anyone who agrees only because "
                "the others did: offer them a word in private."
            ),
        },
        {
            "id": "tell",
            "kind": NARRATIVE,
            "title": gettext_noop("Tell your career story"),
            "instructions": gettext_noop("Write your story in your own words. These questions may help."),
            "prompts": [
                {
                    "id": "turning_point",
                    "text": gettext_noop("A turning point in your working life or learning."),
                },
                {"id": "people", "text": gettext_noop("People who shaped the way you see work.")},
                {"id": "obstacles", "text": gettext_noop("What gets in the way of where you want to go.")},
            ],
            "facilitator_notes": gettext_noop(
                "Say that a story can be short and need not be told in order. Listen for moments when someone "
                "blames themselves for what was set up around them: you may come back to them when themes are "
                "named. If a story tells of harm or risk, follow your service's safeguarding steps first."
            ),
        },
        {
            "id": "witness",
            "kind": WITNESS,
            "title": gettext_noop("Witness each other's stories"),
            "instructions": gettext_noop(
                "Respond as an outsider witness: say what you heard and how it touched you. No advice, no judgement."
            ),
            "prompts": list(WITNESS_PROMPTS),
            "facilitator_notes": gettext_noop(
                "Model one outsider-witness response before the group writes: what you heard, an image, what "
                "it touched in you, where it took you. Gently turn advice and judgement back to what was heard. "
                "Watch for a story nobody has witnessed yet."
            ),
        },
        {
            "id": "themes",
            "kind": THEMES,
            "title": gettext_noop("Name shared themes"),
            "instructions": gettext_noop(
                "Tag the themes in your story. For each, say whether you see it as structural "
                "(how things are set up) or personal."
            ),
            "facilitator_notes": gettext_noop(
                "Put the theme map on the shared screen. Ask which barriers many share and who set them up: "
                "transport, childcare, recognition of qualifications. Do not settle for anyone whether a theme "
                "is structural or personal; ask what would have to change for it to go away."
            ),
        },
        {
            "id": "act",
            "kind": ACTION,
            "title": gettext_noop("Re-author and act"),
            "instructions": gettext_noop(
                "Write your preferred story and your next steps, then plan with your group what you will do together."
            ),
            "prompts": [
                {"id": "preferred_story", "text": gettext_noop("The story you would like to be living.")},
                {"id": "next_steps", "text": gettext_noop("Your next steps.")},
            ],
            "facilitator_notes": gettext_noop(
                "Begin with one next step each that could happen this week. Then ask which shared barrier the "
                "group could act on together, and who will do what by when; the group plan keeps it. Close by "
                "naming what each person brought to the group."
            ),
        },
    ),
)


def _contract(instructions: str) -> dict:
    return {
        "id": "contract",
        "kind": CONTRACT,
        "title": gettext_noop("Our group contract"),
        "instructions": instructions,
        "graded": False,
    }


def _narrative(stage_id: str, title: str, instructions: str, *prompts: tuple[str, str], graded: bool = True) -> dict:
    return {
        "id": stage_id,
        "kind": NARRATIVE,
        "title": title,
        "instructions": instructions,
        "prompts": [{"id": prompt_id, "text": text} for prompt_id, text in prompts],
        "graded": graded,
    }


OUTSIDER_WITNESS = Template(
    id="outsider_witness",
    title=gettext_noop("Outsider-witness circle"),
    aim=gettext_noop(
        "A definitional ceremony: one telling, retellings by witnesses, and the teller's response to what "
        "was heard, so that preferred stories are acknowledged and thickened by an audience."
    ),
    citations=(
        Citation("White, M.", 2007, "Maps of Narrative Practice. New York: W. W. Norton"),
        Citation(
            "Myerhoff, B.",
            1982,
            "Life history among the elderly: performance, visibility and re-membering. "
            "In J. Ruby (Ed.), A Crack in the Mirror. University of Pennsylvania Press",
        ),
    ),
    stages=(
        _narrative(
            "tell",
            gettext_noop("Tell"),
            gettext_noop("Tell a story of your working life that matters to you."),
            ("story", gettext_noop("What happened, and what did it say about what you value?")),
        ),
        {
            "id": "retell",
            "kind": WITNESS,
            "title": gettext_noop("Retell"),
            "instructions": gettext_noop(
                "Retell what you heard as an outsider witness. No advice, no judgement: speak of what caught "
                "your attention and where it took you."
            ),
            "prompts": list(WITNESS_PROMPTS),
        },
        {
            "id": "respond",
            "kind": ACTION,
            "title": gettext_noop("Respond"),
            "instructions": gettext_noop("Having heard the retellings, what stands out for you now?"),
            "prompts": [{"id": "stands_out", "text": gettext_noop("What stood out in the retellings, and why?")}],
        },
    ),
)

TREE_OF_LIFE = Template(
    id="tree_of_life",
    title=gettext_noop("Tree of life"),
    aim=gettext_noop(
        "Each person draws and writes their tree (roots, ground, trunk, branches, leaves, fruits) and the "
        "storms that threaten it; the group then stands back to see its forest, and how it weathers storms "
        "together."
    ),
    citations=(
        Citation(
            "Ncube, N.",
            2006,
            "The Tree of Life Project: using narrative ideas in work with vulnerable "
            "children. International Journal of Narrative Therapy and Community Work, 1, 3-16",
        ),
        Citation(
            "Denborough, D.",
            2008,
            "Collective Narrative Practice: Responding to Individuals, Groups, and "
            "Communities Who Have Experienced Trauma. Adelaide: Dulwich Centre Publications",
        ),
    ),
    stages=(
        _contract(
            gettext_noop("We listen without judging and we give no advice. You choose what you share and with whom.")
        ),
        _narrative(
            "roots",
            gettext_noop("Roots"),
            gettext_noop("Where you come from: your history, family, culture."),
            ("roots", gettext_noop("Where do you come from, and who taught you most?")),
        ),
        _narrative(
            "ground",
            gettext_noop("Ground"),
            gettext_noop("Where you live now and what you do each week."),
            ("ground", gettext_noop("What fills an ordinary week for you?")),
        ),
        _narrative(
            "trunk",
            gettext_noop("Trunk"),
            gettext_noop("Your skills and what you are good at."),
            ("trunk", gettext_noop("What are you good at, and how did you learn it?")),
        ),
        _narrative(
            "branches",
            gettext_noop("Branches"),
            gettext_noop("Your hopes, dreams and wishes for your work."),
            ("branches", gettext_noop("Where would you like your working life to go?")),
        ),
        _narrative(
            "leaves",
            gettext_noop("Leaves"),
            gettext_noop("The people who matter to you."),
            ("leaves", gettext_noop("Who matters to you, and who believes in you?")),
        ),
        _narrative(
            "fruits",
            gettext_noop("Fruits"),
            gettext_noop("What you have been given by others."),
            ("fruits", gettext_noop("What gifts have others given you?")),
        ),
        _narrative(
            "storms",
            gettext_noop("Storms"),
            gettext_noop("The storms that threaten trees like yours, and how you respond to them."),
            ("storms", gettext_noop("What storms affect your life, and how do you get through them?")),
        ),
        {
            "id": "forest",
            "kind": WITNESS,
            "title": gettext_noop("The forest"),
            "instructions": gettext_noop(
                "Visit your group's trees. Say what you noticed and what it connects to in your life. "
                "No advice, no judgement."
            ),
            "prompts": list(WITNESS_PROMPTS),
        },
        {
            "id": "shared_storms",
            "kind": THEMES,
            "title": gettext_noop("Storms we share"),
            "instructions": gettext_noop("Name the storms in your tree; say which come from how things are set up."),
        },
    ),
)

SYSTEM_OF_INFLUENCES = Template(
    id="system_of_influences",
    title=gettext_noop("My system of career influences"),
    aim=gettext_noop(
        "Map the influences on your career (yourself, the people around you, society and the environment, "
        "past, present and future) and act on what the map shows."
    ),
    citations=(
        Citation(
            "McMahon, M., Patton, W. and Watson, M.",
            2005,
            "My System of Career Influences (MSCI): facilitator's guide. Camberwell: ACER Press",
        ),
        Citation(
            "Patton, W. and McMahon, M.",
            2006,
            "The systems theory framework of career development and "
            "counseling: connecting theory and practice. International Journal for the Advancement of "
            "Counselling, 28, 153-166",
            "10.1007/s10447-005-9010-1",
        ),
    ),
    stages=(
        _contract(gettext_noop("We listen without judging and we give no advice.")),
        _narrative(
            "self",
            gettext_noop("Me"),
            gettext_noop("Influences within you."),
            ("self", gettext_noop("Your interests, abilities, values, health and beliefs about work.")),
        ),
        _narrative(
            "people",
            gettext_noop("People"),
            gettext_noop("Influences from people around you."),
            ("people", gettext_noop("Family, friends, teachers, colleagues and communities.")),
        ),
        _narrative(
            "society",
            gettext_noop("Society and environment"),
            gettext_noop("Influences from society and the environment."),
            ("society", gettext_noop("Money, place, the job market, discrimination, transport, policy.")),
        ),
        _narrative(
            "time",
            gettext_noop("Past, present and future"),
            gettext_noop("How influences change over time."),
            ("time", gettext_noop("What shaped you, what shapes you now, and what will matter next?")),
        ),
        {
            "id": "action",
            "kind": ACTION,
            "title": gettext_noop("Action"),
            "instructions": gettext_noop("Looking at your map, what will you do, alone and together?"),
            "prompts": [{"id": "next_steps", "text": gettext_noop("Your next steps.")}],
        },
    ),
)

CAREER_CONSTRUCTION = Template(
    id="career_construction",
    title=gettext_noop("Career construction story"),
    aim=gettext_noop(
        "The career construction interview: role models, favourite stories, a motto and early memories, "
        "drawn together into a life portrait that suggests the next chapter."
    ),
    citations=(
        Citation(
            "Savickas, M. L.",
            2012,
            "Life design: a paradigm for career intervention in the 21st century. "
            "Journal of Counseling & Development, 90(1), 13-19",
            "10.1111/j.1556-6676.2012.00002.x",
        ),
        Citation("Cochran, L.", 1997, "Career Counseling: A Narrative Approach. Thousand Oaks: Sage"),
    ),
    stages=(
        _contract(gettext_noop("We listen without judging and we give no advice.")),
        _narrative(
            "role_models",
            gettext_noop("Role models"),
            gettext_noop("Whom did you admire growing up?"),
            ("role_models", gettext_noop("Name three people you admired and what you admired in them.")),
        ),
        _narrative(
            "stories",
            gettext_noop("Favourite stories"),
            gettext_noop("Your favourite book, film or series, and its story."),
            ("stories", gettext_noop("Tell the story of your favourite book or film.")),
        ),
        _narrative(
            "motto",
            gettext_noop("A motto"),
            gettext_noop("Your favourite saying."),
            ("motto", gettext_noop("What is your favourite saying or motto?")),
        ),
        _narrative(
            "memories",
            gettext_noop("Early memories"),
            gettext_noop("Your earliest memories."),
            ("memories", gettext_noop("Tell three early memories, each with a headline.")),
        ),
        {
            "id": "portrait",
            "kind": ACTION,
            "title": gettext_noop("Life portrait"),
            "instructions": gettext_noop(
                "Draw your answers together: what do they say about who you are becoming, and what is the next chapter?"
            ),
            "prompts": [{"id": "portrait", "text": gettext_noop("Your life portrait and your next chapter.")}],
        },
    ),
)

# A check-in on the constructs group coaching aims to move. The statements are the project's own,
# written for this template (no published instrument is copied; authors may enter a licensed one
# themselves); the citations are the constructs' sources.
CHECKIN_ITEMS = (
    {"id": "hope", "text": gettext_noop("I can see ways forward in my working life.")},
    {"id": "agency", "text": gettext_noop("I can take steps that change my working life.")},
    {"id": "clarity", "text": gettext_noop("I know what my next steps are.")},
    {"id": "shared", "text": gettext_noop("Other people face barriers like mine.")},
    {
        "id": "structural",
        "text": gettext_noop("Some of what holds me back comes from how things are set up, not from me."),
    },
)


def _checkin(stage_id: str, title: str, instructions: str) -> dict:
    return {
        "id": stage_id,
        "kind": CHECKIN,
        "title": title,
        "instructions": instructions,
        "prompts": [dict(item) for item in CHECKIN_ITEMS],
        "graded": False,
        "facilitator_notes": gettext_noop(
            "Say that there are no right answers and that only you, not the group, see each person's; the "
            "dashboard shows the group's figures only once five or more have answered both times."
        ),
    }


GINA_WITH_CHECKIN = Template(
    id="gina_checkin",
    title=gettext_noop("GINA with a check-in before and after"),
    aim=gettext_noop(
        "The GINA exercise between two short check-ins, so that a career service can report what the group "
        "changed: hope, agency, clarity about next steps, and awareness of shared and structural barriers."
    ),
    citations=(
        *GINA.citations,
        Citation(
            "Snyder, C. R.",
            2002,
            "Hope theory: rainbows in the mind. Psychological Inquiry",
            "10.1207/S15327965PLI1304_01",
        ),
        Citation(
            "Bandura, A.",
            2001,
            "Social cognitive theory: an agentic perspective. Annual Review of Psychology",
            "10.1146/annurev.psych.52.1.1",
        ),
        Citation(
            "Holland, J. L., Johnston, J. A., Asama, N. F.",
            1993,
            "The Vocational Identity Scale: a diagnostic and treatment tool. Journal of Career Assessment",
            "10.1177/106907279300100102",
        ),
        Citation(
            "Diemer, M. A., Rapa, L. J., Park, C. J., Perry, J. C.",
            2017,
            "Development and validation of the Critical Consciousness Scale. Youth & Society",
            "10.1177/0044118X14538289",
        ),
    ),
    stages=(
        _checkin(
            "checkin_before",
            gettext_noop("Check-in: where you start"),
            gettext_noop("Before you begin: how much do you agree with each statement today?"),
        ),
        *GINA.stages,
        _checkin(
            "checkin_after",
            gettext_noop("Check-in: where you are now"),
            gettext_noop("The same statements as at the start: how much do you agree with each today?"),
        ),
    ),
)

TEMPLATES = {
    template.id: template
    for template in (GINA, GINA_WITH_CHECKIN, OUTSIDER_WITNESS, TREE_OF_LIFE, SYSTEM_OF_INFLUENCES, CAREER_CONSTRUCTION)
}
DEFAULT_TEMPLATE = GINA
