"""What changed in a learner's group since their page last looked: one query, no text.

The learner's page asks every few seconds while it is visible. The answer is a fingerprint of
everything the learner's view is drawn from (the group's members and their consent, its stories,
reflections and responses, what facilitators hid, theme tags, the plan's version, the stages
opened for it, and how many messages the learner's own one-to-one thread holds): when it
differs from the page's, the page reads its new state (``get_state``).
The database computes it from counts, sums and latest times, so it carries no text and costs one
query whatever the group's size, without the block's settings.

It is plain SQL, written once: asked this often, compiling the same ORM query anew on every call
would cost more than the query itself. It uses only what MySQL, MariaDB and SQLite share.
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


# One row per learner: group, consent, then one scalar subquery per signal. Only table names are
# filled in (from the models); the learner's block and key are parameters.
_SQL = """
SELECT me.group_id, me.consent,
 (SELECT COUNT(*) FROM {member} x WHERE x.group_id = me.group_id),
 (SELECT SUM(x.id) FROM {member} x WHERE x.group_id = me.group_id),
 (SELECT MAX(x.consent_changed) FROM {member} x WHERE x.group_id = me.group_id),
 (SELECT COUNT(*) FROM {story} x JOIN {member} a ON a.id = x.author_id WHERE a.group_id = me.group_id),
 (SELECT MAX(x.modified) FROM {story} x JOIN {member} a ON a.id = x.author_id WHERE a.group_id = me.group_id),
 (SELECT SUM(CASE WHEN x.hidden THEN 1 ELSE 0 END)
    FROM {story} x JOIN {member} a ON a.id = x.author_id WHERE a.group_id = me.group_id),
 (SELECT COUNT(*) FROM {reflection} x JOIN {story} s ON s.id = x.contribution_id
    JOIN {member} a ON a.id = s.author_id WHERE a.group_id = me.group_id),
 (SELECT MAX(x.modified) FROM {reflection} x JOIN {story} s ON s.id = x.contribution_id
    JOIN {member} a ON a.id = s.author_id WHERE a.group_id = me.group_id),
 (SELECT SUM(CASE WHEN x.hidden OR x.response_hidden THEN 1 ELSE 0 END) FROM {reflection} x
    JOIN {story} s ON s.id = x.contribution_id JOIN {member} a ON a.id = s.author_id WHERE a.group_id = me.group_id),
 (SELECT COUNT(*) FROM {tag} x JOIN {member} a ON a.id = x.member_id WHERE a.group_id = me.group_id),
 (SELECT SUM(x.id) FROM {tag} x JOIN {member} a ON a.id = x.member_id WHERE a.group_id = me.group_id),
 (SELECT MAX(x.version) FROM {plan} x WHERE x.group_id = me.group_id),
 (SELECT COUNT(*) FROM {opening} x WHERE x.group_id = me.group_id),
 (SELECT COUNT(*) FROM {message} x WHERE x.member_id = me.id)
FROM {member} me WHERE me.block_id = %s AND me.learner_key = %s
"""


@cache
def _sql() -> str:
    tables = {
        "member": Membership._meta.db_table,
        "story": Contribution._meta.db_table,
        "reflection": Reflection._meta.db_table,
        "tag": ThemeTag._meta.db_table,
        "plan": GroupPlan._meta.db_table,
        "opening": StageOpening._meta.db_table,
        "message": PrivateMessage._meta.db_table,
    }
    return _SQL.format(**tables)  # noqa: S608 - table names from our models; values are parameters


def fingerprint(block_id: str, learner_key: str) -> str:
    """A short fingerprint of the learner's group as their view reads it; "" outside a group."""
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [block_id, learner_key])
        row = cursor.fetchone()
    if row is None:
        return ""
    return hashlib.sha256(repr(tuple(str(value) for value in row)).encode()).hexdigest()[:FINGERPRINT_LENGTH]


