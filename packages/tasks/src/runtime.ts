/** Payloads of the runtime's own upkeep tasks. Scheduled tasks receive the engine's schedule payload. */
export const runtimeTaskPayloads = {} as const;
