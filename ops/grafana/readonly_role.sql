-- The PostgreSQL role Grafana connects as: it reads what the dashboards show and nothing else
-- (no user, key, audit, note or contact column). Run it as the owner of heartmon's tables, in
-- heartmon's database, after `heartmon migrate` (and again after upgrades that add tables the
-- dashboards read), then give the role a password:
--   psql -d heartmon -f ops/grafana/readonly_role.sql
--   psql -d heartmon -c "\password heartmon_grafana"
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'heartmon_grafana') THEN
        CREATE ROLE heartmon_grafana LOGIN;
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO heartmon_grafana', current_database());
END
$$;

-- Read only, whatever a query asks, and never for long.
ALTER ROLE heartmon_grafana SET default_transaction_read_only = on;
ALTER ROLE heartmon_grafana SET statement_timeout = '30s';

GRANT USAGE ON SCHEMA public TO heartmon_grafana;
GRANT SELECT ON telemetry_reading_minute TO heartmon_grafana;
GRANT SELECT (id, organization_id, patient_id, place_id, bed_id, admitted_at, discharged_at)
    ON clinic_admission TO heartmon_grafana;
GRANT SELECT (id, name) ON accounts_organization TO heartmon_grafana;
GRANT SELECT (id, organization_id, kind, name, parent_id) ON clinic_place TO heartmon_grafana;
GRANT SELECT (id, organization_id, patient_number, archived_at) ON clinic_patient TO heartmon_grafana;
GRANT SELECT (id, organization_id, serial_number, model, firmware_version, status, last_seen_at)
    ON devices_device TO heartmon_grafana;
