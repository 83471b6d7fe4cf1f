// The checks of every list of the registry: a walk along next_page_url that ends, on pages of the size
// asked that hold no instance twice and show the known one; and each filter honoured, tried with the
// known instance's own value.
import { asWritten, type Exchange, type Finding, type OperationCheck, Skip } from './check.js';
import { fieldOf, itemsOf, pathOf } from './instances.js';
import { answered, filtersNothing, finding, metaOf, pageOf } from './judging.js';
import {
  nounOf,
  nounsFor,
  type Operation,
  operation,
  parameterFacts,
  resourceOf,
  resources,
} from './operations.js';
import { said, word, words } from './said.js';
import { parameterRule } from './seeded.js';
import { pageSizeParameter, sidField, WalkState, walk } from './walk.js';

const noun = nounsFor('list');
const filterFields = [
  ...new Set(resources.flatMap((r) => (r.operations.list ? filtersOf(operation(r.operations.list)) : []))),
].map((f) => f.field);

function filtersOf(op: Operation) {
  return op.list?.filters ?? [];
}

/** A list the contract lets filter. */
function filtered(op: Operation): boolean {
  return filtersOf(op).length > 0;
}

/** The page size a page says it has, when it is not the one asked. */
function pageSizeKept(x: Exchange, list: Operation, asked: number): Finding[] {
  const size = pageSizeParameter(list);
  const page = pageOf(x, list);
  if (!size?.field || !page) return [];
  const value = metaOf(page)[size.field];
  return value === asked
    ? []
    : [
        finding(
          x,
          said`meta.${word(size.field)} is ${asWritten(x, ['meta', size.field], value)}, but ${asked} was asked`,
        ),
      ];
}

export const listPagination: OperationCheck<WalkState> = {
  name: 'list_pagination',
  severity: 'error',
  title: `Following next_page_url ends: every page conforms with the page size asked, no ${noun} twice, the known ${noun} listed`,
  proves: `Following \`next_page_url\` (up to --max-pages) ends: every page conforms, has the page size asked, stays on this list and never leads back to a page already fetched, no ${noun} appears twice, and when the walk reaches the last page the known ${noun} was listed.`,
  on: ['list'],
  probe: (probe) => walk(probe),
  begin: (probe) =>
    new WalkState(probe.operation, { known: probe.instances.known[probe.operation.resource]?.sid }),
  judge: (x, state, options) => [...state.page(x), ...pageSizeKept(x, state.list, options.pageSize)],
  conclude: (state, options) => [...state.end(options), ...state.knownListed()],
};

const article = (w: string) => `${/^[aeiou]/i.test(w) ? 'an' : 'a'} ${w}`;

/** Whether the contract takes a value as this filter's (a type outside its enum, a null, are no filter). */
function takes(op: Operation, key: string, value: unknown): value is string {
  const rule = parameterRule(op.id, key);
  const facts = parameterFacts(op.id, key);
  return typeof value === 'string' && facts?.validate(rule.type === 'array' ? [value] : value) === true;
}

export const listFilters: OperationCheck = {
  name: 'list_filters',
  severity: 'error',
  title: `Filters are honoured: the known ${nounsFor('list', false, filtered)}'s ${filterFields.join(' and ')} each return only their ${nounsFor('list', true, filtered)}`,
  proves: `Filtering a list by the known instance's value of each of its filters (${filterFields.join(', ')}) returns only instances with that value; a filtered list that ends on its first page lists the known instance.`,
  skipsWhen: 'when known_binding did not fetch the known instance',
  skip: filtersNothing,
  on: ['list'],
  fits: filtered,
  async probe({ send, operation: op, instances, facts, report }) {
    const known = facts.known[op.resource];
    const what = nounOf(resourceOf(op));
    if (!known) throw new Skip(`depends on known_binding, which did not fetch the known ${what}`);
    let [sent, reported] = [0, 0];
    for (const f of filtersOf(op)) {
      const value = fieldOf(known, f.field);
      if (!takes(op, f.key, value)) continue;
      let encoded: string;
      try {
        encoded = encodeURIComponent(value);
      } catch {
        report({
          request: words('(no request)'),
          operation: op.id,
          problem: said`the known ${word(what)}'s ${word(f.key)} ${value} cannot be sent as a filter: it is not well-formed UTF-16 (a lone surrogate)`,
        });
        reported++;
        continue;
      }
      sent++;
      const sid = instances.known[op.resource]?.sid;
      await send({
        ...{ operation: op.id, path: pathOf(op, instances), query: `${f.name}=${encoded}` },
        filter: { key: f.key, value, ...(sid !== undefined && { sid }) },
      });
    }
    // Nothing sent is nothing checked: never a pass (a finding above already fails the check).
    if (!sent && !reported) {
      const fields = filtersOf(op).map((f) => f.field ?? f.key);
      const none = fields.length > 1 ? `neither ${fields.map(article).join(' nor ')}` : `no ${fields[0]}`;
      throw new Skip(`the known ${what} has ${none} a filter can take`);
    }
  },
  judge(x) {
    const op = operation(x.operation);
    if (x.status !== op.success.status || !x.filter) return answered(x, [op.success.status]);
    return filteredPage(x, op, x.filter);
  },
};

/** A filtered page: every instance it lists has the value filtered by, and a last page lists the known one. */
function filteredPage(x: Exchange, op: Operation, filter: NonNullable<Exchange['filter']>): Finding[] {
  const { key, value, sid } = filter;
  const field = filtersOf(op).find((f) => f.key === key)?.field ?? key;
  const items = itemsOf(op, x.body);
  // A 200 that is no page (empty, not JSON, no array of instances) shows nothing about the filter: a finding.
  if (!items)
    return [finding(x, said`the answer is not a page whose ${word(op.list?.key ?? 'items')} can be read`)];
  const id = sidField(op);
  const what = nounOf(resourceOf(op));
  // A number is quoted as the service wrote it, found by where it is in the page.
  const written = (i: number, name: string | null, shown: string | undefined) => {
    const v = fieldOf(items[i], name);
    return typeof v === 'number' && name ? asWritten(x, [op.list?.key ?? '', i, name], v) : shown;
  };
  const wrong = items.flatMap((item, i) =>
    fieldOf(item, field) === value
      ? []
      : [
          finding(
            x,
            said`${word(what)} ${written(i, id, String(fieldOf(item, id)))} has ${word(field)} ${written(i, field, JSON.stringify(fieldOf(item, field))) ?? 'none'}, but the list was filtered by ${word(key)}=${value}`,
          ),
        ],
  );
  // The known instance has that value: a last page (no next one) without it means the filter lost it.
  const last = !metaOf(pageOf(x, op)).next_page_url;
  if (sid !== undefined && last && !items.some((item) => fieldOf(item, id) === sid))
    wrong.push(
      finding(
        x,
        said`the known ${word(what)} ${sid} has ${word(field)} ${value}, but the list filtered by it ends without it`,
      ),
    );
  return wrong;
}
