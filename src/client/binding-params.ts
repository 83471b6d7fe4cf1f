// The parameters that address a binding the service returned: its SIDs, taken from the fields the
// contract says hold them and checked by the path parameters' rules, so a listed binding can be fetched or
// deleted without a cast, and one whose SIDs are missing fails here, not at the service.
import { operationFacts, parameterFields } from '../../generated/contract.js';
import { requestTarget } from './parameters.js';
import type { DeleteBindingParams, FetchBindingParams, ReadableBinding } from './types.js';

const { path, parameters } = operationFacts.FetchServiceBinding;

/**
 * `{ chatServiceSid, sid }` of a binding, for `fetchBinding` or `deleteBinding`. Throws an
 * InvalidParameterError naming the parameter (and its rule) when the binding's field for it is missing,
 * null or malformed; nothing is sent.
 */
export function bindingParams(binding: ReadableBinding): FetchBindingParams & DeleteBindingParams {
  const params: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(parameterFields.FetchServiceBinding))
    params[key] = (binding as Record<string, unknown> | null | undefined)?.[field];
  requestTarget(path, parameters, params, (text) => text);
  return params as unknown as FetchBindingParams & DeleteBindingParams;
}
