// 7. Listing 1,000 bindings (20 pages at the contract's default page size) from the stateful fake over
// HTTP in its own process: wall time and client CPU per listing, ours against twilio-node's list().
import { createBindingsClient } from 'conversations-bindings-contract';
import type { components } from 'conversations-bindings-contract/types';
import twilio from 'twilio';
import { basicAuthorization } from '../src/client/basic-auth.ts';
import { localRequestClient } from './contenders.ts';
import { CREDENTIALS, firstListPage, PAGE_SIZE, SIDS } from './contract.ts';
import { type Cost, costPer } from './meter.ts';
import { ratioCell, type Section, table } from './report.ts';
import { fmt, interleavedFigures, type Summary, spread } from './stats.ts';
import { startTarget } from './targets.ts';

type ListBody = components['schemas']['ListServiceBindingResponse'];

const BINDINGS = 1000;
const LISTINGS_PER_ROUND = 5;
const BARE = 'bare fetch, following next_page_url';
const SDK = 'twilio-node 6: bindings.list()';

/** Each contender lists the whole service once and returns how many bindings it got. */
function contenders(baseUrl: string): Record<string, () => Promise<number>> {
  const ours = createBindingsClient({ ...CREDENTIALS, baseUrl, retry: false });
  const oursNoValidation = createBindingsClient({
    ...CREDENTIALS,
    baseUrl,
    retry: false,
    validateResponse: false,
  });
  const sdk = twilio(CREDENTIALS.username, CREDENTIALS.password, { httpClient: localRequestClient(baseUrl) });
  const headers = { Authorization: basicAuthorization(CREDENTIALS.username, CREDENTIALS.password) };
  const iterate = async (client: typeof ours) => {
    let count = 0;
    for await (const _ of client.listBindings({ chatServiceSid: SIDS.chatServiceSid, pageSize: PAGE_SIZE }))
      count++;
    return count;
  };
  return {
    // The floor: what following the pages costs with nothing checked (the next page's host rewritten).
    [BARE]: async () => {
      let count = 0;
      let target: string | undefined = firstListPage;
      while (target) {
        const body = (await (await fetch(baseUrl + target, { headers })).json()) as ListBody;
        count += body.bindings?.length ?? 0;
        const next = body.meta?.next_page_url;
        target = next ? `${new URL(next).pathname}${new URL(next).search}` : undefined;
      }
      return count;
    },
    'listBindings (validation on)': () => iterate(ours),
    'listBindings (validation off)': () => iterate(oursNoValidation),
    [SDK]: async () =>
      (await sdk.conversations.v1.services(SIDS.chatServiceSid).bindings.list({ pageSize: PAGE_SIZE }))
        .length,
  };
}

/** Lists LISTINGS_PER_ROUND times; a listing that does not get every binding fails the section. */
const timedListings = (name: string, list: () => Promise<number>) => async (): Promise<Cost> =>
  costPer(LISTINGS_PER_ROUND, async () => {
    for (let i = 0; i < LISTINGS_PER_ROUND; i++) {
      const got = await list();
      if (got !== BINDINGS) throw new Error(`${name} listed ${got} bindings of ${BINDINGS}`);
    }
  });

const ms = (s: Summary): Summary => ({ ...s, median: s.median / 1e3, p25: s.p25 / 1e3, p75: s.p75 / 1e3 });

export const listingSection: Section = {
  number: 7,
  title: `Listing ${BINDINGS.toLocaleString('en-US')} bindings`,
  async run({ rounds }) {
    const target = await startTarget('fake-target.ts', [String(BINDINGS)]);
    let figures: Record<string, Record<keyof Cost, Summary>>;
    try {
      const all = contenders(target.url);
      figures = await interleavedFigures(
        Object.fromEntries(Object.entries(all).map(([name, list]) => [name, timedListings(name, list)])),
        rounds,
      );
    } finally {
      await target.stop();
    }
    const bare = figures[BARE];
    const sdk = figures[SDK];
    const pages = Math.ceil(BINDINGS / PAGE_SIZE);
    return {
      markdown: [
        `## 7. Listing ${BINDINGS.toLocaleString('en-US')} bindings, ${pages} pages of ${PAGE_SIZE}, from the stateful fake over HTTP (${LISTINGS_PER_ROUND} listings a round)`,
        '',
        ...table(
          [
            'client',
            'per listing',
            'vs bare fetch',
            'twilio-node vs it',
            'client CPU per listing',
            'CPU vs bare fetch',
            'twilio-node CPU vs it',
          ],
          Object.entries(figures).map(([name, { wall, cpu }]) => [
            name,
            spread(ms(wall), 'ms'),
            ratioCell(wall, bare?.wall),
            ratioCell(sdk?.wall, wall),
            spread(ms(cpu), 'ms'),
            ratioCell(cpu, bare?.cpu),
            ratioCell(sdk?.cpu, cpu),
          ]),
        ),
        '',
        `Every listing is checked to return all ${fmt(BINDINGS, 'bindings', 0)}; twilio-node follows \`next_page_url\` through its \`httpClient\` (the same host rewrite as section 1).`,
      ],
    };
  },
};
