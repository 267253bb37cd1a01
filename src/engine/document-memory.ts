/**
 * What a front end keeps per open document between lints (a syntax tree, the last findings), so an
 * edit re-analyses only what it changed. Bounded: the least recently linted document is dropped
 * first, and `dispose` frees what the garbage collector cannot (tree-sitter trees live in wasm memory).
 */
export class DocumentMemory<T> {
  private readonly entries = new Map<string, T>();

  constructor(
    private readonly capacity: number,
    private readonly dispose: (entry: T) => void = () => {},
  ) {}

  /** Takes the entry out: the caller owns it until it `keep`s a successor (or drops it on failure). */
  take(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined) this.entries.delete(key);
    return entry;
  }

  keep(key: string, entry: T): void {
    const previous = this.entries.get(key);
    if (previous !== undefined && previous !== entry) this.dispose(previous);
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, T];
      this.entries.delete(oldestKey);
      this.dispose(oldest);
    }
  }

  forget(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.dispose(entry);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Open documents a front end remembers at once; more than a user edits in turn, few enough to stay small. */
export const REMEMBERED_DOCUMENTS = 16;
