"""The bench database: dropped, created and migrated for each run, so every figure starts from the
same empty schema; and the cast of organizations, devices, keys and people the figures use."""

import os
import secrets
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/heartmon_bench"


def recreate(url: str) -> None:
    """Drop and create the database the URL names, from the server's `postgres` database."""
    name = str(conninfo_to_dict(url).get("dbname", ""))
    if not name or name == "postgres":
        raise SystemExit(f"BENCH_DATABASE_URL must name a database of its own, not {name!r}.")
    with psycopg.connect(url, dbname="postgres", autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def configure_django(url: str, var_dir: str) -> None:
    """Point Django at the bench database, set it up and migrate. The servers the bench starts
    inherit this environment, so tokens made here are valid there."""
    os.environ.update(
        DATABASE_URL=url,
        VAR_DIR=var_dir,
        DJANGO_SETTINGS_MODULE="heartmon.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
    )
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "MQTT_URL", "EMAIL_URL", "DEBUG"):
        os.environ.pop(name, None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


@dataclass
class Monitored:
    device: Any
    patient: Any
    key: str


def monitored_devices(organization: Any, admin: Any, count: int, prefix: str) -> list[Monitored]:
    """`count` devices of the organization, each assigned to a patient of its own, with a key."""
    from heartmon.clinic.models import Patient
    from heartmon.clinic.services.assignments import assign_device
    from heartmon.devices.models import Device
    from heartmon.devices.services.keys import create_key

    cast = []
    for index in range(count):
        device = Device.objects.create(
            organization=organization, serial_number=f"{prefix}-{index:04}", model="Bench"
        )
        patient = Patient.objects.create(
            organization=organization,
            patient_number=f"{prefix}-P{index:04}",
            given_name="Bench",
            family_name=f"Patient {index}",
        )
        assign_device(device=device, patient=patient, actor=admin.as_actor())
        _, key = create_key(device=device, name="bench", actor=admin.as_actor())
        cast.append(Monitored(device, patient, key))
    return cast


def organization_with_admin(name: str) -> tuple[Any, Any]:
    from heartmon.accounts.models import Organization
    from heartmon.accounts.testing import make_user
    from heartmon.core.roles import Role

    organization = Organization.objects.create(name=name)
    slug = name.lower().replace(" ", "-")
    admin = make_user(organization, f"admin@{slug}.example", Role.ADMIN, password=_password())
    return organization, admin


def bearer_token(user: Any) -> str:
    from rest_framework_simplejwt.tokens import AccessToken

    return str(AccessToken.for_user(user))


def _password() -> str:
    return secrets.token_urlsafe(16)
