// conversations-bindings-contract/testing: a stateful fake of the Binding resource, generated from the
// contract, for consumers' tests (browser-safe: no node: imports).

export { COVERAGE_FORMAT, type CoverageData, coverageOfEveryFake } from './coverage.js';
export {
  type BindingsFake,
  type BindingsFakeOptions,
  createBindingsFake,
  DEFAULT_FAKE_PASSWORD,
  FakeContractError,
} from './fake.js';
export type {
  FakeRequest,
  FakeState,
  Fault,
  FaultMediaType,
  FaultOptions,
  FaultStatus,
  ServerErrorStatus,
} from './faults.js';
export {
  type BindingFixture,
  bindingFor,
  checkFixtures,
  exampleBindings,
  exampleSids,
  FixtureError,
} from './fixtures.js';
