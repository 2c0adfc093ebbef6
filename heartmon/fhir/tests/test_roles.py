"""Every role against every resource type, as the role table says: a role that may read the
type's REST resource gets a searchset, any other a 403 OperationOutcome."""

import pytest

from heartmon.accounts.testing import client_for, make_user
from heartmon.core.roles import Role, may
from heartmon.fhir.resources import TYPES
from heartmon.fhir.tests.fhir_checks import assert_outcome, fhir_json


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", list(TYPES))
def test_each_role_reads_what_the_table_allows(org_a, role, name):
    user = make_user(org_a, f"{role}@stmary.example", role)
    response = client_for(user).get(f"/fhir/R4/{name}")

    if may(user.as_actor(), *TYPES[name].role):
        assert fhir_json(response)["type"] == "searchset"
    else:
        assert_outcome(response, 403, "forbidden")


def test_a_superuser_of_no_organization_reads_every_organizations_patients(
    as_root, patient, org_b_patient
):
    body = fhir_json(as_root.get("/fhir/R4/Patient"))

    assert {entry["resource"]["id"] for entry in body["entry"]} == {
        str(patient.pk),
        str(org_b_patient.pk),
    }
