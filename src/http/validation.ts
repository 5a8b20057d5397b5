/**
 * One validation layer for every endpoint: a zod schema per request, and one formatter
 * that turns the first problem into OpenAI's error shape, with `param` naming the field
 * (`messages[2].role`) and a message stating the rule and the value received.
 */
import { z } from 'zod';
import { InvalidRequestError } from '../core/errors.js';

/** A number rule with the message clients see: `temperature must be > 0 and <= 1, got 0`. */
export function numberIn(bounds: { gt?: number; gte?: number; lt?: number; lte?: number }, integer = false) {
  const parts: string[] = [];
  if (bounds.gt !== undefined) parts.push(`> ${bounds.gt}`);
  if (bounds.gte !== undefined) parts.push(`>= ${bounds.gte}`);
  if (bounds.lt !== undefined) parts.push(`< ${bounds.lt}`);
  if (bounds.lte !== undefined) parts.push(`<= ${bounds.lte}`);
  const rule = `must be ${integer ? 'an integer ' : ''}${parts.join(' and ')}`;
  let schema = integer ? z.int() : z.number();
  if (bounds.gt !== undefined) schema = schema.gt(bounds.gt, { error: rule });
  if (bounds.gte !== undefined) schema = schema.gte(bounds.gte, { error: rule });
  if (bounds.lt !== undefined) schema = schema.lt(bounds.lt, { error: rule });
  if (bounds.lte !== undefined) schema = schema.lte(bounds.lte, { error: rule });
  return schema;
}

/** Parses `input` or throws a 400 naming the first bad field. */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  throw issueToError(result.error.issues[0] as z.core.$ZodIssue);
}

export function formatParam(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

function issueToError(issue: z.core.$ZodIssue): InvalidRequestError {
  const param = formatParam(issue.path);
  const input = (issue as { input?: unknown }).input;
  const name = param || 'body';
  let message: string;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) {
        message = param === '' ? 'The request body is empty: expected a JSON object.' : `Missing required parameter: '${name}'.`;
      } else if (issue.message.startsWith('must')) {
        message = `${name} ${issue.message}, got ${describe(input)}`;
      } else {
        message = `Invalid type for '${name}': expected ${article(issue.expected)}, but got ${typeName(input)}.`;
      }
      break;
    case 'invalid_value':
      message = `Invalid value for '${name}': expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(input)}.`;
      break;
    case 'invalid_union':
      message = issue.message.startsWith('must') ? `${name} ${issue.message}` : `Invalid type for '${name}': got ${typeName(input)}.`;
      break;
    case 'too_small':
    case 'too_big':
      message = issue.message.startsWith('must') ? `${name} ${issue.message}, got ${describe(input)}` : `Invalid '${name}': ${lowerFirst(issue.message)}.`;
      break;
    case 'custom':
      // Refinements write the whole sentence (the rule and the value received).
      message = issue.message.startsWith('must') ? `${name} ${issue.message}` : issue.message;
      break;
    default:
      message = issue.message.startsWith('must') || issue.message.startsWith('is ') ? `${name} ${issue.message}` : `Invalid '${name}': ${issue.message}`;
  }
  return new InvalidRequestError(message, { param: param || null, code: input === undefined && issue.code === 'invalid_type' ? 'missing_required_parameter' : 'invalid_value' });
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' && !Number.isInteger(value)) return `a number (${value})`;
  return article(typeof value) + (typeof value === 'string' ? ` (${describe(value)})` : typeof value === 'number' || typeof value === 'boolean' ? ` (${String(value)})` : '');
}

function article(word: string): string {
  if (word === 'int') return 'an integer';
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
