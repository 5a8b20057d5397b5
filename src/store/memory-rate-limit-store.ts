/**
 * Rate-limit counters in this process's memory: right for one instance (several instances
 * need the Redis store, which shares them). Memory stays bounded: a window is dropped once
 * it has ended and a slot once it is released or its ttl passed, swept on a timer and on
 * every call for the key it touches.
 */
import type { RateLimitStore } from './types.js';

interface Window {
  count: number;
  /** Unix ms when this window ends. */
  endsAt: number;
}

export interface MemoryRateLimitStoreOptions {
  /** How often expired windows and slots are swept, in ms. */
  sweepMs?: number;
  /** The clock, for tests of window ends. */
  now?: () => number;
}

export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, Window>();
  /** Per key: slot id → unix ms when the slot expires on its own. */
  private readonly slots = new Map<string, Map<number, number>>();
  /** Slots not released yet, with their ttl: renewed while held, as the Redis store renews its own. */
  private readonly live = new Map<number, { held: Map<number, number>; ttlMs: number }>();
  private renewer: NodeJS.Timeout | undefined;
  /** The ttl the renewal interval is a third of: the shortest held so far. */
  private renewEveryTtl = Infinity;
  private nextSlot = 0;
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout;

  constructor(options: MemoryRateLimitStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.timer = setInterval(() => this.sweep(), options.sweepMs ?? 60_000);
    this.timer.unref();
  }

  /** A fixed window that starts at the key's first request after the previous one ended. */
  async hit(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { count: 0, endsAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    return { count: window.count, resetMs: window.endsAt - now };
  }

  async acquire(key: string, limit: number, ttlMs: number): Promise<(() => Promise<void>) | null> {
    const now = this.now();
    let held = this.slots.get(key);
    if (held) dropExpired(held, now);
    if (held && held.size >= limit) return null;
    if (!held) {
      held = new Map();
      this.slots.set(key, held);
    }
    const id = this.nextSlot++;
    held.set(id, now + ttlMs);
    const slots = held;
    this.live.set(id, { held, ttlMs });
    this.startRenewing(ttlMs);
    return async () => {
      this.live.delete(id);
      slots.delete(id);
      if (slots.size === 0 && this.slots.get(key) === slots) this.slots.delete(key);
    };
  }

  /** A held slot lasts as long as its holder: renewed every third of the shortest ttl. */
  private startRenewing(ttlMs: number): void {
    if (ttlMs >= this.renewEveryTtl) return;
    this.renewEveryTtl = ttlMs;
    clearInterval(this.renewer);
    this.renewer = setInterval(() => {
      const now = this.now();
      for (const [id, { held, ttlMs: ttl }] of this.live) if (held.has(id)) held.set(id, now + ttl);
    }, Math.max(50, Math.floor(ttlMs / 3)));
    this.renewer.unref();
  }

  /** How many windows and slot sets are held (for tests of bounded memory). */
  get size(): { windows: number; slotKeys: number } {
    return { windows: this.windows.size, slotKeys: this.slots.size };
  }

  /** Drops ended windows and expired slots. */
  sweep(): void {
    const now = this.now();
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
    for (const [key, held] of this.slots) {
      dropExpired(held, now);
      if (held.size === 0) this.slots.delete(key);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.renewer);
    this.live.clear();
    this.windows.clear();
    this.slots.clear();
  }
}

function dropExpired(held: Map<number, number>, now: number): void {
  for (const [id, expiresAt] of held) if (expiresAt <= now) held.delete(id);
}
