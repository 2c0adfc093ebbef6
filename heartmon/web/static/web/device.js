// One device: status, assignment, keys (a new key is shown once), settings, history.

import { api, listAll } from "./api.js";
import { submit } from "./forms.js";
import { cells, fillSelect, fillTable } from "./tables.js";
import { ageText, can, el, fullName, statusBadge, when } from "./ui.js";

const deviceId = document.getElementById("device").dataset.device;
const base = `/api/v1/devices/${deviceId}`;

function showFacts(device) {
  document.getElementById("device-title").textContent = `${device.model} ${device.serial_number}`;
  const facts = [
    ["Status", statusBadge(device.status)],
    ["Leads", String(device.lead_count)],
    ["Firmware", device.firmware_version || "—"],
    ["MAC", device.mac_address || "—"],
    [
      "Last seen",
      device.last_seen_at
        ? `${when(device.last_seen_at)} (${ageText(device.last_seen_at)})`
        : "never",
    ],
    ["Assigned", device.patient ? "to a patient" : "no"],
  ];
  document
    .getElementById("device-facts")
    .replaceChildren(
      ...facts.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]),
    );
  const status = document.getElementById("status");
  if (status) status.value = device.status;
  document.getElementById("assign")?.toggleAttribute("hidden", Boolean(device.patient));
  document.getElementById("unassign")?.toggleAttribute("hidden", !device.patient);
}

async function showAssignable() {
  const select = document.getElementById("assign-patient");
  if (!select) return;
  fillSelect(
    select,
    await listAll("/api/v1/patients/", { ordering: "family_name" }),
    (p) => `${fullName(p)} · ${p.patient_number}`,
  );
}

function keyRow(key) {
  const revoke =
    key.revoked_at || !can("device_keys_write")
      ? null
      : el(
          "button",
          {
            type: "button",
            class: "secondary",
            onclick: async () => {
              await api(`${base}/keys/${key.id}/`, { method: "DELETE" });
              showKeys();
            },
          },
          "Revoke",
        );
  return el(
    "tr",
    {},
    ...cells(
      el("code", {}, key.prefix),
      key.name,
      key.last_used_at ? ageText(key.last_used_at) : "never",
    ),
    el("td", {}, key.revoked_at ? "revoked" : "in use", " ", revoke),
  );
}

async function showKeys() {
  if (!can("device_keys_read")) return;
  fillTable(document.getElementById("keys"), await listAll(`${base}/keys/`), keyRow, "No keys.");
}

async function showSettings() {
  if (!can("device_settings_read")) return;
  const settings = await api(`${base}/settings/`);
  document.getElementById("settings-document").value = JSON.stringify(settings.document, null, 2);
  document.getElementById("settings-version").textContent = `version ${settings.version}`;
}

// Not bound by forms.js: the textarea's JSON is sent parsed.
const settingsForm = document.getElementById("settings");
if (settingsForm) settingsForm.dataset.api = `${base}/settings/`;
settingsForm?.addEventListener("submit", (event) => {
  event.preventDefault();
  let document_;
  try {
    document_ = JSON.parse(settingsForm.elements.document.value);
  } catch {
    document_ = settingsForm.elements.document.value; // the API says what is wrong with it
  }
  submit(settingsForm, { document: document_ }).then(showSettings);
});

document.getElementById("new-key")?.addEventListener("api:done", (event) => {
  document.getElementById("new-key-value").textContent = event.detail.key;
  document.getElementById("new-key-shown").hidden = false;
  event.target.reset();
  showKeys();
});

async function main() {
  const device = await api(`${base}/`);
  showFacts(device);
  const history = await api(`${base}/history/`, { query: { limit: 50 } });
  fillTable(
    document.getElementById("history"),
    history.results,
    (event) => el("tr", {}, ...cells(when(event.at), event.kind, JSON.stringify(event.details))),
    "Nothing yet.",
  );
  await Promise.all([showAssignable(), showKeys(), showSettings()]);
}

main();
