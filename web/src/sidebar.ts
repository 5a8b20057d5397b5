/** The list of past conversations: pick one, delete one; the current one is marked. */
import type { SessionSummary } from './api.js';
import { h } from './dom.js';
import type { Strings } from './i18n.js';

export interface SidebarHandlers {
  onOpen(id: string): void;
  onDelete(id: string): void;
}

export class Sidebar {
  private sessions: SessionSummary[] = [];
  private current: string | null = null;

  constructor(
    private readonly list: HTMLUListElement,
    private readonly t: Strings,
    private readonly handlers: SidebarHandlers,
  ) {}

  setSessions(sessions: SessionSummary[]): void {
    // A conversation started here but not saved yet (its stream still runs) stays listed.
    const pending = this.sessions.filter((s) => s.turns === 0 && !sessions.some((x) => x.id === s.id));
    this.sessions = [...pending, ...sessions];
    this.render();
  }

  /** Lists a conversation that has just begun, before the server has stored it. */
  addPending(id: string, title: string): void {
    if (this.sessions.some((s) => s.id === id)) return;
    this.sessions.unshift({ id, title, turns: 0 });
    this.render();
  }

  remove(id: string): void {
    this.sessions = this.sessions.filter((s) => s.id !== id);
    this.render();
  }

  setCurrent(id: string | null): void {
    this.current = id;
    this.render();
  }

  private render(): void {
    if (this.sessions.length === 0) {
      this.list.replaceChildren(h('li', { class: 'empty' }, this.t.noConversations));
      return;
    }
    this.list.replaceChildren(
      ...this.sessions.map((s) => {
        const title = s.title?.trim() || this.t.untitled;
        const open = h('button', { type: 'button', class: 'session-open', title, 'data-session-id': s.id }, title);
        if (s.id === this.current) open.setAttribute('aria-current', 'true');
        open.addEventListener('click', () => this.handlers.onOpen(s.id));
        const del = h('button', { type: 'button', class: 'session-delete', 'aria-label': this.t.deleteConversation(title), title: this.t.deleteConversation(title) }, '×');
        del.addEventListener('click', () => this.handlers.onDelete(s.id));
        return h('li', { class: s.id === this.current ? 'session current' : 'session' }, open, del);
      }),
    );
  }
}
