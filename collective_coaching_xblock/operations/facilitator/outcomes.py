"""Outcomes a career service can report: each check-in statement's answers before and after.

Counts and means over learners who answered a statement both times (``exercise/checkin.py``),
per cohort and for all the facilitator's cohorts, withheld below the unit's threshold. The
learners' answers are read as the visibility rule lets a facilitator read them (``checkin``:
a withdrawn answer is its author's alone); none leaves this module but as counts. One query, and none in a unit
without a check-in.
"""

from __future__ import annotations

from ...exercise import checkin
from ...exercise import visibility as vis
from ...exercise.exercise import Exercise
from ...i18n import gettext as _
from ...models import Contribution
from .scope import Scope


def outcome_figures(exercise: Exercise, scope: Scope, cohort_id: str | None) -> dict | None:
    """``{"threshold", "items", "cohort", "unit"}``, or None in a unit without two check-ins."""
    before, after = checkin.checkin_stages(exercise.stages)
    if before is None or after is None:
        return None
    asked = {prompt.id for prompt in before.prompts}
    items = [prompt for prompt in after.prompts if prompt.id in asked]
    answers: dict[str, dict[int, dict]] = {before.id: {}, after.id: {}}
    cohorts: dict[int, str] = {}
    rows = Contribution.objects.filter(
        author__block_id=exercise.block_id, stage_id__in=(before.id, after.id)
    ).values_list("author_id", "author__group__cohort__cohort_id", "stage_id", "text", "state")
    for author, cohort, stage_id, text, state in rows:
        withdrawn = state != Contribution.ACTIVE
        if scope.allows(cohort) and vis.may_read(vis.FACILITATOR, vis.Item(vis.CHECKIN_ANSWERS, withdrawn=withdrawn)):
            answers[stage_id][author] = checkin.parse(text)
            cohorts[author] = cohort

    def table(keep) -> list[dict]:
        first = {k: v for k, v in answers[before.id].items() if keep(cohorts[k])}
        last = {k: v for k, v in answers[after.id].items() if keep(cohorts[k])}
        return [
            {
                "item": f.item,
                "paired": f.paired,
                "shown": f.shown,
                "before": {str(k): v for k, v in f.before.items()},
                "after": {str(k): v for k, v in f.after.items()},
                "compared": f.compared,
                "mean_before": f.mean_before,
                "mean_after": f.mean_after,
                "mean_change": f.mean_change,
            }
            for f in checkin.figures([p.id for p in items], first, last, exercise.checkin_min_paired)
        ]

    return {
        "threshold": checkin.threshold(exercise.checkin_min_paired),
        "items": [{"id": p.id, "text": _(p.text)} for p in items],
        "cohort": table(lambda cohort: cohort == cohort_id),
        "unit": table(lambda cohort: True),
    }


OUTCOME_HEADER = ["scope", "item", "statement", "paired", "shown", "mean_before", "mean_after", "mean_change"]
OUTCOME_HEADER += [f"before:{answer}" for answer in checkin.ANSWERS] + [f"after:{answer}" for answer in checkin.ANSWERS]


def outcome_rows(exercise: Exercise, scope: Scope, cohort: str | None):
    """The export's ``part=outcomes``: the same figures as the dashboard, one row per statement, for
    the cohort asked or all the facilitator's cohorts; no learner's answer, so no texts are needed."""
    yield OUTCOME_HEADER
    found = outcome_figures(exercise, scope, cohort)
    if found is None:
        return
    texts = {item["id"]: item["text"] for item in found["items"]}
    for figures in found["cohort" if cohort else "unit"]:
        counts = [figures["before"].get(str(a), "") for a in checkin.ANSWERS]
        counts += [figures["after"].get(str(a), "") for a in checkin.ANSWERS]
        yield [
            cohort or "all",
            figures["item"],
            texts[figures["item"]],
            figures["paired"],
            figures["shown"],
            figures["mean_before"] if figures["mean_before"] is not None else "",
            figures["mean_after"] if figures["mean_after"] is not None else "",
            figures["mean_change"] if figures["mean_change"] is not None else "",
            *counts,
        ]
