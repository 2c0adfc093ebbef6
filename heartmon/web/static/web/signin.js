// Sign in with the cookie mode. A page that sent you here (your access cookie had expired) gets
// you back at once when the refresh cookie still holds; the authenticator code field appears
// when the account has two-factor sign-in.

import { api, refreshSession } from "./api.js";
import { clearProblem, formBody, showProblem } from "./ui.js";

const form = document.getElementById("signin");
const next = form.dataset.next;

async function resume() {
  if (new URLSearchParams(location.search).has("next") && (await refreshSession())) {
    location.replace(next);
  }
}

function askForCode() {
  const otp = form.querySelector(".otp");
  otp.hidden = false;
  otp.querySelector("input").required = true;
  otp.querySelector("input").focus();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearProblem(form);
  try {
    await api("/api/v1/auth/cookie/login/", { method: "POST", body: formBody(form) });
    location.assign(next);
  } catch (error) {
    if (error.code === "otp-required") askForCode();
    showProblem(form, error);
  }
});

resume();
