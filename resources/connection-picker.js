// The SignalWire connection a node dropped from the palette starts with, so it is ready to run instead of showing
// a red triangle until its dialog is opened. Node-RED serves this folder at resources/<package>/; each node's HTML
// loads it with a <script src> and names it as its `onadd`:
//   onadd: RED.signalwire.pickConnection,
// It picks the connection the SignalWire nodes on the same tab already use (the one most of them use), else the
// one most used anywhere, else the first there is. A node pasted or imported keeps the connection it came with.
(function () {
  'use strict';
  RED.signalwire = RED.signalwire || {};
  // Every node that uses it names this file; the first copy loaded serves them all.
  if (RED.signalwire.pickConnection) {
    return;
  }

  /** The connections a node on tab `z` may use: global ones, and ones kept on that tab. */
  function usableOn(z) {
    var ids = [];
    RED.nodes.eachConfig(function (config) {
      if (config.type === 'signalwire-config' && (!config.z || config.z === z)) {
        ids.push(config.id);
      }
    });
    return ids;
  }

  /** Of `ids`, the one most of `nodes` use; undefined when none of them uses any. */
  function mostUsed(ids, nodes) {
    var count = {};
    var best;
    nodes.forEach(function (node) {
      if (ids.indexOf(node.signalwire) !== -1) {
        count[node.signalwire] = (count[node.signalwire] || 0) + 1;
        if (!best || count[node.signalwire] > count[best]) {
          best = node.signalwire;
        }
      }
    });
    return best;
  }

  RED.signalwire.pickConnection = function () {
    // Node-RED calls onadd for pasted and imported nodes too, once they are in place: they keep what they have.
    if (this.signalwire || RED.nodes.node(this.id)) {
      return;
    }
    var ids = usableOn(this.z);
    if (ids.length === 0) {
      return;
    }
    var everywhere = [];
    RED.nodes.eachNode(function (node) {
      everywhere.push(node);
    });
    var z = this.z;
    var onThisTab = everywhere.filter(function (node) {
      return node.z === z;
    });
    this.signalwire = mostUsed(ids, onThisTab) || mostUsed(ids, everywhere) || ids[0];
  };
})();
