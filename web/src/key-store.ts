/** The API key the user gave this page, kept in localStorage until they remove it. */
const KEY = 'streamgate.apiKey';

export function getKey(): string | null {
  return localStorage.getItem(KEY);
}

export function setKey(key: string): void {
  localStorage.setItem(KEY, key.trim());
}

export function removeKey(): void {
  localStorage.removeItem(KEY);
}

/** The `Authorization` header for the key, if there is one: the only place the key travels. */
export function authHeaders(): Record<string, string> {
  const key = getKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}
