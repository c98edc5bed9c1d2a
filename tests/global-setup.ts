import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "@paycron/db/embedded";
import { prepareTemplate } from "@paycron/db/testing";

/** One embedded Postgres for the whole run; each test file copies its own database from the template. */
export default async function setup(project: TestProject) {
  const pg = await startEmbeddedPostgres({ fast: true });
  await prepareTemplate(pg.url);
  project.provide("pgServerUrl", pg.url);
  return async () => {
    await pg.stop();
  };
}
