/**
 * Who may resume a stream: with `auth`, the fingerprint of the API key that started it
 * (never the key itself); without auth, anyone who knows the unguessable stream id.
 */
import type { Response } from 'express';
import { keyOf } from './auth.js';

export function streamOwner(res: Response): string | null {
  return keyOf(res)?.fingerprint ?? null;
}
