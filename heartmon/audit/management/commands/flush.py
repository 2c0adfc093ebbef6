"""Django's `flush`, able to empty the audit table on SQLite too.

Audit rows refuse UPDATE and DELETE (migration 0002). Wiping the whole database is a different,
deliberate act: on PostgreSQL `flush` uses TRUNCATE, which row triggers do not see; on SQLite it
uses DELETE, so this command lifts the audit triggers for the flush and puts the same triggers
back in the same transaction (SQLite DDL is transactional). Tests flush between transactional
tests, so without this they could not run on SQLite.
"""

from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections, transaction

AUDIT_TABLE = "audit_auditevent"


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            super().handle(**options)
            return
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [AUDIT_TABLE],
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            super().handle(**options)
            for _name, sql in triggers:
                cursor.execute(sql)
