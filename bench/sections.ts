// The benchmark's sections, in report order: the module of each and the name it exports. Each runs in
// a process of its own (bench/section.ts), which imports only that section's module: a section that
// cannot even load loses only itself.
export const SECTIONS: readonly { module: string; name: string }[] = [
  { module: './loopback.ts', name: 'loopbackSection' },
  { module: './overhead.ts', name: 'overheadSection' },
  { module: './bundle.ts', name: 'bundleSection' },
  { module: './processes.ts', name: 'coldStartSection' },
  { module: './processes.ts', name: 'typeCheckSection' },
  { module: './footprint.ts', name: 'footprintSection' },
  { module: './listing.ts', name: 'listingSection' },
  { module: './call-costs.ts', name: 'callCostsSection' },
  { module: './throughput.ts', name: 'throughputSection' },
  { module: './fake-at-scale.ts', name: 'scaleSection' },
  { module: './mcp.ts', name: 'mcpSection' },
  { module: './release.ts', name: 'releaseSection' },
];
