/**
 * RFC 2822 dates as the Compatibility API writes them ("Wed, 18 Aug 2010 20:20:06 +0000").
 * Cached per second: the benchmark asks for thousands a second.
 */
let cachedSecond = -1;
let cachedText = '';

export function rfc2822Now(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedText = new Date(second * 1000).toUTCString().replace('GMT', '+0000');
  }
  return cachedText;
}
