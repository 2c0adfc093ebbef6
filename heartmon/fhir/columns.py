"""Columns the database hands over already as the text FHIR wants: a million readings exported
would otherwise spend most of their time parsing times and ids into Python objects only to
format them back (psycopg's text loader for timestamptz, uuid.UUID, then isoformat and str)."""

from typing import Any

from django.db.models import CharField, Func
from django.db.models.sql.compiler import SQLCompiler


class InstantText(Func):
    """A timestamptz as a FHIR instant in UTC with microseconds (trailing zeros kept)."""

    output_field = CharField()
    template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

    def as_sqlite(
        self, compiler: SQLCompiler, connection: Any, **extra_context: Any
    ) -> tuple[str, Any]:
        # SQLite keeps UTC times as "YYYY-MM-DD HH:MM:SS[.ffffff]".
        return self.as_sql(
            compiler, connection, template="replace(%(expressions)s, ' ', 'T') || 'Z'"
        )


class UuidText(Func):
    """A uuid in its canonical text form."""

    output_field = CharField()
    template = "(%(expressions)s)::text"

    def as_sqlite(
        self, compiler: SQLCompiler, connection: Any, **extra_context: Any
    ) -> tuple[str, Any]:
        # SQLite keeps uuids as 32 hex digits, without hyphens.
        parts = (
            "substr({x}, 1, 8) || '-' || substr({x}, 9, 4) || '-' || substr({x}, 13, 4) || '-' "
            "|| substr({x}, 17, 4) || '-' || substr({x}, 21, 12)"
        )
        return self.as_sql(compiler, connection, template=parts.format(x="%(expressions)s"))


def instant(text: str) -> str:
    """An InstantText without its fraction when that is zero."""
    return text.replace(".000000Z", "Z")
