// Your account: two-factor set-up shows the server-drawn QR code and the secret, then confirms
// with the app's first code.

import { api } from "./api.js";
import "./forms.js";

const start = document.getElementById("start-two-factor");

start?.addEventListener("click", async () => {
  const setup = await api("/api/v1/auth/2fa/setup/", { method: "POST" });
  document.getElementById("totp-secret").textContent = setup.secret;
  document.getElementById("totp-qr").src = `/account/two-factor/qr.svg?at=${Date.now()}`;
  document.getElementById("two-factor-setup").hidden = false;
  start.hidden = true;
  document.getElementById("confirm-code").focus();
});
