"""A query that every request runs, compiled to SQL once per process and then run with new values.

Django compiles a QuerySet to SQL each time it runs it. For the learner's group (members with
their group, cohort and plan, and the facts annotated on them), compiling costs ten times more
than the database's work. ``CompiledQuery`` asks Django for the SQL once, with stand-in values,
and then runs that SQL with the real ones, building the model instances as Django's own
``ModelIterable`` does (``from_db``, the related objects' populators, the annotations), with
the database's converters. The SQL is Django's, so it stays portable.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections
from django.db.models.query import get_related_populators


class CompiledQuery:
    """``build(**stand_ins)`` gives the QuerySet; ``run(**values)`` its rows with those values.

    ``stand_ins`` maps each parameter to a value no real call passes (the right type for its
    field): its place among the SQL's parameters is found by value. A list parameter (for
    ``__in``) stands in as a tuple of such values; a call passes at most that many, and the rest
    are filled with ``PAD``, which matches no row. ``fits(**values)`` says whether they fit.
    """

    PAD = -1  # ids are positive

    def __init__(self, build: Callable, **stand_ins):
        self._build = build
        self._stand_ins = stand_ins
        self._compiled: dict[str, tuple] = {}  # database alias -> what running needs
        self._lock = threading.Lock()

    def _compile(self, alias: str) -> tuple:
        queryset = self._build(**self._stand_ins)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots = {}
        for name, stand_in in self._stand_ins.items():
            places = []
            for one in stand_in if isinstance(stand_in, tuple) else (stand_in,):
                found = [index for index, param in enumerate(params) if param == one]
                if len(found) != 1:
                    raise ValueError(f"each stand-in for {name!r} must appear once among the parameters")
                places.append(found[0])
            slots[name] = places
        select, klass_info = compiler.select, compiler.klass_info
        converters = compiler.get_converters([column for column, _sql, _alias in select])
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        names = [column.target.attname for column, _sql, _alias in select[start:end]]
        populators = get_related_populators(klass_info, select, alias)
        annotations = list(compiler.annotation_col_map.items())
        return sql, list(params), slots, converters, klass_info["model"], names, (start, end), populators, annotations

    def fits(self, **values) -> bool:
        """Whether every list in ``values`` is no longer than its stand-in."""
        return all(
            len(value) <= len(self._stand_ins[name])
            for name, value in values.items()
            if isinstance(value, list | tuple)
        )

    def run(self, **values) -> list:
        alias = "default"
        compiled = self._compiled.get(alias)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.setdefault(alias, self._compile(alias))
        sql, params, slots, converters, model, names, (start, end), populators, annotations = compiled
        params = list(params)
        for name, value in values.items():
            places = slots[name]
            given = list(value) if isinstance(value, list | tuple) else [value]
            for place, one in zip(places, given + [self.PAD] * (len(places) - len(given)), strict=True):
                params[place] = one
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = [list(row) for row in cursor.fetchall()]
        for row in rows:  # as SQLCompiler.apply_converters, with this thread's connection
            for position, (functions, expression) in converters.items():
                for function in functions:
                    row[position] = function(row[position], expression, connection)
        objects = []
        for row in rows:
            instance = model.from_db(alias, names, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for name, position in annotations:
                setattr(instance, name, row[position])
            objects.append(instance)
        return objects
