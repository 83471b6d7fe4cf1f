// Vitest global setup: one Prism mock of generated/openapi.json for the whole run, stopped after it.
import type { TestProject } from 'vitest/node';
import { startPrism } from '../src/cli/prism.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    prismUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const prism = await startPrism();
  project.provide('prismUrl', prism.url);
  return () => prism.stop();
}
