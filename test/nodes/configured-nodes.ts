/** The SignalWire nodes whose configuration the fuzz test varies: their typedInput fields and actions. */
import { UPDATE_OPTION_NAMES } from '../../src/lib/index';

export interface ConfiguredNode {
  type: string;
  /** Every typedInput field of the node's form. */
  fields: string[];
  /** The values of its `action` property ('' for a node without one). */
  actions: string[];
  /** The fields a message is read with, for an action. */
  fieldsUsed(action: string): string[];
  /** What the node needs deployed beside it to run at all: connection settings, a Signing Key, more nodes. */
  needs?: { config?: Record<string, unknown>; signingKey?: boolean; nodes?: Array<Record<string, unknown>> };
}

const joinFields = ['muted', 'startConferenceOnEnter', 'endConferenceOnExit', 'beep', 'waitUrl'];
const callFields = ['to', 'from', 'conference', 'timeout', ...joinFields];

const participantUpdateFields = ['conferenceSid', 'callSid', ...UPDATE_OPTION_NAMES];
const updateAllFields = ['conferenceSid', 'except', ...UPDATE_OPTION_NAMES];

export const CONFIGURED_NODES: ConfiguredNode[] = [
  {
    type: 'signalwire-participant-update',
    fields: participantUpdateFields,
    actions: [''],
    fieldsUsed: () => participantUpdateFields,
  },
  {
    type: 'signalwire-participants-update',
    fields: updateAllFields,
    actions: [''],
    fieldsUsed: () => updateAllFields,
  },
  {
    type: 'signalwire-participants',
    fields: ['conferenceSid', 'callSid', 'muted', 'hold'],
    actions: ['list', 'get', 'remove'],
    fieldsUsed: (action) => (action === 'list' ? ['conferenceSid', 'muted', 'hold'] : ['conferenceSid', 'callSid']),
  },
  {
    type: 'signalwire-conference',
    fields: ['friendlyName', 'conferenceSid', 'status', 'announceUrl', 'announceMethod'],
    actions: ['find', 'get', 'list', 'end', 'announce'],
    fieldsUsed: (action) =>
      ({
        find: ['friendlyName'],
        get: ['conferenceSid'],
        end: ['conferenceSid'],
        list: ['friendlyName', 'status'],
        announce: ['conferenceSid', 'announceUrl', 'announceMethod'],
      })[action] ?? [],
  },
  {
    type: 'signalwire-call',
    fields: [...callFields, 'callSid'],
    actions: ['call', 'hangup'],
    fieldsUsed: (action) => (action === 'hangup' ? ['callSid'] : callFields),
    // Where SignalWire would fetch the join (nobody listens there: the call rings and fails, the node is done).
    needs: {
      config: { publicUrl: 'http://127.0.0.1:9' },
      signingKey: true,
      nodes: [{ id: 'ev', type: 'signalwire-conference-events', z: 'tab', signalwire: 'cfg', wires: [[]] }],
    },
  },
];
