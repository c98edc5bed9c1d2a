import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const eslint = new ESLint({ cwd: root });

async function clockViolations(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return result!.messages.filter((m) => m.message.includes("Clock")).map((m) => `${m.line}:${m.column} ${m.message}`);
}

describe("the Clock rule", () => {
  it("catches Date.now() and new Date() planted in packages/billing", async () => {
    const planted = `export function due(d: Date) {\n  const a = Date.now();\n  const b = new Date();\n  return a > d.getTime() && b > d;\n}\n`;
    expect(await clockViolations(planted, "packages/billing/src/planted.ts")).toHaveLength(2);
  });

  it("allows building dates from values, and the Clock module itself", async () => {
    expect(await clockViolations(`export const at = (ms: number) => new Date(ms);\n`, "packages/billing/src/ok.ts")).toEqual([]);
    expect(await clockViolations(`export const now = () => new Date();\n`, "packages/core/src/clock.ts")).toEqual([]);
  });
});
