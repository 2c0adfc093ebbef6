"""`heartmon serve` runs the Procfile's processes (all, or those named) with a fresh shared
metrics directory, and stops when they stop."""

import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from honcho.environ import parse_procfile

SHIPPED = Path(settings.BASE_DIR) / "Procfile"


@pytest.fixture
def procfile(tmp_path):
    path = tmp_path / "Procfile"
    shows = "import os; print('metrics in', os.environ['PROMETHEUS_MULTIPROC_DIR'])"
    path.write_text(f'shows: {sys.executable} -c "{shows}"\nwaits: sleep 60\nfails: exit 3\n')
    return path


@pytest.fixture
def metrics_dir(tmp_path, monkeypatch):
    path = tmp_path / "metrics"
    path.mkdir()
    (path / "counter_123.db").write_bytes(b"stale")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(path))
    return path


def test_it_runs_the_named_process_with_a_fresh_metrics_directory(procfile, metrics_dir, capsys):
    with pytest.raises(SystemExit) as stopped:
        call_command("serve", "shows", procfile=str(procfile))

    assert stopped.value.code == 0
    assert f"metrics in {metrics_dir}" in capsys.readouterr().out
    assert list(metrics_dir.iterdir()) == []


def test_a_process_that_fails_stops_the_others_with_its_code(procfile, metrics_dir):
    with pytest.raises(SystemExit) as stopped:
        call_command("serve", "waits", "fails", procfile=str(procfile))

    assert stopped.value.code == 3


def test_it_refuses_a_name_the_procfile_lacks(procfile):
    with pytest.raises(CommandError, match="has no web; it has shows, waits, fails"):
        call_command("serve", "web", procfile=str(procfile))


def test_it_refuses_a_missing_procfile(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("serve", procfile=str(tmp_path / "nowhere"))


def test_the_shipped_procfile_names_every_production_process():
    processes = parse_procfile(SHIPPED.read_text()).processes

    assert list(processes) == ["web", "worker", "beat", "mqtt-ingest", "live"]
    assert "heartmon.asgi:application" in processes["live"]
    assert "heartmon.wsgi:application" in processes["web"]
