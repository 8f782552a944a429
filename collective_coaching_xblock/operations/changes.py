"""What changed in a learner's group since their page last looked: one query, no text.

The learner's page asks every few seconds while it is visible. The answer is a fingerprint of
everything the learner's view is drawn from (the group's members and their consent, its stories,
reflections and responses, what facilitators hid, theme tags, the plan's version, the stages
opened for it, and how many messages the learner's own one-to-one thread holds): when it
differs from the page's, the page reads its new state (``get_state``).
The database computes it from counts, sums and latest times, so it carries no text and costs one
query whatever the group's size, without the block's settings.

It is plain SQL, composed once per process from one set of signals (``_SIGNALS``) that the live
session's group and cohort screens draw from too: asked this often, compiling the same ORM query
anew on every call would cost more than the query itself. It uses only what MySQL, MariaDB and
SQLite share.
"""

from __future__ import annotations

import hashlib
from functools import cache

from django.db import connection

from ..models import (
    CoachingGroup,
    Contribution,
    GroupPlan,
    Membership,
    PrivateMessage,
    Reflection,
    StageOpening,
    ThemeTag,
)

#: How long a fingerprint is (hexadecimal characters of a SHA-256).
FINGERPRINT_LENGTH = 20


# One scalar subquery per signal of a group's rows, over the groups that ``{groups}`` names: a
# comparison with a group id (``= me.group_id``), or the groups of a cohort. Only table names are
# filled in (from the models); the block, learner, group or cohort is a parameter.
_SIGNALS = {
    "members": "SELECT COUNT(*) FROM {member} x WHERE x.group_id {groups}",
    "member_ids": "SELECT SUM(x.id) FROM {member} x WHERE x.group_id {groups}",
    "consent": "SELECT MAX(x.consent_changed) FROM {member} x WHERE x.group_id {groups}",
    "names": "SELECT GROUP_CONCAT(x.name) FROM {member} x WHERE x.group_id {groups}",
    "pseudonyms": "SELECT GROUP_CONCAT(x.pseudonym) FROM {member} x WHERE x.group_id {groups}",
    "stories": "SELECT COUNT(*) FROM {story} x JOIN {member} a ON a.id = x.author_id WHERE a.group_id {groups}",
    "stories_changed": "SELECT MAX(x.modified) FROM {story} x JOIN {member} a ON a.id = x.author_id "
    "WHERE a.group_id {groups}",
    "stories_hidden": "SELECT SUM(CASE WHEN x.hidden THEN 1 ELSE 0 END) FROM {story} x "
    "JOIN {member} a ON a.id = x.author_id WHERE a.group_id {groups}",
    "reflections": "SELECT COUNT(*) FROM {reflection} x JOIN {story} s ON s.id = x.contribution_id "
    "JOIN {member} a ON a.id = s.author_id WHERE a.group_id {groups}",
    "reflections_changed": "SELECT MAX(x.modified) FROM {reflection} x JOIN {story} s ON s.id = x.contribution_id "
    "JOIN {member} a ON a.id = s.author_id WHERE a.group_id {groups}",
    "reflections_hidden": "SELECT SUM(CASE WHEN x.hidden OR x.response_hidden THEN 1 ELSE 0 END) FROM {reflection} x "
    "JOIN {story} s ON s.id = x.contribution_id JOIN {member} a ON a.id = s.author_id WHERE a.group_id {groups}",
    "tags": "SELECT COUNT(*) FROM {tag} x JOIN {member} a ON a.id = x.member_id WHERE a.group_id {groups}",
    "tag_ids": "SELECT SUM(x.id) FROM {tag} x JOIN {member} a ON a.id = x.member_id WHERE a.group_id {groups}",
    "plan": "SELECT MAX(x.version) FROM {plan} x WHERE x.group_id {groups}",
    "openings": "SELECT COUNT(*) FROM {opening} x WHERE x.group_id {groups}",
}
# What each view is drawn from. The learner's view: their group and consent, these signals, and how
# many messages their own one-to-one thread holds. A group's live screen: its members and their
# names, consent, stories, hides, theme tags and the plan. A cohort's: its members, consent, stories
# and theme tags.
_LEARNER = ("members", "member_ids", "consent", "stories", "stories_changed", "stories_hidden", "reflections")
_LEARNER += ("reflections_changed", "reflections_hidden", "tags", "tag_ids", "plan", "openings")
_GROUP = ("members", "member_ids", "consent", "names", "pseudonyms", "stories", "stories_changed", "stories_hidden")
_GROUP += ("tags", "tag_ids", "plan")
_COHORT = ("members", "member_ids", "consent", "stories", "stories_changed", "tags", "tag_ids")


def _tables() -> dict:
    return {
        "member": Membership._meta.db_table,
        "group": CoachingGroup._meta.db_table,
        "story": Contribution._meta.db_table,
        "reflection": Reflection._meta.db_table,
        "tag": ThemeTag._meta.db_table,
        "plan": GroupPlan._meta.db_table,
        "opening": StageOpening._meta.db_table,
        "message": PrivateMessage._meta.db_table,
    }


def _query(head: str, names: tuple[str, ...], groups: str, tail: str) -> str:
    """``head``, one subquery per signal in ``names`` over ``groups``, then ``tail``. Only table names
    are filled in (from our models); every value is a parameter."""
    tables = _tables()
    where = groups.format(**tables)
    signals = ",\n".join(" (" + _SIGNALS[name].format(**tables, groups=where) + ")" for name in names)
    return "\n".join((head, signals + tail.format(**tables)))


@cache
def _sql() -> str:
    """One row per learner: group, consent, the signals of their group, their own thread's size."""
    return _query(
        "SELECT me.group_id, me.consent,",
        _LEARNER,
        "= me.group_id",
        ",\n (SELECT COUNT(*) FROM {message} x WHERE x.member_id = me.id)"
        "\nFROM {member} me WHERE me.block_id = %s AND me.learner_key = %s",
    )


def _fingerprint_of(row) -> str:
    return hashlib.sha256(repr(tuple(str(value) for value in row)).encode()).hexdigest()[:FINGERPRINT_LENGTH]


def fingerprint(block_id: str, learner_key: str) -> str:
    """A short fingerprint of the learner's group as their view reads it; "" outside a group."""
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [block_id, learner_key])
        row = cursor.fetchone()
    return "" if row is None else _fingerprint_of(row)


# The live session's screens (operations/facilitator/live.py): one row; the group's or the
# cohort's id is the one parameter.
@cache
def _screen_sql(cohort: bool) -> str:
    if cohort:
        in_cohort = "IN (SELECT r.id FROM {group} r WHERE r.cohort_id = c.id)"
        return _query("SELECT", _COHORT, in_cohort, "\nFROM (SELECT %s AS id) c")
    return _query("SELECT", _GROUP, "= g.id", "\nFROM (SELECT %s AS id) g")


def _screen_fingerprint(cohort: bool, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(_screen_sql(cohort), [pk])
        return _fingerprint_of(cursor.fetchone())


def group_fingerprint(group_pk: int) -> str:
    """A short fingerprint of what a group's live-session screen shows: one query, no text."""
    return _screen_fingerprint(False, group_pk)


def cohort_fingerprint(block_cohort_pk: int) -> str:
    """A short fingerprint of what a cohort's live-session screen shows: one query, no text."""
    return _screen_fingerprint(True, block_cohort_pk)
