"""Per-minute rollup of the readings, on PostgreSQL only (a no-op on SQLite).

`telemetry_reading_minute` holds, per device, patient, metric and UTC minute, the count, sum,
minimum and maximum of the readings: a device-day is 1,440 rows instead of 86,400 readings, and
`queries.aggregate_readings` reads it for windows that start on a whole minute. Statement-level
triggers on the readings table keep it exact: an insert (COPY included) adds its transition
table's rows; an update or delete recounts the minutes it touched from the readings (a minimum
cannot be decremented), holding off other writers meanwhile. Direct writes to partitions (the
maintenance fold) fire none of them and change no totals; retention deletes old minutes itself.
"""

from django.db import migrations

ROLLUP_ROW = "(device_id, patient_id, metric, minute, n, total, low, high)"
# The reading's UTC minute; date_bin is plain arithmetic, twice as fast as date_trunc in UTC.
MINUTE_OF_READING = "date_bin('1 minute', recorded_at, TIMESTAMPTZ '2000-01-01 00:00:00+00')"

POSTGRESQL = [
    """
    CREATE TABLE telemetry_reading_minute (
        device_id uuid NOT NULL,
        patient_id uuid NULL,
        metric varchar(16) NOT NULL,
        minute timestamptz NOT NULL,
        n integer NOT NULL,
        total double precision NOT NULL,
        low double precision NOT NULL,
        high double precision NOT NULL,
        CONSTRAINT telemetry_reading_minute_once
            UNIQUE NULLS NOT DISTINCT (device_id, metric, minute, patient_id)
            INCLUDE (n, total, low, high)
    )
    """,
    """
    CREATE INDEX telemetry_reading_minute_patient
        ON telemetry_reading_minute (patient_id, metric, minute) INCLUDE (n, total, low, high)
    """,
    f"""
    CREATE FUNCTION telemetry_reading_minute_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO telemetry_reading_minute AS kept {ROLLUP_ROW}
        SELECT device_id, patient_id, metric, {MINUTE_OF_READING},
            count(*), sum(value), min(value), max(value)
        FROM new_rows
        GROUP BY 1, 2, 3, 4
        ORDER BY 1, 3, 4, 2  -- every writer locks rollup rows in the same order: no deadlock
        ON CONFLICT (device_id, metric, minute, patient_id) DO UPDATE SET
            n = kept.n + excluded.n,
            total = kept.total + excluded.total,
            low = least(kept.low, excluded.low),
            high = greatest(kept.high, excluded.high);
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION telemetry_reading_minute_recount() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        devices uuid[];
        metrics varchar[];
        minutes timestamptz[];
    BEGIN
        IF NOT EXISTS (SELECT FROM old_rows) THEN
            RETURN NULL;
        END IF;
        -- A writer between the delete and the recount below could be counted twice or not at
        -- all: wait for those in progress and hold new ones off until this transaction ends.
        LOCK TABLE telemetry_reading_minute IN SHARE ROW EXCLUSIVE MODE;
        IF TG_OP = 'UPDATE' THEN
            SELECT array_agg(device_id), array_agg(metric), array_agg(minute)
            INTO devices, metrics, minutes
            FROM (
                SELECT device_id, metric, {MINUTE_OF_READING} AS minute FROM old_rows
                UNION
                SELECT device_id, metric, {MINUTE_OF_READING} FROM new_rows
            ) AS touched;
        ELSE
            SELECT array_agg(device_id), array_agg(metric), array_agg(minute)
            INTO devices, metrics, minutes
            FROM (
                SELECT DISTINCT device_id, metric, {MINUTE_OF_READING} AS minute FROM old_rows
            ) AS touched;
        END IF;
        DELETE FROM telemetry_reading_minute AS kept
        USING unnest(devices, metrics, minutes) AS touched (device_id, metric, minute)
        WHERE kept.device_id = touched.device_id AND kept.metric = touched.metric
            AND kept.minute = touched.minute;
        INSERT INTO telemetry_reading_minute {ROLLUP_ROW}
        SELECT reading.device_id, reading.patient_id, reading.metric, touched.minute,
            count(*), sum(reading.value), min(reading.value), max(reading.value)
        FROM unnest(devices, metrics, minutes) AS touched (device_id, metric, minute)
        JOIN telemetry_reading AS reading
            ON reading.device_id = touched.device_id AND reading.metric = touched.metric
            AND reading.recorded_at >= touched.minute
            AND reading.recorded_at < touched.minute + interval '1 minute'
        GROUP BY 1, 2, 3, 4;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION telemetry_reading_minute_clear() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE telemetry_reading_minute;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER telemetry_reading_minute_insert AFTER INSERT ON telemetry_reading
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION telemetry_reading_minute_add()
    """,
    """
    CREATE TRIGGER telemetry_reading_minute_update AFTER UPDATE ON telemetry_reading
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION telemetry_reading_minute_recount()
    """,
    """
    CREATE TRIGGER telemetry_reading_minute_delete AFTER DELETE ON telemetry_reading
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION telemetry_reading_minute_recount()
    """,
    """
    CREATE TRIGGER telemetry_reading_minute_truncate AFTER TRUNCATE ON telemetry_reading
        FOR EACH STATEMENT EXECUTE FUNCTION telemetry_reading_minute_clear()
    """,
    # Readings stored before this migration; the triggers above already hold writers off.
    f"""
    INSERT INTO telemetry_reading_minute {ROLLUP_ROW}
    SELECT device_id, patient_id, metric, {MINUTE_OF_READING},
        count(*), sum(value), min(value), max(value)
    FROM telemetry_reading
    GROUP BY 1, 2, 3, 4
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER telemetry_reading_minute_truncate ON telemetry_reading",
    "DROP TRIGGER telemetry_reading_minute_delete ON telemetry_reading",
    "DROP TRIGGER telemetry_reading_minute_update ON telemetry_reading",
    "DROP TRIGGER telemetry_reading_minute_insert ON telemetry_reading",
    "DROP FUNCTION telemetry_reading_minute_clear()",
    "DROP FUNCTION telemetry_reading_minute_recount()",
    "DROP FUNCTION telemetry_reading_minute_add()",
    "DROP TABLE telemetry_reading_minute",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("telemetry", "0001_readings")]

    operations = [migrations.RunPython(_run(POSTGRESQL), _run(POSTGRESQL_REVERSE))]
