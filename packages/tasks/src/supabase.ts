export const supabaseTaskPayloads = {} as const;
