import type { Position } from '../engine/types';

/** Converts UTF-16 offsets to the 1-based line/column positions findings carry. */
export class SourceText {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10) this.lineStarts.push(i + 1);
      else if (code === 13 && text.charCodeAt(i + 1) !== 10) this.lineStarts.push(i + 1);
    }
  }

  slice(node: { start: number; end: number }): string {
    return this.text.slice(node.start, node.end);
  }

  positionAt(offset: number): Position {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low] + 1 };
  }

  /** The offset of a 1-based line/column position (the inverse of `positionAt`). */
  offsetAt(position: Position): number {
    const lineStart = this.lineStarts[Math.min(this.lineStarts.length, Math.max(1, position.line)) - 1];
    return lineStart + position.column - 1;
  }

  lineStartOf(offset: number): number {
    return this.lineStarts[this.positionAt(offset).line - 1];
  }

  /** The whitespace that starts the line holding `offset`. */
  indentOf(offset: number): string {
    const start = this.lineStartOf(offset);
    let end = start;
    while (end < this.text.length && (this.text[end] === ' ' || this.text[end] === '\t')) end++;
    return this.text.slice(start, end);
  }

  /** The newline the file already uses, so inserted lines match it. */
  get newline(): string {
    const index = this.text.indexOf('\n');
    return index > 0 && this.text[index - 1] === '\r' ? '\r\n' : '\n';
  }
}
