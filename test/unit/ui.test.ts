import { afterEach, describe, expect, it, vi } from "vitest";
import { createUi, describeProgress, formatDuration, type Io } from "../../src/cli/ui.js";
import type { ProgressEvent } from "../../src/domain/progress.js";

describe("formatDuration", () => {
  it.each([
    [0, "0:00"],
    [5, "0:05"],
    [59.4, "0:59"],
    [59.6, "1:00"],
    [61, "1:01"],
    [600, "10:00"],
    [3599, "59:59"],
    [3600, "1:00:00"],
    [3661, "1:01:01"],
    [36_000, "10:00:00"],
    [-5, "0:00"],
    [Number.NaN, "?"],
    [Number.POSITIVE_INFINITY, "?"],
  ])("%d s -> %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe("describeProgress", () => {
  const start = 1_000_000;
  const at = (seconds: number) => start + seconds * 1000;

  it("shows done/total, percent, rate and ETA once more than 0.5 s has passed", () => {
    const e: ProgressEvent = { phase: "parse", done: 1000, total: 3000 };
    expect(describeProgress(e, start, 0, at(2))).toBe("reading  1,000/3,000 rows  33%  500/s  ETA 0:04");
  });

  it("measures the rate from startDone", () => {
    const e: ProgressEvent = { phase: "embed", done: 1500, total: 2500 };
    // 1000 done in 4 s since the phase started at 500: 250/s, 1000 left -> 4 s.
    expect(describeProgress(e, start, 500, at(4))).toBe(
      "embedding  1,500/2,500 descriptions  60%  250/s  ETA 0:04",
    );
  });

  it("shows neither rate nor ETA within the first 0.5 s", () => {
    const e: ProgressEvent = { phase: "describe", done: 10, total: 100 };
    const line = describeProgress(e, start, 0, at(0.5));
    expect(line).toBe("describing  10/100 tracks  10%");
    expect(line).not.toContain("/s");
    expect(line).not.toContain("ETA");
  });

  it("shows a rate but no percent or ETA when the total is unknown", () => {
    const e: ProgressEvent = { phase: "parse", done: 12_345, total: null };
    expect(describeProgress(e, start, 0, at(5))).toBe("reading  12,345 rows  2,469/s");
  });

  it("shows no rate when nothing was done", () => {
    const e: ProgressEvent = { phase: "embed", done: 0, total: 100 };
    expect(describeProgress(e, start, 0, at(10))).toBe("embedding  0/100 descriptions  0%");
  });

  it("appends the detail", () => {
    const e: ProgressEvent = { phase: "model", done: 0, total: null, detail: "model.onnx" };
    expect(describeProgress(e, start, 0, at(0))).toBe("model  0 bytes  model.onnx");
  });
});

describe("progress in logs and pipes", () => {
  afterEach(() => vi.useRealTimers());

  /** A Ui whose stderr is not a terminal; `at(s)` moves the clock to s seconds. */
  const piped = () => {
    let stderr = "";
    const io: Io = {
      stdout: { write: () => true, isTTY: false },
      stderr: { write: (s: string) => (stderr += s), isTTY: false },
      env: {},
    };
    vi.useFakeTimers({ toFake: ["Date"] });
    const at = (seconds: number) => vi.setSystemTime(1_000_000 + seconds * 1000);
    at(0);
    return { ui: createUi(io, { json: false }), at, lines: () => stderr.split("\n").filter(Boolean) };
  };

  it("prints each state once: no final line repeating the last one printed", () => {
    const { ui, at, lines } = piped();
    ui.progress({ phase: "model", done: 0, total: null, detail: "model.onnx" });
    ui.stopProgress();
    ui.progress({ phase: "parse", done: 0, total: null, detail: "a.csv" });
    at(2);
    ui.progress({ phase: "parse", done: 500, total: null, detail: "a.csv" });
    at(6);
    ui.progress({ phase: "parse", done: 1000, total: null, detail: "a.csv" });
    at(8);
    ui.progress({ phase: "parse", done: 1000, total: null, detail: "a.csv" }); // no news
    at(12);
    ui.progress({ phase: "parse", done: 1000, total: null, detail: "a.csv" }); // none after 5 s either
    ui.progress({ phase: "parse", done: 0, total: null, detail: "b.csv" }); // a new file ends a.csv's phase
    at(13);
    ui.progress({ phase: "embed", done: 0, total: 100 });
    at(14);
    ui.progress({ phase: "embed", done: 100, total: 100 });
    ui.stopProgress();
    ui.stopProgress(); // a second stop prints nothing

    const printed = lines();
    expect(new Set(printed).size).toBe(printed.length);
    expect(printed).toEqual([
      "model  0 bytes  model.onnx",
      "reading  0 rows  a.csv",
      "reading  1,000 rows  167/s  a.csv",
      "reading  0 rows  b.csv",
      "embedding  0/100 descriptions  0%",
      "embedding  100/100 descriptions  100%  100/s  ETA 0:00",
    ]);
  });

  it("prints nothing with --json or --quiet", () => {
    const { at, lines } = piped();
    let stderr = "";
    const io: Io = {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
      env: {},
    };
    for (const ui of [createUi(io, { json: true }), createUi(io, { json: false, quiet: true })]) {
      ui.progress({ phase: "parse", done: 1, total: 2 });
      at(10);
      ui.progress({ phase: "parse", done: 2, total: 2 });
      ui.stopProgress();
    }
    expect(stderr).toBe("");
    expect(lines()).toEqual([]);
  });
});
