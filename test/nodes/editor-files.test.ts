import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The editor files are hand-written HTML the runtime never executes in these tests; a missing string or icon
 * only shows in the browser. These checks catch the typos that would show a raw key or a broken icon.
 */
const ROOT = path.join(__dirname, '..', '..');
const TYPES = [
  'signalwire-config',
  'signalwire-participant-update',
  'signalwire-conference',
  'signalwire-participants',
  'signalwire-participants-update',
  'signalwire-conference-events',
  'signalwire-call',
  'signalwire-incoming-call',
  'signalwire-answer',
];

function read(...parts: string[]): string {
  return fs.readFileSync(path.join(ROOT, ...parts), 'utf8');
}

/** The messages a script's fields check with through option-fields.js: each `'invalid…'` it names, and the shared ones. */
function fieldCheckKeys(script: string): string[] {
  const shared = read('resources', 'option-fields.js');
  return [
    ...[...script.matchAll(/'(invalid[A-Za-z]+)'/g)].map((m) => `errors.${m[1]!}`),
    ...[...shared.matchAll(/text\('([A-Za-z.]+)'\)/g)].map((m) => m[1]!),
  ];
}

function lookup(catalog: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalog);
}

describe('editor files', () => {
  for (const type of TYPES) {
    describe(type, () => {
      const html = read('nodes', `${type}.html`);
      const catalog = JSON.parse(read('nodes', 'locales', 'en-US', `${type}.json`)) as unknown;
      const help = read('nodes', 'locales', 'en-US', `${type}.html`);

      it('registers the type with a literal RED.nodes.registerType call', () => {
        assert.match(html, new RegExp(`RED\\.nodes\\.registerType\\('${type}',`));
        assert.match(html, new RegExp(`data-template-name="${type}"`));
      });

      it('has every string it names in its message catalog', () => {
        const keys = new Set<string>();
        for (const m of html.matchAll(/data-i18n="(?:\[[a-z]+\])?([^"]+)"/g)) keys.add(m[1]!);
        for (const m of html.matchAll(/_\('([a-z-]+\.[A-Za-z.]+[A-Za-z])'/g)) keys.add(m[1]!);
        for (const m of html.matchAll(/_\('([a-z-]+\.[A-Za-z.]+\.)' \+/g)) keys.add(`${m[1]!}*`);
        assert.ok(keys.size > 5, `found ${keys.size} keys`);
        const missing = [...keys]
          .filter((key) => !key.startsWith('node-red:'))
          .filter((key) =>
            key.endsWith('.*')
              ? lookup(catalog, key.slice(0, -2)) === undefined
              : typeof lookup(catalog, key) !== 'string',
          );
        assert.deepEqual(missing, []);
      });

      it('has help in Node-RED form: a one-line summary first, then the sections', () => {
        assert.match(help, new RegExp(`<script type="text/html" data-help-name="${type}">\\s*<p>[^<]+</p>`));
        assert.match(help, /<h3>References<\/h3>[\s\S]*https:\/\/signalwire\.com\/docs\//);
        assert.match(help, /<h3>Details<\/h3>/);
      });
    });
  }

  for (const type of TYPES.slice(1)) {
    it(`${type} uses an icon that ships in icons/`, () => {
      const html = read('nodes', `${type}.html`);
      const icon = /icon: '([^']+)'/.exec(html)?.[1];
      assert.ok(icon, 'icon set');
      const svg = read('icons', icon);
      assert.match(svg, /<svg[^>]+viewBox="0 0 40 60"/);
    });
  }

  const documented: Array<[string, string[]]> = [
    [
      'signalwire-conference',
      [
        'friendlyName',
        'conferenceSid',
        'payload.status',
        'payload.announceUrl',
        'payload.announceMethod',
        'payload',
        'statusCode',
        'error',
      ],
    ],
    [
      'signalwire-participants',
      ['conferenceSid', 'callSid', 'payload.muted', 'payload.hold', 'payload', 'statusCode', 'error'],
    ],
    [
      'signalwire-participants-update',
      [
        'conferenceSid',
        'except',
        'payload.muted',
        'payload.hold',
        'payload.holdUrl',
        'payload.announceUrl',
        'payload.waitUrl',
        'payload.coaching',
        'payload',
        'error',
      ],
    ],
    [
      'signalwire-call',
      [
        'to',
        'from',
        'conference',
        'timeout',
        'payload.muted',
        'payload.startConferenceOnEnter',
        'payload.endConferenceOnExit',
        'payload.beep',
        'payload.waitUrl',
        'callSid',
        'payload',
        'statusCode',
        'error',
      ],
    ],
  ];
  for (const [type, names] of documented) {
    it(`${type} documents every input and output property it reads or writes`, () => {
      const help = read('nodes', 'locales', 'en-US', `${type}.html`);
      for (const name of names) assert.match(help, new RegExp(`<dt[^>]*>${name.replace('.', '\\.')} `), name);
    });
  }

  for (const type of TYPES.slice(1)) {
    it(`${type} is registered in package.json under the file the build makes`, () => {
      const pkg = JSON.parse(read('package.json')) as { 'node-red': { nodes: Record<string, string> } };
      assert.equal(pkg['node-red'].nodes[type], `dist/nodes/${type}.js`);
      assert.ok(fs.existsSync(path.join(ROOT, 'src', 'nodes', `${type}.ts`)));
    });
  }

  it('gives each node one name, its palette label, and the README heads its section with it', () => {
    const readme = read('README.md');
    const names = TYPES.map((type) => {
      const catalog = JSON.parse(read('nodes', 'locales', 'en-US', `${type}.json`)) as unknown;
      return [type, lookup(catalog, `${type}.paletteLabel`)] as const;
    });
    for (const [type, name] of names) {
      assert.equal(typeof name, 'string', `${type} has a paletteLabel`);
      const heading = `${(name as string)[0]!.toUpperCase()}${(name as string).slice(1)}`;
      assert.match(readme, new RegExp(`^### ${heading} \\(\`${type}\`\\)$`, 'm'), type);
    }
    // The names the nodes went by before are gone from what a user reads: the README, the help, the examples.
    const texts = [
      ['README.md', readme],
      ...TYPES.map((type) => [`help of ${type}`, read('nodes', 'locales', 'en-US', `${type}.html`)]),
      ...fs.readdirSync(path.join(ROOT, 'examples')).map((file) => [file, read('examples', file)]),
    ];
    for (const [where, text] of texts) assert.doesNotMatch(text!, /Participant Update|conference mute \/ hold/, where);
  });

  it('names the connection "SignalWire connection" where the editor names its kind', () => {
    const html = read('nodes', 'signalwire-config.html');
    assert.match(html, /paletteLabel: function \(\) \{\s*return this\._\('signalwire-config\.paletteLabel'\);/);
    const catalog = JSON.parse(read('nodes', 'locales', 'en-US', 'signalwire-config.json')) as unknown;
    assert.equal(lookup(catalog, 'signalwire-config.paletteLabel'), 'SignalWire connection');
  });

  it('the update all dialog takes its option fields from the shared piece, as participant update does', () => {
    for (const type of ['signalwire-participant-update', 'signalwire-participants-update']) {
      const html = read('nodes', `${type}.html`);
      assert.match(html, /src="resources\/@callflows\/node-red-signalwire\/participant-options\.js"/);
      assert.match(html, new RegExp(`options\\.addToForm\\('${type}'\\)`));
      assert.match(html, /<!-- participant-options:fields -->/);
    }
  });

  it('documents every input and output property the node reads or writes', () => {
    const help = read('nodes', 'locales', 'en-US', 'signalwire-participant-update.html');
    for (const name of [
      'conferenceSid',
      'callSid',
      'payload.muted',
      'payload.hold',
      'payload.holdUrl',
      'payload.holdMethod',
      'payload.announceUrl',
      'payload.announceMethod',
      'payload.waitUrl',
      'payload.waitMethod',
      'payload.coaching',
      'payload.callSidToCoach',
      'statusCode',
      'error',
    ]) {
      assert.match(help, new RegExp(`<dt[^>]*>${name.replace('.', '\\.')} `), name);
    }
  });

  it('has every string the shared participant option fields name in the participant update catalog', () => {
    const script = read('resources', 'participant-options.js');
    const catalog = JSON.parse(read('nodes', 'locales', 'en-US', 'signalwire-participant-update.json')) as unknown;
    const names = [...script.matchAll(/name: '([A-Za-z]+)'/g)].map((m) => m[1]!);
    const groups = [...script.matchAll(/id: '([a-z]+)'/g)].map((m) => m[1]!);
    const keys = [
      ...names.map((name) => `option.${name}`),
      ...groups.map((group) => `group.${group}`),
      ...[...script.matchAll(/text\('([A-Za-z.]+)'\)/g)].map((m) => m[1]!),
      ...fieldCheckKeys(script),
      'tip.unchanged',
      ...['holdUrl', 'announceUrl', 'waitUrl'].map((name) => `placeholder.${name}`),
    ];
    assert.ok(names.length >= 10 && groups.length === 5, `found ${names.length} fields in ${groups.length} groups`);
    const missing = keys.filter((key) => typeof lookup(catalog, `signalwire-participant-update.${key}`) !== 'string');
    assert.deepEqual(missing, []);
  });

  it('starts each action node dropped from the palette with a connection, picked by the shared script', () => {
    const manifest = JSON.parse(read('package.json')) as { name: string };
    assert.ok(fs.existsSync(path.join(ROOT, 'resources', 'connection-picker.js')));
    for (const type of [...TYPES.slice(1, 5), 'signalwire-call']) {
      const html = read('nodes', `${type}.html`);
      assert.ok(html.includes(`src="resources/${manifest.name}/connection-picker.js"`), type);
      assert.match(html, /onadd: RED\.signalwire\.pickConnection,/, type);
    }
  });

  it('ships the shared editor script in the package and names it from the node that uses it', () => {
    // Without it in the package, Node-RED would wait for the script forever and show none of our nodes.
    const manifest = JSON.parse(read('package.json')) as { name: string; files: string[] };
    assert.ok(manifest.files.includes('resources'), 'package.json "files" lists resources/');
    const html = read('nodes', 'signalwire-participant-update.html');
    assert.ok(html.includes(`src="resources/${manifest.name}/participant-options.js"`));
    assert.ok(fs.existsSync(path.join(ROOT, 'resources', 'participant-options.js')));
    // The option fields are built by option-fields.js: every dialog that shows them names it too.
    for (const type of [
      'signalwire-participant-update',
      'signalwire-participants-update',
      'signalwire-call',
      'signalwire-answer',
    ]) {
      assert.ok(read('nodes', `${type}.html`).includes(`src="resources/${manifest.name}/option-fields.js"`), type);
    }
    assert.ok(fs.existsSync(path.join(ROOT, 'resources', 'option-fields.js')));
  });

  it('has every string the shared path fields name in the catalog of each node that uses them', () => {
    const script = read('resources', 'signed-paths.js');
    const keys = [...script.matchAll(/this\._\(this\.type \+ '\.([A-Za-z.]+)'\)/g)].map((m) => m[1]!);
    assert.deepEqual(keys.sort(), ['errors.invalidPath', 'errors.invalidPublicUrl', 'errors.pathTaken']);
    for (const type of ['signalwire-conference-events', 'signalwire-incoming-call']) {
      const html = read('nodes', `${type}.html`);
      assert.match(html, /src="resources\/@callflows\/node-red-signalwire\/signed-paths\.js"/, type);
      assert.match(html, /validate: paths\.validatePath/, type);
      const catalog = JSON.parse(read('nodes', 'locales', 'en-US', `${type}.json`)) as unknown;
      const missing = keys.filter((key) => typeof lookup(catalog, `${type}.${key}`) !== 'string');
      assert.deepEqual(missing, [], type);
    }
  });

  it('has every string the shared join option fields name in the connection catalog, and the call node uses them', () => {
    const script = read('resources', 'join-options.js');
    const catalog = JSON.parse(read('nodes', 'locales', 'en-US', 'signalwire-config.json')) as unknown;
    const keys = [
      ...[...script.matchAll(/name: '([A-Za-z]+)'/g)].map((m) => `label.${m[1]!}`),
      ...[...script.matchAll(/text\('([A-Za-z.]+)'/g)].map((m) => m[1]!),
      ...[...script.matchAll(/KEY \+\s*'([A-Za-z.]+[A-Za-z])'/g)].map((m) => m[1]!),
      ...fieldCheckKeys(script),
      'label.events',
      'placeholder.waitUrl',
    ];
    assert.ok(keys.length >= 15, `found ${keys.length} keys`);
    const missing = keys.filter((key) => typeof lookup(catalog, `joinOptions.${key}`) !== 'string');
    assert.deepEqual(missing, []);
    const html = read('nodes', 'signalwire-call.html');
    assert.match(html, /src="resources\/@callflows\/node-red-signalwire\/join-options\.js"/);
    assert.match(html, /join\.addToForm\('signalwire-call'\)/);
    assert.match(html, /<!-- join-options:fields -->/);
  });
});
