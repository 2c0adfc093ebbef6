"""Configuration comes from the environment; production refuses embedded defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from heartmon.core.checks import refuse_to_serve_if_misconfigured, serving_problems

REAL_KEY = "a-real-production-key-" + "x" * 40


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SECRET_KEY_FROM_ENV = True
    settings.ALLOWED_HOSTS = ["heartmon.example.org"]
    return settings


def test_production_with_its_own_key_and_hosts_may_serve(production):
    assert serving_problems() == []
    refuse_to_serve_if_misconfigured()


def test_production_refuses_a_generated_secret_key(production):
    production.SECRET_KEY_FROM_ENV = False

    problems = serving_problems()

    assert len(problems) == 1
    assert "SECRET_KEY" in problems[0]
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        refuse_to_serve_if_misconfigured()


def test_production_refuses_empty_allowed_hosts(production):
    production.ALLOWED_HOSTS = []

    assert ["ALLOWED_HOSTS" in problem for problem in serving_problems()] == [True]


def test_the_deploy_check_reports_the_same_problems(production):
    production.SECRET_KEY_FROM_ENV = False
    production.ALLOWED_HOSTS = []

    errors = run_checks(include_deployment_checks=True)

    assert [error.id for error in errors if error.id == "heartmon.E001"] == ["heartmon.E001"] * 2


def test_debug_may_serve_on_the_embedded_defaults(settings):
    settings.DEBUG = True
    settings.SECRET_KEY_FROM_ENV = False
    settings.ALLOWED_HOSTS = []

    assert serving_problems() == []


def run_python(code: str, var_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    clean.update(DJANGO_SETTINGS_MODULE="heartmon.settings", VAR_DIR=str(var_dir), **env)
    return subprocess.run(  # noqa: S603 - our own interpreter running our own code
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=False
    )


PRINT_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def test_the_embedded_key_is_generated_once_and_kept_under_var_dir(tmp_path):
    first = run_python(PRINT_KEY, tmp_path)
    second = run_python(PRINT_KEY, tmp_path)

    key_file = tmp_path / "secret_key"
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert key_file.read_text().strip() == first.stdout.strip()
    assert len(first.stdout.strip()) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_a_key_from_the_environment_is_used_and_nothing_is_written(tmp_path):
    result = run_python(PRINT_KEY, tmp_path, SECRET_KEY=REAL_KEY)

    assert result.stdout.strip() == REAL_KEY
    assert not (tmp_path / "secret_key").exists()


def test_the_asgi_server_refuses_to_start_in_production_without_a_key(tmp_path):
    result = run_python("import heartmon.asgi", tmp_path, DEBUG="0", ALLOWED_HOSTS="example.org")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize("entry_point", ["heartmon.asgi", "heartmon.wsgi"])
def test_the_servers_start_in_production_when_configured(tmp_path, entry_point):
    result = run_python(
        f"import {entry_point}", tmp_path, DEBUG="0", SECRET_KEY=REAL_KEY, ALLOWED_HOSTS="x.org"
    )

    assert result.returncode == 0, result.stderr


def test_a_malformed_value_fails_at_start(tmp_path):
    result = run_python(PRINT_KEY, tmp_path, JWT_ACCESS_MINUTES="five")

    assert result.returncode != 0
    assert "ValueError" in result.stderr
