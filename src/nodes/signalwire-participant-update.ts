import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow, NodeStatus } from 'node-red';
import { SignalWireError } from '../lib/index';
import type { ConferenceParticipant } from '../lib/types';
import { summarizeParticipant } from '../lib/participant-summary';
import { findUnsafeKey } from '../lib/unsafe-keys';
import { DEFAULT_TIMEOUT, type SignalWireConnection } from './connection';
import { CALL_SID_FIELD, CONFERENCE_SID_FIELD, PARTICIPANT_OPTION_FIELDS } from './field-definitions';
import { fieldReader, UNCHANGED } from './field-reader';
import { waitForWork } from './wait-for-work';

/** Each field is a typedInput: its value and its type (`msg`, `str`, `bool`, ... or one of ours). */
type ParticipantUpdateDef = NodeDef & {
  signalwire?: string;
  reportToCatch?: boolean;
} & Record<string, unknown>;

const NAMESPACE = 'signalwire-participant-update';
const STATUS = `${NAMESPACE}.status.`;
const ERRORS = `${NAMESPACE}.errors.`;

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
    const pending = new Set<Promise<void>>();
    const errorWires = (node as Node & { wires?: string[][] }).wires?.[1];
    const errorOutputWired = Array.isArray(errorWires) && errorWires.length > 0;

    const fields = fieldReader(RED, node, def, NAMESPACE);
    const conferenceSid = fields.field(CONFERENCE_SID_FIELD.name, CONFERENCE_SID_FIELD.defaultPath);
    const callSid = fields.field(CALL_SID_FIELD.name, CALL_SID_FIELD.defaultPath);
    const options = PARTICIPANT_OPTION_FIELDS.map((f) => fields.field(f.name, f.defaultPath)).filter(
      (f) => f.type !== UNCHANGED,
    );

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

    const update = async (msg: NodeMessage): Promise<{ payload: unknown; statusCode: number }> => {
      if (!connection) throw new SignalWireError(RED._(`${ERRORS}noConnection`), 'validation');
      const unsafe = findUnsafeKey(msg.payload, 'msg.payload');
      if (unsafe) throw new SignalWireError(RED._(`${ERRORS}unsafeKey`, { path: unsafe }), 'validation');

      const [conference, call, ...values] = await fields.read([conferenceSid, callSid, ...options], msg);
      for (const [f, value] of [
        [conferenceSid, conference],
        [callSid, call],
      ] as const) {
        if (value === undefined || value === null || value === '') {
          throw new SignalWireError(
            RED._(`${ERRORS}missingSid`, { field: f.label, where: fields.where(f) }),
            'validation',
          );
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
      // done(err) is what Catch nodes and the debug sidebar see: never leave an error unseen.
      if (!errorOutputWired || reportToCatch) done(failure);
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
      const work = update(msg)
        .then(
          (result) => succeed(msg, result.payload, result.statusCode, send, finish),
          (error: unknown) => fail(msg, error, send, finish),
        )
        .catch((error: unknown) => finish(error instanceof Error ? error : new Error(String(error))));
      pending.add(work);
      void work.finally(() => pending.delete(work));
      connection?.track(work);
    });

    // A redeploy lets the requests in flight finish (each message still gets its outcome), within a bound.
    node.on('close', (_removed: boolean, done: () => void) => {
      void waitForWork(pending, connection?.closeWait ?? DEFAULT_TIMEOUT).then(() => done());
    });
  }

  RED.nodes.registerType('signalwire-participant-update', ParticipantUpdateNode);
};
