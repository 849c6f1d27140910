// The plan as chips and the results as compact rows.
import { $, el, keyName } from "./dom.js";
import { RANGES } from "./filters.js";

const SOURCES = {
  word: "from word",
  synonym: "from synonym",
  number: "from number",
  option: "from option",
  activity: "from activity",
  grounded: "from meaning",
  reference: "from reference",
  profile: "from your likes",
  "lyrics themes": "from lyrics themes",
  "llm-tag": "from LLM tags",
};

/** An option's constraint, said the way the filter panel says it. */
function optionLabel(c) {
  const r = RANGES.find((x) => x.name === c.field);
  const fmt = (v) => (r ? `${Number(v).toFixed(r.digits)}${r.unit}` : String(v));
  const name = r ? r.label.toLowerCase() : (c.field ?? c.label);
  if (c.type !== "range") return c.label;
  if (c.min !== undefined && c.max !== undefined) return `${name} ${fmt(c.min)} to ${fmt(c.max)}`;
  if (c.min !== undefined) return `${name} at least ${fmt(c.min)}`;
  return `${name} at most ${fmt(c.max)}`;
}

/** The URL parameters an option's constraint came from (removing its chip clears them). */
export function optionParams(c) {
  if (c.type === "range") return [`${c.field}_min`, `${c.field}_max`];
  if (c.type === "genre") return ["genre"];
  if (c.type === "explicit") return ["explicit"];
  return [];
}

export function renderPlan(plan, onRemove) {
  const box = $("plan");
  box.replaceChildren();
  if (!plan) return;
  for (const c of plan.constraints) {
    const option = c.source.kind === "option";
    const label = option ? optionLabel(c) : c.label;
    const from = `${SOURCES[c.source.kind] ?? `from ${c.source.kind}`}${option ? "" : ` “${c.source.text}”`}`;
    const how = c.relaxed ? "relaxed" : c.hard ? "required" : "preferred";
    box.append(
      el(
        "span",
        {
          class: `chip ${c.hard && !c.relaxed ? "hard" : "soft"}${option ? " option" : ""}`,
          "data-id": c.id,
          "data-source": c.source.kind,
          title: `${how}; ${from}${c.source.concept ? ` (like “${c.source.concept}”)` : ""}`,
        },
        el("span", { class: "label" }, label),
        el("span", { class: "source" }, from),
        el("button", { type: "button", "aria-label": `Remove ${label}`, onclick: () => onRemove(c) }, "×"),
      ),
    );
  }
  for (const n of plan.notes) box.append(el("p", { class: "note" }, n));
}

function bar(name, value) {
  const v = Math.max(0, Math.min(1, value));
  return el(
    "span",
    {
      class: `bar ${name}`,
      role: "img",
      title: `${name} ${value.toFixed(2)}`,
      "aria-label": `${name} ${value.toFixed(2)}`,
    },
    el("i", { style: `width:${Math.round(v * 100)}%` }),
  );
}

function whyBox(r, id) {
  if (!r.why) return null;
  const item = (c) =>
    el(
      "li",
      { class: c.met ? "met" : "missed" },
      `${c.met ? "✓" : "✗"} ${c.label}: ${typeof c.value === "number" ? Number(c.value.toFixed(3)) : c.value} (${c.target})`,
    );
  return el(
    "div",
    { class: "why", id, hidden: true },
    el("p", {}, `why: ${r.why.summary}`),
    el("ul", {}, ...r.why.meets.map(item), ...r.why.misses.map(item)),
  );
}

/** One row per track: pick, #, name (opens it), artists, genre, BPM, key, bars, why and Spotify link. */
function row(r, i, view) {
  const f = r.features;
  const whyId = `why-${r.id}`;
  const why = whyBox(r, whyId);
  const toggle = why
    ? el(
        "button",
        {
          type: "button",
          class: "why-toggle quiet",
          "aria-expanded": "false",
          "aria-controls": whyId,
          "aria-label": `Why ${r.name}`,
          onclick: (e) => {
            const open = why.hidden;
            why.hidden = !open;
            e.currentTarget.setAttribute("aria-expanded", String(open));
          },
        },
        "why",
      )
    : null;
  if (why && view.showWhy) {
    why.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
  }
  const pick = el("input", {
    type: "checkbox",
    class: "pick",
    "aria-label": `Select ${r.name}`,
    checked: view.selected.has(r.id),
    onchange: (e) => view.onPick(r, e.currentTarget.checked),
  });
  return el(
    "li",
    {
      class: `track${view.current === r.id ? " current" : ""}`,
      "data-id": r.id,
      "data-energy": f.energy,
      "data-valence": f.valence,
      "data-danceability": f.danceability,
      "data-tempo": f.tempo,
    },
    pick,
    el("span", { class: "n" }, String(i + 1)),
    el("button", { type: "button", class: "name", title: r.name, onclick: () => view.onOpen(r) }, r.name),
    el("span", { class: "artists", title: r.artists.join(", ") }, r.artists.join(", ")),
    el("span", { class: "genre", title: r.genres.join(", ") }, r.genres[0] ?? ""),
    el("span", { class: "bpm", title: "tempo (BPM)" }, String(Math.round(f.tempo))),
    el("span", { class: "key", title: "key" }, keyName(f.key, f.mode)),
    el(
      "span",
      { class: "bars" },
      bar("energy", f.energy),
      bar("valence", f.valence),
      bar("danceability", f.danceability),
    ),
    el(
      "span",
      { class: "acts" },
      toggle,
      el(
        "a",
        { class: "open", href: r.url, target: "_blank", rel: "noopener", title: "Open in Spotify" },
        el("span", { "aria-hidden": "true" }, "↗"),
        el("span", { class: "visually-hidden" }, `Open ${r.name} in Spotify`),
      ),
    ),
    why,
  );
}

export function renderResults(results, view) {
  $("results").replaceChildren(...results.map((r, i) => row(r, i, view)));
}
