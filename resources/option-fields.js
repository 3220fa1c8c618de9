// The typedInput option fields of the SignalWire dialogs, built one way: participant-options.js and
// join-options.js define which fields there are, this file how each becomes a `defaults` entry, a form row, a
// check and a typedInput. Node-RED serves this folder at resources/<package>/ and loads every <script src> of the
// package before any node registers, in no set order: those files reach RED.signalwire.optionFields only once a
// node registers or a dialog opens, never while they load.
(function () {
  'use strict';
  RED.signalwire = RED.signalwire || {};
  // Every node that uses the fields names this file; the first copy loaded serves them all.
  if (RED.signalwire.optionFields) {
    return;
  }

  /** Types whose value is read at run time: the form only checks that they say where from. */
  var READ_TYPES = ['msg', 'flow', 'global', 'env', 'jsonata'];
  /** Beside a 150px label; nodes give their own fields the same width so all line up. */
  var FIELD_WIDTH = 'calc(100% - 160px)';
  // One width for every label of the dialog, wide enough that none wraps; the fields line up beside it.
  var LABEL_STYLE = '#dialog-form .form-row > label { width: 150px; white-space: nowrap; }';

  // The form shows the type chosen right now; the saved node holds the last applied one.
  function currentType(node, name) {
    var input = $('#node-input-' + name + 'Type');
    return (input.length && input.val()) || node[name + 'Type'];
  }

  /**
   * A `validate` for the field `name`: a fixed value must pass `accepts`, JSONata must parse, and a value read at
   * run time must say where from. `text(key)` gives the messages: `errors.<invalidKey>` and `errors.missingValue`.
   */
  function validator(name, accepts, invalidKey, text) {
    return function (v, opt) {
      var type = currentType(this, name);
      if (type === 'str') {
        return accepts(v) || (opt ? text('errors.' + invalidKey) : false);
      }
      if (type === 'jsonata') {
        return RED.utils.validateTypedProperty(v, type, opt);
      }
      if (READ_TYPES.indexOf(type) !== -1) {
        return !!v || (opt ? text('errors.missingValue') : false);
      }
      return true;
    };
  }

  /**
   * The `defaults` entries of `fields`: each reads msg.payload.<name> until the user says otherwise, checked by
   * `validatorFor(field)` when that gives one.
   */
  function defaults(fields, validatorFor) {
    var entries = {};
    fields.forEach(function (field) {
      entries[field.name] = { value: 'payload.' + field.name };
      var validate = validatorFor(field);
      if (validate) {
        entries[field.name].validate = validate;
      }
      entries[field.name + 'Type'] = { value: 'msg' };
    });
    return entries;
  }

  /** A field's row: its label (`labelKey`), its input and its hidden type; a `url` field's placeholder is `placeholderKey`. */
  function row(field, labelKey, placeholderKey) {
    var placeholder = field.kind === 'url' ? ' data-i18n="[placeholder]' + placeholderKey + '"' : '';
    return (
      '<div class="form-row">' +
      '<label for="node-input-' +
      field.name +
      '"><i class="fa ' +
      field.icon +
      '"></i> ' +
      '<span data-i18n="' +
      labelKey +
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

  /**
   * Puts markup into a node's edit form where its template holds each mark (`{'<!-- mark -->': markup}`). Node-RED
   * builds each dialog from the template's text, so the fields then get the usual treatment: filled from the
   * node, validated, saved.
   */
  function addToTemplate(type, markup) {
    var template = $('script[data-template-name="' + type + '"]');
    var text = template.text();
    Object.keys(markup).forEach(function (mark) {
      text = text.replace(mark, markup[mark]);
    });
    template.text(text);
  }

  /** For oneditprepare: turns the fields into typedInputs, offering `types[field.kind]`. */
  function typedInputs(fields, types) {
    fields.forEach(function (field) {
      $('#node-input-' + field.name).typedInput({
        default: 'msg',
        types: types[field.kind],
        typeField: '#node-input-' + field.name + 'Type',
      });
    });
  }

  RED.signalwire.optionFields = {
    READ_TYPES: READ_TYPES,
    FIELD_WIDTH: FIELD_WIDTH,
    LABEL_STYLE: LABEL_STYLE,
    currentType: currentType,
    validator: validator,
    defaults: defaults,
    row: row,
    addToTemplate: addToTemplate,
    typedInputs: typedInputs,
  };
})();
