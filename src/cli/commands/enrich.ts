import type { Command } from "commander";
import type { Io } from "../ui.js";
import { registerEnrichLyrics } from "./enrich-lyrics.js";
import { registerEnrichTags } from "./enrich-tags.js";

/** `spotivec enrich <kind>`: knowledge added to the catalog's tracks after ingest (lyrics themes, LLM tags). */
export function registerEnrich(program: Command, io: Io): void {
  const enrich = program
    .command("enrich")
    .description(
      "add knowledge to the ingested tracks (lyrics themes, LLM tags); see `spotivec enrich <kind> --help`",
    );
  registerEnrichLyrics(enrich, io);
  registerEnrichTags(enrich, io);
}
