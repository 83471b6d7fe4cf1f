// The errors fetchBinding throws: one base class, one subclass per way a call can fail.
import type { BindingParameterName } from './types.js';

/** The most violations an error keeps; past them, one last entry at `…` says how many more there were. */
export const MAX_VIOLATIONS = 100;

export interface Violation {
  /** Where the response broke the contract: `status`, `content-type`, `body`, or a JSON pointer into the body. */
  path: string;
  message: string;
}

/** Sets `name` on the prototype (not on each instance), as built-in errors do; minifiers keep it. */
function named(errorClass: { prototype: Error }, name: string): void {
  Object.defineProperty(errorClass.prototype, 'name', { value: name, writable: true, configurable: true });
}

/** Base class of every error this package throws. `attempts` is how many requests were made. */
export class BindingsError extends Error {
  declare readonly attempts: number;
  static {
    named(BindingsError, 'BindingsError');
  }
  constructor(message: string, fields: { attempts: number }, options?: { cause?: unknown }) {
    super(message, options);
    Object.assign(this, fields);
  }

  /** The fields that describe the failure, for logs: never a credential. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...(this as object) };
  }
}

/** A path parameter breaks the contract's rule for it; nothing was sent (`attempts` is 0). */
export class InvalidParameterError extends BindingsError {
  declare readonly parameter: BindingParameterName;
  /** The rule from the contract, e.g. `a string of 34 characters matching ^BS[0-9a-fA-F]{32}$`. */
  declare readonly expected: string;
  static {
    named(InvalidParameterError, 'InvalidParameterError');
  }
  constructor(message: string, fields: { parameter: BindingParameterName; expected: string }) {
    super(message, { attempts: 0, ...fields });
  }
}

/** The service answered with a non-2xx status. */
export class ApiError extends BindingsError {
  declare readonly status: number;
  /** The parsed JSON error body, or a short excerpt of a non-JSON one. */
  declare readonly body: unknown;
  declare readonly code?: number;
  declare readonly moreInfo?: string;
  declare readonly details?: unknown;
  static {
    named(ApiError, 'ApiError');
  }
  constructor(
    message: string,
    fields: {
      attempts: number;
      status: number;
      body: unknown;
      code?: number;
      moreInfo?: string;
      details?: unknown;
    },
  ) {
    super(message, fields);
  }
}

/** A 2xx response whose status, content type or body breaks the contract. */
export class ContractViolationError extends BindingsError {
  declare readonly status: number;
  declare readonly violations: Violation[];
  /**
   * The part of the body at fault, as the JSON text it was sent as (the binding that holds the first
   * violation, else the value it names), redacted and cut at MAX_BODY_QUOTE characters; or an excerpt
   * of a body that is not JSON. Never the whole page: an error kept costs what its violations do.
   */
  declare readonly body: string;
  static {
    named(ContractViolationError, 'ContractViolationError');
  }
  constructor(
    message: string,
    fields: { attempts: number; status: number; violations: Violation[]; body: string },
  ) {
    super(message, fields);
  }
}

/** An attempt took longer than `timeoutMs` (and no attempt was left). */
export class TimeoutError extends BindingsError {
  declare readonly timeoutMs: number;
  static {
    named(TimeoutError, 'TimeoutError');
  }
  constructor(message: string, fields: { attempts: number; timeoutMs: number }) {
    super(message, fields);
  }
}

/** The request never got a response: DNS, connection refused or reset, TLS… (`cause` says which). */
export class NetworkError extends BindingsError {
  static {
    named(NetworkError, 'NetworkError');
  }
  constructor(message: string, fields: { attempts: number }, cause: unknown) {
    super(message, fields, { cause });
  }
}
