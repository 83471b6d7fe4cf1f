// The stateful fake (from src/, under tsx) served over HTTP by serveFake, run in its own process by
// bench/targets.ts; prints its URL. With a count, it holds that many bindings of the example service made
// by bindingFor; without, the contract's example bindings.
import { serveFake } from '../src/cli/fake-server.ts';
import { bindingFor, createBindingsFake } from '../src/testing/index.ts';
import { CREDENTIALS, SIDS } from './contract.ts';

const count = Number(process.argv[2] ?? 0);
const bindings = Array.from({ length: count }, () => bindingFor({ chat_service_sid: SIDS.chatServiceSid }));
const fake = createBindingsFake({ credentials: CREDENTIALS, ...(count ? { bindings } : {}) });
const served = await serveFake(fake, {
  onError: (error) => process.stderr.write(`fake-target: ${String(error)}\n`),
});
process.stdout.write(`${served.url}\n`);
process.on('SIGTERM', () => served.close().then(() => process.exit(0)));
