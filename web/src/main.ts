/**
 * The chat page: wires the sidebar, the composer and the turns to the server. Holds the
 * only mutable page state: which conversation is shown and which stream (if any) runs.
 */
import './styles.css';
import { deleteSession, getSession, listModels, listSessions, type StoredTurn } from './api.js';
import { installCopyHandler } from './code-blocks.js';
import { startComplete, type CompleteStream } from './complete-stream.js';
import { Composer } from './composer.js';
import { byId, h } from './dom.js';
import { completeUrl, simParams, statsFromTrace } from './envelope.js';
import { pickStrings } from './i18n.js';
import { newSessionId, userId } from './identity.js';
import { Sidebar } from './sidebar.js';
import { installThemeToggle } from './theme.js';
import { TurnView } from './turn-view.js';

const { lang, t } = pickStrings(navigator.languages.length ? navigator.languages : [navigator.language]);
const user = userId();
const MODEL_KEY = 'streamgate.model';

const app = byId('app');
const messages = byId('messages');
const modelSelect = byId<HTMLSelectElement>('model');
const menuBtn = byId<HTMLButtonElement>('menu-btn');

let sessionId: string | null = null;
let active: { view: TurnView; stream: CompleteStream | null } | null = null;
let pinned = true;
let loadToken = 0;

const composer = new Composer(
  byId<HTMLFormElement>('composer'),
  byId<HTMLTextAreaElement>('input'),
  byId<HTMLButtonElement>('send'),
  byId<HTMLButtonElement>('stop'),
  { onSend: send, onStop: stop },
);
const sidebar = new Sidebar(byId<HTMLUListElement>('session-list'), t, {
  onOpen: (id) => {
    closeDrawer();
    void openSession(id);
  },
  onDelete: (id) => void remove(id),
});

function applyStrings(): void {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t.appTitle;
  byId('new-chat').textContent = t.newChat;
  byId('conv-heading').textContent = t.conversations;
  byId('model-label').textContent = t.model;
  byId('input-label').textContent = t.inputLabel;
  byId('hint').textContent = t.composerHint;
  byId('theme-btn').setAttribute('aria-label', t.themeToggle);
  menuBtn.setAttribute('aria-label', t.menu);
  composer.applyStrings(t);
}

function showEmpty(): void {
  messages.replaceChildren(h('div', { class: 'empty-state' }, h('h2', {}, t.emptyTitle), h('p', {}, t.emptyHint)));
}

function followBottom(): void {
  if (pinned) messages.scrollTop = messages.scrollHeight;
}

function setHash(id: string | null): void {
  const url = id ? `#s=${encodeURIComponent(id)}` : location.pathname + location.search;
  history.replaceState(null, '', url);
}

function hashSession(): string | null {
  const m = /^#s=(.+)$/.exec(location.hash);
  return m?.[1] ? decodeURIComponent(m[1]) : null;
}

function stopActive(): void {
  if (active?.stream) {
    active.stream.stop();
    active.view.stop();
  }
  active = null;
  composer.setBusy(false);
}

function send(question: string): void {
  if (active) return;
  if (!sessionId) {
    sessionId = newSessionId(user);
    setHash(sessionId);
    sidebar.addPending(sessionId, question.slice(0, 60));
    sidebar.setCurrent(sessionId);
  }
  messages.querySelector('.empty-state')?.remove();
  const view = new TurnView({ question, t, onUpdate: followBottom });
  messages.append(view.el);
  pinned = true;
  run(view, question, sessionId);
}

function run(view: TurnView, question: string, sid: string): void {
  if (active) return;
  active = { view, stream: null };
  composer.setBusy(true);
  view.begin();
  const url = completeUrl({ question, model: modelSelect.value, sessionId: sid, userId: user, extra: simParams(location.search) });
  const finish = (): void => {
    if (active?.view === view) active = null;
    composer.setBusy(false);
  };
  active.stream = startComplete(url, {
    onDelta: (text) => view.push(text),
    onEnd: (end) => {
      view.end(end.data.answer, statsFromTrace(end.detail));
      finish();
      void refreshSessions();
    },
    onError: (message, status) => {
      const text = message ?? (status ? t.requestFailed(status) : t.connectionLost);
      view.fail(text, () => run(view, question, sid));
      finish();
    },
  });
}

