/**
 * Cancels that reach every instance: `DELETE /v1/streams/:id` may land on an instance other
 * than the one running the stream, so it publishes the cancel on one Redis channel
 * (`<prefix>stream-cancel`) and each instance aborts the run if it holds it. Pub/sub needs
 * its own connection (a subscribed connection can send nothing else); publishing uses the
 * shared one.
 */
import type { Logger } from '../../logger.js';
import { closeRedis, redisCall, type Redis } from './redis-connection.js';
import { subscribeChannel } from './redis-subscribe.js';

/** Asks every instance to cancel a stream; the one running it does. */
export interface StreamCancels {
  /** Sends the cancel of stream `id`, started by `owner` (a key name, null without auth). */
  publish(id: string, owner: string | null): Promise<void>;
  /**
   * Calls `onCancel` for every cancel published by any instance, this one included.
   * Resolves once subscribed, or after `timeoutMs` while Redis is down (it subscribes when it is back).
   */
  listen(onCancel: (id: string, owner: string | null) => void, timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface RedisStreamCancelsOptions {
  /** Prefix of the channel name, as of the other keys (`sg:`). */
  prefix?: string;
  logger?: Logger;
}

interface CancelMessage {
  id: string;
  owner: string | null;
}

export class RedisStreamCancels implements StreamCancels {
  readonly channel: string;
  private subscriber: Redis | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisStreamCancelsOptions = {},
  ) {
    this.channel = `${options.prefix ?? 'sg:'}stream-cancel`;
  }

  async publish(id: string, owner: string | null): Promise<void> {
    const message: CancelMessage = { id, owner };
    await redisCall(() => this.redis.publish(this.channel, JSON.stringify(message)));
  }

  async listen(onCancel: (id: string, owner: string | null) => void, timeoutMs = 5_000): Promise<boolean> {
    if (this.subscriber) throw new Error('already listening');
    const { subscriber, subscribed: subscribing } = subscribeChannel(
      this.redis,
      this.channel,
      (text) => {
        const message = parse(text);
        if (message) onCancel(message.id, message.owner);
        else this.options.logger?.warn({ channel: this.channel }, 'ignored a malformed stream cancel message');
      },
      timeoutMs,
    );
    this.subscriber = subscriber;
    const subscribed = await subscribing;
    if (!subscribed) this.options.logger?.warn({ channel: this.channel }, 'not yet subscribed to stream cancels; cancels from other instances wait for Redis');
    return subscribed;
  }

  async close(): Promise<void> {
    if (this.subscriber) await closeRedis(this.subscriber);
  }
}

function parse(text: string): CancelMessage | null {
  try {
    const value = JSON.parse(text) as Partial<CancelMessage>;
    if (typeof value.id !== 'string' || (value.owner !== null && typeof value.owner !== 'string')) return null;
    return { id: value.id, owner: value.owner };
  } catch {
    return null;
  }
}
