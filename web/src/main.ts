/**
 * The chat page: wires the sidebar, the composer, the dialogs and the turns to the server.
 * Holds the only mutable page state: which conversation is shown (its turn tree and
 * settings) and which answer (if any) streams into it. Leaving a conversation mid-answer
 * only detaches: the server finishes and saves the answer, and the page re-attaches to
 * it when the conversation is shown again (also after a reload).
 */
import './styles.css';
import {
  AuthError,
  deleteSession,
  getSession,
  listModels,
  listSessions,
  patchSession,
  type SessionSettings,
  type StoredSession,
  type StoredTurn,
} from './api.js';
import { copyText, installCopyHandler } from './code-blocks.js';
import { startComplete, type CompleteStream } from './complete-stream.js';
import { Composer } from './composer.js';
import { byId, h } from './dom.js';
import { pageKnobs, statsFromTrace } from './envelope.js';
import { pickStrings } from './i18n.js';
import { newRequestId, newSessionId, userId } from './identity.js';
import { getKey, removeKey, setKey } from './key-store.js';
import { Sidebar } from './sidebar.js';
import { installThemeToggle } from './theme.js';
import { toast } from './toasts.js';
import { TurnTree } from './tree.js';
import { TurnView } from './turn-view.js';

const { lang, t } = pickStrings(navigator.languages.length ? navigator.languages : [navigator.language]);
const user = userId();
const MODEL_KEY = 'streamgate.model';
const knobs = pageKnobs(location.search);
const stallParam = Number(new URLSearchParams(location.search).get('stall_ms'));
const STALL_MS = Number.isFinite(stallParam) && stallParam > 0 ? stallParam : 10_000;

const app = byId('app');
const messages = byId('messages');
const modelSelect = byId<HTMLSelectElement>('model');
const menuBtn = byId<HTMLButtonElement>('menu-btn');
const toBottom = byId<HTMLButtonElement>('to-bottom');
const toasts = byId('toasts');
const keyDialog = byId<HTMLDialogElement>('key-dialog');
const keyInput = byId<HTMLInputElement>('key-input');
const keyError = byId('key-error');
const settingsDialog = byId<HTMLDialogElement>('settings-dialog');
const systemInput = byId<HTMLTextAreaElement>('system-input');
const temperatureInput = byId<HTMLInputElement>('temperature-input');

interface Conversation {
  id: string | null;
  /** Known to the server (it has a turn): settings go there with PATCH. */
  saved: boolean;
  tree: TurnTree<StoredTurn>;
  settings: { system: string | null; temperature: number | null; model: string | null };
}

let conv: Conversation = blankConversation();
let active: { requestId: string; view: TurnView; stream: CompleteStream | null } | null = null;
let pinned = true;
let loadToken = 0;
const pendingDeletes = new Map<string, number>();

function blankConversation(): Conversation {
  return { id: null, saved: false, tree: new TurnTree(), settings: { system: null, temperature: null, model: null } };
}

const composer = new Composer(
  byId<HTMLFormElement>('composer'),
  byId<HTMLTextAreaElement>('input'),
  byId<HTMLButtonElement>('send'),
  byId<HTMLButtonElement>('stop'),
  { onSend: (q) => ask(q, conv.tree.path().at(-1)?.requestId ?? null), onStop: stop },
);
const sidebar = new Sidebar(byId('session-list'), byId<HTMLInputElement>('search'), t, {
  onOpen: (id) => {
    closeDrawer();
    void openSession(id);
  },
  onDelete: removeWithUndo,
  onRename: (id, title) => void rename(id, title),
});

