// The push technologies the contract documents for `binding_type`, as values: for code that must branch
// on one it does not know (a tolerant reader under `validateResponse: 'report'`).
import { schemaEnums } from '../../generated/contract.js';
import type { BindingType } from './types.js';

/** The values the contract documents for `binding_type`, in its order. */
export const bindingTypes: readonly BindingType[] = Object.freeze([...schemaEnums.BindingType]);

/** Whether a value is one the contract documents for `binding_type` (a service may send others). */
export const isBindingType = (value: unknown): value is BindingType =>
  bindingTypes.includes(value as BindingType);