# The live session's screens (operations/facilitator/live.py): what a group's screen shows (members
# and their consent, stories, hides, theme tags, the plan), or a cohort's (members, consent, stories,
# theme tags). One row; the group's or the cohort's id is the one parameter.
_GROUP_SQL = """
SELECT
 (SELECT COUNT(*) FROM {member} x WHERE x.group_id = g.id),
 (SELECT SUM(x.id) FROM {member} x WHERE x.group_id = g.id),
 (SELECT MAX(x.consent_changed) FROM {member} x WHERE x.group_id = g.id),
 (SELECT GROUP_CONCAT(x.name) FROM {member} x WHERE x.group_id = g.id),
 (SELECT GROUP_CONCAT(x.pseudonym) FROM {member} x WHERE x.group_id = g.id),
 (SELECT COUNT(*) FROM {story} x JOIN {member} a ON a.id = x.author_id WHERE a.group_id = g.id),
 (SELECT MAX(x.modified) FROM {story} x JOIN {member} a ON a.id = x.author_id WHERE a.group_id = g.id),
 (SELECT SUM(CASE WHEN x.hidden THEN 1 ELSE 0 END)
    FROM {story} x JOIN {member} a ON a.id = x.author_id WHERE a.group_id = g.id),
 (SELECT COUNT(*) FROM {tag} x JOIN {member} a ON a.id = x.member_id WHERE a.group_id = g.id),
 (SELECT SUM(x.id) FROM {tag} x JOIN {member} a ON a.id = x.member_id WHERE a.group_id = g.id),
 (SELECT MAX(x.version) FROM {plan} x WHERE x.group_id = g.id)
FROM (SELECT %s AS id) g
"""
_COHORT_SQL = """
SELECT
 (SELECT COUNT(*) FROM {member} x JOIN {group} r ON r.id = x.group_id WHERE r.cohort_id = c.id),
 (SELECT SUM(x.id) FROM {member} x JOIN {group} r ON r.id = x.group_id WHERE r.cohort_id = c.id),
 (SELECT MAX(x.consent_changed) FROM {member} x JOIN {group} r ON r.id = x.group_id WHERE r.cohort_id = c.id),
 (SELECT COUNT(*) FROM {story} x JOIN {member} a ON a.id = x.author_id
    JOIN {group} r ON r.id = a.group_id WHERE r.cohort_id = c.id),
 (SELECT MAX(x.modified) FROM {story} x JOIN {member} a ON a.id = x.author_id
    JOIN {group} r ON r.id = a.group_id WHERE r.cohort_id = c.id),
 (SELECT COUNT(*) FROM {tag} x JOIN {member} a ON a.id = x.member_id
    JOIN {group} r ON r.id = a.group_id WHERE r.cohort_id = c.id),
 (SELECT SUM(x.id) FROM {tag} x JOIN {member} a ON a.id = x.member_id
    JOIN {group} r ON r.id = a.group_id WHERE r.cohort_id = c.id)
FROM (SELECT %s AS id) c
"""


def _tables() -> dict:
    return {
        "member": Membership._meta.db_table,
        "group": CoachingGroup._meta.db_table,
        "story": Contribution._meta.db_table,
        "tag": ThemeTag._meta.db_table,
        "plan": GroupPlan._meta.db_table,
    }


@cache
def _screen_sql(cohort: bool) -> str:
    return (_COHORT_SQL if cohort else _GROUP_SQL).format(**_tables())  # noqa: S608 - table names only


def _screen_fingerprint(cohort: bool, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(_screen_sql(cohort), [pk])
        row = cursor.fetchone()
    return hashlib.sha256(repr(tuple(str(value) for value in row)).encode()).hexdigest()[:FINGERPRINT_LENGTH]


def group_fingerprint(group_pk: int) -> str:
    """A short fingerprint of what a group's live-session screen shows: one query, no text."""
    return _screen_fingerprint(False, group_pk)


def cohort_fingerprint(block_cohort_pk: int) -> str:
    """A short fingerprint of what a cohort's live-session screen shows: one query, no text."""
    return _screen_fingerprint(True, block_cohort_pk)
