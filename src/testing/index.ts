// conversations-bindings-contract/testing: a stateful fake of the Binding resource, generated from the
// contract, for consumers' tests (browser-safe: no node: imports).
export {
  type BindingsFake,
  type BindingsFakeOptions,
  createBindingsFake,
  FakeContractError,
} from './fake.js';
export type { FakeRequest, Fault, FaultOptions } from './faults.js';
export { bindingFor, checkFixtures, exampleBindings, FixtureError } from './fixtures.js';
