/**
 * A real Node-RED runtime for node tests, driven by node-red-node-test-helper. NODE_RED_RUNTIME picks the
 * runtime package (node-red, node-red-3, node-red-5), so the same tests run against each version.
 *
 * The helper loads nodes given as functions with `RED._` returning the key unchanged. Node-RED itself gives each
 * node module a `RED._` bound to the module's own message catalog (locales/<lang>/<file>.json beside the .js);
 * `withMessages` does the same with the runtime's own i18n, so tests see the text a user would see.
 */
import path from 'node:path';
import type { NodeAPI } from 'node-red';
import helper from 'node-red-node-test-helper';
import configModule from '../../src/nodes/signalwire-config';
import participantUpdateModule from '../../src/nodes/signalwire-participant-update';
import conferenceModule from '../../src/nodes/signalwire-conference';
import participantsModule from '../../src/nodes/signalwire-participants';
import participantsUpdateModule from '../../src/nodes/signalwire-participants-update';
import conferenceEventsModule from '../../src/nodes/signalwire-conference-events';
import callModule from '../../src/nodes/signalwire-call';
import incomingCallModule from '../../src/nodes/signalwire-incoming-call';
import answerModule from '../../src/nodes/signalwire-answer';

export const runtimeName = process.env.NODE_RED_RUNTIME || 'node-red';
const runtimePath = require.resolve(runtimeName);
helper.init(runtimePath);

const PACKAGE = '@callflows/node-red-signalwire';
const LOCALES = path.join(__dirname, '..', '..', 'nodes', 'locales');

interface I18n {
  init(settings: object): void;
  registerMessageCatalog(namespace: string, dir: string, file: string): Promise<void>;
  _(key: string, substitutions?: Record<string, unknown>): string;
}

// The runtime is chosen at run time, so its modules are found with require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const i18n = require(require.resolve('@node-red/util', { paths: [path.dirname(runtimePath)] })).i18n as I18n;
i18n.init({ lang: 'en-US' });

const catalogs = Promise.all(
  [
    'signalwire-config',
    'signalwire-participant-update',
    'signalwire-conference',
    'signalwire-participants',
    'signalwire-participants-update',
    'signalwire-conference-events',
    'signalwire-call',
    'signalwire-incoming-call',
    'signalwire-answer',
  ].map((name) => i18n.registerMessageCatalog(`${PACKAGE}/${name}`, LOCALES, `${name}.json`)),
);

type NodeModule = (RED: NodeAPI) => void;

/** Gives a node module the translating `RED._` Node-RED would give it. */
export function withMessages(name: string, module: NodeModule): NodeModule {
  const namespace = `${PACKAGE}/${name}`;
  // Each module gets its own view of RED, as in Node-RED: both modules share one RED object here, and a `_`
  // set on it would translate the first module's late calls (in admin endpoints) with the last one's catalog.
  return (RED: NodeAPI) => {
    const translate = (key: string, substitutions?: Record<string, unknown>) =>
      i18n._(key.includes(':') ? key : `${namespace}:${key}`, substitutions);
    module(Object.create(RED, { _: { value: translate } }) as NodeAPI);
  };
}

/** Our node modules, as Node-RED would load them. Load them with helper.load(signalwireNodes, flow, credentials). */
export const signalwireNodes: NodeModule[] = [
  withMessages('signalwire-config', configModule as unknown as NodeModule),
  withMessages('signalwire-participant-update', participantUpdateModule as unknown as NodeModule),
  withMessages('signalwire-conference', conferenceModule as unknown as NodeModule),
  withMessages('signalwire-participants', participantsModule as unknown as NodeModule),
  withMessages('signalwire-participants-update', participantsUpdateModule as unknown as NodeModule),
  withMessages('signalwire-conference-events', conferenceEventsModule as unknown as NodeModule),
  withMessages('signalwire-call', callModule as unknown as NodeModule),
  withMessages('signalwire-incoming-call', incomingCallModule as unknown as NodeModule),
  withMessages('signalwire-answer', answerModule as unknown as NodeModule),
];

/** A core node module (e.g. 'common/20-inject.js') of the runtime under test, for flows that use core nodes. */
export function coreNode(file: string): NodeModule {
  const nodesDir = path.dirname(
    require.resolve('@node-red/nodes/package.json', { paths: [path.dirname(runtimePath)] }),
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(nodesDir, 'core', file)) as NodeModule;
}

/** Resolves once the message catalogs are loaded; call it in a before() hook. */
export async function startRuntime(): Promise<void> {
  await catalogs;
  await new Promise<void>((resolve) => helper.startServer(() => resolve()));
}

export async function stopRuntime(): Promise<void> {
  await new Promise<void>((resolve) => helper.stopServer(() => resolve()));
}

export { helper };
