// Admins: the organization's webhooks, switched on and off, added and deleted.

import { api, listAll } from "./api.js";
import "./forms.js";
import { cells, fillTable } from "./tables.js";
import { el, when } from "./ui.js";

async function change(webhook, method, body) {
  await api(`/api/v1/webhooks/${webhook.id}/`, { method, body });
  show();
}

function row(webhook) {
  const toggle = el(
    "button",
    {
      type: "button",
      class: "secondary",
      onclick: () => change(webhook, "PATCH", { active: !webhook.active }),
    },
    webhook.active ? "Pause" : "Resume",
  );
  const remove = el(
    "button",
    { type: "button", class: "danger", onclick: () => change(webhook, "DELETE") },
    "Delete",
  );
  return el(
    "tr",
    {},
    ...cells(el("code", {}, webhook.url), webhook.description),
    el("td", {}, webhook.active ? "● active" : "○ paused", " ", toggle, remove),
    ...cells(when(webhook.created_at)),
  );
}

async function show() {
  fillTable(
    document.getElementById("webhooks"),
    await listAll("/api/v1/webhooks/"),
    row,
    "No webhooks.",
  );
}

document.getElementById("add-webhook").addEventListener("api:done", (event) => {
  event.target.reset();
  show();
});
show();
