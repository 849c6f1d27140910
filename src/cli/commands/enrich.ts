import type { Command } from "commander";
import type { Io } from "../ui.js";
import { registerEnrichLyrics } from "./enrich-lyrics.js";

/** `spotivec enrich <source>`: data from other datasets added to the catalog's tracks. */
export function registerEnrich(program: Command, io: Io): void {
  const enrich = program
    .command("enrich")
    .description("add data from other datasets to the catalog's tracks (lyrics themes, ...)");
  registerEnrichLyrics(enrich, io);
}