function applyStrings(): void {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t.appTitle;
  byId('new-chat').textContent = t.newChat;
  byId('conv-heading').textContent = t.conversations;
  byId('search-label').textContent = t.search;
  byId<HTMLInputElement>('search').placeholder = t.search;
  byId('model-label').textContent = t.model;
  byId('input-label').textContent = t.inputLabel;
  byId('hint').textContent = t.composerHint;
  byId('theme-btn').setAttribute('aria-label', t.themeToggle);
  byId('key-btn').setAttribute('aria-label', t.apiKey);
  byId('settings-btn').setAttribute('aria-label', t.settings);
  toBottom.setAttribute('aria-label', t.scrollToBottom);
  menuBtn.setAttribute('aria-label', t.menu);
  byId('key-title').textContent = t.keyTitle;
  byId('key-label').textContent = t.keyLabel;
  byId('key-save').textContent = t.saveKey;
  byId('key-remove').textContent = t.removeKey;
  byId('key-cancel').textContent = t.cancel;
  byId('settings-title').textContent = t.settings;
  byId('system-label').textContent = t.systemPrompt;
  byId('temperature-label').textContent = t.temperature;
  byId('temperature-hint').textContent = t.temperatureHint;
  byId('settings-save').textContent = t.save;
  byId('settings-cancel').textContent = t.cancel;
  composer.applyStrings(t);
}

function showEmpty(): void {
  messages.replaceChildren(h('div', { class: 'empty-state' }, h('h2', {}, t.emptyTitle), h('p', {}, t.emptyHint)));
}

function followBottom(): void {
  if (pinned) messages.scrollTop = messages.scrollHeight;
  toBottom.hidden = pinned || messages.scrollHeight <= messages.clientHeight;
}

function setHash(id: string | null): void {
  const url = id ? `#s=${encodeURIComponent(id)}` : location.pathname + location.search;
  history.replaceState(null, '', url);
}

function hashSession(): string | null {
  const m = /^#s=(.+)$/.exec(location.hash);
  return m?.[1] ? decodeURIComponent(m[1]) : null;
}

// ---- the conversation on the page ----

/** Shows the chosen branch of the tree; the streaming answer keeps its own view. */
function renderPath(): void {
  const path = conv.tree.path();
  if (path.length === 0) return showEmpty();
  messages.replaceChildren(...path.map((turn) => viewOf(turn).el));
  followBottom();
}

function viewOf(turn: StoredTurn): TurnView {
  if (active?.requestId === turn.requestId) return active.view;
  const siblings = conv.tree.siblingsOf(turn);
  const opts = {
    question: turn.question,
    t,
    onUpdate: followBottom,
    actions: actionsFor(turn),
    branch: { index: siblings.indexOf(turn) + 1, count: siblings.length },
  };
  const tm = turn.timings ?? {};
  return TurnView.fromHistory({
    ...opts,
    answer: turn.answer,
    stats: { firstTokenMs: tm.firstTokenMs, totalMs: tm.totalMs, completionTokens: tm.completionTokens, modelName: turn.model },
    status: turn.status === 'streaming' ? 'interrupted' : turn.status,
    ...(turn.error ? { error: turn.error } : {}),
  });
}

function actionsFor(turn: StoredTurn) {
  return {
    onRegenerate: () => ask(turn.question, turn.parentId),
    onEdit: (question: string) => ask(question, turn.parentId),
    onBranch: (step: -1 | 1) => {
      const siblings = conv.tree.siblingsOf(turn);
      const next = siblings[siblings.indexOf(turn) + step];
      if (!next) return;
      conv.tree.choose(next.requestId);
      renderPath();
    },
    onCopy: (text: string) =>
      void copyText(text).then((ok) => {
        if (ok) toast(toasts, t.copied);
      }),
  };
}

function newView(turn: StoredTurn): TurnView {
  const siblings = conv.tree.siblingsOf(turn);
  return new TurnView({
    question: turn.question,
    t,
    onUpdate: followBottom,
    actions: actionsFor(turn),
    branch: { index: siblings.indexOf(turn) + 1, count: siblings.length },
  });
}

