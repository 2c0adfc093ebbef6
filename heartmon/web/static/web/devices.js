// The organization's devices with status, assignment and last contact; technicians register
// devices and upload firmware here.

import { api, listAll } from "./api.js";
import "./forms.js";
import { cells, fillTable } from "./tables.js";
import { ageText, can, clearProblem, el, showProblem, statusBadge, when } from "./ui.js";

function deviceRow(device) {
  return el(
    "tr",
    {},
    ...cells(
      el("a", { href: `/devices/${device.id}` }, device.serial_number),
      device.model,
      statusBadge(device.status),
      device.patient ? "yes" : "no",
      device.firmware_version || "—",
      device.last_seen_at ? `${ageText(device.last_seen_at)}` : "never",
    ),
  );
}

function firmwareRow(image) {
  return el(
    "tr",
    {},
    ...cells(image.model, image.version, image.min_version || "any"),
    el("td", { class: "num" }, `${(image.size / 1024).toFixed(0)} KiB`),
    ...cells(el("code", {}, image.sha256.slice(0, 12)), when(image.created_at)),
  );
}

async function show() {
  fillTable(
    document.getElementById("devices"),
    await listAll("/api/v1/devices/", { ordering: "serial_number" }),
    deviceRow,
    "No devices.",
  );
  if (can("firmware_read"))
    fillTable(
      document.getElementById("firmware"),
      await listAll("/api/v1/firmware/"),
      firmwareRow,
      "No firmware.",
    );
}

const upload = document.getElementById("upload-firmware");
upload?.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearProblem(upload);
  try {
    const body = new FormData(upload);
    for (const [name, value] of [...body]) if (value === "") body.delete(name);
    await api("/api/v1/firmware/", { method: "POST", body });
    upload.reset();
    show();
  } catch (error) {
    showProblem(upload, error);
  }
});
document.getElementById("register-device")?.addEventListener("api:done", (event) => {
  event.target.reset();
  show();
});
show();
