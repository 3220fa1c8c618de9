/**
 * How a node that acts on messages (action-node.ts, the answer call node) ends each one: once, on output 1 when
 * it succeeded, and when it failed on output 2 and/or through `done(err)` as the node's wiring and settings say.
 */
import type { Node, NodeMessage, NodeStatus } from 'node-red';

export type Send = (msg: NodeMessage | Array<NodeMessage | null>) => void;
export type Done = (err?: Error) => void;

/** Where a node's failures go, from its settings and its wires as deployed. */
export interface FailureRoute {
  /** The ids of the nodes output 2 leads to. */
  errorTargets: string[];
  /** Whether output 2 leads anywhere. */
  errorOutputWired: boolean;
  /** "Report to Catch nodes too" is ticked. */
  reportToCatch: boolean;
}

export function failureRoute(def: { wires?: string[][]; reportToCatch?: unknown }): FailureRoute {
  const errorTargets = Array.isArray(def.wires?.[1]) ? def.wires[1] : [];
  return { errorTargets, errorOutputWired: errorTargets.length > 0, reportToCatch: def.reportToCatch === true };
}

/**
 * A failed message goes to output 2 when it is wired; through done(err), which Catch nodes and the Debug sidebar
 * see, when it is not or when Catch is asked for too: an error never goes unseen.
 */
export function sendFailure(route: FailureRoute, msg: NodeMessage, error: Error, send: Send, done: Done): void {
  if (route.errorOutputWired) send([null, msg]);
  if (!route.errorOutputWired || route.reportToCatch) done(error);
  else done();
}

/** The runtime hears about a message once, however many paths reach `end`. */
export function endOnce(done: Done): { end: Done; readonly ended: boolean } {
  let ended = false;
  return {
    end: (err) => {
      if (ended) return;
      ended = true;
      done(err);
    },
    get ended() {
      return ended;
    },
  };
}

/** Shows a status under the node, unless it is the one already shown: each costs an editor event for nothing. */
export function statusShower(node: Pick<Node, 'status'>): (status: NodeStatus) => void {
  let last = '';
  return (status) => {
    const key = `${status.fill}|${status.shape}|${status.text}`;
    if (key === last) return;
    last = key;
    node.status(status);
  };
}
