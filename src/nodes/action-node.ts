import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow, NodeStatus } from 'node-red';
import { SignalWireError, type SignalWireClient } from '../lib/index';
import { closeWaitFor } from '../lib/transport/shutdown';
import { findUnsafeKey } from '../lib/values/unsafe-keys';
import { DEFAULT_TIMEOUT, type SignalWireConnection } from './connection';
import type { Field, FieldReader } from './field-reader';
import { endOnce, failureRoute, sendFailure, statusShower, type Done, type Send } from './message-outcome';
import { waitForWork } from './wait-for-work';

/**
 * What the nodes that act on SignalWire share (participant update, update all, participants, conference, call):
 * the connection, the status under the node, reading the fields, the two outputs, Catch nodes, and letting work
 * finish on redeploy. Each node only says what one message does (`handle`). Every message gets exactly one outcome.
 */

export type ActionNodeDef = NodeDef & {
  signalwire?: string;
  reportToCatch?: boolean;
  /** The node's wires as deployed: for each output, the ids of the nodes it leads to. */
  wires?: string[][];
} & Record<string, unknown>;

/** What a message came to. */
export interface Outcome {
  /** Properties set on the message (payload, conferenceSid, statusCode...). */
  set: Record<string, unknown>;
  /** Short status text under the node (green, or red when `error` is set, yellow when `warning` is). */
  status: string;
  /** Set when the message must leave on output 2 all the same (e.g. some updates of many failed). */
  error?: SignalWireError;
  /** Set when the message succeeded but likely not as meant: logged as a warning, the status yellow. */
  warning?: string;
}

export interface ActionContext {
  client: SignalWireClient;
  /** Reads fields for this message, in order; undefined = not set. A required one is checked with `require`. */
  read(fields: readonly Field[]): Promise<unknown[]>;
  /** Throws the "X is missing: msg.x is not set" validation error for a required field. */
  require(f: Field, value: unknown): void;
}

export interface ActionNodeSpec {
  /** The node's type and message catalog prefix, e.g. `signalwire-conference`. */
  namespace: string;
  /** The node's fields, read with its own catalog's labels (see fieldReader). */
  fields: FieldReader;
  handle(msg: NodeMessage, context: ActionContext): Promise<Outcome>;
}

/** After the client's close budget, how long the node waits for the cancellations to arrive as outcomes. */
const CLOSE_GRACE = 1_000;

/** What a node set up here can still do itself. */
export interface ActionNode {
  /** Shows a status under the node, as its outcomes do (an identical one is not shown again). */
  showStatus(status: NodeStatus): void;
}

