// Admins: the organization's audit trail, newest first, with the API's filters.

import { api } from "./api.js";
import { cells, fillTable } from "./tables.js";
import { clearProblem, el, formBody, showProblem, when } from "./ui.js";

const form = document.getElementById("audit-filters");
const more = document.getElementById("more");
let next = null;

function row(event) {
  const object = event.object_type
    ? `${event.object_type} ${String(event.object_id).slice(0, 8)}`
    : "";
  return el(
    "tr",
    {},
    ...cells(
      when(event.at),
      event.actor_email || "system",
      el("code", {}, event.action),
      object,
      event.patient_id
        ? el("a", { href: `/patients/${event.patient_id}` }, String(event.patient_id).slice(0, 8))
        : "",
      event.ip,
    ),
  );
}

async function show(nextPage = null) {
  clearProblem(form);
  try {
    const page = nextPage
      ? await api(nextPage)
      : await api("/api/v1/audit-events/", { query: { ...formBody(form), limit: 50 } });
    const body = document.getElementById("events");
    if (nextPage) body.append(...page.results.map(row));
    else fillTable(body, page.results, row, "No events match.");
    next = page.next;
    more.hidden = !next;
  } catch (error) {
    showProblem(form, error);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  show();
});
more.addEventListener("click", () => show(next));
show();