/** Asks `question` after the turn `parentId` (null: first): a new turn, or a sibling (regenerate, edit). */
function ask(question: string, parentId: string | null): void {
  if (active) return;
  if (!conv.id) {
    conv.id = newSessionId(user);
    setHash(conv.id);
    sidebar.addPending(conv.id, question.slice(0, 60));
    sidebar.setCurrent(conv.id);
  }
  const model = modelSelect.value;
  const turn: StoredTurn = { requestId: newRequestId(), parentId, question, answer: '', status: 'streaming', model, createdAt: Date.now() };
  conv.tree.put(turn);
  const view = newView(turn);
  active = { requestId: turn.requestId, view, stream: null };
  pinned = true;
  renderPath();
  const body: Record<string, unknown> & { requestId: string } = {
    question,
    model,
    sessionId: conv.id,
    userId: user,
    requestId: turn.requestId,
    parentId,
    ...(conv.settings.system ? { system: conv.settings.system } : {}),
    ...(conv.settings.temperature !== null ? { temperature: conv.settings.temperature } : {}),
    ...knobs,
  };
  stream(turn, view, { body });
}

/** Runs (or attaches to) the answer of `turn` in `view`. */
function stream(turn: StoredTurn, view: TurnView, opts: { body: Record<string, unknown> & { requestId: string }; attach?: boolean }): void {
  const sid = conv.id;
  const wasSaved = conv.saved;
  composer.setBusy(true);
  view.begin();
  const mine = () => active?.requestId === turn.requestId;
  const done = (): void => {
    if (mine()) active = null;
    composer.setBusy(false);
  };
  const s = startComplete(
    { ...opts, stallMs: STALL_MS },
    {
      onStart: () => {
        if (conv.id !== sid) return;
        conv.saved = true;
        // A new conversation's settings become the server's once it exists.
        if (!wasSaved && sid) void saveSettings(sid, { model: turn.model ?? null, system: conv.settings.system, temperature: conv.settings.temperature });
        void refreshSessions();
      },
      onDelta: (text) => view.push(text),
      onEnd: (end) => {
        turn.answer = end.data.answer;
        turn.status = 'complete';
        view.end(end.data.answer, statsFromTrace(end.detail));
        done();
        void refreshSessions();
      },
      onError: (message, status, kind) => {
        turn.status = 'failed';
        const text = kind === 'resume-impossible' ? t.resumeImpossible : (message ?? (status ? t.requestFailed(status) : t.connectionLost));
        view.fail(text, () => ask(turn.question, turn.parentId));
        done();
      },
      onAuth: (message) => {
        turn.status = 'failed';
        view.fail(getKey() ? t.keyRefused(message ?? '') : t.keyNeeded);
        done();
        openKeyDialog(message);
      },
      onGone: () => void settleGone(turn, view, sid).finally(done),
      onState: (state) => view.setConnection(state, STALL_MS),
    },
  );
  if (mine()) active!.stream = s;
}

/**
 * The server had nothing left of the stream: the saved turn says how it ended. When the
 * store has no final word either, the text on screen is all there is, and the page says so.
 */
async function settleGone(turn: StoredTurn, view: TurnView, sid: string | null): Promise<void> {
  const saved = sid ? await getSession(sid).catch(() => null) : null;
  const final = saved?.turns.find((x) => x.requestId === turn.requestId && x.status !== 'streaming');
  if (final && conv.id === sid) {
    Object.assign(turn, final);
    if (active?.requestId === turn.requestId) active = null;
    renderPath();
    return;
  }
  turn.status = 'failed';
  view.fail(t.resumeImpossible, () => ask(turn.question, turn.parentId));
}

function stop(): void {
  if (!active) return;
  const { view, stream: s, requestId } = active;
  s?.stop();
  view.stop();
  const turn = conv.tree.get(requestId);
  if (turn) turn.status = 'stopped';
  active = null;
  composer.setBusy(false);
  composer.focus();
  setTimeout(() => void refreshSessions(), 300);
}

