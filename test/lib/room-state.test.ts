import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RoomState, roomView, mergeLabels, type ConferenceEvent, type ConferenceParticipant } from '../../src/lib';

const ROOM = '3f8e2b1a-6c4d-4e9f-8a7b-1c2d3e4f5a60';
const OTHER_ROOM = 'b15d4a6c-3e2f-4a7b-8c9d-0e1f2a3b4c55';
const ALICE = '7d1f0c2e-9a8b-4c3d-8e5f-6a7b8c9d0e11';
const BOB = '8e2a1d3f-0b9c-4d4e-9f6a-7b8c9d0e1f22';
const ERIN = 'c26e5b7d-4f3a-4b8c-9d0e-1f2a3b4c5d66';

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let time = start;
  return { now: () => time, tick: (ms = 1) => (time += ms) };
}

function event(name: string, callSid?: string, fields: Partial<ConferenceEvent> = {}): ConferenceEvent {
  return {
    event: name,
    conferenceSid: ROOM,
    friendlyName: 'Weekly sync',
    ...(callSid ? { callSid, muted: false, hold: false, startConferenceOnEnter: false } : {}),
    params: {},
    ...fields,
  };
}

function participant(callSid: string, fields: Partial<ConferenceParticipant> = {}): ConferenceParticipant {
  return {
    account_sid: ALICE,
    call_sid: callSid,
    call_sid_to_coach: null,
    coaching: false,
    conference_sid: ROOM,
    date_created: 'Tue, 01 Dec 2026 18:00:00 +0000',
    date_updated: 'Tue, 01 Dec 2026 18:00:00 +0000',
    status: 'in-progress',
    end_conference_on_exit: false,
    muted: false,
    hold: false,
    start_conference_on_enter: false,
    uri: '/x',
    ...fields,
  };
}

const state = (room: RoomState) =>
  Object.fromEntries(room.members.map((m) => [m.callSid, { muted: m.muted, hold: m.hold, talking: m.talking }]));

