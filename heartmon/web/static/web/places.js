// Admins: the places as a tree (hospital > ward > bed), and new places.

import { listAll } from "./api.js";
import "./forms.js";
import { cells, fillSelect, fillTable } from "./tables.js";
import { el } from "./ui.js";

// Depth-first: each place followed by the places inside it.
function inTreeOrder(places) {
  const children = new Map();
  for (const place of places) {
    const siblings = children.get(place.parent) || [];
    siblings.push(place);
    children.set(place.parent, siblings);
  }
  const ordered = [];
  const visit = (parent, depth) => {
    for (const place of (children.get(parent) || []).sort((a, b) =>
      a.name.localeCompare(b.name, undefined, { numeric: true }),
    )) {
      ordered.push({ ...place, depth });
      visit(place.id, depth + 1);
    }
  };
  visit(null, 0);
  return ordered;
}

async function show() {
  const places = inTreeOrder(await listAll("/api/v1/places/"));
  fillTable(
    document.getElementById("places"),
    places,
    (place) =>
      el(
        "tr",
        {},
        el("td", { style: `padding-left: ${0.6 + place.depth * 1.5}rem` }, place.name),
        ...cells(place.kind, place.kind === "bed" ? (place.occupied ? "occupied" : "free") : ""),
      ),
    "No places yet.",
  );
  fillSelect(
    document.getElementById("pl-parent"),
    places.filter((p) => p.kind !== "bed"),
    (p) => `${"— ".repeat(p.depth)}${p.name}`,
    undefined,
    "Nothing (top level)",
  );
}

document.getElementById("add-place").addEventListener("api:done", () => {
  document.getElementById("pl-name").value = "";
  show();
});
show();
