/**
 * Side-by-side markdown table of two vibe-bench --out files (plain, planned). When bench/vibe-ideal.py has added
 * `ndcg_song_ideal` to the planned file, a column gives planned nDCG against the ideal vibe-bench's repeat rule
 * allows (each song once).
 */
import { readFileSync } from "node:fs";

interface Row {
  id: string;
  query: string;
  ndcg: number;
  strict_p: number;
  must_p: number;
  ndcg_song_ideal?: number;
}
const [plainFile, plannedFile] = process.argv.slice(2);
if (!plainFile || !plannedFile) throw new Error("usage: vibe-report.ts PLAIN.json PLANNED.json");
const plain = JSON.parse(readFileSync(plainFile, "utf8")) as Row[];
const planned = new Map((JSON.parse(readFileSync(plannedFile, "utf8")) as Row[]).map((r) => [r.id, r]));
const f = (x: number) => x.toFixed(3);
const mean = (rows: Row[], k: keyof Row) => rows.reduce((s, r) => s + (r[k] as number), 0) / rows.length;
const plannedRows = [...planned.values()];
const songIdeal = plannedRows.length > 0 && plannedRows.every((r) => r.ndcg_song_ideal !== undefined);
const extra = (cells: string) => (songIdeal ? ` ${cells} |` : "");
const lines = [
  `| id | query | plain nDCG@10 | plain strictP@10 | planned nDCG@10 | planned strictP@10 |${extra("planned nDCG@10, song ideal")}`,
  `|---|---|---|---|---|---|${extra("---")}`,
  ...plain.map((p) => {
    const q = planned.get(p.id);
    const cells = `${p.id} | ${p.query} | ${f(p.ndcg)} | ${f(p.strict_p)} | ${q ? f(q.ndcg) : "-"} | ${q ? f(q.strict_p) : "-"}`;
    return `| ${cells} |${extra(q?.ndcg_song_ideal !== undefined ? f(q.ndcg_song_ideal) : "-")}`;
  }),
];
const lowest = (k: keyof Row) => f(Math.min(...plannedRows.map((r) => r[k] as number)));
lines.push(
  `| | **mean** | **${f(mean(plain, "ndcg"))}** | **${f(mean(plain, "strict_p"))}** | **${f(mean(plannedRows, "ndcg"))}** | **${f(mean(plannedRows, "strict_p"))}** |${extra(`**${f(mean(plannedRows, "ndcg_song_ideal"))}**`)}`,
  `| | lowest planned | | | ${lowest("ndcg")} | |${extra(songIdeal ? lowest("ndcg_song_ideal") : "")}`,
);
console.log(lines.join("\n"));
