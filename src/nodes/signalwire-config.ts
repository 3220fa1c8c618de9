import type { NodeAPI } from 'node-red';
import type { Request, Response } from 'express';
import { CallPacer, closeWaitFor, CredentialRedactor, SignalWireClient, SignalWireError } from '../lib/index';
import type { ConnectionCheck } from '../lib/types';
import { sendsInClear } from '../lib/webhooks/signed-url';
import {
  DEFAULT_TIMEOUT,
  resolveClientSettings,
  resolvePublicUrl,
  resolveSigningKey,
  type SignalWireConfigDef,
  type SignalWireConnection,
  type SignalWireCredentials,
} from './connection';

/** What the editor shows in a password field when a value is stored; it means "keep the stored one". */
const STORED_PASSWORD = '__PWRD__';

export = function (RED: NodeAPI) {
  function SignalWireConfigNode(this: SignalWireConnection, def: SignalWireConfigDef) {
    RED.nodes.createNode(this, def);
    setUp(this, def);
  }

  function setUp(node: SignalWireConnection, def: SignalWireConfigDef) {
    const settings = resolveClientSettings(def, node.credentials);
    let client: SignalWireClient | undefined;
    let settingsError: SignalWireError | undefined;
    let pacer: CallPacer | undefined;
    let closed = false;
    const closedError = () =>
      new SignalWireError(RED._('signalwire-config.errors.closed'), 'network', { code: 'ERR_CLIENT_CLOSED' });

    const timeout = settings.timeout;
    const usableTimeout = typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0;
    Object.defineProperty(node, 'closeWait', { value: closeWaitFor(usableTimeout ? timeout : DEFAULT_TIMEOUT) });
    Object.defineProperty(node, 'space', { value: settings.space });
    // A function rather than a property, so the key never shows when the node object is printed or copied.
    const signingKey = resolveSigningKey(node.credentials);
    Object.defineProperty(node, 'getSigningKey', { value: () => signingKey });

    // Said at every deploy: a node that needs SignalWire to reach it then says it has no Public URL.
    const publicUrl = resolvePublicUrl(def);
    if (!publicUrl.ok) node.error(RED._('signalwire-config.errors.publicUrl', { value: publicUrl.value }));
    else if (sendsInClear(publicUrl.url)) {
      node.warn(RED._('signalwire-config.errors.publicUrlInClear', { url: publicUrl.url }));
    }
    const publicBase = publicUrl.ok ? publicUrl.url : '';
    node.getPublicUrl = () => publicBase;

    // One per connection, made on first use like the client: every call node using it waits in one queue.
    node.getCallPacer = () => {
      if (pacer) return pacer;
      if (closed) throw closedError();
      pacer = new CallPacer({ callsPerSecond: def.callsPerSecond });
      return pacer;
    };

    // Created on first use, so a connection no node uses never complains about its settings.
    node.getClient = () => {
      if (client) return client;
      // A client made now would never be closed (its sockets and timers would outlive the flow).
      if (closed) throw closedError();
      if (settingsError) throw settingsError;
      try {
        client = new SignalWireClient(settings);
        return client;
      } catch (error) {
        settingsError =
          error instanceof SignalWireError
            ? error
            : new SignalWireError(String((error as Error)?.message ?? error), 'validation');
        throw settingsError;
      }
    };

    // Nodes and their connection are closed at the same time. The client lets accepted requests finish for at
    // most closeWait, then cancels the rest, so every message still gets an outcome within Node-RED's budget.
    node.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      // Calls still waiting their turn are not placed; each ends with an error saying so.
      pacer?.close();
      Promise.resolve(client?.close())
        .catch((error: unknown) => node.warn(String((error as Error)?.message ?? error)))
        .finally(() => {
          client = undefined;
          done();
        });
    });
  }

  RED.nodes.registerType<SignalWireConnection, SignalWireConfigDef, unknown, SignalWireCredentials>(
    'signalwire-config',
    SignalWireConfigNode,
    {
      credentials: {
        projectId: { type: 'text' },
        token: { type: 'password' },
        signingKey: { type: 'password' },
      },
    },
  );

  /**
   * "Check connection" in the editor: one harmless authenticated request with the values in the form. A token
   * left empty or shown as stored means the one the runtime holds for this node. The token never goes back.
   */
  RED.httpAdmin.post(
    '/signalwire-config/check',
    RED.auth.needsPermission('signalwire-config.write'),
    (req: Request, res: Response) => {
      checkConnection(RED, req.body)
        .then((answer) => res.json(answer))
        .catch((error: unknown) => {
          // The editor always gets an answer, and the runtime no unhandled rejection.
          const message = String((error as Error)?.message ?? error);
          res.status(500).json({ ok: false, reason: 'other', message: redactWith(req.body, message) });
        });
    },
  );
};

type CheckAnswer =
  | { ok: true; space: string; projectId: string }
  | { ok: false; reason: Exclude<ConnectionCheck, { ok: true }>['reason']; message: string };

async function checkConnection(RED: NodeAPI, body: unknown): Promise<CheckAnswer> {
  const form = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const id = text(form.id);
  const stored = (id ? RED.nodes.getCredentials(id) : undefined) as SignalWireCredentials | undefined;
  const typedToken = text(form.token);
  const tokenTyped = typedToken !== '' && typedToken !== STORED_PASSWORD;
  const typedProjectId = text(form.projectId);
  const credentials: SignalWireCredentials = {
    projectId: typedProjectId || stored?.projectId,
    token: tokenTyped ? typedToken : stored?.token,
  };
  const settings = resolveClientSettings(
    { space: text(form.space), timeout: text(form.timeout), retries: 0 },
    credentials,
  );
  // A token the form does not show (stored, or from the environment) only goes where the runtime already sends
  // it: otherwise anyone with the editor could point the space at their own server and collect the token.
  if (!tokenTyped) {
    const deployed = id ? (RED.nodes.getNode(id) as SignalWireConnection | null) : null;
    const trustedSpace = deployed ? deployed.space : resolveClientSettings({}, undefined).space;
    if (settings.space !== trustedSpace) {
      return { ok: false, reason: 'invalid', message: RED._('signalwire-config.errors.retypeToken') };
    }
  }

  let client: SignalWireClient | undefined;
  try {
    client = new SignalWireClient(settings);
    const result = await client.checkConnection();
    const redactor = new CredentialRedactor(settings.token, settings.projectId);
    return result.ok
      ? { ok: true, space: result.space, projectId: result.projectId }
      : { ok: false, reason: result.reason, message: redactor.redact(result.message) };
  } catch (error) {
    const message = new CredentialRedactor(settings.token, settings.projectId).redact(
      String((error as Error)?.message ?? error),
    );
    const reason = error instanceof SignalWireError && error.source === 'validation' ? 'invalid' : 'other';
    return { ok: false, reason, message };
  } finally {
    await client?.close().catch(() => undefined);
  }
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

/** A message from a failed check, without the token the form carried (the stored one is never quoted). */
function redactWith(body: unknown, message: string): string {
  const form = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return new CredentialRedactor(text(form.token), text(form.projectId)).redact(message);
}
