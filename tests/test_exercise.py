"""The pure domain: grouping, stage rules and scoring, without Django or XBlock."""

from datetime import UTC, datetime, timedelta

import pytest

from collective_coaching_xblock.exercise import stages as st
from collective_coaching_xblock.exercise.grouping import choose_group
from collective_coaching_xblock.exercise.scoring import completion, participation_score
from collective_coaching_xblock.exercise.templates import GINA

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
GINA_STAGES = st.stages_from_settings(GINA.stages)


@pytest.mark.parametrize(
    ("counts", "size", "expected"),
    [
        ({}, 4, 1),  # the first learner opens group 1
        ({1: 3}, 4, 1),  # group 1 still has room
        ({1: 4}, 4, 2),  # full: a new group
        ({1: 4, 2: 4, 3: 1}, 4, 3),  # fill the one group that is not full
        ({1: 3, 2: 1}, 4, 1),  # after a move, the lowest group with room first
        ({1: 5}, 4, 2),  # a group made bigger by a facilitator is not filled further
        ({1: 3, 2: 3}, 3, 3),
    ],
)
def test_choose_group_fills_in_order_and_never_beyond_size(counts, size, expected):
    assert choose_group(counts, size) == expected


def test_arrivals_never_leave_more_than_one_group_below_size():
    counts: dict[int, int] = {}
    for _ in range(23):
        number = choose_group(counts, 4)
        counts[number] = counts.get(number, 0) + 1
        assert max(counts.values()) <= 4
        assert sum(1 for size in counts.values() if size < 4) <= 1
    assert sorted(counts.values()) == [3, 4, 4, 4, 4, 4]


def test_gina_template_has_the_five_stages_in_order():
    assert [(s.id, s.kind) for s in GINA_STAGES] == [
        ("contract", "contract"),
        ("tell", "narrative"),
        ("witness", "witness"),
        ("themes", "themes"),
        ("act", "action"),
    ]
    assert [s.graded for s in GINA_STAGES] == [False, True, True, True, True]


NOTHING_DONE = st.Work()
NOT_PACED = st.Pace()


def statuses(work=NOTHING_DONE, pace=NOT_PACED, stages=GINA_STAGES, now=NOW):
    return st.stage_statuses(stages, work, pace, now)


def test_a_new_learner_can_open_only_the_contract():
    assert statuses() == {
        "contract": "open",
        "tell": "locked",
        "witness": "locked",
        "themes": "locked",
        "act": "locked",
    }


def test_stages_open_one_after_another():
    work = st.Work(written=frozenset({"contract", "tell"}), started=frozenset({"contract", "tell"}))
    assert statuses(work) == {
        "contract": "done",
        "tell": "done",
        "witness": "open",
        "themes": "locked",
        "act": "locked",
    }


def test_a_started_stage_stays_reachable_when_an_earlier_one_is_undone():
    # Consent withdrawn (contract no longer done) must not lock the learner out of their story.
    work = st.Work(written=frozenset({"tell"}), started=frozenset({"contract", "tell"}))
    assert statuses(work)["tell"] == "done"
    work = st.Work(written=frozenset(), started=frozenset({"contract", "tell"}))
    assert statuses(work)["tell"] == "open"


def test_a_passable_stage_does_not_hold_back_the_stages_after_it():
    told = st.Work(written=frozenset({"contract", "tell"}), started=frozenset({"contract", "tell"}))
    waiting = st.Work(**{**told.__dict__, "passable": frozenset({"witness"})})
    assert statuses(waiting) == {
        "contract": "done",
        "tell": "done",
        "witness": "open",
        "themes": "open",
        "act": "locked",
    }
    themed = st.Work(**{**waiting.__dict__, "completed_elsewhere": frozenset({"themes"})})
    assert statuses(themed)["act"] == "open" and statuses(themed)["witness"] == "open"
    # Waiting opens nothing of its own: a stage that is locked (by its dates) still holds the rest.
    raw = [dict(s) for s in GINA.stages]
    raw[2]["closes"] = (NOW - timedelta(days=1)).isoformat()
    assert statuses(waiting, stages=st.stages_from_settings(raw))["themes"] == "locked"


