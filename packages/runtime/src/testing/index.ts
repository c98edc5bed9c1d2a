export { executeAsDeployedWorker, type DeployedAttemptResult } from "../catalog/sdk-internals.ts";
