/**
 * One question and its answer on the page. While streaming, thinking text is appended as
 * plain text and the answer's Markdown is re-rendered at most once per animation frame,
 * and only its unfinished last block (finished blocks are rendered once and kept; the
 * tail is provisionally closed, so no raw `**` flashes by). At the end the blocks stay as
 * they are (no layout jump). Under the answer: its versions (regenerate and edit make
 * siblings), copy, regenerate; on the question: edit. Other turns are never touched.
 */
import { decorateCodeBlocks } from './code-blocks.js';
import type { ConnectionState } from './complete-stream.js';
import { h } from './dom.js';
import type { AnswerStats } from './envelope.js';
import { formatStats, seconds } from './format.js';
import { highlightCode } from './highlight.js';
import type { Strings } from './i18n.js';
import { MarkdownBlocks } from './markdown-blocks.js';
import { renderMarkdown } from './markdown.js';
import { renderMath } from './math.js';
import { closeProvisionally } from './md-close.js';
import { splitThinking, ThinkSplitter } from './think-split.js';

export type TurnState = 'idle' | 'streaming' | 'done' | 'stopped' | 'failed';

export interface TurnActions {
  onRegenerate(): void;
  onEdit(question: string): void;
  /** Shows the previous (-1) or next (+1) version of this turn. */
  onBranch(step: -1 | 1): void;
  onCopy(text: string): void;
}

export interface TurnOptions {
  question: string;
  t: Strings;
  onUpdate?: () => void;
  actions?: TurnActions;
  /** This turn's place among its versions (1-based), when there are several. */
  branch?: { index: number; count: number };
}

/** Renders Markdown into `el` and adds what answers need: code headers, highlighting, math. */
function fill(el: HTMLElement, markdown: string, t: Strings): void {
  el.innerHTML = renderMarkdown(markdown);
  decorateCodeBlocks(el, t);
  highlightCode(el);
  renderMath(el);
}

export class TurnView {
  readonly el: HTMLElement;
  state: TurnState = 'idle';
  private readonly t: Strings;
  private readonly onUpdate: () => void;
  private readonly actions: TurnActions | undefined;
  private readonly question: string;
  private readonly userEl: HTMLElement;
  private readonly details: HTMLDetailsElement;
  private readonly thinkLabel: HTMLElement;
  private readonly thinkText: Text;
  private readonly answerEl: HTMLElement;
  private readonly statusEl: HTMLElement;
  private readonly connEl: HTMLElement;
  private readonly statsEl: HTMLElement;
  private readonly actionsEl: HTMLElement;
  private splitter = new ThinkSplitter();
  private blocks = new MarkdownBlocks();
  private tailEl: HTMLElement;
  private lastTail = '';
  private pendingThinking = '';
  private finalAnswer = '';
  private frame = 0;
  private timer = 0;
  private stallTimer = 0;
  private startedAt = 0;
  private firstDeltaAt = 0;
  private thinkStart = 0;
  private thinkEnd = 0;
  private userToggled = false;

  constructor(opts: TurnOptions) {
    this.t = opts.t;
    this.question = opts.question;
    this.onUpdate = opts.onUpdate ?? (() => {});
    this.actions = opts.actions;
    this.thinkLabel = h('span', { class: 'think-label' });
    this.thinkText = document.createTextNode('');
    const summary = h('summary', {}, this.thinkLabel);
    summary.addEventListener('click', () => (this.userToggled = true));
    this.details = h('details', { class: 'thinking', hidden: true }, summary, h('div', { class: 'thinking-body' }, this.thinkText));
    this.tailEl = h('div', { class: 'md-tail' });
    this.answerEl = h('div', { class: 'answer md', 'aria-live': 'polite', 'aria-busy': 'false' }, this.tailEl);
    this.statusEl = h('div', { class: 'turn-status' });
    this.connEl = h('div', { class: 'turn-conn', role: 'status' });
    this.statsEl = h('div', { class: 'turn-stats' });
    this.actionsEl = h('div', { class: 'turn-actions', hidden: true });
    this.userEl = h('div', { class: 'msg user' });
    this.showQuestion();
    this.el = h(
      'article',
      { class: 'turn' },
      this.userEl,
      h('div', { class: 'msg assistant' }, h('h3', { class: 'sr-only' }, this.t.assistant), this.details, this.answerEl, this.connEl, this.statusEl, this.statsEl, this.actionsEl),
    );
    this.buildActions(opts.branch);
  }

