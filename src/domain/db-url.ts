/** Where a --db value points: a SQLite file, or a PostgreSQL database by URL (whose password is never shown). */

/** Whether a --db value names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** Any `scheme://user:password@` in the text with the password replaced by `***`. */
export function redactSecrets(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s]*@/gi, "$1:***@");
}
