export * from "./factories.ts";
export { createDatabaseFromTemplate, dropDatabase, prepareTemplate, TEMPLATE_DATABASE } from "./template.ts";
export { useTestDb, type TestDb } from "./vitest.ts";
export { waitFor } from "./wait-for.ts";
