import assert from 'node:assert/strict';
import { SignalWireError, toFormBody, validateUpdateOptions } from '../../src/lib';
import { COACHED_SID } from './fixtures';

function validationMessage(input: unknown): string {
  try {
    validateUpdateOptions(input);
  } catch (error) {
    assert.ok(error instanceof SignalWireError);
    assert.equal(error.source, 'validation');
    return error.message;
  }
  assert.fail('expected a validation error');
}

describe('validateUpdateOptions', () => {
  it('accepts booleans and the strings "true"/"false", and upper-cases methods', () => {
    assert.deepEqual(validateUpdateOptions({ muted: 'true', hold: false, holdMethod: 'get', announceMethod: 'Post' }), {
      muted: true,
      hold: false,
      holdMethod: 'GET',
      announceMethod: 'POST',
    });
  });

  it('leaves out options that are undefined', () => {
    assert.deepEqual(validateUpdateOptions({ muted: undefined, hold: true }), { hold: true });
  });

  it('has no beep: it is not a parameter of "Update a Participant"', () => {
    assert.match(validationMessage({ muted: true, beep: true }), /^"beep" is not an option/);
    assert.match(validationMessage({ beep: 'onEnter' }), /^"beep" is not an option/);
  });

  it('percent-encodes a space or a non-ASCII letter in a URL, as UTF-8', () => {
    assert.deepEqual(
      validateUpdateOptions({
        holdUrl: 'https://example.com/hold music.mp3',
        announceUrl: 'https://example.com/annonce/café.xml?voix=élodie',
        waitUrl: ' https://example.com/wait 😀.mp3 ',
      }),
      {
        holdUrl: 'https://example.com/hold%20music.mp3',
        announceUrl: 'https://example.com/annonce/caf%C3%A9.xml?voix=%C3%A9lodie',
        waitUrl: 'https://example.com/wait%20%F0%9F%98%80.mp3',
      },
    );
  });

  it('leaves a URL that already is a URI exactly as given', () => {
    for (const url of [
      'https://example.com/hold%20music.mp3',
      'https://user:pw@example.com:8443/a/b;c=d?e=f&g=%2F#frag',
      'HTTP://EXAMPLE.COM/Music.MP3',
      'http://[::1]:1880/hold?x=a+b',
      "https://example.com/it's(1)!*$,=:@~",
    ]) {
      assert.equal(validateUpdateOptions({ holdUrl: url }).holdUrl, url);
    }
  });

  it('refuses a URL it cannot make a URI without guessing', () => {
    for (const url of [
      'https://café.example/hold.mp3',
      'https://exa mple.com/hold.mp3',
      'https://example.com\\hold.mp3',
      'https://example.com/a\tb.mp3',
      'https:///hold.mp3',
      'ftp://example.com/hold.mp3',
    ]) {
      assert.match(
        validationMessage({ holdUrl: url }),
        /^holdUrl must be an absolute http:\/\/ or https:\/\/ URL/,
        url,
      );
    }
  });

  it('names every bad field with what is wrong with its value', () => {
    const message = validationMessage({ muted: 'yes', holdMethod: 'PUT', waitUrl: 'music.mp3' });
    assert.match(message, /muted must be true or false \(got "yes"\)/);
    assert.match(message, /holdMethod must be GET or POST \(got "PUT"\)/);
    assert.match(message, /waitUrl must be an absolute http:\/\/ or https:\/\/ URL \(got "music.mp3"\)/);
  });

  it('refuses unknown keys, including prototype-polluting ones', () => {
    assert.match(validationMessage({ mute: true }), /"mute" is not an option/);
    assert.match(validationMessage(JSON.parse('{"muted":true,"__proto__":{"x":1}}')), /"__proto__" is not an option/);
  });

  it('requires callSidToCoach when coaching is true', () => {
    assert.match(validationMessage({ coaching: true }), /callSidToCoach is required when coaching is true/);
    assert.deepEqual(validateUpdateOptions({ coaching: 'true', callSidToCoach: COACHED_SID }), {
      coaching: true,
      callSidToCoach: COACHED_SID,
    });
  });

  it('refuses an update that changes nothing', () => {
    assert.match(validationMessage({}), /nothing to update/);
    assert.match(validationMessage({ muted: undefined }), /nothing to update/);
  });

  it('refuses options that are not an object', () => {
    assert.match(validationMessage(null), /update options must be an object \(got null\)/);
    assert.match(validationMessage('muted'), /update options must be an object/);
    assert.match(validationMessage([{ muted: true }]), /got an array/);
  });
});

describe('toFormBody', () => {
  it('encodes options in PascalCase with booleans as true/false, in a fixed order', () => {
    const body = toFormBody({
      callSidToCoach: COACHED_SID,
      coaching: true,
      waitMethod: 'GET',
      waitUrl: 'https://example.com/wait.xml',
      announceMethod: 'POST',
      announceUrl: 'https://example.com/say?text=hi there&x=1',
      holdMethod: 'GET',
      holdUrl: 'https://example.com/hold.mp3',
      hold: false,
      muted: true,
    });
    assert.equal(
      body,
      'Muted=true&Hold=false&HoldUrl=https%3A%2F%2Fexample.com%2Fhold.mp3&HoldMethod=GET' +
        '&AnnounceUrl=https%3A%2F%2Fexample.com%2Fsay%3Ftext%3Dhi%20there%26x%3D1&AnnounceMethod=POST' +
        '&WaitUrl=https%3A%2F%2Fexample.com%2Fwait.xml&WaitMethod=GET&Coaching=true' +
        `&CallSidToCoach=${COACHED_SID}`,
    );
    // What a form decoder reads back is exactly what was set.
    assert.equal(new URLSearchParams(body).get('AnnounceUrl'), 'https://example.com/say?text=hi there&x=1');
  });
});
