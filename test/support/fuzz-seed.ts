import fc from 'fast-check';

/**
 * Property tests try new random cases on every local run. Under CI they replay one fixed seed, so a run on a
 * clean clone is reproducible; FUZZ_SEED replays any run (fast-check prints the seed a failure came from).
 */
const seed = process.env.FUZZ_SEED ?? (process.env.CI ? '20261201' : undefined);
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });
