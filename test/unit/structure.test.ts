import { describe, expect, it } from "vitest";
import { checkFile, stageOf } from "../../scripts/check-structure.js";

const longFunction = (lines: number) =>
  `export function big(): number {\n${"  let x = 1;\n".repeat(lines - 3)}  return 1;\n}\n`;

describe("structure check", () => {
  it("maps paths to their stage", () => {
    expect(stageOf("query/stages/words.ts")).toBe("query");
    expect(stageOf("misc.ts")).toBeNull();
  });

  it("allows imports of the same or an earlier stage", () => {
    const text = `import { a } from "../domain/fields.js";\nimport { b } from "./plan.js";\nimport c from "chalk";\n`;
    expect(checkFile("query/words.ts", text)).toEqual([]);
  });

  it("fails an import that points up the stage order, with its line", () => {
    const text = `// store\nimport { plan } from "../query/plan.js";\n`;
    const [v] = checkFile("store/reader.ts", text);
    expect(v).toMatchObject({ rule: "stage-order", line: 2 });
    expect(v?.message).toContain("query comes after store");
  });

  it("sees export-from, dynamic imports and worker URLs", () => {
    const text = [
      `export { x } from "../cli/ui.js";`,
      `const m = await import("../server/app.js");`,
      `const w = new URL("../cli/worker.js", import.meta.url);`,
    ].join("\n");
    expect(checkFile("search/a.ts", text).map((v) => v.line)).toEqual([1, 2, 3]);
  });

  it("fails files outside the stage folders", () => {
    expect(checkFile("misc.ts", "export const a = 1;\n")[0]?.rule).toBe("unknown-stage");
  });

  it("counts function lines, 80 allowed and 81 not", () => {
    expect(checkFile("rank/a.ts", longFunction(80))).toEqual([]);
    const [v] = checkFile("rank/a.ts", longFunction(81));
    expect(v).toMatchObject({ rule: "function-length", line: 1 });
    expect(v?.message).toContain("big is 81 lines");
  });

  it("limits file length unless the file marks itself as data", () => {
    const body = "export const a = 1;\n".repeat(501);
    expect(checkFile("query/words.ts", body)[0]?.rule).toBe("file-length");
    expect(checkFile("query/words.ts", `/** Word table. @data */\n${body}`)).toEqual([]);
  });
});
