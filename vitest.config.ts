import { defineConfig } from "vitest/config";

// Tiers: pure modules and the store on :memory: (unit), the CLI in-process (cli), the built page in Chromium (web),
// the real model with real data (integration), and a real PostgreSQL + pgvector server (postgres; skips without
// SPOTIVEC_TEST_POSTGRES_URL, which `npm run test:all` sets). `npm test` runs them all.
export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      { test: { name: "cli", include: ["test/cli/**/*.test.ts"], testTimeout: 60_000 } },
      {
        test: { name: "web", include: ["test/web/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 120_000 },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "postgres",
          include: ["test/postgres/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
