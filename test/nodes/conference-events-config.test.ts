import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEMO_SIDS } from '../../src/emulator/index';
import { helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { captureNodeApp, joinFields, NodeHttpServer, postForm } from './events-kit';
import { statusesOf, type FlowNode } from './flow-kit';

const KEY = 'PSK_config-fuzz-key';

/** Whatever a hand-written or imported flow may hold in each setting. */
const anything = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('', '/', '/signalwire/events', 'events', '/a/:id', '/a/*', '/a(b)', '/../x', '//x', ' /ok '),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 20 }), fc.integer()), { maxLength: 3 }),
  fc.constantFrom(['participant-join'], 'participant-join, conference-start', ['participant-joined']),
  fc.constantFrom('https://home.example.com/hook', 'http://x', 'https://h.example/p?q=1', 'ftp://h/p', 'not a url'),
);

/** Mostly settings that work, so both outcomes come up often. */
function likely<T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: good, weight: 3 }, { arbitrary: anything, weight: 2 });
}

describe('conference events node: any configuration', function () {
  let server: NodeHttpServer;

  before(async () => {
    await startRuntime();
    server = await new NodeHttpServer().listen();
  });
  after(async () => {
    await server.close();
    await stopRuntime();
  });

  it('either serves the path it shows or says which setting is wrong; never crashes, never reads a pattern', async () => {
    let served = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        likely(fc.constantFrom('', undefined, '/signalwire/events', 'events', ' /ok ', '/a/b-c_d.e~f')),
        likely(fc.constantFrom('', undefined, 'https://home.example.com/hook', 'http://x', 'https://h.example:8443/p')),
        likely(fc.constantFrom([], undefined, ['participant-join'], 'participant-join, conference-start', ['x-y'])),
        anything,
        likely(fc.constantFrom(undefined, '', 0, 15, '30', ' 60 ', 1440)),
        async (path, publicUrl, events, verify, timestampTolerance) => {
          const flow: FlowNode[] = [
            { id: 'tab', type: 'tab', label: 'fuzz' },
            { id: 'cfg', type: 'signalwire-config', space: 'http://127.0.0.1:9' },
            {
              id: 'ev',
              type: 'signalwire-conference-events',
              z: 'tab',
              signalwire: 'cfg',
              path,
              publicUrl,
              events,
              verify,
              timestampTolerance,
              wires: [[]],
            },
          ];
          await helper.load([...signalwireNodes, captureNodeApp], flow, { cfg: { signingKey: KEY } });
          try {
            const shown = statusesOf('ev').at(-1);
            const errors = (
              helper.getNode('ev') as unknown as { error: { getCalls(): Array<{ args: unknown[] }> } }
            ).error
              .getCalls()
              .map((c) => String(c.args[0]));
            const text = typeof path === 'string' ? path.trim() : '';
            const where = text === '' ? '/signalwire/conference-events' : text.startsWith('/') ? text : `/${text}`;
            if (shown?.text === 'check settings') {
              refused++;
              assert.equal(shown.fill, 'red');
              assert.ok(
                errors.length > 0 && errors.every((e) => /path|public URL|events filter|timestamp tolerance/.test(e)),
                errors.join(),
              );
              return;
            }
            served++;
            assert.ok(!/[:*()?+]/.test(where), `a pattern was served: ${where}`);
            // Signed for where it listens (or for its public URL): accepted; filtered or not, the answer is 204.
            const url = `${server.url}${where}`;
            // A URL with no path is called at `/`.
            const given = typeof publicUrl === 'string' ? publicUrl.trim().replace(/^(https?:\/\/[^/]+)$/, '$1/') : '';
            const signedUrl = given || url;
            const fields = joinFields(DEMO_SIDS.weeklySync, DEMO_SIDS.erin);
            assert.equal((await postForm(url, fields, { key: KEY, signedUrl })).status, 204, `${where} ${signedUrl}`);
            // Unsigned: refused unless the check was switched off explicitly.
            const off = verify === false || verify === 'false';
            assert.equal((await postForm(url, fields)).status, off ? 204 : 403);
          } finally {
            await helper.unload();
          }
        },
      ),
      { numRuns: 150 },
    );
    assert.ok(served > 10 && refused > 10, `served ${served}, refused ${refused}`);
  });
});
