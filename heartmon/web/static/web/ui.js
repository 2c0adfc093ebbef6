// Small DOM helpers shared by the pages: building elements, showing problems on forms, ages.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children.flat().filter((child) => child !== null && child !== undefined));
  return node;
}

export function clearProblem(form) {
  const box = form.querySelector(".problem");
  if (box) box.hidden = true;
  for (const field of form.querySelectorAll("[aria-invalid]"))
    field.removeAttribute("aria-invalid");
  for (const message of form.querySelectorAll(".field-error")) message.remove();
}

// The problem's detail above the form, each field's messages under its input.
export function showProblem(form, error) {
  clearProblem(form);
  const box = form.querySelector(".problem");
  const errors = error.problem?.errors || {};
  for (const [name, messages] of Object.entries(errors)) {
    const field = form.elements.namedItem(name);
    if (!(field instanceof HTMLElement) || field.type === "hidden") continue;
    const id = `${field.id || name}-error`;
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", id);
    field.after(el("p", { class: "field-error", id }, messages.join(" ")));
  }
  if (box) {
    box.textContent = error.message;
    box.hidden = false;
  }
}

// A form's fields as a JSON body: empty optional fields are left out, numbers stay strings
// (the API parses them), checkboxes are booleans, a multiple select is a list.
export function formBody(form) {
  const body = {};
  for (const field of form.elements) {
    if (!field.name || field.disabled) continue;
    if (field.type === "checkbox") body[field.name] = field.checked;
    else if (field.multiple) body[field.name] = [...field.selectedOptions].map((o) => o.value);
    else if (field.value !== "" || field.required) body[field.name] = field.value;
  }
  return body;
}

export function ageText(isoTime, now = Date.now()) {
  const seconds = Math.max(0, Math.round((now - Date.parse(isoTime)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

export function when(isoTime) {
  if (!isoTime) return "—";
  return new Date(isoTime).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function can(flag) {
  return (document.body.dataset.can || "").split(" ").includes(flag);
}

export function fullName(person) {
  return [person.given_name, person.family_name].filter(Boolean).join(" ");
}

// A device's status as a mark and a word (never by colour alone).
export function statusBadge(status) {
  const marks = { active: "●", inactive: "○", maintenance: "◐", retired: "✕" };
  return el("span", { class: `badge ${status}` }, `${marks[status] || ""} ${status}`);
}
