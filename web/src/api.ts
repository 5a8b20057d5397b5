/** The server's JSON endpoints the page uses: models and the session store, with the key. */
import { authHeaders } from './key-store.js';
import type { TreeTurn } from './tree.js';

export interface ModelInfo {
  id: string;
  owned_by?: string;
}

export interface SessionSettings {
  title?: string;
  system?: string | null;
  model?: string | null;
  temperature?: number | null;
}

export interface SessionSummary extends SessionSettings {
  id: string;
  userId?: string | null;
  turns?: number;
  createdAt?: number;
  updatedAt?: number;
}

export type TurnStatus = 'streaming' | 'complete' | 'stopped' | 'failed';

export interface StoredTurn extends TreeTurn {
  question: string;
  answer: string;
  model?: string;
  createdAt?: number;
  status: TurnStatus;
  error?: string;
  timings?: { firstTokenMs?: number; totalMs?: number; promptTokens?: number; completionTokens?: number };
}

export interface StoredSession extends Omit<SessionSummary, 'turns'> {
  turns: StoredTurn[];
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The server wants a key, or refused the one given. */
export class AuthError extends HttpError {}

async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, headers: { accept: 'application/json', ...authHeaders(), ...(init.headers as Record<string, string>) } });
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    let message = `${url}: HTTP ${res.status}`;
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      /* not JSON */
    }
    throw res.status === 401 || res.status === 403 ? new AuthError(res.status, message) : new HttpError(res.status, message);
  }
  return (await res.json()) as T;
}

const sessionUrl = (id: string) => `/v1/sessions/${encodeURIComponent(id)}`;

export async function listModels(): Promise<ModelInfo[]> {
  return (await call<{ data: ModelInfo[] }>('/v1/models')).data;
}

export async function listSessions(userId: string): Promise<SessionSummary[]> {
  const q = new URLSearchParams({ userId, limit: '100' });
  return (await call<{ data: SessionSummary[] }>(`/v1/sessions?${q}`)).data;
}

/** The stored conversation, or null when the server does not know it (yet). */
export async function getSession(id: string): Promise<StoredSession | null> {
  try {
    return await call<StoredSession>(sessionUrl(id));
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return null;
    throw err;
  }
}

export async function patchSession(id: string, settings: SessionSettings): Promise<SessionSummary> {
  return call<SessionSummary>(sessionUrl(id), { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(settings) });
}

export async function deleteSession(id: string, keepalive = false): Promise<void> {
  try {
    await call(sessionUrl(id), { method: 'DELETE', keepalive });
  } catch (err) {
    if (!(err instanceof HttpError && err.status === 404)) throw err;
  }
}
