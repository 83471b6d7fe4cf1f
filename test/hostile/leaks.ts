// What the hostile tests search errors for: every rendering a log line, an error tracker or a debugger
// might make, and every 4-character piece of a credential in any of the forms the client sends it in.
import { inspect } from 'node:util';
import { expect } from 'vitest';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import { RUN } from '../../src/client/redact.ts';
import { exampleAccountSid } from '../support/contract.ts';

/** The credential the hostile tests hand the client: an auth token's form (32 hex digits). */
export const username = exampleAccountSid;
export const password = 'c86d081884c7d659a2feaa0c55ad0159';
export const authorization = basicAuthorization(username, password);

/** Every form a log line, an error tracker or a debugger might render, the cause included. */
export function renderings(value: unknown): string {
  const e = value as Error;
  const all = { depth: Number.POSITIVE_INFINITY, showHidden: true };
  return [
    String(value),
    JSON.stringify(value) ?? '',
    inspect(value, all),
    e?.message ?? '',
    e?.stack ?? '',
    inspect(e?.cause, all),
  ].join('\n');
}

/**
 * The pieces of a credential that must appear nowhere: each RUN-character window of the password (as is
 * and JSON-escaped: compared case-insensitively) and of the base64 token (compared as is: base64 is
 * case-sensitive, and a lower-cased window of it can match innocent text); a shorter password whole.
 */
export function pieces(username: string, password: string): { folded: string[]; exact: string[] } {
  const windows = (form: string) =>
    form.length < RUN
      ? [form]
      : Array.from({ length: form.length - RUN + 1 }, (_, i) => form.slice(i, i + RUN));
  const token = basicAuthorization(username, password).slice('Basic '.length);
  return {
    folded: [password, JSON.stringify(password).slice(1, -1)].flatMap(windows).map((w) => w.toLowerCase()),
    exact: windows(token),
  };
}

/** Fails naming the first piece of the credential found in any rendering of `value`. */
export function expectNoPiece(value: unknown, username: string, password: string): void {
  const text = renderings(value);
  const lower = text.toLowerCase();
  const { folded, exact } = pieces(username, password);
  expect(folded.filter((piece) => lower.includes(piece))).toEqual([]);
  expect(exact.filter((piece) => text.includes(piece))).toEqual([]);
}
