/** Compile-time constants of every Node bundle (see build-defines.mjs). */
export function buildDefines(root?: string): Promise<Record<string, string>>;
