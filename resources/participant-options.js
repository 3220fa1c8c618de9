// The participant option fields (mute; hold and its music; announce; wait music; coaching), defined once for
// every node that changes participants. Node-RED serves this folder at resources/<package>/ and loads a
// <script src="resources/@callflows/node-red-signalwire/participant-options.js"> before it adds the HTML of
// the node that names it, so each node's HTML can use RED.signalwire.participantOptions when it registers.
//
// A node uses them in its HTML like this (signalwire-participant-update.html is the model):
//   <script type="text/javascript" src="resources/@callflows/node-red-signalwire/option-fields.js"></script>
//   <script type="text/javascript" src="resources/@callflows/node-red-signalwire/participant-options.js"></script>
//   <script type="text/javascript">
//     var options = RED.signalwire.participantOptions;
//     options.addToForm('my-type');                                  // before registerType
//     RED.nodes.registerType('my-type', {
//       defaults: $.extend({ name: { value: '' }, ... }, options.defaults()),
//       oneditprepare: function () { ...; options.prepare(); }
//     });
//   </script>
//   <script type="text/html" data-template-name="my-type">
//     <!-- participant-options:tip -->     (the "unchanged" hint)
//     ...the node's own rows, inputs style="width: calc(100% - 160px)" (as the option fields)...
//     <!-- participant-options:fields --> (the grouped fields)
//   </script>
// The node then saves <name> and <name>Type for each option, as participant update does.
(function () {
  'use strict';
  RED.signalwire = RED.signalwire || {};
  // Every node that uses the fields names this file; the first copy loaded serves them all.
  if (RED.signalwire.participantOptions) {
    return;
  }

  // The strings live in the participant update catalog; naming its namespace lets other nodes show them too.
  var KEY = '@callflows/node-red-signalwire/signalwire-participant-update:signalwire-participant-update.';
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  var HTTP_URL = /^https?:\/\/[^\s/]+(\/\S*)?$/i;
  var TIP_MARK = '<!-- participant-options:tip -->';
  var FIELDS_MARK = '<!-- participant-options:fields -->';

  /** Grouped by task; `kind` picks the types a field offers and how a fixed value is checked. */
  var GROUPS = [
    { id: 'mute', fields: [{ name: 'muted', kind: 'bool', icon: 'fa-microphone-slash' }] },
    {
      id: 'hold',
      fields: [
        { name: 'hold', kind: 'bool', icon: 'fa-pause' },
        { name: 'holdUrl', kind: 'url', icon: 'fa-music' },
        { name: 'holdMethod', kind: 'method', icon: 'fa-exchange' },
      ],
    },
    {
      id: 'announce',
      fields: [
        { name: 'announceUrl', kind: 'url', icon: 'fa-bullhorn' },
        { name: 'announceMethod', kind: 'method', icon: 'fa-exchange' },
      ],
    },
    {
      id: 'wait',
      fields: [
        { name: 'waitUrl', kind: 'url', icon: 'fa-hourglass-half' },
        { name: 'waitMethod', kind: 'method', icon: 'fa-exchange' },
      ],
    },
    {
      id: 'coaching',
      fields: [
        { name: 'coaching', kind: 'bool', icon: 'fa-headphones' },
        { name: 'callSidToCoach', kind: 'sid', icon: 'fa-user' },
      ],
    },
  ];
  var FIELDS = GROUPS.reduce(function (all, group) {
    return all.concat(group.fields);
  }, []);

  function text(key, values) {
    return RED._(KEY + key, values);
  }

  /** The shared field building (option-fields.js), there once a node registers. */
  function shared() {
    return RED.signalwire.optionFields;
  }

  function sidValidator(name) {
    return shared().validator(
      name,
      function (v) {
        return UUID.test(v || '');
      },
      'invalidSid',
      text,
    );
  }

  function coachCallNeeded(v, opt) {
    var coachingInput = $('#node-input-coaching');
    var coachingOn =
      shared().currentType(this, 'coaching') === 'bool' &&
      String(coachingInput.length ? coachingInput.val() : this.coaching) === 'true';
    if (coachingOn && shared().currentType(this, 'callSidToCoach') === 'unchanged') {
      return opt ? text('errors.coachingNeedsCall') : false;
    }
    return sidValidator('callSidToCoach').call(this, v, opt);
  }

  // Fixed values typed into the form are checked here; values read at run time are checked by the node.
  function validatorFor(field) {
    if (field.kind === 'url') {
      return shared().validator(
        field.name,
        function (v) {
          return HTTP_URL.test(v || '');
        },
        'invalidUrl',
        text,
      );
    }
    if (field.kind === 'sid') {
      return coachCallNeeded;
    }
    return undefined;
  }

  /** The `defaults` entries of the option fields: each reads msg.payload.<name> until the user says otherwise. */
  function defaults() {
    return shared().defaults(FIELDS, validatorFor);
  }

  function fieldsMarkup() {
    return (
      '<style>.signalwire-options h4 { margin: 10px 0 6px; }' +
      shared().LABEL_STYLE +
      '</style>' +
      '<div class="signalwire-options">' +
      GROUPS.map(function (group) {
        return (
          '<div class="signalwire-options-group" data-group="' +
          group.id +
          '">' +
          '<h4 data-i18n="' +
          KEY +
          'group.' +
          group.id +
          '"></h4>' +
          group.fields
            .map(function (field) {
              return shared().row(field, KEY + 'option.' + field.name, KEY + 'placeholder.' + field.name);
            })
            .join('') +
          '</div>'
        );
      }).join('') +
      '</div>'
    );
  }

  /**
   * Puts the fields into a node's edit form: `<!-- participant-options:tip -->` becomes the "unchanged" hint and
   * `<!-- participant-options:fields -->` the grouped fields.
   */
  function addToForm(type) {
    var markup = {};
    markup[TIP_MARK] = '<div class="form-tips signalwire-unchanged-tip" data-i18n="' + KEY + 'tip.unchanged"></div>';
    markup[FIELDS_MARK] = fieldsMarkup();
    shared().addToTemplate(type, markup);
  }

  /** For oneditprepare: turns the fields into typedInputs. */
  function prepare() {
    var readTypes = shared().READ_TYPES;
    var unchanged = { value: 'unchanged', label: text('type.unchanged'), icon: 'fa fa-minus', hasValue: false };
    var method = { value: 'method', label: text('type.method'), options: ['GET', 'POST'] };
    shared().typedInputs(FIELDS, {
      bool: [unchanged, 'bool'].concat(readTypes),
      url: [unchanged, 'str'].concat(readTypes),
      sid: [unchanged, 'str'].concat(readTypes),
      method: [unchanged, method].concat(readTypes),
    });
    // Coaching and the call to coach are checked together.
    $('#node-input-coaching, #node-input-callSidToCoach').on('change', function () {
      $('#node-input-callSidToCoach').trigger('keyup');
    });
  }

  RED.signalwire.participantOptions = {
    defaults: defaults,
    addToForm: addToForm,
    prepare: prepare,
    /** A validator for a conference or call SID typed as a fixed value. */
    sid: sidValidator,
  };
})();
