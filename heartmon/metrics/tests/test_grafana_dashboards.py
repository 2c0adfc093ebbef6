"""ops/grafana: every panel and variable names a provisioned data source, every Prometheus query
names metrics heartmon exports, and every SQL query runs on a migrated PostgreSQL as the
read-only role that ops/grafana/readonly_role.sql creates, which reads nothing else."""

import json
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import connection, transaction
from django.db.utils import ProgrammingError
from prometheus_client import REGISTRY

GRAFANA = Path(settings.BASE_DIR) / "ops/grafana"
DASHBOARDS = sorted((GRAFANA / "dashboards").glob("*.json"))
WITH_SQL = [path for path in DASHBOARDS if '"rawSql"' in path.read_text()]
SUFFIXES = {"counter": ["_total"], "histogram": ["_bucket", "_count", "_sum"]}
TIME_FILTER = re.compile(r"\$__timeFilter\(([\w.]+)\)")


def provisioned() -> dict[str, str]:
    path = GRAFANA / "provisioning/datasources/heartmon.yaml"
    sources = yaml.safe_load(path.read_text())["datasources"]
    return {source["uid"]: source["type"] for source in sources}


def queries(dashboard: dict) -> list[tuple[str, dict, dict]]:
    """(what, data source, query) for every panel target and template variable."""
    found = [
        (f"{panel['title']} {target['refId']}", target["datasource"], target)
        for panel in dashboard["panels"]
        for target in panel["targets"]
    ]
    found += [
        (f"variable {variable['name']}", variable["datasource"], {"rawSql": variable["query"]})
        for variable in dashboard["templating"]["list"]
    ]
    return found


def exported_names() -> set[str]:
    names = set()
    for family in REGISTRY.collect():
        names |= {family.name + suffix for suffix in ["", *SUFFIXES.get(family.type, [])]}
    return names


def runnable(sql: str, **variables: str) -> str:
    sql = TIME_FILTER.sub(r"\1 BETWEEN now() - interval '6 hours' AND now()", sql)
    for name, value in variables.items():
        sql = sql.replace(f"${name}", value)
    assert "$" not in sql, sql
    return sql


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda path: path.stem)
def test_every_panel_names_a_provisioned_data_source(path):
    sources = provisioned()
    dashboard = json.loads(path.read_text())

    assert dashboard["panels"]
    for panel in dashboard["panels"]:
        assert sources.get(panel["datasource"]["uid"]) == panel["datasource"]["type"], panel
    for what, source, _ in queries(dashboard):
        assert sources.get(source["uid"]) == source["type"], what


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda path: path.stem)
def test_every_prometheus_query_names_exported_metrics(path, anonymous):
    anonymous.get("/healthz")  # the request middleware declares its metrics once it serves
    exported = exported_names()

    for what, source, query in queries(json.loads(path.read_text())):
        if source["type"] == "prometheus":
            named = set(re.findall(r"\b(?:heartmon|django)_\w+", query["expr"]))
            assert named, what
            assert named <= exported, (what, named - exported)


def test_the_dashboards_cover_fleet_ward_vitals_and_service_health():
    assert [path.stem for path in DASHBOARDS] == ["fleet", "service-health", "ward-vitals"]
    assert [path.stem for path in WITH_SQL] == ["fleet", "ward-vitals"]


@pytest.fixture
def read_only_role(db):
    if connection.vendor != "postgresql":
        pytest.skip("the dashboards' SQL is PostgreSQL's: set DATABASE_URL to a PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute((GRAFANA / "readonly_role.sql").read_text())


def as_grafana(sql: str) -> list[tuple]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL ROLE heartmon_grafana")
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.mark.parametrize("path", WITH_SQL, ids=lambda path: path.stem)
def test_every_sql_query_runs_as_the_read_only_role(path, read_only_role, org_a, ward, monitored):
    sql_queries = [
        (what, query["rawSql"])
        for what, source, query in queries(json.loads(path.read_text()))
        if source["type"] != "prometheus"
    ]

    for _, sql in sql_queries:
        as_grafana(runnable(sql, organization=str(org_a.pk), ward=str(ward.pk)))


def test_the_read_only_role_reads_no_clinical_text_and_writes_nothing(read_only_role, patient):
    with pytest.raises(ProgrammingError, match="permission denied"):
        as_grafana("SELECT given_name FROM clinic_patient")
    with pytest.raises(ProgrammingError, match="permission denied"):
        as_grafana("SELECT email FROM accounts_user")
    with pytest.raises(ProgrammingError, match="permission denied"):
        as_grafana("DELETE FROM telemetry_reading_minute")
