import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow, NodeStatus } from 'node-red';
import { SignalWireError, UPDATE_OPTION_NAMES } from '../lib/index';
import type { ConferenceParticipant, ParticipantUpdateOptions } from '../lib/types';
import { summarizeParticipant } from '../lib/participant-summary';
import { findUnsafeKey } from '../lib/unsafe-keys';
import { closeWaitFor } from '../lib/shutdown';
import { DEFAULT_TIMEOUT, type SignalWireConnection } from './connection';
import { waitForWork } from './wait-for-work';

type OptionName = keyof ParticipantUpdateOptions;

type FieldName = OptionName | 'conferenceSid' | 'callSid';

/** Each field is a typedInput: its value and its type (`msg`, `str`, `bool`, ... or one of ours below). */
type ParticipantUpdateDef = NodeDef & {
  signalwire?: string;
  reportToCatch?: boolean;
} & { [K in FieldName]?: string } & { [K in `${FieldName}Type`]?: string };

/** Types of our own in the editor: "leave unchanged", a GET/POST choice. */
const UNCHANGED = 'unchanged';
const FIXED_CHOICES = new Set(['method']);
/** Types whose value Node-RED may have to look up asynchronously (context stores, JSONata). */
const ASYNC_TYPES = new Set(['flow', 'global', 'jsonata']);

const STATUS = 'signalwire-participant-update.status.';
const ERRORS = 'signalwire-participant-update.errors.';

/** After the client's close budget, how long the node waits for the cancellations to arrive as outcomes. */
const CLOSE_GRACE = 1_000;

interface Field {
  name: FieldName;
  label: string;
  value: string;
  type: string;
  /** A plain dotted msg property (payload.muted), split once rather than parsed for every message. */
  path?: string[];
}

const DOTTED_PATH = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

type Send = (msg: NodeMessage | Array<NodeMessage | null>) => void;
type Done = (err?: Error) => void;

