// Admins: the organization's people, their roles and states, and invitations.

import { api, listAll } from "./api.js";
import "./forms.js";
import { cells, fillTable } from "./tables.js";
import { el, when } from "./ui.js";

const roles = JSON.parse(document.getElementById("roles").textContent);

async function change(user, changes, row) {
  try {
    await api(`/api/v1/users/${user.id}/`, { method: "PATCH", body: changes });
    show();
  } catch (error) {
    row.querySelector(".row-problem").textContent = error.message;
  }
}

function row(user) {
  const tr = el("tr", {});
  const role = el(
    "select",
    {
      "aria-label": `Role of ${user.email}`,
      onchange: (event) => change(user, { role: event.target.value }, tr),
    },
    ...roles.map(([value, label]) => el("option", { value, selected: value === user.role }, label)),
  );
  const state = user.invitation_pending ? "invited" : user.is_active ? "active" : "deactivated";
  const toggle = el(
    "button",
    {
      type: "button",
      class: "secondary",
      onclick: () => change(user, { is_active: !user.is_active }, tr),
    },
    user.is_active ? "Deactivate" : "Reactivate",
  );
  tr.append(
    ...cells(`${user.first_name} ${user.last_name}`, user.email, role),
    el(
      "td",
      {},
      state,
      " ",
      toggle,
      el("span", { class: "row-problem field-error", role: "alert" }),
    ),
    ...cells(when(user.last_login)),
  );
  return tr;
}

async function show() {
  fillTable(
    document.getElementById("users"),
    await listAll("/api/v1/users/", { ordering: "last_name" }),
    row,
  );
}

document.getElementById("invite").addEventListener("api:done", (event) => {
  event.target.reset();
  show();
});
show();
