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
