// Pushing a saved playlist to Spotify or Subsonic through the API: the server holds the credentials, the page only
// shows buttons for the services the server is set up for, a busy state, then the result or the error and its hint.
import { $, el } from "./dom.js";

const LABELS = { spotify: "Spotify", subsonic: "Subsonic" };
let configured = [];

/** Asks the server which services it can push to (no secrets come back); none when it cannot say. */
export async function loadPushServices() {
  try {
    const res = await fetch("/api/push/services");
    const body = await res.json();
    configured = res.ok ? Object.keys(LABELS).filter((s) => body[s]?.configured) : [];
  } catch {
    configured = [];
  }
  return configured;
}

/** "Push to Spotify" / "Push to Subsonic" buttons for a saved playlist, one per configured service. */
export function pushButtons(name) {
  return configured.map((service) =>
    el(
      "button",
      {
        type: "button",
        class: "quiet push",
        "data-service": service,
        "aria-label": `Push ${name} to ${LABELS[service]}`,
        onclick: (e) => push(name, service, e.currentTarget),
      },
      `Push to ${LABELS[service]}`,
    ),
  );
}

function show(...children) {
  const box = $("push-result");
  box.replaceChildren(...children);
  box.hidden = false;
  box.scrollIntoView({ block: "nearest" });
  return box;
}

function describe(result) {
  if (result.service === "spotify")
    return [
      el(
        "p",
        {},
        `Pushed “${result.name}” to Spotify: ${result.tracks} tracks added to a new private playlist. `,
        el("a", { href: result.url, target: "_blank", rel: "noopener" }, "Open in Spotify"),
      ),
    ];
  const unmatched = result.unmatched ?? [];
  return [
    el(
      "p",
      {},
      `Pushed “${result.name}” to ${result.server}: ${result.matched.length} of ${result.tracks} tracks added` +
        (unmatched.length > 0 ? `, ${unmatched.length} not found there:` : "."),
    ),
    unmatched.length > 0
      ? el(
          "ul",
          { class: "unmatched" },
          ...unmatched.map((t) => el("li", {}, `${t.artists.join(", ")} — ${t.name}`)),
        )
      : null,
  ];
}

async function push(name, service, button) {
  const buttons = document.querySelectorAll("#playlists button.push");
  for (const b of buttons) b.disabled = true;
  button.setAttribute("aria-busy", "true");
  const box = show(el("p", { class: "busy" }, `Pushing “${name}” to ${LABELS[service]}…`));
  box.className = "busy";
  try {
    const res = await fetch(`/api/playlists/${encodeURIComponent(name)}/push`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ service }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      show(
        el("p", { class: "message" }, body.error?.message ?? `${res.status} ${res.statusText}`),
        body.error?.hint ? el("p", { class: "hint" }, body.error.hint) : null,
      ).className = "error";
      return;
    }
    show(...describe(body)).className = "ok";
  } catch (e) {
    show(el("p", { class: "message" }, `Push failed: ${e.message}`)).className = "error";
  } finally {
    button.removeAttribute("aria-busy");
    for (const b of buttons) b.disabled = false;
  }
}
