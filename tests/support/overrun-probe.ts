/**
 * What the overrun fixtures' bodies report to the test running them in-process. Kept on globalThis
 * under a registered symbol: the catalog imports the fixture files itself, and the state must be
 * the same object whichever module instance the fixture and the test get.
 */
export interface OverrunBody {
  startedAt: number;
  /** The task's bodies executing when this one started, itself included. */
  runningAtStart: number;
  abortedAt?: number;
  abortReason?: string;
  returnedAt?: number;
}

interface ProbeState {
  running: Map<string, number>;
  bodies: Map<string, OverrunBody>;
  gates: Map<string, { opened: Promise<void>; open: () => void }>;
}

const KEY = Symbol.for("paycron.fixture.overrun");

function state(): ProbeState {
  const g = globalThis as { [KEY]?: ProbeState };
  return (g[KEY] ??= { running: new Map(), bodies: new Map(), gates: new Map() });
}

/** The body reported under `label`, once it started. */
export function overrunBody(label: string): OverrunBody | undefined {
  return state().bodies.get(label);
}

/** Makes the body labelled `label` keep running, whatever its signal says, until openGate(label). */
export function closeGate(label: string): void {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  state().gates.set(label, { opened, open });
}

export function openGate(label: string): void {
  state().gates.get(label)?.open();
}

/** The fixtures' body: records its start, its abort and its return, and ignores the signal. */
export async function runOverrunBody(taskId: string, label: string, signal: AbortSignal): Promise<{ label: string }> {
  const s = state();
  const running = (s.running.get(taskId) ?? 0) + 1;
  s.running.set(taskId, running);
  const body: OverrunBody = { startedAt: performance.now(), runningAtStart: running };
  s.bodies.set(label, body);
  signal.addEventListener("abort", () => {
    body.abortedAt = performance.now();
    body.abortReason = (signal.reason as Error | undefined)?.name;
  });
  try {
    await s.gates.get(label)?.opened;
    return { label };
  } finally {
    s.running.set(taskId, (s.running.get(taskId) ?? 1) - 1);
    body.returnedAt = performance.now();
  }
}
