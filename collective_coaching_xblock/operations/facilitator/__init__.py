"""What facilitators do, one module per responsibility; ``handlers/facilitator.py`` calls them.

Every operation takes the facilitator's ``Scope`` and acts only inside it: a group or item
outside the facilitator's cohorts answers 404, as if it did not exist.

- ``scope``: who facilitates which cohorts, and the groups and learners inside a scope.
- ``records``: each member's progress for whole groups, read in three queries.
- ``dashboard``: the dashboard's page of groups; ``aggregates``: its chart and counts, in SQL.
- ``detail``: one group in detail, as a facilitator may read it.
- ``moderation``: the flag queue, hiding and restoring work.
- ``stages``: opening stages and setting their dates.
- ``regrouping``: moving, splitting and merging.
- ``scores``: score overrides.
- ``assignment``: limiting facilitators to cohorts.
"""
