"""Refuse UPDATE and DELETE on audit events in the database itself."""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit events are append-only';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER audit_event_append_only ON audit_auditevent;",
    "DROP FUNCTION audit_event_append_only();",
]
SQLITE = [
    f"""
    CREATE TRIGGER audit_event_no_{operation.lower()}
    BEFORE {operation} ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    """
    for operation in ("UPDATE", "DELETE")
]
SQLITE_REVERSE = [f"DROP TRIGGER audit_event_no_{op};" for op in ("update", "delete")]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
