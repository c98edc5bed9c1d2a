import { triggerEngine, type EngineSettings, type TaskEngine } from "@paycron/runtime";
import { localEngine } from "./local-engine.ts";

/** The engine an app's parsed settings name: this package's own, or Trigger.dev. */
export function createEngine(settings: EngineSettings): TaskEngine {
  return settings.kind === "trigger" ? triggerEngine(settings) : localEngine();
}
