/**
 * Who may resume a stream: with `auth`, the fingerprint of the API key that started it
 * (never the key itself); without auth, anyone who knows the unguessable stream id.
 */
import type { Request } from 'express';
import type { Config } from '../config/schema.js';
import { fingerprint } from '../logger.js';

export function streamOwner(req: Request, config: Config): string | null {
  if (!config.auth) return null;
  const header = req.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const key = match?.[1] ?? (typeof req.query.api_key === 'string' ? req.query.api_key : '');
  return key ? fingerprint(key) : 'anonymous';
}
