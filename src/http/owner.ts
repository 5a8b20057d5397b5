/**
 * Ownership: with `auth`, everything a request stores (sessions, streams, stored
 * responses, usage) belongs to its key's `name`; without `auth`, to nobody (`null`).
 * Routes read and write only the caller's own things, so someone else's id answers as an
 * unknown id does. An admin key (`admin: true`) may name any owner with `?owner=`; without
 * `auth`, the local user may too (there is nobody to protect it from).
 */
import type { Request, RequestHandler, Response } from 'express';
import { InvalidRequestError, PermissionDeniedError } from '../core/errors.js';
import type { Owner, OwnerScope } from '../store/types.js';
import { keyOf } from './auth.js';

export type { Owner, OwnerScope };

/** The owner of what this request stores: its key's name, or null without `auth`. */
export function ownerOf(res: Response): Owner {
  return keyOf(res)?.name ?? null;
}

/** True for an admin key; false for other keys and without `auth`. */
export function isAdmin(res: Response): boolean {
  return keyOf(res)?.admin === true;
}

/** May this caller act on every owner's things: an admin key, or anyone without `auth` (after `authenticate`). */
function seesEveryone(res: Response): boolean {
  const key = keyOf(res);
  return key === undefined || key.admin;
}

function adminRequired(what: string, param?: string): PermissionDeniedError {
  return new PermissionDeniedError(`${what} needs an admin key (admin: true in auth.keys).`, { code: 'admin_required', ...(param ? { param } : {}) });
}

/** 403 `admin_required` unless the request's key is an admin key; without `auth` every request passes. Mount after `authenticate`. */
export const requireAdmin: RequestHandler = (req, res, next) => {
  if (seesEveryone(res)) next();
  else next(adminRequired(`${req.method} ${req.baseUrl + req.path}`));
};

/**
 * `?owner=` on a read or delete by id: whose thing it is. Absent, the caller's own; an admin
 * key may name any key name, or `owner=` (empty) for what was stored without `auth`.
 * Anyone else naming another owner gets 403 whether or not the thing exists.
 */
export function targetOwner(req: Request, res: Response): Owner {
  const named = req.query.owner;
  if (named === undefined) return ownerOf(res);
  if (typeof named !== 'string') throw new InvalidRequestError('owner must be one key name, given once', { param: 'owner', code: 'invalid_owner' });
  const owner = named !== '' ? named : null;
  if (owner !== ownerOf(res) && !seesEveryone(res)) throw adminRequired(`owner=${JSON.stringify(named.slice(0, 100))} (another key's data)`, 'owner');
  return owner;
}

/** `?owner=` on a listing: as `targetOwner`, and `owner=*` lists every owner. */
export function targetScope(req: Request, res: Response): OwnerScope {
  if (req.query.owner === '*') {
    if (!seesEveryone(res)) throw adminRequired("owner=* (every key's data)", 'owner');
    return { allOwners: true };
  }
  return { owner: targetOwner(req, res) };
}
