import re
from io import StringIO

import pytest
from django.core.management import call_command

from heartmon.accounts.models import Organization, User
from heartmon.core.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD_LINE = re.compile(r"^Created \w+\s+(\S+)\s+password: (\S+)$", re.MULTILINE)


def run_demo_data() -> str:
    out = StringIO()
    call_command("demo_data", stdout=out)
    return out.getvalue()


def test_it_creates_one_active_user_of_every_role_in_the_demo_organization():
    run_demo_data()

    organization = Organization.objects.get(name="Demo Hospital")
    users = User.objects.filter(organization=organization)
    assert sorted(user.role for user in users) == sorted(Role.values)
    assert {user.email for user in users} == {f"{r}@demo.heartmon.test" for r in Role.values}
    assert all(user.is_active and not user.is_superuser for user in users)


def test_it_prints_each_new_users_password():
    output = run_demo_data()

    printed = dict(PASSWORD_LINE.findall(output))
    assert len(printed) == len(Role)
    assert len(set(printed.values())) == len(Role)
    for email, password in printed.items():
        assert len(password) >= 16
        assert User.objects.get(email=email).check_password(password)


def test_a_second_run_changes_nothing_and_prints_no_password():
    run_demo_data()
    before = sorted(User.objects.values_list("email", "password"))

    output = run_demo_data()

    assert "password:" not in output
    assert "heartmon changepassword <email>" in output
    assert Organization.objects.filter(name="Demo Hospital").count() == 1
    assert sorted(User.objects.values_list("email", "password")) == before


def test_it_recreates_only_a_missing_user():
    run_demo_data()
    User.objects.filter(email="nurse@demo.heartmon.test").delete()

    output = run_demo_data()

    assert list(dict(PASSWORD_LINE.findall(output))) == ["nurse@demo.heartmon.test"]
    assert User.objects.filter(organization__name="Demo Hospital").count() == len(Role)
