// spotivec web page: plain ES module, no build step. State lives in the URL so searches can be shared.
const $ = (id) => document.getElementById(id);
const form = $("search");
const input = $("q");
const sliders = [...document.querySelectorAll("input[type=range][data-param]")];
let controller = null;

function paramsFromUrl() {
  return new URLSearchParams(location.search);
}

function writeUrl(params, push) {
  const url = `${location.pathname}?${params.toString()}`;
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
}

function syncControls(params) {
  input.value = params.get("q") ?? "";
  for (const s of sliders) {
    const v = params.get(s.dataset.param);
    s.value = v ?? s.min;
    showSlider(s);
  }
}

function showSlider(s) {
  const out = $(`${s.id}_out`);
  out.textContent = Number(s.value) === Number(s.min) ? "off" : s.value;
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function bar(label, value) {
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return el(
    "div",
    {},
    `${label} ${value.toFixed(2)}`,
    el(
      "div",
      { class: "bar", role: "img", "aria-label": `${label} ${pct}%` },
      el("span", { style: `width:${pct}%` }),
    ),
  );
}

function renderPlan(plan, params) {
  const box = $("plan");
  box.replaceChildren();
  if (!plan) return;
  for (const c of plan.constraints) {
    if (c.source.kind === "option") continue;
    const remove = el(
      "button",
      {
        type: "button",
        "aria-label": `Remove ${c.label}`,
        onclick: () => {
          const next = paramsFromUrl();
          next.append("drop", c.id ?? c.label);
          writeUrl(next, true);
          run(next);
        },
      },
      "×",
    );
    box.append(
      el(
        "span",
        {
          class: `chip ${c.hard ? "hard" : "soft"}`,
          "data-id": c.id,
          title: `${c.hard ? "required" : "preferred"}; from ${c.source.kind} "${c.source.text}"`,
        },
        c.label,
        remove,
      ),
    );
  }
  for (const n of plan.notes) box.append(el("p", { class: "note" }, n));
  void params;
}

function renderResults(results) {
  const list = $("results");
  list.replaceChildren();
  for (const r of results) {
    const f = r.features;
    const player = el("div", { class: "player" });
    const play = navigator.onLine
      ? el(
          "button",
          {
            type: "button",
            onclick: () => {
              player.replaceChildren(
                el("iframe", {
                  src: `https://open.spotify.com/embed/track/${r.id}`,
                  title: `Play ${r.name}`,
                  allow: "encrypted-media",
                  loading: "lazy",
                }),
              );
            },
          },
          "Play here",
        )
      : null;
    list.append(
      el(
        "li",
        { class: "track", "data-id": r.id },
        el("div", { class: "title" }, r.name),
        el("div", { class: "artists" }, r.artists.join(", ")),
        el("div", { class: "genres" }, r.genres.join(", ")),
        el(
          "div",
          { class: "bars" },
          bar("energy", f.energy),
          bar("valence", f.valence),
          bar("danceability", f.danceability),
          bar("acousticness", f.acousticness),
          el("div", {}, `${Math.round(f.tempo)} BPM`),
        ),
        r.why ? el("div", { class: "why" }, `why: ${r.why.summary}`) : null,
        el(
          "div",
          { class: "links" },
          el("a", { href: r.url, target: "_blank", rel: "noopener" }, "Open in Spotify"),
          play,
        ),
        player,
      ),
    );
  }
}

async function run(params) {
  const q = params.get("q") ?? "";
  const status = $("status");
  if (!q && !sliders.some((s) => params.has(s.dataset.param))) {
    status.textContent = "Type what you want to hear: a mood, a genre, a tempo, an artist.";
    $("results").replaceChildren();
    $("plan").replaceChildren();
    return;
  }
  controller?.abort();
  controller = new AbortController();
  status.className = "";
  status.textContent = "Searching…";
  try {
    const res = await fetch(`/api/search?${params.toString()}`, { signal: controller.signal });
    const body = await res.json();
    if (!res.ok)
      throw new Error(
        `${body.error?.message ?? res.statusText}${body.error?.hint ? ` (${body.error.hint})` : ""}`,
      );
    renderPlan(body.plan, params);
    renderResults(body.results);
    status.textContent =
      body.results.length === 0
        ? "No tracks match. Remove a constraint or try other words."
        : `${body.results.length} tracks`;
  } catch (e) {
    if (e.name === "AbortError") return;
    status.className = "error";
    status.textContent = `Something went wrong: ${e.message}`;
    $("results").replaceChildren();
  }
}

function paramsFromControls() {
  const params = new URLSearchParams();
  if (input.value.trim()) params.set("q", input.value.trim());
  for (const s of sliders) if (Number(s.value) > Number(s.min)) params.set(s.dataset.param, s.value);
  params.set("limit", "20");
  return params;
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  const params = paramsFromControls();
  writeUrl(params, true);
  run(params);
});
for (const s of sliders) {
  s.addEventListener("input", () => showSlider(s));
  s.addEventListener("change", () => {
    const params = paramsFromControls();
    for (const d of paramsFromUrl().getAll("drop")) params.append("drop", d);
    writeUrl(params, true);
    run(params);
  });
}
window.addEventListener("popstate", () => {
  syncControls(paramsFromUrl());
  run(paramsFromUrl());
});
syncControls(paramsFromUrl());
input.focus();
run(paramsFromUrl());
