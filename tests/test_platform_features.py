"""What the platform sees of the block: events, grades, instance settings, mobile data, own-data download."""

from __future__ import annotations

import json

from django.test import override_settings

from collective_coaching_xblock.models import Contribution

STORY = "A very personal story about my first job."


def test_every_action_emits_one_event_with_ids_and_no_text(workbench, published):
    for student in ("alice", "bob"):
        workbench.open_unit(student)
        workbench.ok(student, "submit_contribution", {"stage_id": "contract"})
        workbench.ok(student, "submit_contribution", {"stage_id": "tell", "text": STORY, "sharing": "group"})
    bob_story = Contribution.objects.get(author__learner_key="bob", stage_id="tell").pk
    workbench.ok(
        "alice", "submit_reflection", {"contribution_id": bob_story, "answers": {"image": "A harbour at dawn."}}
    )
    reflection = workbench.ok("bob", "get_state")["reflections"][0]["id"]
    workbench.ok("bob", "respond_to_reflection", {"reflection_id": reflection, "text": "Thank you, truly."})
    workbench.ok("alice", "tag_themes", {"themes": [{"theme": "money", "structural": True}]})
    workbench.ok("bob", "flag_content", {"kind": "reflection", "id": reflection, "reason": "Private detail."})
    workbench.ok(
        "facilitator", "moderate", {"action": "hide", "kind": "contribution", "id": bob_story, "reason": "Harmful."}
    )
    workbench.ok("facilitator", "open_stage", {"stage_id": "act", "all": True})
    names = [name for _, name, _ in published if name.startswith("xblock.collective_coaching.")]
    assert names.count("xblock.collective_coaching.group.joined") == 2
    for expected in (
        "contribution.submitted",
        "reflection.submitted",
        "reflection.responded",
        "themes.tagged",
        "content.flagged",
        "content.hidden",
        "stage.opened",
    ):
        assert f"xblock.collective_coaching.{expected}" in names, expected
    texts = json.dumps([data for _, name, data in published if name.startswith("xblock.collective_coaching.")])
    for private in (STORY, "A harbour at dawn.", "Thank you, truly.", "Private detail.", "money"):
        assert private not in texts
    submitted = next(
        data for _, name, data in published if name.endswith("contribution.submitted") and data["stage_id"] == "tell"
    )
    assert submitted["words"] == len(STORY.split()) and submitted["sharing"] == "group"


def test_grade_and_completion_are_published_for_the_current_learner(workbench, published):
    workbench.open_unit("alice")
    workbench.ok("alice", "submit_contribution", {"stage_id": "contract"})
    workbench.ok("alice", "submit_contribution", {"stage_id": "tell", "text": "Mine.", "sharing": "private"})
    grades = [(student, data) for student, name, data in published if name == "grade"]
    completions = [data["completion"] for student, name, data in published if name == "completion"]
    assert grades[-1] == ("alice", {"value": 1, "max_value": 4})
    assert completions[-1] == 0.4


def test_operators_cap_text_and_set_defaults_through_xblock_settings(workbench):
    bucket = {"CollectiveCoachingXBlock": {"MAX_TEXT_LENGTH": 200, "GROUP_SIZE": 5, "EXPORT_TEXTS": False}}
    with override_settings(XBLOCK_SETTINGS=bucket):
        usage = workbench.add_block("<collective_coaching/>")  # the author set no group size
        exercise = workbench.block("alice", usage).exercise()
        assert (exercise.max_text_length, exercise.group_size) == (200, 5)
        workbench.open_unit("alice", usage)
        workbench.ok("alice", "submit_contribution", {"stage_id": "contract"}, usage)
        long_text = {"stage_id": "tell", "text": "x" * 201, "sharing": "group"}
        assert workbench.call("alice", "submit_contribution", long_text, usage).status == 400
        workbench.ok("alice", "submit_contribution", {**long_text, "text": "x" * 200}, usage)
        csv_text = workbench.client.get(f"/handler/{usage}/export_csv/?student=facilitator&texts=1").content.decode()
        assert "text:tell" not in csv_text and "x" * 200 not in csv_text
        # An author's own choice wins over the operator's default.
        explicit = workbench.add_block('<collective_coaching group_size="3"/>')
        assert workbench.block("alice", explicit).exercise().group_size == 3


def test_mobile_data_has_stages_and_prompts_but_no_peers_texts(workbench):
    workbench.open_unit("bob")
    workbench.ok("bob", "submit_contribution", {"stage_id": "contract"})
    workbench.ok("bob", "submit_contribution", {"stage_id": "tell", "text": STORY, "sharing": "group"})
    block = workbench.block("alice")
    data = block.student_view_data()
    assert [stage["id"] for stage in data["stages"]] == ["contract", "tell", "witness", "themes", "act"]
    assert data["stages"][2]["prompts"][0]["id"] == "attention"
    assert STORY not in json.dumps(data)
    assert "multi_device" in type(block).student_view._supports


def test_learners_download_their_own_data(workbench):
    workbench.open_unit("alice")
    workbench.ok("alice", "submit_contribution", {"stage_id": "contract"})
    workbench.ok("alice", "submit_contribution", {"stage_id": "tell", "text": STORY, "sharing": "private"})
    response = workbench.client.get(f"/handler/{workbench.usage_id}/download_my_data/?student=alice")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert [c["text"] for c in data["contributions"] if c["stage_id"] == "tell"] == [STORY]
    assert workbench.client.get(f"/handler/{workbench.usage_id}/download_my_data/?student=carol").status_code == 404
