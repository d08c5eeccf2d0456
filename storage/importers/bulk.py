"""Bulk inserts straight to the driver's executemany, for imports of many thousands of rows."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, DateTime, Table


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Inserts rows that all have the same keys. Values go through each column type's own bind
    conversion (times, JSON), once per value; SQLAlchemy's general per-row parameter handling is
    skipped because on a large import it costs several times the insert itself."""
    if not rows:
        return
    keys = list(rows[0])
    dialect = connection.dialect
    compiled = table.insert().compile(dialect=dialect, column_keys=keys)
    converters = {key: _converter(table, key, dialect) for key in keys}
    if compiled.positional:
        order = [(name, converters[name]) for name in compiled.positiontup or ()]
        params: list[Any] = [tuple(convert(row[name]) if convert else row[name] for name, convert in order)
                             for row in rows]
    else:
        pairs = list(converters.items())
        params = [{key: convert(row[key]) if convert else row[key] for key, convert in pairs} for row in rows]
    connection.exec_driver_sql(str(compiled), params)


def _converter(table: Table, key: str, dialect: Any) -> Callable[[Any], Any] | None:
    column_type = table.c[key].type
    convert = column_type._cached_bind_processor(dialect)
    if convert is None or not isinstance(column_type, DateTime):
        return convert
    # An import stamps thousands of rows with the same few times: convert each distinct time once.
    seen: dict[Any, Any] = {}

    def cached(value: Any) -> Any:
        if value not in seen:
            seen[value] = convert(value)
        return seen[value]
    return cached
