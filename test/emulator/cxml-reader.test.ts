import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CxmlError, readCxml } from '../../src/emulator/cxml-reader';

describe('emulator: reading the cXML a call fetches', () => {
  it('reads any answer, or refuses it with a CxmlError that says why (never another error)', () => {
    const piece = fc.constantFrom(
      '<Response>',
      '</Response>',
      '<Response/>',
      '<Say>',
      '</Say>',
      '<Dial>',
      '</Dial>',
      '<Conference>',
      '</Conference>',
      '<Hangup/>',
      '<Reject reason="busy"/>',
      '<Play>',
      '</Play>',
      '&',
      '&amp;',
      '<![CDATA[',
      ']]>',
      '<!--',
      '-->',
      '<?xml version="1.0"?>',
      '<!DOCTYPE r>',
      '"',
      '<',
      '>',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 4 })), { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        try {
          readCxml(text);
        } catch (error) {
          assert.ok(error instanceof CxmlError, `${JSON.stringify(text)}: ${String(error)}`);
          assert.notEqual(error.message, '');
        }
      }),
      { numRuns: 2000 },
    );
  });
});
