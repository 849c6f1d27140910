import type { Command } from "commander";
import type { Io } from "../ui.js";
import { registerEnrichTags } from "./enrich-tags.js";

/** `spotivec enrich <kind>`: knowledge added to the catalog after ingest (LLM tags). */
export function registerEnrich(program: Command, io: Io): void {
  const enrichCmd = program
    .command("enrich")
    .description("add knowledge to the ingested tracks (LLM tags); see `spotivec enrich <kind> --help`");
  registerEnrichTags(enrichCmd, io);
}
