/** Side-by-side markdown table of two vibe-bench --out files (plain, planned). */
import { readFileSync } from "node:fs";

interface Row {
  id: string;
  query: string;
  ndcg: number;
  strict_p: number;
  must_p: number;
}
const [plainFile, plannedFile] = process.argv.slice(2);
if (!plainFile || !plannedFile) throw new Error("usage: vibe-report.ts PLAIN.json PLANNED.json");
const plain = JSON.parse(readFileSync(plainFile, "utf8")) as Row[];
const planned = new Map((JSON.parse(readFileSync(plannedFile, "utf8")) as Row[]).map((r) => [r.id, r]));
const f = (x: number) => x.toFixed(3);
const mean = (rows: Row[], k: keyof Row) => rows.reduce((s, r) => s + (r[k] as number), 0) / rows.length;
const lines = [
  "| id | query | plain nDCG@10 | plain strictP@10 | planned nDCG@10 | planned strictP@10 |",
  "|---|---|---|---|---|---|",
  ...plain.map((p) => {
    const q = planned.get(p.id);
    return `| ${p.id} | ${p.query} | ${f(p.ndcg)} | ${f(p.strict_p)} | ${q ? f(q.ndcg) : "-"} | ${q ? f(q.strict_p) : "-"} |`;
  }),
];
const plannedRows = [...planned.values()];
lines.push(
  `| | **mean** | **${f(mean(plain, "ndcg"))}** | **${f(mean(plain, "strict_p"))}** | **${f(mean(plannedRows, "ndcg"))}** | **${f(mean(plannedRows, "strict_p"))}** |`,
);
console.log(lines.join("\n"));
