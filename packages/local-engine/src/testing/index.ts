export { runUntilIdle, type IdleReport, type RunUntilIdleOptions } from "./run-until-idle.ts";