describe('room state', () => {
  it("a join adds a row with the caller's number, a leave takes it away", () => {
    const room = new RoomState(clock().now);
    room.reset({ friendlyName: 'Weekly sync' });
    room.applyEvent(event('participant-join', ERIN, { params: { From: '+15551234567', Direction: 'inbound' } }));
    assert.deepEqual(
      room.members.map((m) => [m.callSid, m.number]),
      [[ERIN, '+15551234567']],
    );
    assert.equal(room.conferenceSid, ROOM, 'the name led to the conference SID');
    room.applyEvent(event('participant-leave', ERIN));
    assert.deepEqual(room.members, []);
  });

  it('the number of a call we placed is the one we called (To)', () => {
    const room = new RoomState();
    room.reset({ conferenceSid: ROOM });
    room.applyEvent(
      event('participant-join', ERIN, {
        params: { From: '+15550000000', To: '+15557654321', Direction: 'outbound-api' },
      }),
    );
    assert.equal(room.members[0]?.number, '+15557654321');
  });

  it('mute, hold and speech events change the row; muting stops "talking"', () => {
    const room = new RoomState();
    room.reset({ conferenceSid: ROOM });
    room.applyEvent(event('participant-join', BOB));
    room.applyEvent(event('participant-speech-start', BOB));
    assert.deepEqual(state(room)[BOB], { muted: false, hold: false, talking: true });
    room.applyEvent(event('participant-mute', BOB, { muted: true }));
    assert.deepEqual(state(room)[BOB], { muted: true, hold: false, talking: false });
    room.applyEvent(event('participant-hold', BOB, { muted: true, hold: true }));
    assert.deepEqual(state(room)[BOB], { muted: true, hold: true, talking: false });
  });

  it('ignores events about another conference', () => {
    const room = new RoomState();
    room.reset({ conferenceSid: ROOM });
    assert.equal(room.applyEvent(event('participant-join', BOB, { conferenceSid: OTHER_ROOM })), false);
    assert.deepEqual(room.members, []);
  });

  it('an event older than what is known (by sequence number) changes nothing', () => {
    const room = new RoomState();
    room.reset({ conferenceSid: ROOM });
    room.applyEvent(event('participant-join', BOB, { sequenceNumber: 1 }));
    room.applyEvent(event('participant-mute', BOB, { muted: true, sequenceNumber: 3 }));
    room.applyEvent(event('participant-unmute', BOB, { muted: false, sequenceNumber: 2 }));
    assert.equal(state(room)[BOB]?.muted, true);
  });

  it('a late or repeated event about someone who left does not bring them back', () => {
    const room = new RoomState();
    room.reset({ conferenceSid: ROOM });
    room.applyEvent(event('participant-join', BOB, { sequenceNumber: 1 }));
    room.applyEvent(event('participant-leave', BOB, { sequenceNumber: 4 }));
    room.applyEvent(event('participant-mute', BOB, { muted: true, sequenceNumber: 3 }));
    room.applyEvent(event('participant-join', BOB, { sequenceNumber: 1 }));
    room.applyEvent(event('participant-unmute', BOB));
    assert.deepEqual(room.members, []);
  });

  it('a leave that overtakes its join keeps them out when the join arrives', () => {
    const room = new RoomState();
    room.reset({ conferenceSid: ROOM });
    room.applyEvent(event('participant-leave', ERIN, { sequenceNumber: 5 }));
    room.applyEvent(event('participant-join', ERIN, { sequenceNumber: 4 }));
    assert.deepEqual(room.members, []);
  });

  it('an event about someone it never saw join adds them (the join was missed)', () => {
    const room = new RoomState();
    room.reset({ conferenceSid: ROOM });
    room.applyEvent(event('participant-mute', BOB, { muted: true }));
    assert.deepEqual(state(room), { [BOB]: { muted: true, hold: false, talking: false } });
  });

  it('the list replaces the rows, except what events said after the list was asked for', () => {
    const time = clock();
    const room = new RoomState(time.now);
    room.reset({ conferenceSid: ROOM });
    room.applyEvent(event('participant-join', BOB)); // before the list: the list wins
    time.tick();
    const askedAt = time.now();
    time.tick();
    room.applyEvent(event('participant-join', ERIN)); // after: not yet in the list, stays
    room.applyEvent(event('participant-mute', ALICE, { muted: true })); // after: newer than the list's "unmuted"
    room.applyList([participant(ALICE), participant(BOB, { muted: true })], askedAt);
    assert.deepEqual(state(room), {
      [ALICE]: { muted: true, hold: false, talking: false },
      [BOB]: { muted: true, hold: false, talking: false },
      [ERIN]: { muted: false, hold: false, talking: false },
    });
    // A later list without Erin takes her away.
    time.tick();
    room.applyList([participant(ALICE), participant(BOB)], time.now());
    assert.deepEqual(Object.keys(state(room)).sort(), [ALICE, BOB].sort());
  });

  it('someone who left after the list was asked for stays gone', () => {
    const time = clock();
    const room = new RoomState(time.now);
    room.reset({ conferenceSid: ROOM });
    room.applyEvent(event('participant-join', BOB));
    const askedAt = time.tick();
    time.tick();
    room.applyEvent(event('participant-leave', BOB));
    room.applyList([participant(BOB)], askedAt);
    assert.deepEqual(room.members, []);
  });

  it('conference-end empties the room and says it ended', () => {
    const room = new RoomState();
    room.reset({ conferenceSid: ROOM });
    room.applyEvent(event('participant-join', BOB));
    room.applyEvent(event('conference-end'));
    assert.equal(room.status, 'completed');
    assert.deepEqual(room.members, []);
  });

  it("the view names people by the flow's labels (by SID or number), else the number, else the SID", () => {
    const time = clock();
    const room = new RoomState(time.now);
    room.reset({ conferenceSid: ROOM });
    room.applyEvent(event('participant-join', ERIN, { params: { From: '+15559990000' } }));
    time.tick();
    room.applyEvent(event('participant-join', BOB, { params: { From: '+1 (555) 123-4567' } }));
    room.applyEvent(event('participant-join', ALICE, { startConferenceOnEnter: true }));
    const labels = mergeLabels(new Map(), { '+15551234567': 'Grandma', [ALICE.toUpperCase()]: 'Alice' });
    const view = roomView(room, labels, { busy: new Map(), now: 0 });
    assert.deepEqual(
      view.people.map((p) => p.name),
      ['Alice', '+15559990000', 'Grandma'],
      'the host first, then by when they joined',
    );
    const unlabeled = roomView(room, new Map(), { busy: new Map(), now: 0 });
    assert.equal(unlabeled.people[0]?.name, `Caller ${ALICE.slice(0, 8)}`);
  });

  it('labels: bad entries change nothing and say which entry; an empty name takes a label away', () => {
    const labels = mergeLabels(new Map(), { [BOB]: 'Bob' });
    assert.throws(() => mergeLabels(labels, { [ERIN]: 42 }), /the name for c26e5b7d.* must be a text \(got 42\)/);
    assert.throws(() => mergeLabels(labels, 'Bob'), /labels must be an object/);
    assert.throws(() => mergeLabels(labels, JSON.parse('{"__proto__": "x"}')), /is not a number or call SID/);
    assert.deepEqual([...mergeLabels(labels, { [BOB]: '' })], []);
  });

  it('whatever order a burst of events arrives in (repeats too), the room ends as the last event of each person says', () => {
    const people = [ALICE, BOB, ERIN];
    // Each person's events in the order they happened, numbered across the conference.
    const burst = fc.array(fc.tuple(fc.constantFrom(...people), fc.constantFrom('mute', 'unmute', 'hold', 'unhold')), {
      maxLength: 30,
    });
    fc.assert(
      fc.property(burst, fc.subarray(people), fc.func(fc.integer()), (steps, leaving, shuffleKey) => {
        const events: ConferenceEvent[] = people.map((p, i) => event('participant-join', p, { sequenceNumber: i + 1 }));
        const last: Record<string, { muted: boolean; hold: boolean }> = {};
        for (const p of people) last[p] = { muted: false, hold: false };
        steps.forEach(([who, what], i) => {
          const now = { ...last[who]! };
          if (what === 'mute' || what === 'unmute') now.muted = what === 'mute';
          else now.hold = what === 'hold';
          last[who] = now;
          events.push(event(`participant-${what}`, who, { ...now, sequenceNumber: people.length + i + 1 }));
        });
        leaving.forEach((who, i) => {
          events.push(event('participant-leave', who, { sequenceNumber: people.length + steps.length + i + 1 }));
        });
        // Delivery may repeat an event.
        events.push(...events.filter((_e, i) => shuffleKey(-i - 1) % 3 === 0));
        const shuffled = events
          .map((e, i) => ({ e, key: shuffleKey(i) }))
          .sort((a, b) => a.key - b.key)
          .map(({ e }) => e);
        const room = new RoomState();
        room.reset({ conferenceSid: ROOM });
        for (const e of shuffled) room.applyEvent(e);
        for (const p of people) {
          const member = room.members.find((m) => m.callSid === p);
          if (leaving.includes(p)) {
            assert.equal(member, undefined, `${p} left`);
            continue;
          }
          assert.ok(member, `${p} is in the room`);
          assert.deepEqual({ muted: member.muted, hold: member.hold }, last[p]);
        }
      }),
    );
  });
});
