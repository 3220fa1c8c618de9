// The participant option fields (mute; hold and its music; announce; wait music; coaching), defined once for
// every node that changes participants. Node-RED serves this folder at resources/<package>/ and loads a
// <script src="resources/@callflows/node-red-signalwire/participant-options.js"> before it adds the HTML of
// the node that names it, so each node's HTML can use RED.signalwire.participantOptions when it registers.
//
// A node uses them in its HTML like this (signalwire-participant-update.html is the model):
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
//     ...the node's own rows, inputs style="width: calc(100% - 160px)" (options.fieldWidth)...
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
  var READ_TYPES = ['msg', 'flow', 'global', 'env', 'jsonata'];
  var TIP_MARK = '<!-- participant-options:tip -->';
  var FIELDS_MARK = '<!-- participant-options:fields -->';
  /** Beside a 150px label; nodes give their own fields (the SIDs) the same width so all line up. */
  var FIELD_WIDTH = 'calc(100% - 160px)';

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

  // The form shows the type chosen right now; the saved node holds the last applied one.
  function currentType(node, field) {
    var input = $('#node-input-' + field + 'Type');
    return (input.length && input.val()) || node[field + 'Type'];
  }

  function fail(opt, key) {
    return opt ? text('errors.' + key) : false;
  }

  // Fixed values typed into the form are checked here; values read at run time are checked by the node.
  function fixedValue(field, pattern, key) {
    return function (v, opt) {
      var type = currentType(this, field);
      if (type === 'str') {
        return pattern.test(v || '') || fail(opt, key);
      }
      if (type === 'jsonata') {
        return RED.utils.validateTypedProperty(v, type, opt);
      }
      if (READ_TYPES.indexOf(type) !== -1) {
        return !!v || fail(opt, 'missingValue');
      }
      return true;
    };
  }

  function coachCallNeeded(v, opt) {
    var coachingInput = $('#node-input-coaching');
    var coachingOn =
      currentType(this, 'coaching') === 'bool' &&
      String(coachingInput.length ? coachingInput.val() : this.coaching) === 'true';
    if (coachingOn && currentType(this, 'callSidToCoach') === 'unchanged') {
      return fail(opt, 'coachingNeedsCall');
    }
    return fixedValue('callSidToCoach', UUID, 'invalidSid').call(this, v, opt);
  }

  function validatorFor(field) {
    if (field.kind === 'url') {
      return fixedValue(field.name, HTTP_URL, 'invalidUrl');
    }
    if (field.kind === 'sid') {
      return coachCallNeeded;
    }
    return undefined;
  }

  /** The `defaults` entries of the option fields: each reads msg.payload.<name> until the user says otherwise. */
  function defaults() {
    var entries = {};
    FIELDS.forEach(function (field) {
      entries[field.name] = { value: 'payload.' + field.name };
      var validate = validatorFor(field);
      if (validate) {
        entries[field.name].validate = validate;
      }
      entries[field.name + 'Type'] = { value: 'msg' };
    });
    return entries;
  }

  function row(field) {
    var placeholder = field.kind === 'url' ? ' data-i18n="[placeholder]' + KEY + 'placeholder.' + field.name + '"' : '';
    return (
      '<div class="form-row">' +
      '<label for="node-input-' +
      field.name +
      '"><i class="fa ' +
      field.icon +
      '"></i> ' +
      '<span data-i18n="' +
      KEY +
      'option.' +
      field.name +
      '"></span></label> ' +
      '<input type="text" id="node-input-' +
      field.name +
      '" style="width: ' +
      FIELD_WIDTH +
      ';"' +
      placeholder +
      '>' +
      '<input type="hidden" id="node-input-' +
      field.name +
      'Type">' +
      '</div>'
    );
  }

  function fieldsMarkup() {
    var style =
      '<style>' +
      '.signalwire-options h4 { margin: 10px 0 6px; }' +
      // One width for every label of the dialog, wide enough that none wraps; the fields line up beside it.
      '#dialog-form .form-row > label { width: 150px; white-space: nowrap; }' +
      '</style>';
    return (
      style +
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
          group.fields.map(row).join('') +
          '</div>'
        );
      }).join('') +
      '</div>'
    );
  }

  function tipMarkup() {
    return '<div class="form-tips signalwire-unchanged-tip" data-i18n="' + KEY + 'tip.unchanged"></div>';
  }

  /**
   * Puts the fields into a node's edit form: `<!-- participant-options:tip -->` becomes the "unchanged" hint and
   * `<!-- participant-options:fields -->` the grouped fields. Node-RED builds each dialog from the template's
   * text, so the fields then get the usual treatment: filled from the node, validated, saved.
   */
  function addToForm(type) {
    var template = $('script[data-template-name="' + type + '"]');
    template.text(template.text().replace(TIP_MARK, tipMarkup()).replace(FIELDS_MARK, fieldsMarkup()));
  }

  /** For oneditprepare: turns the fields into typedInputs. */
  function prepare() {
    var unchanged = { value: 'unchanged', label: text('type.unchanged'), icon: 'fa fa-minus', hasValue: false };
    var method = { value: 'method', label: text('type.method'), options: ['GET', 'POST'] };
    var types = {
      bool: [unchanged, 'bool'].concat(READ_TYPES),
      url: [unchanged, 'str'].concat(READ_TYPES),
      sid: [unchanged, 'str'].concat(READ_TYPES),
      method: [unchanged, method].concat(READ_TYPES),
    };
    FIELDS.forEach(function (field) {
      $('#node-input-' + field.name).typedInput({
        default: 'msg',
        types: types[field.kind],
        typeField: '#node-input-' + field.name + 'Type',
      });
    });
    // Coaching and the call to coach are checked together.
    $('#node-input-coaching, #node-input-callSidToCoach').on('change', function () {
      $('#node-input-callSidToCoach').trigger('keyup');
    });
  }

  RED.signalwire.participantOptions = {
    names: FIELDS.map(function (field) {
      return field.name;
    }),
    defaults: defaults,
    addToForm: addToForm,
    prepare: prepare,
    fieldWidth: FIELD_WIDTH,
    /** A validator for a conference or call SID typed as a fixed value. */
    sid: function (field) {
      return fixedValue(field, UUID, 'invalidSid');
    },
  };
})();
