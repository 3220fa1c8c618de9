import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  checkSignature,
  computeSignature,
  portVariants,
  signatureFromHeaders,
  type FormField,
} from '../../src/lib/webhooks/webhook-signature';

// The official SDK ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RestClient } = require('@signalwire/compatibility-api') as {
  RestClient: {
    validateRequest(key: string, header: string, url: string, params: object, quiet?: boolean): boolean;
    validateRequestWithBody(key: string, header: string, url: string, body: string): boolean;
  };
};

// The test vector published with SignalWire's SDK tests (see the API reference, section 4).
const VECTOR = {
  key: '12345',
  url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
  fields: [
    ['CallSid', 'CA1234567890ABCDE'],
    ['Caller', '+14158675309'],
    ['Digits', '1234'],
    ['From', '+14158675309'],
    ['To', '+18005551212'],
  ] as FormField[],
  signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
};

/** The SDK's params: one key per name, an array for a repeated name (no prototype, so any name is a plain key). */
function sdkParams(fields: readonly FormField[]): Record<string, string | string[]> {
  const params = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of fields) {
    const before = params[name];
    params[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
  }
  return params;
}

/** The official SDK's answer: true when the signature is valid. */
function sdkAccepts(key: string, header: string, url: string, fields: readonly FormField[]): boolean {
  // The last argument silences the SDK's hint about RELAY requests.
  return RestClient.validateRequest(key, header, url, sdkParams(fields), true);
}

function oursAccepts(key: string, header: string, url: string, fields: readonly FormField[]): boolean {
  return checkSignature({ signingKey: key, signature: header, url, fields }).ok;
}

// --- generators of what SignalWire may call and send ---

const anyText = fc.string({ unit: 'binary', maxLength: 12 });
const fieldName = fc.oneof(
  fc.constantFrom('ConferenceSid', 'CallSid', 'Muted', 'Hold', 'StatusCallbackEvent', 'Timestamp', 'a', 'A', 'Ä'),
  anyText,
);
const fieldValue = fc.oneof(fc.constant(''), fc.constantFrom('true', 'false', '+14158675309'), anyText);
/** Names drawn from a few, so repeated names are common; empty values and unicode too. */
const fields = fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 8 }) as fc.Arbitrary<FormField[]>;

const host = fc.oneof(
  fc.domain(),
  fc.ipV4(),
  fc.constantFrom('localhost', 'Home.Example.COM', '[::1]', 'xn--bcher-kva.example'),
);
const port = fc.oneof(
  fc.constant(''),
  fc.constantFrom(':80', ':443', ':8080', ':1880', ':0443', ':080', ':'),
  fc.integer({ min: 1, max: 65535 }).map((n) => `:${n}`),
);
const pathChar = fc.oneof(
  fc.constantFrom(..."abcXYZ019-._~!$&'()*+,;=:@".split('')),
  fc.constantFrom('%20', '%2F', '%C3%A9', 'é', '日', '😀'),
);
const segment = fc.array(pathChar, { maxLength: 6 }).map((chars) => chars.join(''));
const path = fc.array(segment, { maxLength: 4 }).map((segments) => segments.map((s) => `/${s}`).join(''));
/** Names repeat; values empty, encoded, or raw unicode as some senders leave them. */
const queryPart = fc
  .tuple(fc.constantFrom('x', 'tenant', 'room', 'é', 'a b'), fc.oneof(fc.constant(''), anyText), fc.boolean())
  .map(([k, v, encoded]) => `${encodeURIComponent(k)}=${encoded ? encodeURIComponent(v) : v}`);
const query = fc.oneof(
  fc.constant(''),
  fc.constant('?'),
  fc.array(queryPart, { minLength: 1, maxLength: 4 }).map((parts) => `?${parts.join('&')}`),
);
const scheme = fc.constantFrom('https', 'http', 'HTTPS', 'Http');
const url = fc.tuple(scheme, host, port, path, query).map(([s, h, p, pa, q]) => `${s}://${h}${p}${pa}${q}`);
const key = fc.oneof(fc.constantFrom('PSK_abc123', '12345'), fc.string({ unit: 'binary', maxLength: 40 }));

