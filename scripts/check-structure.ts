/**
 * Structure rules CI enforces on src/:
 * - imports point down the stages only (a stage may import itself and the stages before it);
 * - no file over 500 lines, no function over 80 lines (a file that marks itself `@data` in its opening comment, a
 *   table of words or numbers, is exempt from the file limit; its functions are not).
 *
 *   node --import tsx scripts/check-structure.ts [ROOT]     exits 1 and lists each violation
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** The data flow, in order. */
export const STAGES = [
  "domain",
  "embed",
  "store",
  "ingest",
  "enrich",
  "query",
  "rank",
  "search",
  "likes",
  "playlists",
  "server",
  "cli",
] as const;

export const MAX_FILE_LINES = 500;
export const MAX_FUNCTION_LINES = 80;

export interface Violation {
  file: string;
  line: number;
  rule: "stage-order" | "unknown-stage" | "file-length" | "function-length";
  message: string;
}

/** The stage of a path relative to src/ ("query/stages/words.ts" -> "query"), or null for files outside stages. */
export function stageOf(pathInSrc: string): string | null {
  const first = pathInSrc.split(/[\\/]/)[0] ?? "";
  return (STAGES as readonly string[]).includes(first) ? first : null;
}

function importSpecifiers(source: ts.SourceFile): Array<{ spec: string; line: number }> {
  const out: Array<{ spec: string; line: number }> = [];
  const visit = (node: ts.Node) => {
    let spec: ts.Expression | undefined;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier)
      spec = node.moduleSpecifier;
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
      spec = node.arguments[0];
    if (spec && ts.isStringLiteral(spec)) {
      out.push({ spec: spec.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
    // new URL("./worker.js", import.meta.url) loads a module too.
    if (ts.isNewExpression(node) && node.expression.getText(source) === "URL") {
      const [first, second] = node.arguments ?? [];
      if (first && ts.isStringLiteral(first) && second?.getText(source) === "import.meta.url")
        if (/\.(js|ts)$/.test(first.text))
          out.push({
            spec: first.text,
            line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
          });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function functionName(node: ts.Node, source: ts.SourceFile): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name) return named.name.getText(source);
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)))
    return parent.name.getText(source);
  return "(anonymous function)";
}

/** Every rule checked on one file; `path` is relative to src/. */
export function checkFile(path: string, text: string): Violation[] {
  const violations: Violation[] = [];
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  const isData = /^\s*(?:\/\*\*?[\s\S]*?\*\/|\/\/[^\n]*)/.exec(text)?.[0].includes("@data") ?? false;
  if (lines > MAX_FILE_LINES && !isData) {
    violations.push({
      file: path,
      line: 1,
      rule: "file-length",
      message: `${lines} lines (at most ${MAX_FILE_LINES}; split it by concern)`,
    });
  }
  const stage = stageOf(path);
  if (stage === null) {
    violations.push({
      file: path,
      line: 1,
      rule: "unknown-stage",
      message: `not in a stage folder (${STAGES.join(", ")})`,
    });
  }
  for (const { spec, line } of importSpecifiers(source)) {
    if (!spec.startsWith(".")) continue;
    const target = relative(".", join(dirname(path), spec))
      .split(sep)
      .join("/");
    const targetStage = stageOf(target);
    if (stage === null || targetStage === null) continue;
    if (STAGES.indexOf(targetStage as never) > STAGES.indexOf(stage as never)) {
      violations.push({
        file: path,
        line,
        rule: "stage-order",
        message: `${stage} imports ${target}: ${targetStage} comes after ${stage} in the data flow`,
      });
    }
  }
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      if (end - start + 1 > MAX_FUNCTION_LINES) {
        violations.push({
          file: path,
          line: start + 1,
          rule: "function-length",
          message: `${functionName(node, source)} is ${end - start + 1} lines (at most ${MAX_FUNCTION_LINES})`,
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return violations;
}

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return listTs(p);
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

export function checkTree(srcDir: string): Violation[] {
  return listTs(srcDir).flatMap((file) =>
    checkFile(relative(srcDir, file).split(sep).join("/"), readFileSync(file, "utf8")),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "..");
  const violations = checkTree(join(root, "src"));
  for (const v of violations) console.error(`src/${v.file}:${v.line}  ${v.rule}  ${v.message}`);
  if (violations.length > 0) {
    console.error(`${violations.length} structure violation(s)`);
    process.exit(1);
  }
  console.log(
    `structure ok: stages ${STAGES.join(" < ")}; files <= ${MAX_FILE_LINES} lines, functions <= ${MAX_FUNCTION_LINES}`,
  );
}
