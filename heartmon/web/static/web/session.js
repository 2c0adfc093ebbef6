// On every signed-in page: keep the session's cookies fresh while the page is open (a central
// station stays open for a whole shift), and sign out.

import { api, refreshSession, signInAgain } from "./api.js";

const RENEW_EVERY_MS = 4 * 60 * 1000; // access tokens live 5 minutes

async function renew() {
  if (!(await refreshSession())) signInAgain();
}

setInterval(renew, RENEW_EVERY_MS);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") renew();
});

for (const button of document.querySelectorAll("[data-sign-out]")) {
  button.addEventListener("click", async () => {
    await api("/api/v1/auth/cookie/logout/", { method: "POST" }).catch(() => null);
    location.assign("/signin");
  });
}
