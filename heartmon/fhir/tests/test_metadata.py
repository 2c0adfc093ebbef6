from heartmon.fhir.tests.fhir_checks import fhir_json


def test_the_capability_statement_lists_exactly_what_is_served(anonymous, db):
    statement = fhir_json(anonymous.get("/fhir/R4/metadata"))

    assert statement["fhirVersion"] == "4.0.1"
    served = {resource["type"]: resource for resource in statement["rest"][0]["resource"]}
    assert list(served) == ["Patient", "Location", "Encounter", "Device", "Observation", "Flag"]
    observation = served["Observation"]
    assert {param["name"] for param in observation["searchParam"]} == {
        "_id",
        "_lastUpdated",
        "patient",
        "subject",
        "code",
        "category",
        "date",
    }
    assert "http://hl7.org/fhir/StructureDefinition/heartrate" in observation["supportedProfile"]
    assert {param["name"] for param in served["Flag"]["searchParam"]} == {
        "_id",
        "_lastUpdated",
        "patient",
        "subject",
        "date",
    }
    assert [op["name"] for op in statement["rest"][0]["operation"]] == ["export"]
    assert served["Patient"]["operation"][0]["name"] == "export"
