'use strict';
/* global fetch */
// `npm start`: a live demo in a real Node-RED. Builds the package, starts the SignalWire emulator (unless
// SIGNALWIRE_SPACE, SIGNALWIRE_PROJECT_ID and SIGNALWIRE_TOKEN point at a real space), then Node-RED on
// 127.0.0.1:1880 with its own user directory `.demo/`, this package installed into it and the demo flow deployed.
// What the user deploys there is kept across restarts; `npm start -- --reset` brings the demo flow back and keeps
// the replaced flows in a backup file beside it.
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { demoFlow, demoSidEnv, audioUrlDefaults, DEMO_EVENTS_PATH, DEMO_INCOMING_PATH } = require('./demo-flow');
const { demoDashboardFlow, linkDashboard } = require('./demo-dashboard-flow');

const root = path.join(__dirname, '..');
const userDir = path.resolve(root, process.env.DEMO_USER_DIR || '.demo');
const logFile = path.join(userDir, 'node-red.log');
const host = '127.0.0.1';
const nodeRedPort = Number(process.env.NODE_RED_PORT || 1880);
const emulatorPort = process.env.SIGNALWIRE_EMULATOR_PORT;
const skipBuild = process.argv.includes('--no-build');
const reset = process.argv.includes('--reset');
const credentialVars = ['SIGNALWIRE_SPACE', 'SIGNALWIRE_PROJECT_ID', 'SIGNALWIRE_TOKEN'];

/** Expected problems end with one line that says what to do, never a stack trace. */
function fail(message) {
  console.error(message);
  process.exit(1);
}

function portFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

function findNodeRed() {
  try {
    return path.dirname(require.resolve('node-red/package.json', { paths: [root] }));
  } catch {
    return fail('Node-RED is not installed: run `npm ci` in this folder, then `npm start` again.');
  }
}

/** Builds here rather than in the npm script, so a failed build ends with our advice, not npm's trailer. */
function build() {
  console.log('Building...');
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail('The build failed (errors above): fix them, then run `npm start` again.');
  return checkBuilt();
}

function checkBuilt() {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const files = [...Object.values(manifest['node-red'].nodes), 'dist/emulator/index.js'];
  const missing = files.find((file) => !fs.existsSync(path.join(root, file)));
  if (missing) fail(`${missing} is missing: run \`npm run build\`, then \`npm start\` again.`);
  return manifest.name;
}

/** Installs this package into the user directory the way npm would: listed in package.json, linked in node_modules. */
function prepareUserDir(packageName) {
  const link = path.join(userDir, 'node_modules', ...packageName.split('/'));
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(root, link, 'dir');
  fs.writeFileSync(
    path.join(userDir, 'package.json'),
    JSON.stringify(
      {
        name: 'node-red-demo',
        private: true,
        dependencies: { [packageName]: `file:${root}`, ...linkDashboard(root, userDir) },
      },
      null,
      2,
    ),
  );
  const settings = {
    uiHost: host,
    uiPort: nodeRedPort,
    flowFile: 'flows.json',
    flowFilePretty: true,
    // Offline and quiet: no palette catalogue, no update check, no telemetry.
    editorTheme: { palette: { catalogues: [] }, tours: false },
    diagnostics: { enabled: false, ui: false },
    telemetry: { enabled: false, updateNotification: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false } },
    logging: { console: { level: 'info', metrics: false, audit: false } },
  };
  fs.writeFileSync(
    path.join(userDir, 'settings.js'),
    `// Written by scripts/start.js on every start.\nmodule.exports = ${JSON.stringify(settings, null, 2)};\n`,
  );
  return writeDemoFlow();
}