export function setUpActionNode(RED: NodeAPI, node: Node, def: ActionNodeDef, spec: ActionNodeSpec): ActionNode {
  const STATUS = `${spec.namespace}.status.`;
  const ERRORS = `${spec.namespace}.errors.`;
  const connection = (def.signalwire ? RED.nodes.getNode(def.signalwire) : null) as SignalWireConnection | null;
  const route = failureRoute(def);
  /** Messages still open, each with the function that ends it with an error (once). */
  const pending = new Map<Promise<void>, (error: SignalWireError) => void>();
  let stopping = false;
  const fields = spec.fields;
  const showStatus = statusShower(node);

  if (!connection) {
    showStatus({ fill: 'red', shape: 'ring', text: RED._(`${STATUS}noConnection`) });
  } else {
    try {
      connection.getClient();
    } catch {
      showStatus({ fill: 'red', shape: 'ring', text: RED._(`${STATUS}badSettings`) });
    }
  }

  const run = async (msg: NodeMessage): Promise<Outcome> => {
    if (!connection) throw new SignalWireError(RED._(`${ERRORS}noConnection`), 'validation');
    const unsafe = findUnsafeKey(msg.payload, 'msg.payload');
    if (unsafe) throw new SignalWireError(RED._(`${ERRORS}unsafeKey`, { path: unsafe }), 'validation');
    const client = connection.getClient();
    return spec.handle(msg, { client, read: async (list) => fields.read(list, msg), require: fields.require });
  };

  const shortReason = (error: SignalWireError): string => {
    if (error.source === 'api') {
      // An answer that was not an HTTP error (a list that never ends, a body too large or of the wrong shape).
      if (error.status === undefined || error.status < 400) return RED._(`${STATUS}badAnswer`);
      return RED._(`${STATUS}apiError`, { status: String(error.status) });
    }
    if (error.source === 'network') {
      // The request left and the connection was cut before its answer came: SignalWire was reached.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return RED._(`${STATUS}answerLost`);
      return RED._(`${STATUS}network`);
    }
    if (error.source === 'timeout') return RED._(`${STATUS}timeout`);
    return RED._(`${STATUS}invalidInput`);
  };

  type Out = NodeMessage & { statusCode?: number; error?: unknown };

  const succeed = (msg: Out, outcome: Outcome, send: Send, done: Done) => {
    // A message that failed before and is sent again should not carry its old error or status code on.
    delete msg.error;
    delete msg.statusCode;
    Object.assign(msg, outcome.set);
    if (outcome.warning) node.warn(outcome.warning);
    showStatus({ fill: outcome.warning ? 'yellow' : 'green', shape: 'dot', text: outcome.status });
    send([msg, null]);
    done();
  };

  const fail = (msg: Out, error: unknown, send: Send, done: Done, status?: string) => {
    const failure =
      error instanceof SignalWireError
        ? error
        : new SignalWireError(String((error as Error)?.message ?? error), 'network');
    msg.error = failure.toJSON();
    if (failure.status !== undefined) msg.statusCode = failure.status;
    else delete msg.statusCode;
    showStatus({ fill: 'red', shape: 'ring', text: status ?? shortReason(failure) });
    if (stopping) return failWhileStopping(msg, failure, send, done);
    sendFailure(route, msg, failure, send, done);
  };

  // While the node stops, Node-RED may have stopped the nodes after it and the Catch nodes with it (every node on
  // a full deploy, a Catch scoped to this node on any deploy), and a stopped node drops what it is sent without a
  // word. So the failure goes to output 2 only when a node it leads to still runs, otherwise to the log, and never
  // to a Catch node: reported once, whatever the deploy.
  const failWhileStopping = (msg: Out, failure: SignalWireError, send: Send, done: Done) => {
    if (route.errorTargets.some((id) => RED.nodes.getNode(id))) send([null, msg]);
    else node.error(failure); // without the message: straight to the log, past the Catch nodes
    done();
  };

  node.on('input', (msg: NodeMessageInFlow, send: Send, done: Done) => {
    // Whatever happens below, the runtime hears about this message once, and no rejection goes unhandled.
    const once = endOnce(done);
    const finish = once.end;
    const out = msg as Out;
    // A message the close handler already ended sends, shows and logs nothing more.
    const work = run(msg)
      .then(
        (outcome) => {
          if (once.ended) return;
          if (!outcome.error) return succeed(out, outcome, send, finish);
          Object.assign(out, outcome.set);
          fail(out, outcome.error, send, finish, outcome.status);
        },
        (error: unknown) => {
          if (!once.ended) fail(out, error, send, finish);
        },
      )
      .catch((error: unknown) => finish(error instanceof Error ? error : new Error(String(error))));
    pending.set(work, (error) => {
      if (!once.ended) fail(out, error, send, finish);
    });
    void work.finally(() => pending.delete(work));
  });

  // A redeploy lets the requests in flight finish, within the connection's close budget: its client then
  // cancels what is left, and each message ends with an error. A moment later anything still open (a field
  // read that never returned) ends here, so the node closes well inside Node-RED's own close timeout.
  node.on('close', (_removed: boolean, done: () => void) => {
    stopping = true;
    const budget = (connection?.closeWait ?? closeWaitFor(DEFAULT_TIMEOUT)) + CLOSE_GRACE;
    void waitForWork(pending.keys(), budget).then(() => {
      const stopped = new SignalWireError(RED._(`${ERRORS}stopped`), 'network', { code: 'ERR_NODE_STOPPED' });
      for (const end of pending.values()) end(stopped);
      pending.clear();
      done();
    });
  });

  return { showStatus };
}
