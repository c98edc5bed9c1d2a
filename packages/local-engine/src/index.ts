export { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from "./start-local-runtime.ts";
export { localEngine } from "./local-engine.ts";
export { fireDueCrons } from "./cron-scheduler.ts";
export { createEngine } from "./create-engine.ts";
