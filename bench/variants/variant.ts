import type { Update } from '../closed-loop';
import type { Workload } from '../workload';

/** One way of sending "Update a Participant", ready to be driven by the closed loop. */
export interface Variant {
  update: Update;
  close(): Promise<void>;
}

export type VariantSetup = (workload: Workload) => Promise<Variant>;
