// The benchmark's sections, in report order. Imported only by a section's own process (bench/section.ts):
// they need bench/node_modules and dist/.
import { bundleSection } from './bundle.ts';
import { callCostsSection } from './call-costs.ts';
import { footprintSection } from './footprint.ts';
import { listingSection } from './listing.ts';
import { loopbackSection } from './loopback.ts';
import { overheadSection } from './overhead.ts';
import { coldStartSection, typeCheckSection } from './processes.ts';
import type { Section } from './report.ts';
import { throughputSection } from './throughput.ts';

export const SECTIONS: Section[] = [
  loopbackSection,
  overheadSection,
  bundleSection,
  coldStartSection,
  typeCheckSection,
  footprintSection,
  listingSection,
  callCostsSection,
  throughputSection,
];