def test_facilitator_can_open_a_stage_for_the_group():
    work = st.Work(written=frozenset({"contract", "tell"}), started=frozenset({"contract", "tell"}))
    result = statuses(work, st.Pace(opened_for_group=frozenset({"themes"})))
    assert result["witness"] == "open" and result["themes"] == "open" and result["act"] == "locked"


def test_dates_and_facilitator_pacing_lock_a_stage():
    raw = [dict(s) for s in GINA.stages]
    raw[0]["opens"] = (NOW + timedelta(days=1)).isoformat()
    raw[1]["pacing"] = "facilitator"
    stages = st.stages_from_settings(raw)
    assert statuses(stages=stages)["contract"] == "locked"
    work = st.Work(written=frozenset({"contract"}), started=frozenset({"contract"}))
    assert statuses(work, stages=stages)["tell"] == "locked"
    assert statuses(work, pace=st.Pace(frozenset({"tell"})), stages=stages)["tell"] == "open"
    closed = st.stages_from_settings([{**raw[0], "opens": None, "closes": (NOW - timedelta(days=1)).isoformat()}])
    assert not st.is_writable(closed[0], "done", NOW)


def test_participation_score_counts_graded_stages_only():
    assert participation_score(GINA_STAGES, frozenset()) == participation_score(GINA_STAGES, frozenset({"contract"}))
    score = participation_score(GINA_STAGES, frozenset({"contract", "tell"}))
    assert (score.earned, score.possible) == (1, 4)
    assert completion(GINA_STAGES, frozenset({"contract", "tell"})) == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("stages", "message"),
    [
        ([], "at least one stage"),
        ([{"id": "a", "kind": "narrative"}, {"id": "a", "kind": "action"}], "unique"),
        ([{"id": "a", "kind": "poem"}], "unknown kind"),
        ([{"id": "w", "kind": "witness"}], "story stage"),
        ([{"id": "bad id!", "kind": "narrative"}], "stage id"),
        (
            [
                {
                    "id": "a",
                    "kind": "narrative",
                    "opens": "2026-02-01T00:00+00:00",
                    "closes": "2026-01-01T00:00+00:00",
                }
            ],
            "closes before it opens",
        ),
        ([{"id": "a", "kind": "narrative", "weight": -1}], "weight"),
        ([{"id": "a", "kind": "narrative", "opens": "tomorrow"}], "not a valid date"),
    ],
)
def test_unusable_stage_lists_are_refused_with_a_reason(stages, message):
    with pytest.raises(st.StageConfigError, match=message):
        st.stages_from_settings(stages)


def test_stage_round_trips_through_its_stored_form():
    for stage in GINA_STAGES:
        assert st.stage_from_dict(st.stage_to_dict(stage)) == stage


def test_small_groups_merge_where_there_is_room_never_above_the_size():
    from collective_coaching_xblock.exercise.grouping import plan_merges

    # Alone, with a group of three that has room at size 4: joins it.
    assert plan_merges({1: 3, 2: 1}, [2], 4) == [(2, 1)]
    # No group has room: stays.
    assert plan_merges({1: 4, 2: 1}, [2], 4) == []
    # Prefer the smallest group the move brings to three (the newcomers spread out)...
    assert plan_merges({1: 3, 2: 2, 3: 1}, [3], 6) == [(3, 2)]
    # ...else the largest with room (two together rather than alone).
    assert plan_merges({1: 4, 2: 1, 3: 1}, [2], 4) == [(2, 3)]
    # A group merged into in this run is not moved on; emptied and full-enough groups are not due.
    assert plan_merges({1: 4, 2: 1, 3: 1}, [2, 3], 4) == [(2, 3)]
    assert plan_merges({1: 3, 2: 0, 3: 3}, [2, 3], 8) == []