/** A path as the user can find it: relative to this folder when inside it (`.demo/...`), absolute otherwise. */
function display(file) {
  const relative = path.relative(root, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/**
 * Writes the demo flow when the user directory has no flows yet, or on `--reset`. Flows the user deployed are
 * never overwritten without a copy: a reset moves them (and their credentials) to a timestamped backup first.
 * The flow reads its SIDs from the environment, so kept flows still match the emulator's seeded conference.
 * Returns what to tell the user.
 */
function writeDemoFlow() {
  const flows = path.join(userDir, 'flows.json');
  const shown = display(flows);
  const write = () => fs.writeFileSync(flows, JSON.stringify(demoDashboardFlow(demoFlow()), null, 2));
  if (!fs.existsSync(flows)) {
    write();
    return `Wrote the demo flow to ${shown}.`;
  }
  if (!reset) return `Kept your flows in ${shown} (\`npm start -- --reset\` brings back the demo flow).`;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const backup = path.join(userDir, `flows-before-reset-${stamp}.json`);
  fs.renameSync(flows, backup);
  const credentials = path.join(userDir, 'flows_cred.json');
  if (fs.existsSync(credentials)) fs.renameSync(credentials, backup.replace(/\.json$/, '_cred.json'));
  write();
  return `Reset: wrote the demo flow to ${shown}; your previous flows are in ${display(backup)}.`;
}

async function startEmulatorIfNeeded() {
  const set = credentialVars.filter((name) => process.env[name]);
  if (set.length === credentialVars.length) return null;
  if (set.length > 0) {
    const missing = credentialVars.filter((name) => !process.env[name]).join(', ');
    fail(
      `To use a real space set all of ${credentialVars.join(', ')} (missing: ${missing}); set none to use the emulator.`,
    );
  }
  const { startEmulator, DEMO_SIDS } = require(path.join(root, 'dist', 'emulator'));
  // 8080 when free, so the URL is easy to remember; SIGNALWIRE_EMULATOR_PORT=0 always picks a free one.
  const port = emulatorPort !== undefined ? Number(emulatorPort) : (await portFree(8080)) ? 8080 : 0;
  // The seeded conferences send their status callbacks to the demo's conference events node.
  const statusCallback = { statusCallback: `http://${host}:${nodeRedPort}${DEMO_EVENTS_PATH}` };
  const emulator = await startEmulator({ host, port, statusCallback }).catch((err) =>
    fail(
      `The emulator could not listen on ${host}:${port} (${err.code || err.message}): free it or set SIGNALWIRE_EMULATOR_PORT=0.`,
    ),
  );
  // One line per conference event: where it went and why there (its first participant's URL, or the default).
  emulator.callbacks.log = (line) => console.log(`Emulator: ${line}`);
  return { emulator, sids: DEMO_SIDS };
}

/**
 * A call to the emulator's office number rings the demo's incoming call node: its voice URL, set through the
 * emulator's control API as one sets it in a SignalWire space.
 */
async function answerOfficeCallsInDemo(emulator) {
  const { DEMO_NUMBERS } = require(path.join(root, 'dist', 'emulator'));
  const voiceUrl = `http://${host}:${nodeRedPort}${DEMO_INCOMING_PATH}`;
  const res = await fetch(`${emulator.url}/__emulator/numbers/${encodeURIComponent(DEMO_NUMBERS.office)}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ voiceUrl }),
  });
  if (!res.ok) fail(`The emulator refused the office number's voice URL (${res.status}): ${await res.text()}`);
}

/** Node-RED's own log goes to .demo/node-red.log; the console keeps the demo's instructions readable. */
function startNodeRed(nodeRedDir, env) {
  const log = fs.openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [path.join(nodeRedDir, 'red.js'), '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const ready = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      fs.writeSync(log, chunk);
      const text = chunk.toString();
      for (const line of text.split('\n')) if (line.includes('[error]')) console.error(`Node-RED: ${line}`);
      if (text.includes('Started flows')) resolve();
      // Node-RED would wait forever for node types it could not load.
      if (text.includes('Waiting for missing types')) reject(new Error('missing node types'));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exit code ${code}`)));
  });
  return { child, ready };
}

function lastLines(file, count) {
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count).join('\n');
}

async function main() {
  const nodeRedDir = findNodeRed();
  if (!(await portFree(nodeRedPort))) {
    fail(
      `Port ${nodeRedPort} on ${host} is in use (another Node-RED?): stop it, or run \`NODE_RED_PORT=1881 npm start\`.`,
    );
  }
  const packageName = skipBuild ? checkBuilt() : build();

  const demo = await startEmulatorIfNeeded();
  const emulator = demo && demo.emulator;
  if (emulator) await answerOfficeCallsInDemo(emulator);
  // Node-RED gets the connection and the SIDs through its environment; values the user set always win.
  const defaults = { ...audioUrlDefaults };
  if (emulator) {
    Object.assign(defaults, demoSidEnv(demo.sids), {
      SIGNALWIRE_SPACE: emulator.url,
      SIGNALWIRE_PROJECT_ID: emulator.projectId,
      SIGNALWIRE_TOKEN: emulator.token,
      SIGNALWIRE_SIGNING_KEY: emulator.signingKey,
      // Calls are placed from the emulator's number, and fetch how to join a room from this Node-RED.
      SIGNALWIRE_FROM_NUMBER: emulator.numbers.list()[0].phoneNumber,
      SIGNALWIRE_PUBLIC_URL: `http://${host}:${nodeRedPort}`,
    });
  }
  const env = { ...process.env };
  for (const [name, value] of Object.entries(defaults)) if (!env[name]) env[name] = value;

  console.log(prepareUserDir(packageName));
  console.log('Starting Node-RED...');
  const { child, ready } = startNodeRed(nodeRedDir, env);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping Node-RED and the emulator...');
    const exited = new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()));
    child.kill('SIGINT');
    const forced = setTimeout(() => child.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(forced);
    if (emulator) await emulator.close();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  try {
    await ready;
  } catch {
    child.kill('SIGKILL');
    if (emulator) await emulator.close();
    console.error(lastLines(logFile, 15));
    fail(
      `Node-RED did not start (log above, full log in ${path.relative(root, logFile)}): fix the cause and run \`npm start\` again.`,
    );
  }
  child.once('exit', async (code) => {
    if (stopping) return;
    if (emulator) await emulator.close();
    fail(`Node-RED stopped unexpectedly (exit code ${code}): see ${path.relative(root, logFile)}.`);
  });

  const target = emulator
    ? `the SignalWire emulator at ${emulator.url} (project ${emulator.projectId}, token ${emulator.token})`
    : `your SignalWire space ${process.env.SIGNALWIRE_SPACE}`;
  console.log(`
Node-RED editor:  http://${host}:${nodeRedPort}/
Dashboard:        http://${host}:${nodeRedPort}/dashboard (the conference panel for "Weekly sync")
Requests go to:   ${target}
Node-RED log:     ${path.relative(root, logFile)}

In the editor, open the Debug sidebar (the bug icon at the top right), then on the tab "1. One person":
  Click the square button on the left of an inject node: "Mute Bob", "Hold Carol with music",
  "Dave coaches Carol", "Announce to Alice (host)". Each click shows one line in the Debug sidebar
  saying what changed ("Bob: muted"); "Mute Erin (stand-up has ended)" and "Mute a malformed call SID"
  show errors. "2. Everyone" acts on everyone in "Weekly sync", found by its name; on "3. Someone joins",
  Erin joins and the conference events node has the flow mute her; on "5. Call someone in", Frank is called
  into "Weekly sync" and the events show him ringing, answering and joining; on "6. A call comes in",
  Frank calls the office number and the flow answers: he joins "Weekly sync".${emulator ? '\nThe emulator prints below where it sent each conference event.' : ''}
Press Ctrl-C to stop.`);
  if (!emulator && !process.env.SIGNALWIRE_CONFERENCE_SID) {
    console.log('\nSet SIGNALWIRE_CONFERENCE_SID and the call SIDs (see the README) to target your live conference.');
  }
}

main().catch((err) => fail(`npm start failed: ${err.message}`));
