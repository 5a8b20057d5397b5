/** Who this browser is (kept in localStorage) and fresh conversation ids. */

const USER_KEY = 'streamgate.userId';

function randomId(len: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(len));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

export function userId(): string {
  let id = localStorage.getItem(USER_KEY);
  if (!id) {
    id = `web-${randomId(10)}`;
    localStorage.setItem(USER_KEY, id);
  }
  return id;
}

/** Same shape as the user's sample: `SessionId:<random>:<userId>:<ms>`. */
export function newSessionId(user: string): string {
  return `SessionId:${randomId(12)}:${user}:${Date.now()}`;
}

/** A fresh, unguessable requestId (it is also the id to resume or cancel the answer with). */
export function newRequestId(): string {
  return `web-${randomId(24)}`;
}
