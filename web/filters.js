// The filter controls: a pair of sliders per range (an end at its limit is off), genre and explicit.
import { $, el } from "./dom.js";

export const RANGES = [
  { name: "tempo", label: "Tempo", min: 0, max: 250, step: 5, unit: " BPM", digits: 0 },
  { name: "energy", label: "Energy", min: 0, max: 1, step: 0.05, unit: "", digits: 2 },
  { name: "valence", label: "Valence (mood)", min: 0, max: 1, step: 0.05, unit: "", digits: 2 },
  { name: "danceability", label: "Danceability", min: 0, max: 1, step: 0.05, unit: "", digits: 2 },
  { name: "acousticness", label: "Acousticness", min: 0, max: 1, step: 0.05, unit: "", digits: 2 },
];

/** Every URL parameter the filter controls own. */
export const FILTER_PARAMS = [
  ...RANGES.flatMap((r) => [`${r.name}_min`, `${r.name}_max`]),
  "genre",
  "explicit",
];

const fmt = (r, v) => `${Number(v).toFixed(r.digits)}${r.unit}`;

/** "any", "at least 0.50", "at most 140 BPM", "0.30 to 0.80". */
export function describeRange(r, min, max) {
  if (min === null && max === null) return "any";
  if (max === null) return `at least ${fmt(r, min)}`;
  if (min === null) return `at most ${fmt(r, max)}`;
  return `${fmt(r, min)} to ${fmt(r, max)}`;
}

function slider(r, end, onChange) {
  const id = `${r.name}_${end}`;
  const input = el("input", {
    id,
    type: "range",
    min: r.min,
    max: r.max,
    step: r.step,
    value: end === "min" ? r.min : r.max,
    "data-param": id,
    "aria-describedby": `${r.name}_out`,
  });
  input.addEventListener("input", () => {
    keepOrdered(r, end);
    showRange(r);
  });
  input.addEventListener("change", onChange);
  return el(
    "div",
    { class: "end" },
    el(
      "label",
      { for: id },
      end === "min" ? "from" : "to",
      el("span", { class: "visually-hidden" }, ` (${r.label})`),
    ),
    input,
  );
}

/** Moving one end past the other takes the other along. */
function keepOrdered(r, moved) {
  const lo = $(`${r.name}_min`);
  const hi = $(`${r.name}_max`);
  if (Number(lo.value) > Number(hi.value)) {
    if (moved === "min") hi.value = lo.value;
    else lo.value = hi.value;
  }
}

function ends(r) {
  const lo = Number($(`${r.name}_min`).value);
  const hi = Number($(`${r.name}_max`).value);
  return { min: lo > r.min ? lo : null, max: hi < r.max ? hi : null };
}

function showRange(r, shown = ends(r)) {
  const out = $(`${r.name}_out`);
  out.textContent = describeRange(r, shown.min, shown.max);
  out.closest(".range").classList.toggle("on", shown.min !== null || shown.max !== null);
}

export function buildFilters(onChange) {
  const box = $("ranges");
  for (const r of RANGES) {
    box.append(
      el(
        "div",
        { class: "range", role: "group", "aria-labelledby": `${r.name}_label` },
        el(
          "div",
          { class: "range-head" },
          el("span", { id: `${r.name}_label` }, r.label),
          el("output", { id: `${r.name}_out`, for: `${r.name}_min ${r.name}_max` }, "any"),
        ),
        el("div", { class: "ends" }, slider(r, "min", onChange), slider(r, "max", onChange)),
      ),
    );
  }
  $("genre").addEventListener("change", onChange);
  $("explicit").addEventListener("change", onChange);
  $("clear-filters").addEventListener("click", () => {
    syncFilters(new URLSearchParams());
    onChange();
  });
}

/** The controls as the URL says (values outside a slider's reach are still shown as the URL has them). */
export function syncFilters(params) {
  for (const r of RANGES) {
    const get = (end) => (params.has(`${r.name}_${end}`) ? Number(params.get(`${r.name}_${end}`)) : null);
    const shown = { min: get("min"), max: get("max") };
    $(`${r.name}_min`).value = shown.min ?? r.min;
    $(`${r.name}_max`).value = shown.max ?? r.max;
    showRange(r, shown);
  }
  $("genre").value = params.getAll("genre").join(", ");
  $("explicit").value = params.get("explicit") ?? "";
}

/** The filter controls as URL parameters. */
export function filterParams(params) {
  for (const r of RANGES) {
    const { min, max } = ends(r);
    if (min !== null) params.set(`${r.name}_min`, String(min));
    if (max !== null) params.set(`${r.name}_max`, String(max));
  }
  for (const g of $("genre")
    .value.split(",")
    .map((s) => s.trim())
    .filter(Boolean))
    params.append("genre", g);
  if ($("explicit").value) params.set("explicit", $("explicit").value);
  return params;
}

/** The genres seen in results, offered as suggestions. */
export function suggestGenres(results) {
  const list = $("genre-list");
  const known = new Set([...list.options].map((o) => o.value));
  for (const r of results) for (const g of r.genres) if (!known.has(g)) known.add(g);
  list.replaceChildren(...[...known].sort().map((g) => el("option", { value: g })));
}
