/**
 * One variant in its own process, so its RSS is its own. Receives the workload over IPC, sends back the
 * result. Run by run.ts: node --expose-gc --require tsx/cjs bench/child.ts <variant>
 */
import { measure } from './closed-loop';
import type { Workload } from './workload';
import type { VariantSetup } from './variants/variant';

const variants: Record<string, () => VariantSetup> = {
  A: () => require('./variants/participant-update-node').setup,
  B: () => require('./variants/axios').setup,
  C: () => require('./variants/http-request-node').setup,
  D: () => require('./variants/sdk').setup,
  E: () => require('./variants/node-http').setup,
};

async function run(name: string, workload: Workload): Promise<unknown> {
  const setup = variants[name]?.();
  if (!setup) throw new Error(`unknown variant ${name}`);
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
