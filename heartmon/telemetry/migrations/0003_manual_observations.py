"""Manual observations: readings with no device (a doctor's or nurse's, of a patient), unique
per patient, metric and time; the new vital signs (blood pressure, consciousness, supplemental
oxygen). The per-minute rollup is per device, so on PostgreSQL its insert trigger leaves out
readings without one (its recount already joins on the device)."""

import django.db.models.deletion
from django.db import migrations, models

ROLLUP_ADD = """
CREATE OR REPLACE FUNCTION telemetry_reading_minute_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO telemetry_reading_minute AS kept
        (device_id, patient_id, metric, minute, n, total, low, high)
    SELECT device_id, patient_id, metric,
        date_bin('1 minute', recorded_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'),
        count(*), sum(value), min(value), max(value)
    FROM new_rows
    WHERE device_id IS NOT NULL
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 3, 4, 2  -- every writer locks rollup rows in the same order: no deadlock
    ON CONFLICT (device_id, metric, minute, patient_id) DO UPDATE SET
        n = kept.n + excluded.n,
        total = kept.total + excluded.total,
        low = least(kept.low, excluded.low),
        high = greatest(kept.high, excluded.high);
    RETURN NULL;
END $$
"""


def _rollup(skip_manual):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            statement = ROLLUP_ADD if skip_manual else ROLLUP_ADD.replace(
                "WHERE device_id IS NOT NULL", "WHERE TRUE"
            )
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('clinic', '0001_initial'),
        ('devices', '0001_initial'),
        ('telemetry', '0002_reading_minutes'),
    ]

    operations = [
        migrations.RunPython(_rollup(skip_manual=True), _rollup(skip_manual=False)),
        migrations.AlterField(
            model_name='reading',
            name='device',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='readings', to='devices.device'),
        ),
        migrations.AlterField(
            model_name='reading',
            name='metric',
            field=models.CharField(choices=[('heart_rate', 'Heart rate (bpm)'), ('spo2', 'SpO2 (%)'), ('resp_rate', 'Respiration rate (/min)'), ('temperature', 'Temperature (°C)'), ('systolic_bp', 'Systolic blood pressure (mmHg)'), ('diastolic_bp', 'Diastolic blood pressure (mmHg)'), ('consciousness', 'Consciousness (ACVPU)'), ('oxygen_flow', 'Supplemental oxygen (L/min, 0 = air)'), ('generic', 'Generic')], max_length=16),
        ),
        migrations.AddConstraint(
            model_name='reading',
            constraint=models.UniqueConstraint(condition=models.Q(('device__isnull', True)), fields=('patient', 'metric', 'recorded_at'), name='telemetry_reading_manual_once'),
        ),
        migrations.AddConstraint(
            model_name='reading',
            constraint=models.CheckConstraint(condition=models.Q(('device__isnull', False), ('patient__isnull', False), _connector='OR'), name='telemetry_reading_device_or_patient'),
        ),
    ]
