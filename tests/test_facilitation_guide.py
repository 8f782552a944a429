"""The author's notes for facilitators on each stage: in the dashboard, never to a learner."""

from __future__ import annotations

import json

import pytest

from collective_coaching_xblock.exercise.stages import NOTES_LENGTH, StageConfigError, stage_from_dict, stage_to_dict
from collective_coaching_xblock.exercise.templates import GINA


def test_the_gina_template_ships_a_note_for_every_stage_and_notes_keep_their_text():
    assert all(stage["facilitator_notes"] for stage in GINA.stages)
    stage = stage_from_dict({"id": "tell", "kind": "narrative", "facilitator_notes": "Watch the time."})
    assert stage_to_dict(stage)["facilitator_notes"] == "Watch the time."
    with pytest.raises(StageConfigError, match="notes for facilitators"):
        stage_from_dict({"id": "tell", "kind": "narrative", "facilitator_notes": "x" * (NOTES_LENGTH + 1)})
    with pytest.raises(StageConfigError, match="must be text"):
        stage_from_dict({"id": "tell", "kind": "narrative", "facilitator_notes": ["Watch"]})


def test_facilitators_read_the_notes_in_their_language_and_learners_never_do(workbench):
    workbench.open_unit("alice")
    stages = workbench.ok("facilitator", "dashboard_data")["stages"]
    notes = {stage["id"]: stage["notes"] for stage in stages}
    assert notes["witness"].startswith("Model one outsider-witness response")
    spanish = workbench.call("facilitator", "dashboard_data", language="es-419").body["stages"]
    assert {s["id"]: s["notes"] for s in spanish}["witness"] != notes["witness"]  # the catalog's Spanish
    limited = workbench.ok("facilitator_b", "dashboard_data")["stages"]
    assert [s["notes"] for s in limited] == list(notes.values())  # a facilitator of one cohort too
    # A learner's page, state and data download hold none of it, and their dashboard call is refused.
    learner = workbench.open_unit("alice") + json.dumps(workbench.ok("alice", "get_state"))
    learner += workbench.client.get(f"/handler/{workbench.usage_id}/download_my_data/?student=alice").content.decode()
    for text in notes.values():
        assert text[:40] not in learner
    assert workbench.call("alice", "dashboard_data").status == 403
