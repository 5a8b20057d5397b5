/**
 * A half-written Markdown tail, provisionally closed so it renders as it will end up:
 * an unclosed `**bold`, `*em`, `~~strike` or `` `code `` gets its closing marker, so the
 * reader never sees raw markers flash by mid-stream. Only the tail's last paragraph is
 * looked at (finished blocks are rendered on their own), fenced code is left alone
 * (marked closes an open fence itself), and code spans are skipped when counting. Pure.
 */
export function closeProvisionally(tail: string): string {
  if (inOpenFence(tail)) return tail;
  const start = tail.lastIndexOf('\n\n') + 1;
  const para = tail.slice(start);
  const stack: string[] = [];
  let i = 0;
  while (i < para.length) {
    const c = para[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(para.slice(i))![0];
      const close = para.indexOf(run, i + run.length);
      if (close === -1) return tail + run; // an open code span: close it, nothing inside counts
      i = close + run.length;
      continue;
    }
    if (c === '*' || c === '_' || c === '~') {
      const run = new RegExp(`^\\${c}+`).exec(para.slice(i))![0];
      const marker = c === '~' ? (run.length >= 2 ? '~~' : '') : run.length >= 2 ? c + c : c;
      const before = para[i - 1] ?? ' ';
      const after = para[i + run.length] ?? '';
      // `_` inside a word (snake_case) is no emphasis; a marker before a space opens nothing (a list bullet, 2 * 3).
      const intraword = c === '_' && /\w/.test(before) && /\w/.test(after);
      if (marker && !intraword) {
        if (stack.at(-1) === marker) stack.pop();
        else if (after !== '' && !/\s/.test(after)) stack.push(marker);
      }
      i += run.length;
      continue;
    }
    i++;
  }
  if (stack.length === 0) return tail;
  // Closing right after a space would not count as closing: trim the trailing space first.
  return tail.replace(/\s+$/, '') + stack.reverse().join('');
}

function inOpenFence(text: string): boolean {
  let open: string | null = null;
  for (const line of text.split('\n')) {
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (!fence) continue;
    if (open === null) open = fence;
    else if (fence[0] === open[0] && fence.length >= open.length && line.trim() === fence) open = null;
  }
  return open !== null;
}
