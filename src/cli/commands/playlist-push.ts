import type { Command } from "commander";
import type { Io } from "../ui.js";

/** `spotivec playlist push NAME --spotify | --subsonic URL`: registered under the playlist command. */
export function registerPlaylistPush(_playlist: Command, _io: Io): void {}