/** Leaves the streaming answer to the server (it finishes and saves it). */
function detachActive(): void {
  if (active) {
    active.stream?.detach();
    active.view.detach();
  }
  active = null;
  composer.setBusy(false);
}

async function openSession(id: string, keepBranch = false): Promise<void> {
  detachActive();
  const token = ++loadToken;
  const previous = conv;
  setHash(id);
  sidebar.setCurrent(id);
  if (!keepBranch) messages.replaceChildren();
  let stored: StoredSession | null;
  try {
    stored = await getSession(id);
  } catch (err) {
    if (token !== loadToken) return;
    if (err instanceof AuthError) openKeyDialog(err.message);
    messages.replaceChildren(h('div', { class: 'error', role: 'alert' }, t.loadFailed));
    return;
  }
  if (token !== loadToken) return;
  conv = {
    id,
    saved: stored !== null,
    tree: new TurnTree(stored?.turns ?? []),
    settings: { system: stored?.system ?? null, temperature: stored?.temperature ?? null, model: stored?.model ?? null },
  };
  if (keepBranch && previous.id === id) for (const turn of previous.tree.path()) conv.tree.choose(turn.requestId);
  if (conv.settings.model && [...modelSelect.options].some((o) => o.value === conv.settings.model)) modelSelect.value = conv.settings.model;
  pinned = true;
  renderPath();
  // An answer still being written: follow it from its first event.
  const running = conv.tree.path().find((turn) => turn.status === 'streaming');
  if (running) {
    const view = newView(running);
    active = { requestId: running.requestId, view, stream: null };
    renderPath();
    stream(running, view, { body: { requestId: running.requestId }, attach: true });
  }
}

function newChat(): void {
  detachActive();
  loadToken++;
  conv = blankConversation();
  setHash(null);
  sidebar.setCurrent(null);
  showEmpty();
  closeDrawer();
  composer.focus();
}

// ---- conversations: settings, rename, delete with undo ----

async function saveSettings(id: string, settings: SessionSettings): Promise<void> {
  try {
    await patchSession(id, settings);
  } catch (err) {
    if (err instanceof AuthError) openKeyDialog(err.message);
    else toast(toasts, t.loadFailed);
  }
}

async function rename(id: string, title: string): Promise<void> {
  sidebar.retitle(id, title);
  await saveSettings(id, { title });
  void refreshSessions();
}

function removeWithUndo(id: string, title: string): void {
  sidebar.setHidden(id, true);
  if (id === conv.id) newChat();
  const timer = window.setTimeout(() => void reallyDelete(id), 8000);
  pendingDeletes.set(id, timer);
  toast(toasts, t.deleted(title), {
    ms: 8000,
    action: {
      label: t.undo,
      run: () => {
        clearTimeout(pendingDeletes.get(id));
        pendingDeletes.delete(id);
        sidebar.setHidden(id, false);
      },
    },
  });
}

async function reallyDelete(id: string, keepalive = false): Promise<void> {
  pendingDeletes.delete(id);
  try {
    await deleteSession(id, keepalive);
    sidebar.remove(id);
  } catch {
    sidebar.setHidden(id, false);
  }
}

async function refreshSessions(): Promise<void> {
  try {
    sidebar.setSessions(await listSessions(user));
  } catch (err) {
    if (err instanceof AuthError) openKeyDialog(err.message);
    /* otherwise the list stays as it was; the next refresh may work */
  }
}

async function loadModels(): Promise<boolean> {
  try {
    const models = await listModels();
    const saved = conv.settings.model ?? localStorage.getItem(MODEL_KEY);
    modelSelect.replaceChildren(...models.map((m) => h('option', { value: m.id }, m.id)));
    const preferred = models.find((m) => m.id === saved) ?? models.find((m) => m.id === 'sim-reasoner') ?? models[0];
    if (preferred) modelSelect.value = preferred.id;
    return true;
  } catch (err) {
    if (err instanceof AuthError) {
      modelSelect.replaceChildren();
      openKeyDialog(err.message);
      return false;
    }
    modelSelect.replaceChildren(h('option', { value: 'sim-reasoner' }, 'sim-reasoner'));
    return true;
  }
}

