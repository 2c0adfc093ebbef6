"""The Django admin: every registered model's changelist loads, searches and filters."""

import pytest
from django.contrib import admin
from django.urls import reverse

from heartmon.accounts.models import User
from heartmon.audit.services import record_event
from heartmon.core.roles import Role

MODELS = [
    pytest.param(model, id=model._meta.label_lower)
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label_lower)
]


@pytest.fixture
def root(db) -> User:
    return User.objects.create_superuser(
        email="root@heartmon.example", password="x", first_name="Root", last_name="User"
    )


@pytest.fixture
def admin_client(client, root, alice, bob, charlie):
    """Signed in as a superuser, with a few rows in the accounts and audit tables."""
    record_event("auth.login", actor=alice.as_actor())
    record_event("user.role_changed", actor=charlie.as_actor(), target=charlie)
    client.force_login(root)
    return client


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize("model", MODELS)
def test_the_changelist_loads_and_searches(admin_client, model):
    assert admin_client.get(changelist(model)).status_code == 200
    if admin.site._registry[model].search_fields:
        assert admin_client.get(changelist(model), {"q": "x"}).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_every_list_filter_choice_loads(admin_client, model):
    response = admin_client.get(changelist(model))
    cl = response.context["cl"]

    queries = [
        choice["query_string"]
        for spec in cl.filter_specs
        for choice in spec.choices(cl)
        if choice["query_string"] not in ("?", "")
    ]

    assert len(queries) >= len(cl.filter_specs)
    for query in queries:
        assert admin_client.get(changelist(model) + query).status_code == 200, query


def test_every_model_of_our_apps_is_registered():
    from django.apps import apps

    ours = [m for m in apps.get_models() if m.__module__.startswith("heartmon.")]
    assert ours
    assert [m for m in ours if m not in admin.site._registry] == []


def test_a_superuser_adds_a_user_through_the_admin(admin_client, org_a):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Dana@StMary.example",
            "first_name": "Dana",
            "last_name": "Reyes",
            "organization": str(org_a.pk),
            "role": Role.DOCTOR,
            "password1": "a long admin passphrase",
            "password2": "a long admin passphrase",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    dana = User.objects.get(email__iexact="dana@stmary.example")
    assert (dana.organization, dana.role) == (org_a, Role.DOCTOR)
    assert dana.check_password("a long admin passphrase")
    assert dana.email == "dana@stmary.example"


def test_a_superuser_opens_a_users_change_page(admin_client, bob):
    response = admin_client.get(reverse("admin:accounts_user_change", args=[bob.pk]))

    assert response.status_code == 200
    assert b"bob@stmary.example" in response.content


def test_the_admin_refuses_an_address_taken_in_another_case(admin_client, org_a, bob):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "BOB@stmary.example",
            "first_name": "Other",
            "last_name": "Bob",
            "organization": str(org_a.pk),
            "role": Role.NURSE,
            "password1": "a long admin passphrase",
            "password2": "a long admin passphrase",
            "usable_password": "true",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert User.objects.filter(email__iexact="bob@stmary.example").count() == 1


def test_a_superuser_changes_an_address_and_it_is_kept_in_lower_case(admin_client, bob):
    page = admin_client.get(reverse("admin:accounts_user_change", args=[bob.pk]))
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(email="Robert@StMary.example", organization=str(bob.organization_id))
    data.pop("password", None)
    data.update(last_login_0="", last_login_1="", date_joined_0="2026-01-01", date_joined_1="00:00")

    response = admin_client.post(reverse("admin:accounts_user_change", args=[bob.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    bob.refresh_from_db()
    assert bob.email == "robert@stmary.example"
