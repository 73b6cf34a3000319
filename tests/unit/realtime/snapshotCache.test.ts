/**
 * The sync snapshot cache (server/realtime/SnapshotCache.ts) and the encoder that sends its text as it is
 * (server/realtime/rawJson.ts): on random sessions, every viewer's cached snapshot is exactly their projection, a
 * repeated sync at the same seq builds nothing, and what reaches the client decodes to the same object.
 */
import fc from 'fast-check';
import { Decoder, PacketType } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { projectState, type Audience, type Viewer } from '../../../shared/domain/projection.ts';
import { RawJson, rawJsonParser } from '../../../server/realtime/rawJson.ts';
import { SnapshotCache } from '../../../server/realtime/SnapshotCache.ts';
import { ATTENDEE_IDS, PAPER_IDS, nameOf, resolve, scenario } from '../domain/arbitraries.ts';
import { TestSession } from '../domain/fixtures.ts';

const VIEWERS: Viewer[] = [
  { audience: 'staff' },
  { audience: 'screen' },
  ...[...ATTENDEE_IDS, ...PAPER_IDS, 'stranger'].map((participantId): Viewer => ({
    audience: 'attendee',
    participantId,
  })),
];

describe('SnapshotCache', () => {
  it('gives every viewer exactly their projection, built once per audience and seq', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const s = new TestSession({ moderation: sc.moderation, status: sc.status });
        if (sc.status !== 'draft') for (const id of sc.joined) s.join(id, { name: nameOf(id) });
        const builds: Audience[] = [];
        const cache = new SnapshotCache({ onBuild: (audience) => builds.push(audience) });
        const check = (fresh: boolean) => {
          builds.length = 0;
          for (let round = 0; round < 2; round++)
            for (const viewer of VIEWERS)
              expect(JSON.parse(cache.snapshot(s.state, viewer).json)).toEqual(projectState(s.state, viewer));
          expect(builds.sort()).toEqual(fresh ? ['attendee', 'screen', 'staff'] : []);
        };
        check(true);
        const seq = s.state.seq;
        // Entries are kept across seqs (a question the step did not change is not serialised again): a cache
        // that serves every intermediate state still gives exactly the projection.
        const walker = new SnapshotCache();
        for (const generated of sc.steps) {
          const step = resolve(generated, s.state);
          s.run(step.actor, step.draft);
          for (const viewer of VIEWERS.filter((v) => v.audience === 'attendee'))
            expect(JSON.parse(walker.snapshot(s.state, viewer).json)).toEqual(projectState(s.state, viewer));
        }
        // A new seq builds again; the same seq (every step refused) is served from the cache.
        check(s.state.seq !== seq);
      }),
      { numRuns: 50 },
    );
  });

  it('keeps a bounded number of sessions', () => {
    const builds: Audience[] = [];
    const cache = new SnapshotCache({ sessions: 2, onBuild: (a) => builds.push(a) });
    const states = ['a', 'b', 'c'].map((id) => ({ ...new TestSession().state, id }));
    for (const state of [...states, states[0]!]) cache.snapshot(state, { audience: 'staff' });
    // a, b, c built; c pushed a out, so a is built again.
    expect(builds).toHaveLength(4);
  });
});

describe('the socket.io encoder with raw JSON', () => {
  const decode = (encoded: Array<string | Buffer>) => {
    const decoder = new Decoder();
    let packet: unknown;
    decoder.on('decoded', (p: unknown) => (packet = p));
    for (const chunk of encoded) decoder.add(chunk);
    return packet;
  };

  it('writes the text in place of the value; the stock decoder reads the value', () => {
    const state = { id: 's', questions: { q: { text: 'Đường "Lê Lợi" $& $1 \\ \u2028' } } };
    const encoder = new rawJsonParser.Encoder();
    const reply = { ok: true, mode: 'snapshot', seq: 7, state: new RawJson(JSON.stringify(state)) };
    const encoded = encoder.encode({ type: PacketType.ACK, nsp: '/', id: 12, data: [reply] });
    expect(encoded).toEqual([`312${JSON.stringify([{ ...reply, state }])}`]);
    expect(decode(encoded)).toEqual({ type: PacketType.ACK, nsp: '/', id: 12, data: [{ ...reply, state }] });
  });

  it('leaves every other message to the stock encoder', () => {
    const encoder = new rawJsonParser.Encoder();
    const packet = {
      type: PacketType.EVENT,
      nsp: '/',
      data: ['events', { sessionId: 's', events: [{ seq: 1 }] }],
    };
    expect(encoder.encode(packet)).toEqual([`2${JSON.stringify(packet.data)}`]);
    const binary = { type: PacketType.EVENT, nsp: '/', data: ['b', Buffer.from([1, 2])] };
    expect(decode(encoder.encode(binary))).toMatchObject({ data: ['b', Buffer.from([1, 2])] });
  });

  it('serialises as the value anywhere else', () => {
    expect(JSON.stringify({ x: new RawJson('{"a":[1,2]}') })).toBe('{"x":{"a":[1,2]}}');
  });
});
