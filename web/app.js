// spotivec web page: plain ES modules, no build step; it fetches only from the API. The search lives in the URL,
// so a search can be shared; the selection and the theme live in the page.
import { $, el, trackTitle } from "./dom.js";
import { buildFilters, FILTER_PARAMS, filterParams, suggestGenres, syncFilters } from "./filters.js";
import { optionParams, renderPlan, renderResults } from "./list.js";
import { createMap } from "./map.js";
import { initPlaylists, refreshPlaylists } from "./playlists.js";

const form = $("search");
const input = $("q");
const DEFAULT_LIMIT = "25";
/** Picked tracks by id (kept across searches, in the order picked). */
const selected = new Map();
let results = [];
let current = null;
let controller = null;

const map = createMap($("map"), $("map-tip"), { onOpen: (t) => openTrack(t, true) });

const paramsFromUrl = () => new URLSearchParams(location.search);

function writeUrl(params, push) {
  const url = `${location.pathname}?${params.toString()}`;
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
}

/** The search as the controls say; the plan's dropped constraints stay unless asked otherwise. */
function paramsFromControls(keepDrops = true) {
  const params = new URLSearchParams();
  if (input.value.trim()) params.set("q", input.value.trim());
  filterParams(params);
  const before = paramsFromUrl();
  params.set("limit", before.get("limit") ?? DEFAULT_LIMIT);
  if (keepDrops) for (const d of before.getAll("drop")) params.append("drop", d);
  return params;
}

function go(params) {
  writeUrl(params, true);
  run(params);
}

function removeChip(c) {
  const next = paramsFromUrl();
  if (c.source.kind === "option") {
    for (const p of optionParams(c)) next.delete(p);
    syncFilters(next);
  } else next.append("drop", c.id ?? c.label);
  go(next);
}

const view = () => ({
  selected,
  current: current?.id ?? null,
  showWhy: $("show-why").checked,
  onPick: pick,
  onOpen: (t) => openTrack(t, false),
});

function pick(t, on) {
  if (on) selected.set(t.id, t);
  else selected.delete(t.id);
  showSelection();
}

function showSelection() {
  const n = selected.size;
  $("selected-count").textContent = `${n} selected`;
  $("save").disabled = n === 0;
  $("clear-selection").disabled = n === 0;
  for (const box of document.querySelectorAll("li.track .pick"))
    box.checked = selected.has(box.closest("li").dataset.id);
  map.setSelected(new Set(selected.keys()));
}

/** The selected track: highlighted in the list and on the map, and in the player when the browser is online. */
function openTrack(t, fromMap) {
  current = t;
  for (const li of document.querySelectorAll("li.track"))
    li.classList.toggle("current", li.dataset.id === t.id);
  map.setCurrent(t.id);
  $("now").hidden = false;
  $("now-track").replaceChildren(
    el("strong", {}, t.name),
    ` — ${t.artists.join(", ")} `,
    el("a", { href: t.url, target: "_blank", rel: "noopener" }, "Open in Spotify"),
  );
  showPlayer();
  if (fromMap) {
    const li = document.querySelector(`li.track[data-id="${t.id}"]`);
    li?.scrollIntoView({ block: "nearest" });
    li?.querySelector(".name")?.focus({ preventScroll: true });
  }
}

function showPlayer() {
  const box = $("player");
  if (!current) return box.replaceChildren();
  if (!navigator.onLine) {
    box.replaceChildren(el("p", { class: "offline" }, "Offline: the player needs a connection."));
    return;
  }
  const src = `https://open.spotify.com/embed/track/${current.id}`;
  if (box.querySelector("iframe")?.getAttribute("src") === src) return;
  box.replaceChildren(
    el("iframe", {
      src,
      title: `Spotify player: ${trackTitle(current)}`,
      allow: "encrypted-media",
      loading: "lazy",
    }),
  );
}

function clearResults(message) {
  results = [];
  $("results").replaceChildren();
  $("plan").replaceChildren();
  map.setTracks([]);
  $("status").textContent = message;
}

async function run(params) {
  const status = $("status");
  status.className = "";
  if (!params.get("q") && !FILTER_PARAMS.some((p) => params.has(p))) {
    clearResults("Type what you want to hear: a mood, a genre, a tempo, an artist.");
    return;
  }
  controller?.abort();
  controller = new AbortController();
  status.textContent = "Searching…";
  try {
    const res = await fetch(`/api/search?${params.toString()}`, { signal: controller.signal });
    const body = await res.json();
    if (!res.ok)
      throw new Error(
        `${body.error?.message ?? res.statusText}${body.error?.hint ? ` (${body.error.hint})` : ""}`,
      );
    results = body.results;
    renderPlan(body.plan, removeChip);
    renderResults(results, view());
    map.setTracks(results);
    suggestGenres(results);
    status.textContent =
      results.length === 0
        ? "No tracks match. Remove a constraint or try other words."
        : `${results.length} tracks`;
  } catch (e) {
    if (e.name === "AbortError") return;
    clearResults(`Something went wrong: ${e.message}`);
    status.className = "error";
  }
}

async function loadMap() {
  try {
    const res = await fetch("/api/map?bins=40");
    if (res.ok) map.setDensity(await res.json());
  } catch {
    // The map still shows the results without the catalog's shading.
  }
}

function initTheme() {
  const button = $("theme");
  const root = document.documentElement;
  const dark = () =>
    root.dataset.theme ? root.dataset.theme === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
  const show = () => {
    button.setAttribute("aria-pressed", String(dark()));
    map.draw();
  };
  button.addEventListener("click", () => {
    root.dataset.theme = dark() ? "light" : "dark";
    try {
      localStorage.setItem("spotivec-theme", root.dataset.theme);
    } catch {}
    show();
  });
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", show);
  show();
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  go(paramsFromControls(false));
});
buildFilters(() => go(paramsFromControls()));
$("show-why").addEventListener("change", () => renderResults(results, view()));
$("select-all").addEventListener("click", () => {
  for (const r of results) selected.set(r.id, r);
  showSelection();
});
$("clear-selection").addEventListener("click", () => {
  selected.clear();
  showSelection();
});
initPlaylists({
  selection: () => [...selected.keys()],
  query: () => paramsFromUrl().get("q") ?? "",
  onSaved: () => {
    selected.clear();
    showSelection();
  },
});
window.addEventListener("online", showPlayer);
window.addEventListener("offline", showPlayer);
window.addEventListener("popstate", () => {
  input.value = paramsFromUrl().get("q") ?? "";
  syncFilters(paramsFromUrl());
  run(paramsFromUrl());
});
initTheme();
input.value = paramsFromUrl().get("q") ?? "";
syncFilters(paramsFromUrl());
input.focus();
showSelection();
loadMap();
refreshPlaylists();
run(paramsFromUrl());
