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
  { ignores: ["**/node_modules/**", "**/dist/**", ".paycron/**", ".turbo/**", "bench/results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: "module" },
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@paycron/*/src/*", "@paycron/*/src"], message: "Import a package through its exports map." }] },
      ],
    },
  },
  {
    files: ["packages/**/*.ts"],
    ignores: CLOCK_EXEMPT,
    rules: clockRules,
  },
);
