// The patients of the organization, searchable; registrars register new ones here.

import { api } from "./api.js";
import "./forms.js";
import { cells, fillTable } from "./tables.js";
import { can, el, fullName } from "./ui.js";

const form = document.getElementById("patient-search");

function row(patient) {
  const name = can("admissions_read")
    ? el("a", { href: `/patients/${patient.id}` }, fullName(patient))
    : fullName(patient);
  return el("tr", {}, ...cells(name, patient.patient_number, patient.birth_date, patient.sex));
}

async function show() {
  const search = form.elements.search.value.trim();
  const page = await api("/api/v1/patients/", {
    query: { search, ordering: "family_name", limit: 100 },
  });
  fillTable(document.getElementById("patients"), page.results, row, "No patients.");
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  show();
});
document.getElementById("register-patient")?.addEventListener("api:done", (event) => {
  event.target.reset();
  show();
});
show();
