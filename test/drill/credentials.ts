// What every drill test starts from: the push credentials as the registry places them, and their list,
// fetch and delete entries (each a failure naming what is missing when the registry has not placed it).
import { type Entry, entryOf, type Resource, registeredResources } from '../support/registry.ts';

const found = registeredResources.find((r) => r.plural === 'Credentials');
if (!found) throw new Error('The drill adds the push credentials: the registry has no Credentials');
export const credential: Resource = found;
export const [listOp, fetchOp, deleteOp] = (['list', 'fetch', 'delete'] as const).map((action) => {
  const entry = entryOf(credential, action);
  if (!entry) throw new Error(`The registry places no ${action} on ${credential.schema}`);
  return entry;
}) as [Entry, Entry, Entry];