describe('webhook signature', () => {
  it('gives the published test vector its signature, and accepts it', () => {
    assert.equal(computeSignature(VECTOR.key, VECTOR.url, VECTOR.fields), VECTOR.signature);
    assert.deepEqual(
      checkSignature({ signingKey: VECTOR.key, signature: VECTOR.signature, url: VECTOR.url, fields: VECTOR.fields }),
      { ok: true },
    );
    assert.equal(sdkAccepts(VECTOR.key, VECTOR.signature, VECTOR.url, VECTOR.fields), true);
  });

  it('refuses the test vector with a changed parameter, another key, another URL, or no signature', () => {
    const changed = VECTOR.fields.map(([n, v]) => [n, n === 'Digits' ? '1235' : v] as FormField);
    const check = (over: Partial<Parameters<typeof checkSignature>[0]>) =>
      checkSignature({
        signingKey: VECTOR.key,
        signature: VECTOR.signature,
        url: VECTOR.url,
        fields: VECTOR.fields,
        ...over,
      });
    assert.deepEqual(check({ fields: changed }), { ok: false, problem: 'mismatch' });
    assert.deepEqual(check({ signingKey: '12346' }), { ok: false, problem: 'mismatch' });
    assert.deepEqual(check({ url: 'https://mycompany.com/other.php?foo=1&bar=2' }), { ok: false, problem: 'mismatch' });
    assert.deepEqual(check({ signature: undefined }), { ok: false, problem: 'missing' });
    assert.deepEqual(check({ signature: '' }), { ok: false, problem: 'missing' });
  });

  it('accepts the URL with the default port written out, or with the port left out', () => {
    const signedWithPort = computeSignature(
      VECTOR.key,
      'https://mycompany.com:443/myapp.php?foo=1&bar=2',
      VECTOR.fields,
    );
    assert.equal(oursAccepts(VECTOR.key, signedWithPort, VECTOR.url, VECTOR.fields), true);
    // Behind a tunnel on another port, SignalWire may sign without it.
    assert.equal(
      oursAccepts(VECTOR.key, VECTOR.signature, 'https://mycompany.com:8443/myapp.php?foo=1&bar=2', VECTOR.fields),
      true,
    );
    assert.deepEqual(portVariants('HTTP://Example.com:80'), {
      withPort: 'http://example.com:80/',
      withoutPort: 'http://example.com/',
    });
  });

  it('agrees with the SDK on a query holding a line or paragraph separator (U+2028, U+2029)', () => {
    for (const separator of ['\u2028', '\u2029']) {
      const url = `https://localhost:1?x=${separator}&x=`;
      const signature = computeSignature('PSK_abc123', 'https://localhost:1/?x=' + separator + '&x=', []);
      assert.equal(sdkAccepts('PSK_abc123', signature, url, []), true);
      assert.equal(oursAccepts('PSK_abc123', signature, url, []), true);
    }
  });

  it('reads X-SignalWire-Signature first, then X-Twilio-Signature', () => {
    assert.equal(signatureFromHeaders({ 'x-signalwire-signature': 'a', 'x-twilio-signature': 'b' }), 'a');
    assert.equal(signatureFromHeaders({ 'x-twilio-signature': 'b' }), 'b');
    assert.equal(signatureFromHeaders({ 'x-signalwire-signature': '', 'x-twilio-signature': 'b' }), 'b');
    assert.equal(signatureFromHeaders({}), undefined);
  });

  it('checks the body against bodySHA256 and signs the URL alone', () => {
    const body = '{"event":"participant-join"}';
    const hash = createHash('sha256').update(body).digest('hex');
    const signedUrl = `https://home.example.com/hook?bodySHA256=${hash}`;
    const signature = computeSignature('PSK_1', signedUrl, []);
    const check = (rawBody: string) =>
      checkSignature({ signingKey: 'PSK_1', signature, url: signedUrl, fields: [['x', 'y']], rawBody });
    assert.deepEqual(check(body), { ok: true });
    assert.deepEqual(check(`${body} `), { ok: false, problem: 'body-hash' });
    assert.equal(RestClient.validateRequestWithBody('PSK_1', signature, signedUrl, body), true);
    assert.equal(RestClient.validateRequestWithBody('PSK_1', signature, signedUrl, `${body} `), false);
  });

  it('agrees with the official SDK on thousands of random requests, valid and forged', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(key, url, fields, fc.nat(6), anyText, (k, u, f, pick, junk) => {
        const variants = portVariants(u);
        const header = [
          computeSignature(k, variants.withPort, f),
          computeSignature(k, variants.withoutPort, f),
          computeSignature(k, u, f),
          computeSignature(`${k}x`, variants.withoutPort, f),
          computeSignature(k, variants.withoutPort, [...f, ['Extra', '1']]),
          computeSignature(k, variants.withoutPort, f).slice(1),
          junk,
        ][pick]!;
        const sdk = sdkAccepts(k, header, u, f);
        const ours = oursAccepts(k, header, u, f);
        if (ours) accepted++;
        else refused++;
        assert.equal(ours, sdk, `key ${JSON.stringify(k)} url ${JSON.stringify(u)} header ${header}`);
      }),
      { numRuns: 5000 },
    );
    // Both answers came up often: the agreement is not only on refusals.
    assert.ok(accepted > 1000 && refused > 1000, `accepted ${accepted}, refused ${refused}`);
  });

  it('agrees with the SDK on bodySHA256 requests, right and wrong bodies', () => {
    fc.assert(
      fc.property(key, url, fc.string({ unit: 'binary', maxLength: 60 }), fc.boolean(), (k, u, body, tamper) => {
        const hash = createHash('sha256').update(body, 'utf8').digest('hex');
        const signedUrl = `${u.split('?')[0]}?bodySHA256=${hash}`;
        const signature = computeSignature(k, portVariants(signedUrl).withoutPort, []);
        const sent = tamper ? `${body}!` : body;
        const ours = checkSignature({ signingKey: k, signature, url: signedUrl, fields: [], rawBody: sent }).ok;
        assert.equal(ours, !tamper);
        assert.equal(ours, RestClient.validateRequestWithBody(k, signature, signedUrl, sent));
      }),
      { numRuns: 1000 },
    );
  });
});