export = function (RED: NodeAPI) {
  function ParticipantUpdateNode(this: Node, def: ParticipantUpdateDef) {
    RED.nodes.createNode(this, def);
    setUp(this, def);
  }

  function setUp(node: Node, def: ParticipantUpdateDef) {
    const connection = (def.signalwire ? RED.nodes.getNode(def.signalwire) : null) as SignalWireConnection | null;
    const reportToCatch = def.reportToCatch === true;
    /** Messages still open, each with the function that ends it (once). */
    const pending = new Map<Promise<void>, Done>();
    let stopping = false;
    const errorWires = (node as Node & { wires?: string[][] }).wires?.[1];
    const errorOutputWired = Array.isArray(errorWires) && errorWires.length > 0;

    const field = (name: FieldName): Field => {
      // The editor always saves both; a flow written by hand may leave them out and gets the editor's defaults.
      const value = def[name] ?? (name === 'conferenceSid' || name === 'callSid' ? name : `payload.${name}`);
      const type = def[`${name}Type`] ?? 'msg';
      const f: Field = { name, label: RED._(`signalwire-participant-update.label.${name}`), value, type };
      if (type === 'msg' && DOTTED_PATH.test(value)) f.path = value.replace(/^msg\./, '').split('.');
      return f;
    };
    const conferenceSid = field('conferenceSid');
    const callSid = field('callSid');
    const options = UPDATE_OPTION_NAMES.map(field).filter((f) => f.type !== UNCHANGED);

    const words = {
      muted: RED._(`${STATUS}muted`),
      unmuted: RED._(`${STATUS}unmuted`),
      onHold: RED._(`${STATUS}onHold`),
      coaching: RED._(`${STATUS}coaching`),
    };

    // Repeating an identical status costs an editor event per message for nothing.
    let lastStatus = '';
    const showStatus = (status: NodeStatus) => {
      const key = `${status.fill}|${status.shape}|${status.text}`;
      if (key === lastStatus) return;
      lastStatus = key;
      node.status(status);
    };

    if (!connection) {
      showStatus({ fill: 'red', shape: 'ring', text: RED._(`${STATUS}noConnection`) });
    } else {
      try {
        connection.getClient();
      } catch {
        showStatus({ fill: 'red', shape: 'ring', text: RED._(`${STATUS}badSettings`) });
      }
    }

    /** A property under a missing parent (payload.muted when there is no payload) is simply not set. */
    const readMessageProperty = (msg: NodeMessage, f: Field): unknown => {
      if (f.path) {
        let value: unknown = msg;
        for (const part of f.path) {
          if (value === undefined || value === null) return undefined;
          value = (value as Record<string, unknown>)[part];
        }
        return value;
      }
      try {
        return RED.util.getMessageProperty(msg, f.value);
      } catch (err) {
        if ((err as { code?: unknown }).code === 'INVALID_EXPR') throw err;
        return undefined;
      }
    };

    /** Reads one field for one message; undefined means "leave unchanged". */
    const read = (f: Field, msg: NodeMessage): unknown => {
      if (f.type === UNCHANGED) return undefined;
      if (FIXED_CHOICES.has(f.type)) return f.value;
      if (f.type === 'msg') return readMessageProperty(msg, f);
      if (!ASYNC_TYPES.has(f.type)) return RED.util.evaluateNodeProperty(f.value, f.type, node, msg);
      return new Promise((resolve, reject) => {
        RED.util.evaluateNodeProperty(f.value, f.type, node, msg, (err, value) => (err ? reject(err) : resolve(value)));
      });
    };

    const readAll = (fields: Field[], msg: NodeMessage): unknown[] | Promise<unknown[]> => {
      let waiting = false;
      const values = fields.map((f) => {
        try {
          const value = read(f, msg);
          if (!(value instanceof Promise)) return value;
          waiting = true;
          return value.catch((err: unknown) => Promise.reject(unreadable(f, err)));
        } catch (err) {
          throw unreadable(f, err);
        }
      });
      return waiting ? Promise.all(values) : values;
    };

    /** Where a field was read from, in the words a flow author uses: msg.callSid, flow.sid, env CALL_SID... */
    const where = (f: Field): string => {
      switch (f.type) {
        case 'msg':
        case 'flow':
        case 'global':
          return `${f.type}.${f.value}`;
        case 'env':
          return `env ${f.value}`;
        case 'jsonata':
          return `JSONata ${f.value}`;
        default:
          return RED._(`${ERRORS}formField`, { field: f.label });
      }
    };

    const unreadable = (f: Field, err: unknown) =>
      new SignalWireError(
        RED._(`${ERRORS}unreadable`, {
          field: f.label,
          where: where(f),
          message: String((err as Error)?.message ?? err),
        }),
        'validation',
      );

    const update = async (msg: NodeMessage): Promise<{ payload: unknown; statusCode: number }> => {
      if (!connection) throw new SignalWireError(RED._(`${ERRORS}noConnection`), 'validation');
      const unsafe = findUnsafeKey(msg.payload, 'msg.payload');
      if (unsafe) throw new SignalWireError(RED._(`${ERRORS}unsafeKey`, { path: unsafe }), 'validation');

      const [conference, call, ...values] = await readAll([conferenceSid, callSid, ...options], msg);
      for (const [f, value] of [
        [conferenceSid, conference],
        [callSid, call],
      ] as const) {
        if (value === undefined || value === null || value === '') {
          throw new SignalWireError(RED._(`${ERRORS}missingSid`, { field: f.label, where: where(f) }), 'validation');
        }
      }
      const chosen: Record<string, unknown> = {};
      options.forEach((f, i) => {
        const value = values[i];
        if (value !== undefined) chosen[f.name] = value;
      });

      const client = connection.getClient();
      const result = await client.updateParticipant(conference, call, chosen);
      return { payload: result.participant, statusCode: result.statusCode };
    };

    const succeed = (msg: NodeMessage, payload: unknown, statusCode: number, send: Send, done: Done) => {
      const out = msg as NodeMessage & { statusCode?: number; error?: unknown };
      out.payload = payload;
      out.statusCode = statusCode;
      // A message that failed before and is retried should not carry its old error on.
      delete out.error;
      showStatus({ fill: 'green', shape: 'dot', text: summarizeParticipant(payload as ConferenceParticipant, words) });
      send([out, null]);
      done();
    };

    const fail = (msg: NodeMessage, error: unknown, send: Send, done: Done) => {
      const failure =
        error instanceof SignalWireError
          ? error
          : new SignalWireError(String((error as Error)?.message ?? error), 'network');
      const out = msg as NodeMessage & { statusCode?: number; error?: unknown };
      out.error = failure.toJSON();
      if (failure.status !== undefined) out.statusCode = failure.status;
      else delete out.statusCode;
      showStatus({ fill: 'red', shape: 'ring', text: shortReason(failure) });

      if (errorOutputWired) send([null, out]);
      // done(err) is what Catch nodes and the debug sidebar see: never leave an error unseen. While the node
      // stops, output 2 may lead to nodes already stopped, so the error is also logged through done(err).
      if (!errorOutputWired || reportToCatch || stopping) done(failure);
      else done();
    };

    const shortReason = (error: SignalWireError): string => {
      if (error.source === 'api') return RED._(`${STATUS}apiError`, { status: String(error.status ?? '') });
      if (error.source === 'network') return RED._(`${STATUS}network`);
      if (error.source === 'timeout') return RED._(`${STATUS}timeout`);
      return RED._(`${STATUS}invalidInput`);
    };

    node.on('input', (msg: NodeMessageInFlow, send: Send, done: Done) => {
      // Whatever happens below, the runtime hears about this message once, and no rejection goes unhandled.
      let finished = false;
      const finish: Done = (err) => {
        if (finished) return;
        finished = true;
        done(err);
      };
      // A message the close handler already ended sends nothing more.
      const sendOpen: Send = (out) => {
        if (!finished) send(out);
      };
      const work = update(msg)
        .then(
          (result) => succeed(msg, result.payload, result.statusCode, sendOpen, finish),
          (error: unknown) => fail(msg, error, sendOpen, finish),
        )
        .catch((error: unknown) => finish(error instanceof Error ? error : new Error(String(error))));
      pending.set(work, finish);
      void work.finally(() => pending.delete(work));
      connection?.track(work);
    });

    // A redeploy lets the requests in flight finish, within the connection's close budget: its client then
    // cancels what is left, and each message ends with an error. A moment later anything still open (a field
    // read that never returned) ends here, so the node closes well inside Node-RED's own close timeout.
    node.on('close', (_removed: boolean, done: () => void) => {
      stopping = true;
      const budget = (connection?.closeWait ?? closeWaitFor(DEFAULT_TIMEOUT)) + CLOSE_GRACE;
      void waitForWork(pending.keys(), budget).then(() => {
        const stopped = new SignalWireError(RED._(`${ERRORS}stopped`), 'network', { code: 'ERR_NODE_STOPPED' });
        for (const finish of pending.values()) finish(stopped);
        pending.clear();
        done();
      });
    });
  }

  RED.nodes.registerType('signalwire-participant-update', ParticipantUpdateNode);
};
