import type { Node, NodeDef } from 'node-red';
import type { CallPacer, SignalWireClient } from '../lib/index';
import type { ClientSettings } from '../lib/types';
import { readPublicUrl, type PublicUrlReading } from '../lib/webhooks/public-url';

/** What the config node's form saves in the flow (never the secrets). */
export interface SignalWireConfigDef extends NodeDef {
  space?: string;
  timeout?: string | number;
  retries?: string | number;
  maxInFlight?: string | number;
  /** The base address SignalWire reaches this Node-RED at, e.g. https://home.example.com. */
  publicUrl?: string;
  /** How many new calls a second the connection starts at most (SignalWire's default: 1). */
  callsPerSecond?: string | number;
}

/** Stored by Node-RED apart from the flow, encrypted; the token is never sent back to the editor. */
export interface SignalWireCredentials {
  projectId?: string;
  token?: string;
  /** Checks the signature on status callbacks; not the API token. */
  signingKey?: string;
}

/** The config node as the nodes that use it see it. */
export interface SignalWireConnection extends Node<SignalWireCredentials> {
  /** The client every node using this connection shares. Throws a SignalWireError when the settings cannot work. */
  getClient(): SignalWireClient;
  /** How long a redeploy lets requests in flight run before the client cancels them, in milliseconds (≤ 10 s). */
  readonly closeWait: number;
  /** The space this connection sends its credentials to (the form's, or SIGNALWIRE_SPACE). */
  readonly space: string;
  /** The project's Signing Key (the form's, or SIGNALWIRE_SIGNING_KEY); empty when there is none. */
  getSigningKey(): string;
  /**
   * The base address SignalWire reaches this Node-RED at (the form's Public URL, or SIGNALWIRE_PUBLIC_URL), with no
   * trailing slash; '' when there is none, or when the one given cannot be used (the connection logs why).
   */
  getPublicUrl(): string;
  /**
   * The pacer every call this connection creates waits its turn at (one per connection). Throws a SignalWireError
   * when Calls per second cannot work.
   */
  getCallPacer(): CallPacer;
}

export const DEFAULT_TIMEOUT = 10_000;

/**
 * The client settings from the form, the stored credentials and, for whatever is left empty, the environment
 * (containers and shared flows keep secrets out of flows.json this way).
 */
export function resolveClientSettings(
  def: Pick<SignalWireConfigDef, 'space' | 'timeout' | 'retries' | 'maxInFlight'>,
  credentials: SignalWireCredentials | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ClientSettings {
  const settings: ClientSettings = {
    space: firstSet(def.space, env.SIGNALWIRE_SPACE),
    projectId: firstSet(credentials?.projectId, env.SIGNALWIRE_PROJECT_ID),
    token: firstSet(credentials?.token, env.SIGNALWIRE_TOKEN),
  };
  const timeout = toNumber(def.timeout);
  const retries = toNumber(def.retries);
  const maxInFlight = toNumber(def.maxInFlight);
  if (timeout !== undefined) settings.timeout = timeout;
  if (retries !== undefined) settings.retries = retries;
  if (maxInFlight !== undefined) settings.maxInFlight = maxInFlight;
  return settings;
}

/** The Public URL from the form, else SIGNALWIRE_PUBLIC_URL, read and checked (see public-url.ts). */
export function resolvePublicUrl(
  def: Pick<SignalWireConfigDef, 'publicUrl'>,
  env: NodeJS.ProcessEnv = process.env,
): PublicUrlReading {
  const given = def.publicUrl;
  const typed = typeof given === 'string' ? given.trim() !== '' : given !== undefined && given !== null;
  return readPublicUrl(typed ? given : env.SIGNALWIRE_PUBLIC_URL);
}

/** The Signing Key from the stored credentials, else the environment. */
export function resolveSigningKey(
  credentials: SignalWireCredentials | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return firstSet(credentials?.signingKey, env.SIGNALWIRE_SIGNING_KEY);
}

function firstSet(...values: Array<string | undefined>): string {
  for (const value of values) {
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return '';
}

/** Empty means "use the client's default"; anything else is passed on for the client to check. */
function toNumber(value: string | number | undefined): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'number' ? value : Number(value);
}
