/* global setTimeout */
// The paths of the nodes SignalWire calls (conference events, incoming call), defined once for their editors.
// Express serves a path whatever its case and with or without a trailing slash, so those spellings are one path;
// two nodes on one path are both marked invalid (the runtime would serve neither: src/nodes/path-claims.ts); a
// node dragged from the palette gets a path no other uses; and a node added, moved or removed has all of them
// judged again. Node-RED serves this folder at resources/<package>/; a node's HTML loads it (after
// connection-picker.js) with <script src="resources/@callflows/node-red-signalwire/signed-paths.js"> and uses, in
// registerType:
//   path: { value: DEFAULT, validate: paths.validatePath },
//   publicUrl: { value: '', validate: paths.validatePublicUrl },
//   onadd: paths.onadd,
// The messages come from the node's own catalog: <type>.errors.invalidPath, .pathTaken and .invalidPublicUrl.
(function () {
  'use strict';
  RED.signalwire = RED.signalwire || {};
  // Every node that uses it names this file; the first copy loaded serves them all.
  if (RED.signalwire.signedPaths) {
    return;
  }

  /** Each node type SignalWire calls, with the path it listens on when its flow gives none. */
  var DEFAULT_PATHS = {
    'signalwire-conference-events': '/signalwire/conference-events',
    'signalwire-incoming-call': '/signalwire/incoming-call',
  };

  /** Paths the package serves itself while a node of that type is deployed (src/nodes/join-route.ts). */
  var RESERVED = [{ path: '/signalwire/join', by: 'signalwire-call' }];

  // Plain path segments only: the path is matched literally. Each segment starts after a slash, so the pattern
  // cannot backtrack on long input.
  var PATH = /^\/?[A-Za-z0-9_~-][A-Za-z0-9._~-]*(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*\/?$/;
  var DOT_SEGMENT = /(^|\/)\.\.?(\/|$)/;
  var PUBLIC_URL = /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/i;

  function servesSignalWire(node) {
    return Object.prototype.hasOwnProperty.call(DEFAULT_PATHS, node.type);
  }

  /** The path as Express matches it: a leading slash, lower case, no trailing slash. */
  function pathKey(type, value) {
    var path = typeof value === 'string' && value.trim() ? value.trim() : DEFAULT_PATHS[type];
    if (path.charAt(0) !== '/') {
      path = '/' + path;
    }
    return path.toLowerCase().replace(/\/+$/, '');
  }

  /** Whether another node SignalWire calls, or a route the package serves for one, uses this path. */
  function taken(node, value) {
    var key = pathKey(node.type, value);
    var found = false;
    RED.nodes.eachNode(function (other) {
      if (found || other.id === node.id || other.d) {
        return;
      }
      var tab = RED.nodes.workspace(other.z);
      if (tab && tab.disabled) {
        return;
      }
      if (servesSignalWire(other)) {
        found = pathKey(other.type, other.path) === key;
      }
      RESERVED.forEach(function (reserved) {
        found = found || (other.type === reserved.by && reserved.path === key);
      });
    });
    return found;
  }

  /**
   * For onadd: a node dragged from the palette (not yet in the flow) whose path is taken gets the first free one
   * after it (`…-2`, `…-3`). An imported or pasted node keeps the path its flow gives; a clash is marked instead.
   */
  function pickFree(node) {
    if (RED.nodes.node(node.id) || !taken(node, node.path)) {
      return;
    }
    var base = DEFAULT_PATHS[node.type];
    for (var n = 2; taken(node, base + '-' + n); n++) {
      /* next */
    }
    node.path = base + '-' + n;
  }

  /** `validate` of a node's path (`this` is the node): plain segments, and no other node's. */
  function validatePath(v, opt) {
    if (v && !(PATH.test(v) && !DOT_SEGMENT.test(v))) {
      return opt ? this._(this.type + '.errors.invalidPath') : false;
    }
    if (taken(this, v)) {
      return opt ? this._(this.type + '.errors.pathTaken') : false;
    }
    return true;
  }

  /** `validate` of a node's Public URL: empty, or an http(s) URL with no query or fragment. */
  function validatePublicUrl(v, opt) {
    if (!v || PUBLIC_URL.test(v)) {
      return true;
    }
    return opt ? this._(this.type + '.errors.invalidPublicUrl') : false;
  }

  /** `onadd`: a node dropped from the palette starts with a connection and a free path. */
  function onadd() {
    RED.signalwire.pickConnection.call(this);
    pickFree(this);
  }

  /** A node moved or removed may free another's path: every node SignalWire calls is judged again. */
  function revalidate() {
    var changed = false;
    RED.nodes.eachNode(function (node) {
      if (!servesSignalWire(node)) {
        return;
      }
      var before = node.valid;
      RED.editor.validateNode(node);
      changed = changed || before !== node.valid;
    });
    if (changed) {
      RED.view.redraw(true);
    }
  }
  // Once per burst of changes (an import adds nodes one by one), not once per node.
  var pending = false;
  function revalidateSoon() {
    if (pending) {
      return;
    }
    pending = true;
    setTimeout(function () {
      pending = false;
      revalidate();
    }, 0);
  }
  ['nodes:add', 'nodes:remove', 'nodes:change'].forEach(function (event) {
    RED.events.on(event, revalidateSoon);
  });

  RED.signalwire.signedPaths = {
    validatePath: validatePath,
    validatePublicUrl: validatePublicUrl,
    onadd: onadd,
  };
})();
