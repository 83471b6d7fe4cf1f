// The stateful fake as `verify --mock stateful` and `mock --stateful` serve it: the contract's example
// bindings and one more that `verify` may delete, so its destructive checks run with nothing to prepare.

import type { Binding } from '../client/types.js';
import { type BindingsFake, bindingFor, createBindingsFake, exampleBindings } from '../testing/index.js';

export interface SeededFake {
  fake: BindingsFake;
  /** The binding verify may delete (`--delete-binding-sid`), when the fake holds the seed, not fixtures. */
  deletableSid?: string;
}

export function seededFake(
  options: {
    bindings?: Binding[] | undefined;
    credentials?: { username: string; password: string } | undefined;
    allowOffContract?: boolean | undefined;
  } = {},
): SeededFake {
  const { bindings, credentials, allowOffContract } = options;
  if (bindings) return { fake: createBindingsFake({ bindings, credentials, allowOffContract }) };
  const deletable = bindingFor({});
  const fake = createBindingsFake({
    bindings: [...exampleBindings(), deletable],
    credentials,
    allowOffContract,
  });
  return { fake, deletableSid: deletable.sid as string };
}
