/**
 * Finds where a growing Markdown text can be cut into a finished part and a still-changing
 * tail, so the page renders each finished block once and re-renders only the tail on the
 * next frame. A long answer then costs the same per frame as a short one.
 *
 * The cut is placed just after a blank line, outside fenced code, and only once the next
 * line has begun at column 0: an indented next line may continue a list item or be
 * indented code, which would render differently on its own. Pure and DOM-free.
 */
export class MarkdownBlocks {
  private text = '';
  /** End of the text already handed out as finished. */
  private committed = 0;
  /** Start of the first line not yet scanned. */
  private scanned = 0;
  /** The fence (``` or ~~~, with its length) we are inside, if any. */
  private fence: string | null = null;
  /** A blank line ended here and the cut waits to see how the next line starts. */
  private candidate = -1;

  append(delta: string): void {
    this.text += delta;
  }

  /** All text so far. */
  get source(): string {
    return this.text;
  }

  /**
   * Takes the text that became finished since the last call (possibly empty) and the
   * current unfinished tail.
   */
  take(): { finished: string; tail: string } {
    this.scan();
    const finished = this.text.slice(this.committed, this.cutPoint());
    this.committed += finished.length;
    return { finished, tail: this.text.slice(this.committed) };
  }

  private cutPoint(): number {
    const c = this.candidate;
    if (c < 0 || c >= this.text.length) return this.committed;
    const next = this.text.charCodeAt(c);
    // Space, tab or another newline: not decided yet (or the next block is indented).
    if (next === 32 || next === 9 || next === 10 || next === 13) return this.committed;
    this.candidate = -1;
    return c;
  }

  private scan(): void {
    for (;;) {
      const nl = this.text.indexOf('\n', this.scanned);
      if (nl === -1) return;
      const line = this.text.slice(this.scanned, nl);
      this.scanned = nl + 1;
      const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (this.fence !== null) {
        if (fence && fence[0] === this.fence[0] && fence.length >= this.fence.length && line.trim() === fence) this.fence = null;
        continue;
      }
      if (fence) {
        this.fence = fence;
        this.candidate = -1;
        continue;
      }
      if (line.trim() === '') this.candidate = this.scanned;
    }
  }
}
