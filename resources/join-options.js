/* global setTimeout */
// How a call joins a conference room (muted, start and end the conference, beep, wait music) and which conference
// events node the room's events are reported to: the fields every node that puts a call into a room shows,
// defined once. Node-RED serves this folder at resources/<package>/; a node's HTML loads it with
// <script src="resources/@callflows/node-red-signalwire/join-options.js"> before its own script.
//
// A node uses them in its HTML like this (signalwire-call.html is the model):
//   <script type="text/javascript" src="resources/@callflows/node-red-signalwire/option-fields.js"></script>
//   <script type="text/javascript" src="resources/@callflows/node-red-signalwire/join-options.js"></script>
//   <script type="text/javascript">
//     var join = RED.signalwire.joinOptions;
//     join.addToForm('my-type');                                  // before registerType
//     RED.nodes.registerType('my-type', {
//       defaults: $.extend({ name: { value: '' }, ... }, join.defaults()),
//       oneditprepare: function () { ...; join.prepare(this); }
//     });
//   </script>
//   <script type="text/html" data-template-name="my-type">
//     ...the node's own rows, inputs style="width: calc(100% - 160px)" (as the option fields)...
//     <!-- join-options:fields -->
//   </script>
// The node then saves <name> and <name>Type for each option (muted, startConferenceOnEnter, endConferenceOnExit,
// beep, waitUrl), read at run time by src/nodes/field-reader.ts, and `events`: '' for the only conference events
// node deployed, 'none' for no events, or an events node's id (src/nodes/events-target.ts).
(function () {
  'use strict';
  RED.signalwire = RED.signalwire || {};
  // Every node that uses the fields names this file; the first copy loaded serves them all.
  if (RED.signalwire.joinOptions) {
    return;
  }

  // The strings live in the connection's catalog, which every node of the package can read.
  var KEY = '@callflows/node-red-signalwire/signalwire-config:joinOptions.';
  var EVENTS_TYPE = 'signalwire-conference-events';
  var NO_EVENTS = 'none';
  var HTTP_URL = /^https?:\/\/[^\s/]+(\/\S*)?$/i;
  var FIELDS_MARK = '<!-- join-options:fields -->';
  var FIELDS = [
    { name: 'muted', kind: 'bool', icon: 'fa-microphone-slash' },
    { name: 'startConferenceOnEnter', kind: 'bool', icon: 'fa-play' },
    { name: 'endConferenceOnExit', kind: 'bool', icon: 'fa-stop' },
    { name: 'beep', kind: 'beep', icon: 'fa-bell' },
    { name: 'waitUrl', kind: 'url', icon: 'fa-hourglass-half' },
  ];
  /** The node types that show the fields: their nodes are judged again when events nodes come and go. */
  var users = [];

  function text(key, values) {
    return RED._(KEY + key, values);
  }

  /** The shared field building (option-fields.js), there once a node registers. */
  function shared() {
    return RED.signalwire.optionFields;
  }

  /** Conference events nodes that will run: not disabled, on a tab that is not disabled. */
  function eventsNodes() {
    var found = [];
    RED.nodes.eachNode(function (node) {
      if (node.type !== EVENTS_TYPE || node.d) {
        return;
      }
      var tab = RED.nodes.workspace(node.z);
      if (tab && !tab.disabled) {
        found.push(node);
      }
    });
    return found;
  }

  function eventsLabel(node) {
    return node.name || node.path || '/signalwire/conference-events';
  }

  function waitUrlValid(v, opt) {
    // Empty: silence while waiting.
    var valid = shared().validator(
      'waitUrl',
      function (url) {
        return !url || HTTP_URL.test(url);
      },
      'invalidUrl',
      text,
    );
    return valid.call(this, v, opt);
  }

  function eventsValid(v, opt) {
    var choice = v === undefined || v === null ? '' : String(v);
    if (choice === NO_EVENTS) {
      return true;
    }
    var nodes = eventsNodes();
    if (choice === '') {
      if (nodes.length === 1) {
        return true;
      }
      return opt ? text(nodes.length === 0 ? 'errors.noEventsNode' : 'errors.whichEventsNode') : false;
    }
    var chosen = nodes.some(function (node) {
      return node.id === choice;
    });
    return chosen || (opt ? text('errors.eventsNodeGone') : false);
  }

  /** The `defaults` entries: each option reads msg.payload.<name> until the user says otherwise; events: the only node. */
  function defaults() {
    var entries = shared().defaults(FIELDS, function (field) {
      return field.kind === 'url' ? waitUrlValid : undefined;
    });
    entries.events = { value: '', validate: eventsValid };
    return entries;
  }

  function fieldsMarkup() {
    return (
      '<style>' +
      shared().LABEL_STYLE +
      '</style>' +
      '<div class="signalwire-join-options">' +
      '<h4 style="margin: 10px 0 6px;" data-i18n="' +
      KEY +
      'heading"></h4>' +
      FIELDS.map(function (field) {
        return shared().row(field, KEY + 'label.' + field.name, KEY + 'placeholder.' + field.name);
      }).join('') +
      '<div class="form-row">' +
      '<label for="node-input-events"><i class="fa fa-bolt"></i> <span data-i18n="' +
      KEY +
      'label.events"></span></label> ' +
      '<select id="node-input-events" style="width: ' +
      shared().FIELD_WIDTH +
      ';"></select>' +
      '</div>' +
      '<div class="form-tips" data-i18n="' +
      KEY +
      'tip.events"></div>' +
      '</div>'
    );
  }

  /** Puts the fields where the node's template says `<!-- join-options:fields -->`, and keeps its nodes judged. */
  function addToForm(type) {
    var markup = {};
    markup[FIELDS_MARK] = fieldsMarkup();
    shared().addToTemplate(type, markup);
    users.push(type);
  }

  /** For oneditprepare: typedInputs for the options, and the events node list (the node's choice kept). */
  function prepare(node) {
    var unset = { value: 'default', label: text('type.default'), icon: 'fa fa-minus', hasValue: false };
    var beep = { value: 'beep', label: text('type.beep'), options: ['true', 'false', 'onEnter', 'onExit'] };
    var readTypes = shared().READ_TYPES;
    FIELDS.forEach(function (field) {
      // A flow written by hand may leave a field out: the runtime then reads msg.payload.<name>, so the form shows it.
      if (node[field.name] === undefined || node[field.name] === null) {
        $('#node-input-' + field.name).val('payload.' + field.name);
      }
    });
    shared().typedInputs(FIELDS, {
      bool: [unset, 'bool'].concat(readTypes),
      beep: [unset, beep].concat(readTypes),
      url: [unset, 'str'].concat(readTypes),
    });

    var select = $('#node-input-events').empty();
    var nodes = eventsNodes();
    var only = nodes.length === 1 ? text('events.onlyOne', { name: eventsLabel(nodes[0]) }) : text('events.theOnlyOne');
    $('<option>').val('').text(only).appendTo(select);
    nodes.forEach(function (events) {
      $('<option>').val(events.id).text(eventsLabel(events)).appendTo(select);
    });
    $('<option>').val(NO_EVENTS).text(text('events.none')).appendTo(select);
    var choice = node.events === undefined || node.events === null ? '' : String(node.events);
    // A choice no longer deployed stays shown (and the node invalid) until another is picked.
    if (
      select.find('option').filter(function () {
        return $(this).val() === choice;
      }).length === 0
    ) {
      $('<option>').val(choice).text(text('events.gone')).appendTo(select);
    }
    select.val(choice);
  }

  /** Events nodes added, removed or renamed change which choices hold: the nodes using them are judged again. */
  var pending = false;
  function revalidateSoon() {
    if (pending) {
      return;
    }
    pending = true;
    setTimeout(function () {
      pending = false;
      var changed = false;
      RED.nodes.eachNode(function (node) {
        if (users.indexOf(node.type) === -1) {
          return;
        }
        var before = node.valid;
        RED.editor.validateNode(node);
        changed = changed || before !== node.valid;
      });
      if (changed) {
        RED.view.redraw(true);
      }
    }, 0);
  }
  ['nodes:add', 'nodes:remove', 'nodes:change'].forEach(function (event) {
    RED.events.on(event, function (node) {
      if (node && node.type === EVENTS_TYPE) {
        revalidateSoon();
      }
    });
  });

  RED.signalwire.joinOptions = {
    defaults: defaults,
    addToForm: addToForm,
    prepare: prepare,
  };
})();
