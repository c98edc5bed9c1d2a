/** Messages between the simulation and its worker child (IPC). */
export type WorkerMessage =
  | { type: "ready" }
  | { type: "set-time"; at: string }
  | { type: "time-set"; at: string }
  | { type: "stop" };
