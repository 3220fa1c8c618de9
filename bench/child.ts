/**
 * One variant in its own process, so its RSS is its own. Receives the workload over IPC, sends back the
 * result. Run by run.ts: node --expose-gc --require tsx/cjs bench/child.ts <variant>
 */
import { measure } from './closed-loop';
import type { Workload } from './workload';
import type { VariantSetup } from './variants/variant';

/* eslint-disable @typescript-eslint/no-require-imports -- loaded on demand: a child loads only its own
   variant's libraries, so its RSS is only theirs. */
const variants: Record<string, () => { setup: VariantSetup }> = {
  A: () => require('./variants/participant-update-node'),
  B: () => require('./variants/axios'),
  C: () => require('./variants/http-request-node'),
  D: () => require('./variants/sdk'),
  E: () => require('./variants/node-http'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

async function run(name: string, workload: Workload): Promise<unknown> {
  const load = variants[name];
  if (!load) throw new Error(`unknown variant ${name}`);
  const { setup } = load();
  const variant = await setup(workload);
  try {
    return await measure(variant.update, workload);
  } finally {
    await variant.close();
  }
}

process.once('message', (workload: Workload) => {
  run(process.argv[2], workload).then(
    (result) => process.send?.({ result }, () => process.exit(0)),
    (err: unknown) => {
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      process.send?.({ error: message }, () => process.exit(1));
    },
  );
});
