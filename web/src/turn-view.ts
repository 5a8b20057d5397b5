/**
 * One question and its answer on the page. While streaming, thinking text is appended as
 * plain text and the answer's Markdown is re-rendered at most once per animation frame,
 * and only its unfinished last block (finished blocks are rendered once and kept). Other
 * turns are never touched, so long conversations stay smooth.
 */
import { decorateCodeBlocks } from './code-blocks.js';
import { h } from './dom.js';
import type { AnswerStats } from './envelope.js';
import { formatStats, seconds } from './format.js';
import type { Strings } from './i18n.js';
import { MarkdownBlocks } from './markdown-blocks.js';
import { renderMarkdown } from './markdown.js';
import { splitThinking, ThinkSplitter } from './think-split.js';

export type TurnState = 'idle' | 'streaming' | 'done' | 'stopped' | 'failed';

export class TurnView {
  readonly el: HTMLElement;
  state: TurnState = 'idle';
  private readonly t: Strings;
  private readonly onUpdate: () => void;
  private readonly details: HTMLDetailsElement;
  private readonly thinkLabel: HTMLElement;
  private readonly thinkText: Text;
  private readonly answerEl: HTMLElement;
  private readonly statusEl: HTMLElement;
  private readonly statsEl: HTMLElement;
  private splitter = new ThinkSplitter();
  private blocks = new MarkdownBlocks();
  private tailEl: HTMLElement;
  private lastTail = '';
  private pendingThinking = '';
  private frame = 0;
  private timer = 0;
  private startedAt = 0;
  private firstDeltaAt = 0;
  private thinkStart = 0;
  private thinkEnd = 0;
  private userToggled = false;

  constructor(opts: { question: string; t: Strings; onUpdate?: () => void }) {
    this.t = opts.t;
    this.onUpdate = opts.onUpdate ?? (() => {});
    this.thinkLabel = h('span', { class: 'think-label' });
    this.thinkText = document.createTextNode('');
    const summary = h('summary', {}, this.thinkLabel);
    summary.addEventListener('click', () => (this.userToggled = true));
    this.details = h('details', { class: 'thinking', hidden: true }, summary, h('div', { class: 'thinking-body' }, this.thinkText));
    this.tailEl = h('div', { class: 'md-tail' });
    this.answerEl = h('div', { class: 'answer md', 'aria-live': 'polite', 'aria-busy': 'false' }, this.tailEl);
    this.statusEl = h('div', { class: 'turn-status' });
    this.statsEl = h('div', { class: 'turn-stats' });
    this.el = h(
      'article',
      { class: 'turn' },
      h('div', { class: 'msg user' }, h('h3', { class: 'sr-only' }, this.t.you), h('div', { class: 'bubble' }, opts.question)),
      h('div', { class: 'msg assistant' }, h('h3', { class: 'sr-only' }, this.t.assistant), this.details, this.answerEl, this.statusEl, this.statsEl),
    );
  }

  /** Shows a turn loaded from the session store, rendered once. */
  static fromHistory(opts: { question: string; answer: string; stats: AnswerStats; t: Strings }): TurnView {
    const v = new TurnView(opts);
    v.showFinal(opts.answer, opts.stats, null);
    v.state = 'done';
    return v;
  }

  /** (Re)starts the turn for a new stream: clears any earlier attempt. */
  begin(): void {
    this.cancelFrame();
    this.stopTimer();
    this.splitter = new ThinkSplitter();
    this.blocks = new MarkdownBlocks();
    this.pendingThinking = '';
    this.thinkText.data = '';
    this.thinkStart = this.thinkEnd = this.firstDeltaAt = 0;
    this.userToggled = false;
    this.details.hidden = true;
    this.tailEl = h('div', { class: 'md-tail' });
    this.lastTail = '';
    this.answerEl.replaceChildren(this.tailEl);
    this.answerEl.setAttribute('aria-busy', 'true');
    this.statusEl.replaceChildren();
    this.statsEl.textContent = '';
    this.startedAt = performance.now();
    this.setState('streaming');
  }

  /** One raw delta of the model's text (thinking tags inline). */
  push(raw: string): void {
    if (this.state !== 'streaming') return;
    if (!this.firstDeltaAt && raw.length > 0) this.firstDeltaAt = performance.now();
    this.take(this.splitter.push(raw));
    this.schedule();
  }

