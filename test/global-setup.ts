// Vitest global setup: one Prism mock of generated/openapi.json for the whole run, stopped after it.
// It is started with credential variables in the environment, so a test can check Prism never got them.
import type { TestProject } from 'vitest/node';
import { startPrism } from '../src/cli/prism.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    prismUrl: string;
    prismPid: number;
    /** The credential variables set while Prism started: none may be in its environment. */
    prismStartedWith: Record<string, string>;
  }
}

export const CREDENTIAL_VARIABLES = {
  BINDINGS_USERNAME: 'global-setup-user',
  BINDINGS_PASSWORD: 'Zq7Xv9Lk2Pw4Rt6Yb8-global',
  TWILIO_ACCOUNT_SID: 'global-setup-account',
  TWILIO_AUTH_TOKEN: 'Zq7Xv9Lk2Pw4Rt6Yb8-token',
};

export default async function setup(project: TestProject) {
  const saved = { ...process.env };
  Object.assign(process.env, CREDENTIAL_VARIABLES);
  const prism = await startPrism().finally(() => {
    process.env = saved;
  });
  project.provide('prismUrl', prism.url);
  project.provide('prismPid', prism.process.pid as number);
  project.provide('prismStartedWith', CREDENTIAL_VARIABLES);
  return () => prism.stop();
}
