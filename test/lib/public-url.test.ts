import assert from 'node:assert/strict';
import fc from 'fast-check';
import { publicRouteUrl, readPublicUrl } from '../../src/lib/webhooks/public-url';

describe('Public URL', () => {
  it('takes a base address, with a path when Node-RED sits under one, without its trailing slash', () => {
    const cases: Array<[unknown, string]> = [
      [undefined, ''],
      ['', ''],
      ['   ', ''],
      ['https://home.example.com', 'https://home.example.com'],
      [' https://home.example.com/ ', 'https://home.example.com'],
      ['https://home.example.com:8443/node-red//', 'https://home.example.com:8443/node-red'],
      ['http://127.0.0.1:1880', 'http://127.0.0.1:1880'],
      ['https://home.example.com/rød', 'https://home.example.com/r%C3%B8d'],
    ];
    for (const [given, url] of cases) assert.deepEqual(readPublicUrl(given), { ok: true, url }, String(given));
  });

  it('refuses what cannot be a base: another scheme, no host, a query, a fragment, a password, not text', () => {
    for (const given of [
      'home.example.com',
      'ftp://home.example.com',
      'https://',
      'https://home.example.com/?a=1',
      'https://home.example.com/#x',
      'https://user:secret@home.example.com',
      'https://home.example.com\\evil',
      'https://home.example.com/my red',
      42,
      true,
    ]) {
      const reading = readPublicUrl(given);
      assert.equal(reading.ok, false, String(given));
    }
  });

  it('whatever is typed: either refused, or a base that gains a route by plain concatenation', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.webUrl(),
          fc.webUrl().map((u) => `${u}/`),
        ),
        (typed) => {
          const reading = readPublicUrl(typed);
          if (!reading.ok || reading.url === '') return;
          const route = `${reading.url}/signalwire/join`;
          const parsed = new URL(route);
          assert.ok(parsed.pathname.endsWith('/signalwire/join'), route);
          assert.equal(parsed.search, '');
          assert.equal(parsed.username, '');
          assert.ok(!reading.url.endsWith('/'));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("builds a route's public URL with Node-RED's httpNodeRoot, however it is written", () => {
    const base = 'https://home.example.com';
    assert.equal(publicRouteUrl(base, undefined, '/signalwire/join'), `${base}/signalwire/join`);
    assert.equal(publicRouteUrl(base, '/', '/signalwire/join'), `${base}/signalwire/join`);
    assert.equal(publicRouteUrl(base, '/api/', '/signalwire/join'), `${base}/api/signalwire/join`);
    assert.equal(publicRouteUrl(base, 'api', 'signalwire/join'), `${base}/api/signalwire/join`);
    assert.equal(publicRouteUrl('', '/api', '/signalwire/join'), '');
  });
});
