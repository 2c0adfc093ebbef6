// The organization's alarm timings (escalation, no data, NEWS2's maximum age): every role that
// reads them sees them; the form (forms.js) saves them for those who may change them.

import { api } from "./api.js";
import "./forms.js";

const form = document.getElementById("timings");

function fill(timings) {
  for (const [name, value] of Object.entries(timings)) {
    const field = form.elements.namedItem(name);
    if (field) field.value = String(value);
  }
}

form.addEventListener("api:done", (event) => fill(event.detail));
api("/api/v1/alarm-settings/").then(fill);
