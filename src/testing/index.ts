// conversations-bindings-contract/testing: a stateful fake of every resource of the contract, answering
// each operation of its registry, for consumers' tests (browser-safe: no node: imports).

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
export type {
  Instance,
  InstanceFixture,
  ParentOf,
  ResourceName,
} from './resources.js';
export type { ParentFixtures, ResourceFixtures } from './seed.js';
export type { ResourceHandle } from './state.js';
