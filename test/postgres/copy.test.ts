import { copySuite } from "../copy-suite.js";
import { createTestDatabase, describeWithPostgres } from "../postgres.js";

describeWithPostgres("spotivec copy into PostgreSQL", (serverUrl) => {
  copySuite(() => createTestDatabase(serverUrl));
});
