"""Write transactions that take the database's write lock first.

On SQLite (the demo), a deferred transaction that reads and then writes can collide with
another one doing the same: one of them fails at once with "database is locked". Starting every
learner write with a write (the learner's last activity, which it updates anyway) takes the lock
before any read, so concurrent writers queue instead. On MySQL and PostgreSQL it locks one row.
Django 5.1+ can do the same for every transaction (the demo sets ``transaction_mode``); this
keeps Django 4.2 safe too.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime

from django.db import transaction

from ..models import Membership


@contextmanager
def learner_write(membership: Membership, now: datetime):
    """A transaction for one learner's write, begun by recording their activity."""
    with transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(last_activity=now)
        yield


def save_own_row(model, found, lookup: dict, values: dict, now: datetime):
    """Inside ``learner_write``: update the learner's row that ``lookup`` names, or insert it.

    ``found`` is that row as the learner's view read it (None if it had none): then one UPDATE.
    Without one, an UPDATE and, when it touched nothing, an INSERT. The lock the write already
    holds keeps another request of the same learner from inserting the row in between (one that
    did so before the lock was taken is caught by the UPDATE). Django's ``update_or_create``
    would add a SELECT and a savepoint around its write.
    """
    if found is not None:
        model.objects.filter(pk=found.pk).update(modified=now, **values)
        for name, value in {"modified": now, **values}.items():
            setattr(found, name, value)
        return found
    if model.objects.filter(**lookup).update(modified=now, **values):
        return model.objects.get(**lookup)  # a parallel request of the learner's saved it first
    return model.objects.create(**lookup, **values)