  /** Shows a turn loaded from the session store, rendered once. */
  static fromHistory(opts: TurnOptions & { answer: string; stats: AnswerStats; status: 'complete' | 'stopped' | 'failed' | 'interrupted'; error?: string }): TurnView {
    const v = new TurnView(opts);
    v.showFinal(opts.answer, opts.stats, null);
    if (opts.status === 'complete') v.state = 'done';
    else if (opts.status === 'stopped') {
      v.statusEl.replaceChildren(h('span', { class: 'note' }, v.t.stopped));
      v.state = 'stopped';
    } else {
      const text = opts.status === 'interrupted' ? v.t.interrupted : v.t.failedWith(opts.error ?? '');
      v.statusEl.replaceChildren(h('div', { class: 'error' }, h('span', { class: 'error-msg' }, text)));
      v.state = 'failed';
    }
    v.el.dataset.state = v.state;
    v.actionsEl.hidden = false;
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
    this.actionsEl.hidden = true;
    this.setConnection('live');
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

  /** Reconnecting after a drop, or no event for a while: a quiet line under the answer. */
  setConnection(state: ConnectionState, silentForMs = 0): void {
    clearInterval(this.stallTimer);
    this.stallTimer = 0;
    this.el.dataset.connection = state;
    if (state === 'live') this.connEl.replaceChildren();
    else if (state === 'reconnecting') this.connEl.replaceChildren(h('span', { class: 'note' }, this.t.reconnecting));
    else {
      const since = performance.now();
      const note = h('span', { class: 'note' });
      const tick = (): void => void (note.textContent = this.t.stalled(seconds(performance.now() - since + silentForMs)));
      tick();
      this.stallTimer = window.setInterval(tick, 1000);
      this.connEl.replaceChildren(note);
    }
  }

  /** The `end` event: its full text is authoritative; the figures are shown. */
  end(fullText: string, stats: AnswerStats | null): void {
    if (this.state !== 'streaming') return;
    this.take(this.splitter.finish());
    const now = performance.now();
    if (this.thinkStart && !this.thinkEnd) this.thinkEnd = now;
    const measured: AnswerStats = {
      firstTokenMs: this.firstDeltaAt ? this.firstDeltaAt - this.startedAt : undefined,
      totalMs: now - this.startedAt,
    };
    const merged = { ...measured, ...definedOnly(stats ?? {}) };
    const final = splitThinking(fullText || this.splitSoFar());
    if (final.answer === this.blocks.source) {
      // What streamed is what ended: keep the rendered blocks, settle the tail where it is.
      this.render(true);
      this.finalAnswer = final.answer;
      this.stopTimer();
      this.updateThinkLabel();
      if (!this.userToggled && final.hadThinking) this.details.open = false;
      this.answerEl.setAttribute('aria-busy', 'false');
      this.statsEl.textContent = formatStats(merged, this.t);
    } else {
      this.showFinal(fullText || this.splitSoFar(), merged, this.thinkEnd - this.thinkStart);
    }
    this.setConnection('live');
    this.actionsEl.hidden = false;
    this.setState('done');
  }

  stop(): void {
    if (this.state !== 'streaming') return;
    this.halt();
    this.statusEl.replaceChildren(h('span', { class: 'note' }, this.t.stopped));
    this.setState('stopped');
  }

  /** The stream failed; `onRetry` (if any) asks again. */
  fail(message: string, onRetry?: () => void): void {
    if (this.state !== 'streaming') return;
    this.halt();
    const box = h('div', { class: 'error', role: 'alert' }, h('span', { class: 'error-msg' }, message));
    this.statusEl.replaceChildren(box);
    if (onRetry) {
      const retry = h('button', { type: 'button', class: 'retry-btn' }, this.t.retry);
      retry.addEventListener('click', onRetry);
      box.append(retry);
      retry.focus({ preventScroll: true });
    }
    this.setState('failed');
  }

  /** Leaves the view as it is without a verdict (the answer goes on elsewhere). */
  detach(): void {
    this.cancelFrame();
    this.stopTimer();
    clearInterval(this.stallTimer);
  }

  private showQuestion(): void {
    const edit = h('button', { type: 'button', class: 'link-btn edit-btn' }, this.t.edit);
    edit.addEventListener('click', () => this.editQuestion());
    this.userEl.replaceChildren(h('h3', { class: 'sr-only' }, this.t.you), h('div', { class: 'bubble' }, this.question), ...(this.actions ? [edit] : []));
  }

  private editQuestion(): void {
    const area = h('textarea', { class: 'edit-area', 'aria-label': this.t.editLabel, rows: '3' });
    area.value = this.question;
    const save = h('button', { type: 'submit', class: 'primary' }, this.t.saveAndSend);
    const cancel = h('button', { type: 'button', class: 'secondary' }, this.t.cancel);
    const form = h('form', { class: 'edit-form' }, area, h('div', { class: 'edit-buttons' }, cancel, save));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const q = area.value.trim();
      if (q) this.actions?.onEdit(q);
    });
    cancel.addEventListener('click', () => this.showQuestion());
    area.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') {
        ev.stopPropagation();
        this.showQuestion();
      }
    });
    this.userEl.replaceChildren(form);
    area.focus();
  }

  private buildActions(branch: TurnOptions['branch']): void {
    if (!this.actions) return;
    const a = this.actions;
    const items: HTMLElement[] = [];
    if (branch && branch.count > 1) {
      const prev = h('button', { type: 'button', class: 'icon-btn small', 'aria-label': this.t.prevBranch, disabled: branch.index <= 1 }, '‹');
      const next = h('button', { type: 'button', class: 'icon-btn small', 'aria-label': this.t.nextBranch, disabled: branch.index >= branch.count }, '›');
      prev.addEventListener('click', () => a.onBranch(-1));
      next.addEventListener('click', () => a.onBranch(1));
      items.push(h('span', { class: 'branch-nav' }, prev, h('span', { class: 'branch-pos' }, this.t.branchOf(branch.index, branch.count)), next));
    }
    const copy = h('button', { type: 'button', class: 'link-btn copy-answer' }, this.t.copyAnswer);
    copy.addEventListener('click', () => a.onCopy((this.finalAnswer || this.blocks.source).trim()));
    const regen = h('button', { type: 'button', class: 'link-btn regenerate' }, this.t.regenerate);
    regen.addEventListener('click', () => a.onRegenerate());
    items.push(copy, regen);
    this.actionsEl.replaceChildren(...items);
  }

  /** Ends streaming where it is: keeps what arrived, freezes the thinking timer. */
  private halt(): void {
    this.take(this.splitter.finish());
    if (this.thinkStart && !this.thinkEnd) this.thinkEnd = performance.now();
    this.cancelFrame();
    this.render(true);
    this.finalAnswer = this.blocks.source;
    this.stopTimer();
    this.setConnection('live');
    this.updateThinkLabel();
    this.answerEl.setAttribute('aria-busy', 'false');
    this.actionsEl.hidden = false;
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
      this.render(false);
    });
  }

  private cancelFrame(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  /** `last`: no more text will come, so the tail becomes a finished block as it is. */
  private render(last: boolean): void {
    if (this.pendingThinking) {
      const add = this.thinkText.length === 0 ? this.pendingThinking.trimStart() : this.pendingThinking;
      this.thinkText.appendData(add);
      this.pendingThinking = '';
    }
    const { finished, tail } = this.blocks.take();
    if (finished) {
      const block = h('div', { class: 'md-block' });
      fill(block, finished, this.t);
      this.tailEl.before(block);
    }
    if (last) {
      this.tailEl.className = 'md-block';
      if (tail !== this.lastTail || this.tailEl.childElementCount === 0) fill(this.tailEl, tail, this.t);
      if (tail.trim() === '') this.tailEl.remove();
      this.tailEl = h('div', { class: 'md-tail' });
    } else if (tail !== this.lastTail) {
      this.lastTail = tail;
      fill(this.tailEl, closeProvisionally(tail), this.t);
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
    this.finalAnswer = s.answer;
    const body = h('div', { class: 'md-block' });
    fill(body, s.answer, this.t);
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
