// Saving the selection as a playlist (a name asked in a dialog), and the saved playlists: export, push and delete.
import { $, el } from "./dom.js";
import { loadPushServices, pushButtons } from "./push.js";

const FORMATS = ["m3u8", "xspf", "csv", "json"];
let ctx = null;
let services = null;

const path = (name) => `/api/playlists/${encodeURIComponent(name)}`;

async function call(url, init) {
  const res = await fetch(url, init);
  const body = await res.json();
  if (!res.ok)
    throw new Error(
      `${body.error?.message ?? res.statusText}${body.error?.hint ? ` (${body.error.hint})` : ""}`,
    );
  return body;
}

export async function refreshPlaylists() {
  const list = $("playlists");
  services ??= loadPushServices();
  await services;
  try {
    const { playlists } = await call("/api/playlists");
    list.replaceChildren(
      ...(playlists.length === 0
        ? [el("li", { class: "empty" }, "None yet: select tracks, then Save as playlist.")]
        : playlists.map(item)),
    );
  } catch (e) {
    list.replaceChildren(el("li", { class: "error" }, `Playlists unavailable: ${e.message}`));
  }
}

function item(p) {
  const id = `fmt-${encodeURIComponent(p.name).replace(/[^\w-]/g, "_")}`;
  const link = el(
    "a",
    { class: "export", download: "", href: `${path(p.name)}/export?format=m3u8` },
    "Export",
  );
  const format = el(
    "select",
    {
      id,
      onchange: (e) => {
        link.href = `${path(p.name)}/export?format=${e.currentTarget.value}`;
      },
    },
    ...FORMATS.map((f) => el("option", { value: f }, f.toUpperCase())),
  );
  return el(
    "li",
    { "data-name": p.name },
    el("span", { class: "pl-name", title: p.query ? `from “${p.query}”` : "picked by hand" }, p.name),
    el("span", { class: "pl-count" }, `${p.tracks} tracks`),
    el("label", { for: id, class: "visually-hidden" }, `Format for ${p.name}`),
    format,
    link,
    ...pushButtons(p.name),
    el(
      "button",
      {
        type: "button",
        class: "quiet",
        "aria-label": `Delete ${p.name}`,
        onclick: async () => {
          await call(path(p.name), { method: "DELETE" }).catch((e) => alertStatus(e.message));
          refreshPlaylists();
        },
      },
      "Delete",
    ),
  );
}

function alertStatus(message) {
  const status = $("status");
  status.className = "error";
  status.textContent = message;
}

async function save(name) {
  const ids = ctx.selection();
  const query = ctx.query();
  const body = await call("/api/playlists", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(query ? { name, ids, query } : { name, ids }),
  });
  $("status").className = "";
  $("status").textContent = `Saved “${body.name}” (${body.tracks.length} tracks).${
    pushButtons(body.name).length > 0 ? " Push it from the playlist list." : ""
  }`;
  ctx.onSaved();
  await refreshPlaylists();
}

export function initPlaylists(context) {
  ctx = context;
  const dialog = $("save-dialog");
  const name = $("playlist-name");
  $("save").addEventListener("click", () => {
    $("save-error").textContent = "";
    name.value = ctx.query() || "";
    dialog.showModal();
    name.select();
  });
  $("save-cancel").addEventListener("click", () => dialog.close());
  $("save-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await save(name.value.trim());
      dialog.close();
    } catch (err) {
      $("save-error").textContent = err.message;
    }
  });
}
