// The errors fetchBinding throws: one base class, one subclass per way a call can fail.
import type { BindingParameterName } from './types.js';

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
  static {
    named(BindingsError, 'BindingsError');
  }
  readonly attempts: number;

  constructor(message: string, attempts: number, options?: { cause?: unknown }) {
    super(message, options);
    this.attempts = attempts;
  }

  /** The fields that describe the failure, for logs: never a credential. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...(this as object) };
  }
}

/** A path parameter breaks the contract's rule for it; nothing was sent. */
export class InvalidParameterError extends BindingsError {
  static {
    named(InvalidParameterError, 'InvalidParameterError');
  }
  constructor(
    message: string,
    readonly parameter: BindingParameterName,
    /** The rule from the contract, e.g. `a string of 34 characters matching ^BS[0-9a-fA-F]{32}$`. */
    readonly expected: string,
  ) {
    super(message, 0);
  }
}

/** The service answered with a non-2xx status. */
export class ApiError extends BindingsError {
  static {
    named(ApiError, 'ApiError');
  }
  constructor(
    message: string,
    attempts: number,
    readonly status: number,
    /** The parsed JSON error body, or a short excerpt of a non-JSON one. */
    readonly body: unknown,
    readonly code?: number,
    readonly moreInfo?: string,
    readonly details?: unknown,
  ) {
    super(message, attempts);
  }
}

/** A 2xx response whose status, content type or body breaks the contract. */
export class ContractViolationError extends BindingsError {
  static {
    named(ContractViolationError, 'ContractViolationError');
  }
  constructor(
    message: string,
    attempts: number,
    readonly status: number,
    readonly violations: Violation[],
    readonly body: unknown,
  ) {
    super(message, attempts);
  }
}

/** An attempt took longer than `timeoutMs` (after the last allowed attempt). */
export class TimeoutError extends BindingsError {
  static {
    named(TimeoutError, 'TimeoutError');
  }
  constructor(
    message: string,
    attempts: number,
    readonly timeoutMs: number,
  ) {
    super(message, attempts);
  }
}

/** The request never got a response: DNS, connection refused or reset, TLS… (`cause` says which). */
export class NetworkError extends BindingsError {
  static {
    named(NetworkError, 'NetworkError');
  }
  constructor(message: string, attempts: number, cause: unknown) {
    super(message, attempts, { cause });
  }
}
