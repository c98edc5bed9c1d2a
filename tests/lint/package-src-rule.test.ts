import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The import sources of `code` (linted as if it lived at `filePath`) that the package-src rule refuses. */
async function refused(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  const lines = code.split("\n");
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => lines[m.line - 1]!.match(/"([^"]+)"/)![1]!);
}

const importing = (...sources: string[]) => sources.map((s, i) => `export { x as x${i} } from "${s}";`).join("\n") + "\n";

describe("the rule against reaching into another package's src/", () => {
  it("refuses relative paths into another package's src, from packages, apps and the root tests", async () => {
    expect(await refused(importing("../../runtime/src/outbox/enqueue.ts"), "packages/inbox/src/planted.ts")).toEqual(["../../runtime/src/outbox/enqueue.ts"]);
    expect(await refused(`import { x } from "../../runtime/src/index.ts";\nexport default x;\n`, "packages/inbox/test/planted.test.ts")).toEqual([
      "../../runtime/src/index.ts",
    ]);
    expect(await refused(importing("../../packages/runtime/src/x.ts"), "tests/webhooks/planted.test.ts")).toEqual(["../../packages/runtime/src/x.ts"]);
    expect(await refused(importing("../../../packages/runtime/src/x.ts"), "tests/runtime/support/planted.ts")).toEqual(["../../../packages/runtime/src/x.ts"]);
    expect(await refused(importing("../../../packages/runtime/src/x.ts"), "apps/webhooks/src/planted.ts")).toEqual(["../../../packages/runtime/src/x.ts"]);
    expect(await refused(importing("../../webhooks/src"), "apps/cli/src/planted.ts")).toEqual(["../../webhooks/src"]);
  });

  it("still refuses the package name followed by src", async () => {
    expect(await refused(importing("@paycron/runtime/src/outbox/enqueue.ts"), "apps/webhooks/src/planted.ts")).toEqual(["@paycron/runtime/src/outbox/enqueue.ts"]);
  });

  it("allows a package its own src, its exports, and the shared test support", async () => {
    expect(await refused(importing("./enqueue.ts", "../outbox/dispatch.ts", "../index.ts"), "packages/runtime/src/outbox/planted.ts")).toEqual([]);
    expect(await refused(importing("../src/catalog/sdk-internals.ts"), "packages/runtime/test/planted.test.ts")).toEqual([]);
    expect(await refused(importing("../../src/embedded-postgres.ts"), "packages/db/test/fixtures/planted.ts")).toEqual([]);
    expect(await refused(importing("../../../tests/support/task-fixtures.ts", "@paycron/runtime"), "packages/local-engine/test/planted.test.ts")).toEqual([]);
    expect(await refused(importing("../support/task-fixtures.ts", "@paycron/local-engine/testing"), "tests/webhooks/planted.test.ts")).toEqual([]);
  });
});
