// `verify --har FILE`: every exchange of a run as HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/),
// which a browser's devtools or any HAR viewer opens: the check that sent each request in `_check` (a
// custom field, which HAR allows with a leading underscore) and its comment, the Authorization header
// masked, every other string redacted of the run's secrets, and each body cut at MAX_HAR_BODY_CHARS.
import type { Redact } from '../client/redact.js';

/** The most characters of a response body the HAR keeps (then cut, its `comment` saying so). */
export const MAX_HAR_BODY_CHARS = 8_192;
/** What the Authorization header's credentials are replaced with (its scheme is kept). */
const MASK = '[REDACTED]';

/** A request as the sender sent it (credentials included: they are masked here, never kept). */
export interface Sent {
  check: string;
  operation: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  /** When it was sent, in ms since the epoch. */
  started: number;
  redact: Redact;
}

/** Its answer, or why there was none, and how long each part took (ms). */
export interface Heard {
  status?: number;
  statusText?: string;
  headers?: Headers;
  /** The body as read (already bounded by --max-response-bytes), before it was judged. */
  text?: string;
  /** Why there was no answer. */
  error?: string;
  waitMs: number;
  receiveMs: number;
}

type NameValue = { name: string; value: string };

/** The HAR entry of one exchange: nothing of a credential in it. */
function entryOf(sent: Sent, heard: Heard) {
  const { redact } = sent;
  const requestHeaders: NameValue[] = Object.entries(sent.headers).map(([name, value]) => ({
    name,
    value: name.toLowerCase() === 'authorization' ? `${value.split(' ')[0]} ${MASK}` : redact(value),
  }));
  const url = new URL(sent.url);
  const queryString = [...url.searchParams].map(([name, value]) => ({
    name: redact(name),
    value: redact(value),
  }));
  const text = heard.text === undefined ? undefined : redact(heard.text);
  const cut = text !== undefined && text.length > MAX_HAR_BODY_CHARS;
  const responseHeaders: NameValue[] = [...(heard.headers ?? new Headers())].map(([name, value]) => ({
    name,
    value: redact(value),
  }));
  const mimeType = heard.headers?.get('content-type') ?? 'x-unknown';
  const received = heard.text === undefined ? 0 : Buffer.byteLength(heard.text);
  return {
    startedDateTime: new Date(sent.started).toISOString(),
    time: heard.waitMs + heard.receiveMs,
    request: {
      ...{ method: sent.method, url: redact(sent.url), httpVersion: 'HTTP/1.1', cookies: [] },
      ...{ headers: requestHeaders, queryString, headersSize: -1, bodySize: 0 },
    },
    response: {
      ...{ status: heard.status ?? 0, statusText: redact(heard.statusText ?? ''), httpVersion: 'HTTP/1.1' },
      ...{ cookies: [], headers: responseHeaders },
      content: {
        ...{ size: received, mimeType: redact(mimeType) },
        ...(text !== undefined && { text: cut ? text.slice(0, MAX_HAR_BODY_CHARS) : text }),
        ...(cut && { comment: `cut at ${MAX_HAR_BODY_CHARS} of its ${text.length} characters` }),
      },
      ...{ redirectURL: redact(heard.headers?.get('location') ?? ''), headersSize: -1, bodySize: received },
      ...(heard.error !== undefined && { _error: redact(heard.error) }),
    },
    cache: {},
    timings: {
      blocked: -1,
      dns: -1,
      connect: -1,
      ssl: -1,
      send: 0,
      wait: heard.waitMs,
      receive: heard.receiveMs,
    },
    comment: `sent by the check ${sent.check} to ${sent.operation}`,
    _check: sent.check,
    _operation: sent.operation,
  };
}

/** The exchanges of a run, recorded as they happen, and the HAR log they make. */
export class HarRecorder {
  private readonly entries: ReturnType<typeof entryOf>[] = [];

  constructor(private readonly creator: { name: string; version: string }) {}

  readonly record = (sent: Sent, heard: Heard): void => {
    this.entries.push(entryOf(sent, heard));
  };

  /** The HAR file's text. */
  text(): string {
    const log = { version: '1.2', creator: this.creator, entries: this.entries };
    return `${JSON.stringify({ log }, null, 2)}\n`;
  }
}