function stop(): void {
  stopActive();
  composer.focus();
  // The server may keep what was answered before the stop.
  setTimeout(() => void refreshSessions(), 300);
}

async function openSession(id: string): Promise<void> {
  stopActive();
  const token = ++loadToken;
  sessionId = id;
  setHash(id);
  sidebar.setCurrent(id);
  messages.replaceChildren();
  try {
    const stored = await getSession(id);
    if (token !== loadToken) return;
    if (!stored || stored.turns.length === 0) return showEmpty();
    messages.replaceChildren(...stored.turns.map((turn) => historyView(turn).el));
    pinned = true;
    followBottom();
  } catch {
    if (token === loadToken) messages.replaceChildren(h('div', { class: 'error', role: 'alert' }, t.loadFailed));
  }
}

function historyView(turn: StoredTurn): TurnView {
  const tm = turn.timings ?? {};
  return TurnView.fromHistory({
    question: turn.question,
    answer: turn.answer,
    stats: { firstTokenMs: tm.firstTokenMs, totalMs: tm.totalMs, completionTokens: tm.completionTokens, modelName: turn.model },
    t,
  });
}

function newChat(): void {
  stopActive();
  loadToken++;
  sessionId = null;
  setHash(null);
  sidebar.setCurrent(null);
  showEmpty();
  closeDrawer();
  composer.focus();
}

async function remove(id: string): Promise<void> {
  try {
    await deleteSession(id);
  } catch {
    return;
  }
  sidebar.remove(id);
  if (id === sessionId) newChat();
}

async function refreshSessions(): Promise<void> {
  try {
    sidebar.setSessions(await listSessions(user));
  } catch {
    /* the list stays as it was; the next refresh may work */
  }
}

async function loadModels(): Promise<void> {
  try {
    const models = await listModels();
    const saved = localStorage.getItem(MODEL_KEY);
    modelSelect.replaceChildren(...models.map((m) => h('option', { value: m.id }, m.id)));
    const preferred = models.find((m) => m.id === saved) ?? models.find((m) => m.id === 'sim-reasoner') ?? models[0];
    if (preferred) modelSelect.value = preferred.id;
  } catch {
    modelSelect.replaceChildren(h('option', { value: 'sim-reasoner' }, 'sim-reasoner'));
  }
}

function openDrawer(open: boolean): void {
  app.classList.toggle('drawer-open', open);
  menuBtn.setAttribute('aria-expanded', String(open));
  if (open) byId('new-chat').focus();
}

function closeDrawer(): void {
  if (app.classList.contains('drawer-open')) openDrawer(false);
}

applyStrings();
installThemeToggle(byId<HTMLButtonElement>('theme-btn'));
installCopyHandler(messages, t);
messages.addEventListener('scroll', () => {
  pinned = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 48;
});
modelSelect.addEventListener('change', () => localStorage.setItem(MODEL_KEY, modelSelect.value));
byId('new-chat').addEventListener('click', newChat);
menuBtn.addEventListener('click', () => openDrawer(!app.classList.contains('drawer-open')));
byId('scrim').addEventListener('click', closeDrawer);
document.addEventListener('keydown', (ev) => {
  if (ev.key !== 'Escape') return;
  if (app.classList.contains('drawer-open')) closeDrawer();
  else if (active) stop();
});
window.addEventListener('hashchange', () => {
  const id = hashSession();
  if (id && id !== sessionId) void openSession(id);
  else if (!id && sessionId) newChat();
});

void loadModels();
void refreshSessions();
const initial = hashSession();
if (initial) void openSession(initial);
else showEmpty();
composer.focus();
