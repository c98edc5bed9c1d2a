export {
  checkInvariants,
  invariantsHold,
  INVARIANTS,
  type CheckInvariantsInput,
  type InvariantName,
  type InvariantReport,
} from "./check-invariants.ts";
export type { InvariantResult } from "./violation-query.ts";
