// Filling a table body from API items: one row per item, or a single "nothing" row.

import { el } from "./ui.js";

export function fillTable(tbody, items, row, emptyText = "Nothing yet.") {
  const rows = items.map(row);
  if (!rows.length) {
    const columns = tbody.closest("table").querySelectorAll("thead th").length;
    rows.push(el("tr", {}, el("td", { colspan: columns, class: "muted" }, emptyText)));
  }
  tbody.replaceChildren(...rows);
}

export function cells(...values) {
  return values.map((value) =>
    value instanceof Node ? el("td", {}, value) : el("td", {}, value ?? "—"),
  );
}

// <select> options from API items, with a first "choose" option.
export function fillSelect(select, items, label, value = (item) => item.id, prompt = "Choose…") {
  const options = items.map((item) => el("option", { value: value(item) }, label(item)));
  if (!select.multiple) options.unshift(el("option", { value: "" }, prompt));
  select.replaceChildren(...options);
}
