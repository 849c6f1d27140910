/**
 * How many genres of the taxonomy (src/query/vocabulary/genre-taxonomy.json) resolve to at least one catalog label:
 * as a label or word of the tables (direct), through the taxonomy's nearest labels, or as words the tables read
 * ("instrumental hip hop"). Prints the counts and the genres that resolve to nothing.
 *
 *   node --import tsx bench/genre-coverage.ts [--db FILE]
 */
import { parseArgs } from "node:util";
import { defaultDbPath } from "../src/domain/paths.js";
import { buildPhraseTable, genreWordsIn } from "../src/query/phrases.js";
import { taxonomyGenres } from "../src/query/taxonomy.js";
import { normQuery } from "../src/query/tokens.js";
import { openStore } from "../src/store/store.js";

const { values: args } = parseArgs({ options: { db: { type: "string", default: defaultDbPath() } } });
const store = openStore(args.db as string, { readonly: true });
const labels = store.genreLabels();
store.close();
const t0 = performance.now();
const table = buildPhraseTable(labels);
const buildMs = performance.now() - t0;
const counts = { direct: 0, taxonomy: 0, words: 0, none: 0 };
const none: string[] = [];
for (const genre of taxonomyGenres()) {
  const key = normQuery(genre);
  const entry = table.map.get(key);
  if (entry?.kind === "genre") counts[entry.taxonomy ? "taxonomy" : "direct"]++;
  else if (genreWordsIn(key, table)) counts.words++;
  else {
    counts.none++;
    none.push(genre);
  }
}
const total = taxonomyGenres().length;
const resolved = total - counts.none;
console.log(`catalog labels: ${labels.length}; taxonomy genres: ${total}`);
console.log(
  `resolve to >= 1 label: ${resolved} (${((100 * resolved) / total).toFixed(1)}%): direct ${counts.direct}, through the taxonomy ${counts.taxonomy}, by their words ${counts.words}; none ${counts.none}`,
);
console.log(`phrase table build: ${buildMs.toFixed(0)} ms (once per label list)`);
console.log(`none: ${none.join(", ")}`);
