// Every <form data-api="/api/v1/..."> sends its fields to that endpoint (data-method, POST by
// default). On success it shows data-done, reveals .after-done and fires "api:done" with the
// answer; on failure the problem is shown on the form. data-then="reload" reloads the page.

import { api } from "./api.js";
import { clearProblem, formBody, showProblem } from "./ui.js";

function succeed(form, answer) {
  const done = form.querySelector(".done");
  if (done && form.dataset.done) {
    done.textContent = form.dataset.done;
    done.hidden = false;
  }
  for (const node of document.querySelectorAll(".after-done")) node.hidden = false;
  if (form.dataset.keep === undefined)
    form.querySelector("[type=submit]")?.setAttribute("disabled", "");
  form.dispatchEvent(new CustomEvent("api:done", { detail: answer, bubbles: true }));
  if (form.dataset.then === "reload") location.reload();
}

export async function submit(form, body = formBody(form)) {
  clearProblem(form);
  const button = form.querySelector("[type=submit]");
  button?.setAttribute("aria-busy", "true");
  try {
    const path = form.dataset.api.replace("{id}", form.dataset.id || "");
    succeed(form, await api(path, { method: form.dataset.method || "POST", body }));
  } catch (error) {
    showProblem(form, error);
  } finally {
    button?.removeAttribute("aria-busy");
  }
}

export function bindForms(root = document) {
  for (const form of root.querySelectorAll("form[data-api]:not([data-bound])")) {
    form.dataset.bound = "";
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit(form);
    });
  }
}

bindForms();
