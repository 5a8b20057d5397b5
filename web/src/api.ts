/** The server's JSON endpoints the page uses: models and the session store. */

export interface ModelInfo {
  id: string;
  owned_by?: string;
}

export interface SessionSummary {
  id: string;
  userId?: string;
  title?: string;
  turns?: number;
  createdAt?: number | string;
  updatedAt?: number | string;
}

export interface StoredTurn {
  requestId?: string;
  question: string;
  answer: string;
  model?: string;
  createdAt?: number | string;
  timings?: { firstTokenMs?: number; totalMs?: number; promptTokens?: number; completionTokens?: number };
}

export interface StoredSession {
  id: string;
  userId?: string;
  turns: StoredTurn[];
}

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' }, ...init });
  if (!res.ok) throw new HttpError(res.status, url);
  return (await res.json()) as T;
}

export class HttpError extends Error {
  constructor(readonly status: number, url: string) {
    super(`${url}: HTTP ${status}`);
  }
}

export async function listModels(): Promise<ModelInfo[]> {
  return (await getJson<{ data: ModelInfo[] }>('/v1/models')).data;
}

export async function listSessions(userId: string): Promise<SessionSummary[]> {
  const q = new URLSearchParams({ userId, limit: '50' });
  return (await getJson<{ data: SessionSummary[] }>(`/v1/sessions?${q}`)).data;
}

/** The stored conversation, or null when the server does not know it (yet). */
export async function getSession(id: string): Promise<StoredSession | null> {
  try {
    return await getJson<StoredSession>(`/v1/sessions/${encodeURIComponent(id)}`);
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return null;
    throw err;
  }
}

export async function deleteSession(id: string): Promise<void> {
  const res = await fetch(`/v1/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
  if (!res.ok && res.status !== 404) throw new HttpError(res.status, 'DELETE session');
}
