/**
 * A channel every instance listens on, on its own connection (a subscribed connection can
 * send nothing else). ioredis queues the SUBSCRIBE until connected and subscribes again
 * after each reconnect, so a Redis that is down at start only delays it.
 */
import type { Redis } from './redis-connection.js';

/** The subscriber's connection (close it to stop), and whether it was subscribed within `timeoutMs`. */
export function subscribeChannel(redis: Redis, channel: string, onMessage: (text: string) => void, timeoutMs: number): { subscriber: Redis; subscribed: Promise<boolean> } {
  const subscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
  subscriber.on('error', () => undefined); // the shared connection already reports Redis being down
  subscriber.on('message', (from: string, text: string) => {
    if (from === channel) onMessage(text);
  });
  let timer: NodeJS.Timeout | undefined;
  const subscribed = Promise.race([
    subscriber.subscribe(channel).then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
  ]).finally(() => clearTimeout(timer));
  return { subscriber, subscribed };
}