// ---- dialogs ----

function openKeyDialog(serverMessage: string | null = null): void {
  const has = getKey() !== null;
  byId('key-intro').textContent = t.keyNeeded;
  keyError.hidden = !has || serverMessage === null;
  keyError.textContent = has && serverMessage !== null ? t.keyRefused(serverMessage) : '';
  byId<HTMLButtonElement>('key-remove').hidden = !has;
  keyInput.value = '';
  keyInput.placeholder = has ? '••••••••' : '';
  if (!keyDialog.open) keyDialog.showModal();
  keyInput.focus();
}

async function afterKeyChange(): Promise<void> {
  if (!(await loadModels())) return;
  await refreshSessions();
  if (conv.id) void openSession(conv.id, true);
}

byId('key-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const key = keyInput.value.trim();
  if (!key) return keyInput.focus();
  setKey(key);
  keyDialog.close();
  void afterKeyChange();
});
byId('key-remove').addEventListener('click', () => {
  removeKey();
  keyDialog.close();
  void afterKeyChange();
});
byId('key-cancel').addEventListener('click', () => keyDialog.close());
byId('key-btn').addEventListener('click', () => openKeyDialog());

byId('settings-btn').addEventListener('click', () => {
  systemInput.value = conv.settings.system ?? '';
  temperatureInput.value = conv.settings.temperature === null ? '' : String(conv.settings.temperature);
  settingsDialog.showModal();
  systemInput.focus();
});
byId('settings-cancel').addEventListener('click', () => settingsDialog.close());
byId('settings-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (!temperatureInput.checkValidity()) return temperatureInput.reportValidity();
  const system = systemInput.value.trim() || null;
  const temperature = temperatureInput.value === '' ? null : Number(temperatureInput.value);
  conv.settings = { ...conv.settings, system, temperature };
  settingsDialog.close();
  if (conv.id && conv.saved) void saveSettings(conv.id, { system, temperature });
});

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
  toBottom.hidden = pinned;
});
toBottom.addEventListener('click', () => {
  pinned = true;
  messages.scrollTo({ top: messages.scrollHeight, behavior: 'smooth' });
  toBottom.hidden = true;
  composer.focus();
});
modelSelect.addEventListener('change', () => {
  localStorage.setItem(MODEL_KEY, modelSelect.value);
  conv.settings.model = modelSelect.value;
  if (conv.id && conv.saved) void saveSettings(conv.id, { model: modelSelect.value });
});
byId('new-chat').addEventListener('click', newChat);
menuBtn.addEventListener('click', () => openDrawer(!app.classList.contains('drawer-open')));
byId('scrim').addEventListener('click', closeDrawer);
document.addEventListener('keydown', (ev) => {
  if (ev.key !== 'Escape' || keyDialog.open || settingsDialog.open) return;
  if (app.classList.contains('drawer-open')) closeDrawer();
  else if (active) stop();
});
window.addEventListener('hashchange', () => {
  const id = hashSession();
  if (id && id !== conv.id) void openSession(id);
  else if (!id && conv.id) newChat();
});
// Deletes still waiting for their undo happen when the page goes.
window.addEventListener('pagehide', () => {
  for (const [id, timer] of pendingDeletes) {
    clearTimeout(timer);
    void reallyDelete(id, true);
  }
});

void (async () => {
  const initial = hashSession();
  if (initial) {
    conv.id = initial;
    void openSession(initial);
  } else showEmpty();
  if (await loadModels()) await refreshSessions();
  if (initial && conv.settings.model) modelSelect.value = conv.settings.model;
})();
composer.focus();
