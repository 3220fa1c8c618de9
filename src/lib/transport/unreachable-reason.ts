import type { SignalWireError } from './errors';

const UNTRUSTED_CERTIFICATE = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Why a space could not be reached, in the few words a person at the editor needs ("no such space:
 * example.signalwire.com", "connection refused", "no answer within 10000 ms"). A cause not listed here keeps the
 * error's own message, which names its code.
 */
export function unreachableReason(failure: SignalWireError, baseUrl: string, timeout: number): string {
  if (failure.source === 'timeout') return `no answer within ${timeout} ms`;
  const host = new URL(baseUrl).host;
  const code = typeof failure.code === 'string' ? failure.code : '';
  if (code === 'ENOTFOUND') return `no such space: ${host}`;
  if (code === 'EAI_AGAIN') return `could not look up ${host} (no answer from DNS)`;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET') return 'the connection was cut';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `no route to ${host}`;
  if (UNTRUSTED_CERTIFICATE.has(code)) return `${host} has a certificate this machine does not trust (${code})`;
  return failure.message;
}
