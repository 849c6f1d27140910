import { afterEach, describe, expect, it, vi } from "vitest";
import { cachedHealth, type Health } from "../../src/server/service.js";

const health = (tracks: number): Health => ({
  status: "ok",
  version: "0",
  tracks,
  embedded: tracks,
  model: null,
  pid: 1,
});

describe("cachedHealth", () => {
  afterEach(() => vi.useRealTimers());

  it("counts the catalog at most once per interval, and never keeps a failure", async () => {
    vi.useFakeTimers();
    let calls = 0;
    let fail = false;
    const cached = cachedHealth(async () => {
      calls++;
      if (fail) throw new Error("busy");
      return health(calls);
    }, 1000);
    expect((await cached()).tracks).toBe(1);
    expect((await cached()).tracks).toBe(1);
    vi.advanceTimersByTime(1001);
    fail = true;
    await expect(cached()).rejects.toThrow("busy");
    fail = false;
    expect((await cached()).tracks).toBe(3);
    expect(calls).toBe(3);
  });
});
