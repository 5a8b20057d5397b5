/**
 * The list of past conversations: search, date groups, open, rename, delete with undo;
 * the current one is marked.
 */
import type { SessionSummary } from './api.js';
import { dateGroupOf, type DateGroup } from './date-groups.js';
import { h } from './dom.js';
import type { Strings } from './i18n.js';

export interface SidebarHandlers {
  onOpen(id: string): void;
  onDelete(id: string, title: string): void;
  onRename(id: string, title: string): void;
}

const GROUPS: DateGroup[] = ['today', 'yesterday', 'week', 'month', 'older'];

export class Sidebar {
  private sessions: SessionSummary[] = [];
  private current: string | null = null;
  private query = '';
  private hidden = new Set<string>();
  private renaming: string | null = null;

  constructor(
    private readonly list: HTMLElement,
    search: HTMLInputElement,
    private readonly t: Strings,
    private readonly handlers: SidebarHandlers,
  ) {
    search.addEventListener('input', () => {
      this.query = search.value.trim().toLowerCase();
      this.render();
    });
    this.render();
  }

  setSessions(sessions: SessionSummary[]): void {
    // A conversation started here but not saved yet stays listed.
    const pending = this.sessions.filter((s) => s.turns === 0 && !sessions.some((x) => x.id === s.id));
    this.sessions = [...pending, ...sessions];
    this.render();
  }

  /** Lists a conversation that has just begun, before the server has stored it. */
  addPending(id: string, title: string): void {
    if (this.sessions.some((s) => s.id === id)) return;
    this.sessions.unshift({ id, title, turns: 0, updatedAt: Date.now() });
    this.render();
  }

  /** Hides a conversation (deleted, undo still possible) or shows it again. */
  setHidden(id: string, hidden: boolean): void {
    if (hidden) this.hidden.add(id);
    else this.hidden.delete(id);
    this.render();
  }

  remove(id: string): void {
    this.sessions = this.sessions.filter((s) => s.id !== id);
    this.hidden.delete(id);
    this.render();
  }

  retitle(id: string, title: string): void {
    const s = this.sessions.find((x) => x.id === id);
    if (s) s.title = title;
    this.render();
  }

  setCurrent(id: string | null): void {
    this.current = id;
    this.render();
  }

  private render(): void {
    const visible = this.sessions.filter((s) => !this.hidden.has(s.id) && (!this.query || (s.title ?? '').toLowerCase().includes(this.query)));
    if (visible.length === 0) {
      this.list.replaceChildren(h('p', { class: 'empty' }, this.sessions.length && this.query ? this.t.noMatches : this.t.noConversations));
      return;
    }
    const now = Date.now();
    const out: HTMLElement[] = [];
    for (const group of GROUPS) {
      const items = visible.filter((s) => dateGroupOf(s.updatedAt ?? now, now) === group);
      if (items.length === 0) continue;
      const headingId = `group-${group}`;
      out.push(
        h('h3', { class: 'group-heading', id: headingId }, this.t.groups[group]),
        h('ul', { class: 'session-list', 'aria-labelledby': headingId }, ...items.map((s) => this.item(s))),
      );
    }
    this.list.replaceChildren(...out);
  }

  private item(s: SessionSummary): HTMLElement {
    const title = s.title?.trim() || this.t.untitled;
    const li = h('li', { class: s.id === this.current ? 'session current' : 'session' });
    if (this.renaming === s.id) {
      const input = h('input', { type: 'text', class: 'rename-input', 'aria-label': this.t.renameLabel, maxlength: '60' });
      input.value = title;
      const done = (save: boolean): void => {
        if (this.renaming !== s.id) return;
        this.renaming = null;
        const next = input.value.trim();
        if (save && next && next !== title) this.handlers.onRename(s.id, next);
        else this.render();
      };
      input.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter') done(true);
        if (ev.key === 'Escape') {
          ev.stopPropagation();
          done(false);
        }
      });
      input.addEventListener('blur', () => done(true));
      li.append(input);
      queueMicrotask(() => {
        input.focus();
        input.select();
      });
      return li;
    }
    const open = h('button', { type: 'button', class: 'session-open', title, 'data-session-id': s.id }, title);
    if (s.id === this.current) open.setAttribute('aria-current', 'true');
    open.addEventListener('click', () => this.handlers.onOpen(s.id));
    const rename = h('button', { type: 'button', class: 'session-action session-rename', 'aria-label': this.t.rename(title), title: this.t.rename(title) }, '✎');
    rename.addEventListener('click', () => {
      this.renaming = s.id;
      this.render();
    });
    const del = h('button', { type: 'button', class: 'session-action session-delete', 'aria-label': this.t.deleteConversation(title), title: this.t.deleteConversation(title) }, '×');
    del.addEventListener('click', () => this.handlers.onDelete(s.id, title));
    li.append(open, rename, del);
    return li;
  }
}
