// @ts-check
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Domain code reads time from the injected Clock; these files are the only exceptions. */
const CLOCK_EXEMPT = [
  "packages/core/src/clock.ts",
  "packages/db/src/embedded-postgres.ts",
  "packages/db/src/testing/**",
  "packages/*/test/**",
  "packages/**/*.test.ts",
];

/*
 * Another package's src/ is reached through its exports map, never by path: by name
 * (`@paycron/runtime/src/…`) or relatively (`../../runtime/src/…`, `../../../packages/runtime/src/…`).
 * A path is matched as written, not resolved, so the relative pattern is "climbs, then names a
 * folder, then src": a package's own `./x`, `../x` and `../src/x` never name a folder before
 * src, so they pass.
 */
const PACKAGE_SRC_PATTERNS = [
  { group: ["@paycron/*/src/*", "@paycron/*/src"], message: "Import a package through its exports map." },
  {
    regex: String.raw`^(\.\.?/)+([^./][^/]*/)+src(/|$)`,
    message: "Import another package through its exports map (@paycron/…), not by a path into its src/.",
  },
];

export const clockRules = {
  "no-restricted-properties": [
    "error",
    { object: "Date", property: "now", message: "Read time from the injected Clock (take a Clock parameter)." },
  ],
  "no-restricted-syntax": [
    "error",
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: "Read time from the injected Clock (take a Clock parameter).",
    },
  ],
};

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", ".paycron/**", ".turbo/**", ".trigger/**", "bench/results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: "module" },
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": ["error", { patterns: PACKAGE_SRC_PATTERNS }],
    },
  },
  {
    files: ["packages/**/*.ts"],
    ignores: CLOCK_EXEMPT,
    rules: clockRules,
  },
);
