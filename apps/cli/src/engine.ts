import { localEngine } from "@paycron/local-engine";
import { remoteEngine, type EngineSettings, type TaskEngine } from "@paycron/runtime";

export function engineFor(settings: EngineSettings): TaskEngine {
  return settings.kind === "trigger" ? remoteEngine(settings) : localEngine();
}
