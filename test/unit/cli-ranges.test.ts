import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rangeFiltersFrom } from "../../src/cli/options.js";
import { RANGE_FLAGS } from "../../src/domain/fields.js";
import { thrown } from "../helpers.js";

const key = (flag: string, end: string) =>
  `${flag}-${end}`.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

describe("range flags", () => {
  it("a minimum above its maximum is a usage error naming both flags and the fix", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RANGE_FLAGS),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (f, a, b) => {
          const lo = f.min + Math.min(a, b) * (f.max - f.min);
          const hi = f.min + Math.max(a, b) * (f.max - f.min);
          const flag = f.flag.flag;
          const ok = rangeFiltersFrom({ [key(flag, "min")]: lo, [key(flag, "max")]: hi });
          expect(ok[f.name]).toEqual({ min: lo, max: hi });
          if (lo === hi) return;
          const e = thrown(() => rangeFiltersFrom({ [key(flag, "min")]: hi, [key(flag, "max")]: lo }));
          expect(e.code).toBe("USAGE");
          expect(e.message).toContain(`--${flag}-min`);
          expect(e.message).toContain(`--${flag}-max`);
          expect(e.hint).toContain(`--${flag}-min ${lo} --${flag}-max ${hi}`);
        },
      ),
      { numRuns: 200 },
    );
  });
});
