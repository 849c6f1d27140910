// The map: the catalog's density on energy (x) by valence (y), with the results as dots. Hover names a track,
// click (or Enter, after stepping with the arrow keys) opens it.
import { trackTitle } from "./dom.js";

const PAD = 6;
const HIT = 10;

export function createMap(canvas, tip, { onOpen }) {
  let density = null;
  let tracks = [];
  let points = [];
  let hover = -1;
  let focus = -1;
  let current = null;
  let selected = new Set();

  // The palette's light-dark() values resolve only where a colour is used: read one through the canvas's own colour.
  const css = (name) => {
    canvas.style.color = `var(${name})`;
    return getComputedStyle(canvas).color;
  };

  function layout() {
    const w = canvas.clientWidth || 300;
    const h = canvas.clientHeight || w;
    const ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
    }
    const inner = { w: w - 2 * PAD, h: h - 2 * PAD };
    points = tracks.map((t) => ({
      x: PAD + clamp(t.features.energy) * inner.w,
      y: PAD + (1 - clamp(t.features.valence)) * inner.h,
    }));
    return { w, h, ratio, inner };
  }

  function draw() {
    const { w, h, ratio, inner } = layout();
    const g = canvas.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.fillStyle = css("--map-bg");
    g.fillRect(0, 0, w, h);
    if (density) drawDensity(g, inner);
    g.strokeStyle = css("--line");
    g.strokeRect(PAD + 0.5, PAD + 0.5, inner.w - 1, inner.h - 1);
    g.beginPath();
    g.moveTo(PAD + inner.w / 2, PAD);
    g.lineTo(PAD + inner.w / 2, PAD + inner.h);
    g.moveTo(PAD, PAD + inner.h / 2);
    g.lineTo(PAD + inner.w, PAD + inner.h / 2);
    g.stroke();
    drawPoints(g);
  }

  function drawDensity(g, inner) {
    const { bins, counts } = density;
    const max = Math.max(1, ...counts.flat());
    const cw = inner.w / bins;
    const ch = inner.h / bins;
    g.fillStyle = css("--density");
    for (let i = 0; i < bins; i++) {
      for (let j = 0; j < bins; j++) {
        const c = counts[i]?.[j] ?? 0;
        if (c === 0) continue;
        g.globalAlpha = 0.12 + 0.88 * (Math.log1p(c) / Math.log1p(max));
        g.fillRect(PAD + i * cw, PAD + (bins - 1 - j) * ch, Math.ceil(cw), Math.ceil(ch));
      }
    }
    g.globalAlpha = 1;
  }

  function drawPoints(g) {
    const accent = css("--accent");
    const ring = css("--fg");
    // Last drawn is on top: the first results, the hovered and the current one last.
    const order = points.map((_, i) => i).reverse();
    const top = [hover, focus, tracks.findIndex((t) => t.id === current)].filter((i) => i >= 0);
    for (const i of [...order.filter((i) => !top.includes(i)), ...top]) {
      const p = points[i];
      const big = i === hover || i === focus || tracks[i].id === current;
      g.beginPath();
      g.arc(p.x, p.y, big ? 6 : 4, 0, Math.PI * 2);
      g.fillStyle = selected.has(tracks[i].id) || tracks[i].id === current ? accent : css("--dot");
      g.fill();
      g.lineWidth = big ? 2 : 1;
      g.strokeStyle = ring;
      g.stroke();
    }
  }

  /** The nearest dot within reach; on a tie, the earlier result. */
  function nearest(x, y) {
    let best = -1;
    let bestD = HIT * HIT;
    points.forEach((p, i) => {
      const d = (p.x - x) ** 2 + (p.y - y) ** 2;
      if (d < bestD || (d === bestD && best < 0)) {
        best = i;
        bestD = d;
      }
    });
    return best;
  }

  function showTip(i) {
    if (i < 0) {
      tip.hidden = true;
      return;
    }
    const t = tracks[i];
    tip.textContent = `${trackTitle(t)} · energy ${t.features.energy.toFixed(2)}, valence ${t.features.valence.toFixed(2)}`;
    tip.hidden = false;
    const p = points[i];
    const left = Math.min(Math.max(0, p.x - tip.offsetWidth / 2), canvas.clientWidth - tip.offsetWidth);
    tip.style.left = `${left}px`;
    tip.style.top = `${p.y > 48 ? p.y - tip.offsetHeight - 10 : p.y + 12}px`;
  }

  const at = (e) => {
    const box = canvas.getBoundingClientRect();
    return nearest(e.clientX - box.left, e.clientY - box.top);
  };
  canvas.addEventListener("mousemove", (e) => {
    const i = at(e);
    if (i === hover) return;
    hover = i;
    canvas.style.cursor = i >= 0 ? "pointer" : "default";
    showTip(i);
    draw();
  });
  canvas.addEventListener("mouseleave", () => {
    hover = -1;
    showTip(focus);
    draw();
  });
  canvas.addEventListener("click", (e) => {
    const i = at(e);
    if (i >= 0) onOpen(tracks[i]);
  });
  canvas.addEventListener("keydown", (e) => {
    if (tracks.length === 0) return;
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
    if (step) {
      e.preventDefault();
      focus = (focus + step + tracks.length) % tracks.length;
      showTip(focus);
      draw();
    } else if ((e.key === "Enter" || e.key === " ") && focus >= 0) {
      e.preventDefault();
      onOpen(tracks[focus]);
    }
  });
  canvas.addEventListener("blur", () => {
    focus = -1;
    showTip(hover);
    draw();
  });
  new ResizeObserver(() => draw()).observe(canvas);

  return {
    setDensity(d) {
      density = d;
      draw();
    },
    setTracks(list) {
      tracks = list;
      hover = -1;
      focus = -1;
      tip.hidden = true;
      draw();
    },
    setCurrent(id) {
      current = id;
      draw();
    },
    setSelected(ids) {
      selected = ids;
      draw();
    },
    draw,
  };
}

const clamp = (v) => Math.max(0, Math.min(1, v));
