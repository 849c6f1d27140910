// Small DOM helpers shared by the page's modules.
export const $ = (id) => document.getElementById(id);

/** An element with attributes (class, on<event> handlers, others as attributes) and children (null skipped). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

const KEYS = ["C", "C♯", "D", "E♭", "E", "F", "F♯", "G", "A♭", "A", "B♭", "B"];

/** "A min", "C♯ maj"; "—" when the key is unknown (-1). */
export function keyName(key, mode) {
  const name = KEYS[key];
  if (name === undefined) return "—";
  return `${name} ${mode === 1 ? "maj" : "min"}`;
}

/** "Name — Artist, Artist". */
export function trackTitle(t) {
  return `${t.name} — ${t.artists.join(", ")}`;
}