  /** The `end` event: its full text is authoritative; render it once, show the figures. */
  end(fullText: string, stats: AnswerStats | null): void {
    if (this.state !== 'streaming') return;
    this.take(this.splitter.finish());
    const now = performance.now();
    if (this.thinkStart && !this.thinkEnd) this.thinkEnd = now;
    const measured: AnswerStats = {
      firstTokenMs: this.firstDeltaAt ? this.firstDeltaAt - this.startedAt : undefined,
      totalMs: now - this.startedAt,
    };
    this.showFinal(fullText || this.splitSoFar(), { ...measured, ...definedOnly(stats ?? {}) }, this.thinkEnd - this.thinkStart);
    this.setState('done');
  }

  stop(): void {
    if (this.state !== 'streaming') return;
    this.halt();
    this.statusEl.replaceChildren(h('span', { class: 'note' }, this.t.stopped));
    this.setState('stopped');
  }

  fail(message: string, onRetry: () => void): void {
    if (this.state !== 'streaming') return;
    this.halt();
    const retry = h('button', { type: 'button', class: 'retry-btn' }, this.t.retry);
    retry.addEventListener('click', onRetry);
    this.statusEl.replaceChildren(h('div', { class: 'error', role: 'alert' }, h('span', { class: 'error-msg' }, message), retry));
    this.setState('failed');
    retry.focus({ preventScroll: true });
  }

  /** Ends streaming where it is: keeps what arrived, freezes the thinking timer. */
  private halt(): void {
    this.take(this.splitter.finish());
    if (this.thinkStart && !this.thinkEnd) this.thinkEnd = performance.now();
    this.cancelFrame();
    this.render();
    this.stopTimer();
    this.updateThinkLabel();
    this.answerEl.setAttribute('aria-busy', 'false');
  }

  private setState(s: TurnState): void {
    this.state = s;
    this.el.dataset.state = s;
    this.onUpdate();
  }

  private take(d: { thinking: string; answer: string }): void {
    if (this.splitter.phase !== 'start' && !this.thinkStart && (this.splitter.phase === 'thinking' || d.thinking)) {
      this.thinkStart = performance.now();
      this.details.hidden = false;
      this.details.open = true;
      this.updateThinkLabel();
      this.timer = window.setInterval(() => this.updateThinkLabel(), 100);
    }
    this.pendingThinking += d.thinking;
    if (d.answer) this.blocks.append(d.answer);
    if (this.splitter.phase === 'answer' && this.thinkStart && !this.thinkEnd) {
      this.thinkEnd = performance.now();
      this.stopTimer();
      this.updateThinkLabel();
      if (!this.userToggled) this.details.open = false;
    }
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private cancelFrame(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  private render(): void {
    if (this.pendingThinking) {
      const add = this.thinkText.length === 0 ? this.pendingThinking.trimStart() : this.pendingThinking;
      this.thinkText.appendData(add);
      this.pendingThinking = '';
    }
    const { finished, tail } = this.blocks.take();
    if (finished) {
      const block = h('div', { class: 'md-block' });
      block.innerHTML = renderMarkdown(finished);
      decorateCodeBlocks(block, this.t);
      this.tailEl.before(block);
    }
    if (tail !== this.lastTail) {
      this.lastTail = tail;
      this.tailEl.innerHTML = renderMarkdown(tail);
      decorateCodeBlocks(this.tailEl, this.t);
    }
    this.onUpdate();
  }

  private showFinal(text: string, stats: AnswerStats, thoughtMs: number | null): void {
    this.cancelFrame();
    this.stopTimer();
    const s = splitThinking(text);
    if (s.hadThinking) {
      this.details.hidden = false;
      this.thinkText.data = s.thinking.trim();
      if (!this.userToggled) this.details.open = false;
      this.thinkLabel.textContent = thoughtMs && thoughtMs > 0 ? this.t.thoughtFor(seconds(thoughtMs)) : this.t.thought;
    }
    const body = h('div', { class: 'md-block' });
    body.innerHTML = renderMarkdown(s.answer);
    decorateCodeBlocks(body, this.t);
    this.answerEl.replaceChildren(body);
    this.answerEl.setAttribute('aria-busy', 'false');
    this.statsEl.textContent = formatStats(stats, this.t);
  }

  private splitSoFar(): string {
    const thinking = this.thinkText.data + this.pendingThinking;
    return (this.thinkStart ? `<think>${thinking}</think>` : '') + this.blocks.source;
  }

  private updateThinkLabel(): void {
    if (!this.thinkStart) return;
    const end = this.thinkEnd || performance.now();
    const secs = seconds(end - this.thinkStart);
    this.thinkLabel.textContent = this.thinkEnd ? this.t.thoughtFor(secs) : this.t.thinking(secs);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = 0;
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
