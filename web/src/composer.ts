/**
 * The question box: Enter sends, Shift+Enter adds a line, and Enter that confirms an IME
 * composition (Chinese, Japanese input) does neither. While a stream runs, Send becomes Stop.
 */
import type { Strings } from './i18n.js';

export interface ComposerHandlers {
  onSend(text: string): void;
  onStop(): void;
}

export class Composer {
  private busy = false;

  constructor(
    private readonly form: HTMLFormElement,
    private readonly input: HTMLTextAreaElement,
    private readonly sendBtn: HTMLButtonElement,
    private readonly stopBtn: HTMLButtonElement,
    handlers: ComposerHandlers,
  ) {
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.submit(handlers);
    });
    input.addEventListener('keydown', (ev) => {
      // keyCode 229: Safari reports the IME's Enter this way, without isComposing.
      if (ev.key !== 'Enter' || ev.shiftKey || ev.isComposing || ev.keyCode === 229) return;
      ev.preventDefault();
      this.submit(handlers);
    });
    input.addEventListener('input', () => this.autosize());
    stopBtn.addEventListener('click', () => handlers.onStop());
  }

  applyStrings(t: Strings): void {
    this.input.placeholder = t.placeholder;
    this.sendBtn.textContent = t.send;
    this.stopBtn.textContent = t.stop;
  }

  setBusy(busy: boolean): void {
    const hadFocus = document.activeElement === this.sendBtn || document.activeElement === this.stopBtn;
    this.busy = busy;
    this.sendBtn.hidden = busy;
    this.stopBtn.hidden = !busy;
    if (hadFocus) (busy ? this.stopBtn : this.input).focus();
  }

  focus(): void {
    this.input.focus();
  }

  private submit(h: ComposerHandlers): void {
    const text = this.input.value.trim();
    if (this.busy || text.length === 0) return;
    this.input.value = '';
    this.autosize();
    h.onSend(text);
  }

  private autosize(): void {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, 240)}px`;
  }
}
