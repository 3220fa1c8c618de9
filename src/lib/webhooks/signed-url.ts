/** The URL a webhook's signature is checked against, and whether a configured public URL travels in clear. */

/**
 * The public URL when Node-RED sits behind a proxy or tunnel (with the request's query), otherwise the address
 * the request claims to have been sent to: its scheme as Node-RED saw it, its Host header and its path (which
 * includes httpNodeRoot). A forged Host cannot help a forger: the signature covers the whole URL.
 */
export function signedUrl(input: {
  publicUrl: string;
  protocol: string;
  host: string | undefined;
  originalUrl: string;
}): string {
  if (input.publicUrl) {
    const q = input.originalUrl.indexOf('?');
    return q < 0 ? input.publicUrl : input.publicUrl + input.originalUrl.slice(q);
  }
  return `${input.protocol}://${input.host ?? ''}${input.originalUrl}`;
}

/** Whether SignalWire would call this URL over plain HTTP on a host other than this machine. */
export function sendsInClear(publicUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:') return false;
  const host = url.hostname.toLowerCase();
  return !(host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\./.test(host));
}
