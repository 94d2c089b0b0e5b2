"""One UPDATE for many rows, each with its own values, without the ORM's per-row expressions.

`QuerySet.bulk_update` builds a `Case(When(...))` expression tree per field and row and resolves
it: for a worker's batch of fifty messages that costs more CPU than the statement itself. Here
the same statement (`SET col = CASE id WHEN %s THEN %s ... END WHERE id IN (...)`) is written
directly, values prepared by each field as the ORM would (`get_db_prep_save`: encryption,
JSON, time zones), with a cast per value on PostgreSQL so the placeholders have a type.
"""

from collections.abc import Sequence

from django.db import connections, models, router
from django.db.models.constants import OnConflict


def _written(objs: Sequence[models.Model]):
    """The objects' model and the connection that writes it."""
    model = type(objs[0])
    return model, connections[router.db_for_write(model)]


def update_rows(objs: Sequence[models.Model], fields: list[str]) -> int:
    """Writes `fields` of every object in `objs` (saved rows of one model) in one statement."""
    if not objs or not fields:
        return 0
    model, connection = _written(objs)
    quote = connection.ops.quote_name
    pk = model._meta.pk
    cast = connection.vendor == "postgresql"
    assignments, params = [], []
    for name in fields:
        field = model._meta.get_field(name)
        placeholder = f"CAST(%s AS {field.cast_db_type(connection)})" if cast else "%s"
        whens = []
        for obj in objs:
            whens.append(f"WHEN %s THEN {placeholder}")
            params += [obj.pk, field.get_db_prep_save(getattr(obj, field.attname), connection)]
        column = quote(field.column)
        assignments.append(f"{column} = CASE {quote(pk.column)} {' '.join(whens)} END")
    keys = ", ".join(["%s"] * len(objs))
    params += [obj.pk for obj in objs]
    # Names from the model's meta, quoted; every value a parameter.
    table, where = quote(model._meta.db_table), f"{quote(pk.column)} IN ({keys})"
    sql = f"UPDATE {table} SET {', '.join(assignments)} WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def insert_rows(
    objs: Sequence[models.Model],
    ignore_conflicts: bool = False,
    then: tuple[str, list] | None = None,
    keys: bool = False,
) -> int:
    """Inserts new objects of one model in one statement.

    Each field prepares its own value as for `save()` (defaults, `auto_now_add`, encryption);
    `ignore_conflicts` skips rows a unique index already holds, like `bulk_create`'s.
    `then` (PostgreSQL only): a SELECT (and its parameters) run in the same statement, e.g. a
    `pg_notify`: one round trip and one commit instead of two.
    `keys`: the objects get their new primary keys (RETURNING, in the order of the VALUES, as
    `bulk_create` relies on too); otherwise they stay unset."""
    if not objs:
        return 0
    if keys and (ignore_conflicts or then is not None):
        raise ValueError("keys come back only for a plain insert")
    model, connection = _written(objs)
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    params = []
    for obj in objs:
        params += [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    row = f"({', '.join(['%s'] * len(fields))})"
    sql = (
        f"{connection.ops.insert_statement(on_conflict=on_conflict)} "
        f"{quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES {', '.join([row] * len(objs))} "
        f"{connection.ops.on_conflict_suffix_sql(fields, on_conflict, None, None) or ''}"
    )
    if then is not None:
        sql, params = f"WITH inserted AS ({sql} RETURNING 1) {then[0]}", [*params, *then[1]]
    if keys:
        sql += f" RETURNING {quote(model._meta.pk.column)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if keys:
            for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
        return cursor.rowcount
