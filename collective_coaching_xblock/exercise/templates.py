"""Built-in exercise templates: a named list of stages with its aim and research basis.

Texts are marked with ``gettext_noop`` (a name the extraction tools know) so that they are
extracted for translation; they are translated when shown, not when stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from .stages import ACTION, CONTRACT, NARRATIVE, THEMES, WITNESS


def gettext_noop(text: str) -> str:
    """Mark a string for translation without translating it now."""
    return text


@dataclass(frozen=True)
class Citation:
    """A published source an exercise rests on."""

    authors: str
    year: int
    title: str
    doi: str = ""


@dataclass(frozen=True)
class Template:
    """A ready-made exercise: its stages (stored form) and the evidence behind it."""

    id: str
    title: str
    aim: str
    citations: tuple[Citation, ...]
    stages: tuple[dict, ...]


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
        },
        {
            "id": "witness",
            "kind": WITNESS,
            "title": gettext_noop("Witness each other's stories"),
            "instructions": gettext_noop(
                "Respond as an outsider witness: say what you heard and how it touched you. No advice, no judgement."
            ),
            "prompts": list(WITNESS_PROMPTS),
        },
        {
            "id": "themes",
            "kind": THEMES,
            "title": gettext_noop("Name shared themes"),
            "instructions": gettext_noop(
                "Tag the themes in your story. For each, say whether you see it as structural "
                "(how things are set up) or personal."
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
        },
    ),
)

TEMPLATES = {template.id: template for template in (GINA,)}
DEFAULT_TEMPLATE = GINA
