/**
 * The Fanout against a real socket.io server and clients: batches, slices of a big room, owners' own views,
 * and flush() on shutdown. Slices are made tiny here (2 sockets) so that a few clients exercise the sliced path.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../shared/domain/events.ts';
import type { Question } from '../../../shared/domain/types.ts';
import type { EventsMessage } from '../../../shared/protocol.ts';
import { Fanout } from '../../../server/realtime/Fanout.ts';
import { rawJsonParser } from '../../../server/realtime/rawJson.ts';
import { rooms } from '../../../server/realtime/rooms.ts';

const SESSION = 's1';
let http: HttpServer;
let io: Server;
let clients: ClientSocket[] = [];

beforeEach(async () => {
  http = createServer();
  io = new Server(http, { parser: rawJsonParser });
  // The handshake says who the socket is: `p` = participant id (an attendee), or staff.
  io.on('connection', (socket) => {
    const p = String(socket.handshake.auth.p ?? '');
    if (p === 'staff') void socket.join(rooms.staff(SESSION));
    else void socket.join([rooms.attendees(SESSION), rooms.participant(SESSION, p)]);
    socket.on('ping-me', (ack: () => void) => ack());
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
});

afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  await io.close();
});

async function client(p: string): Promise<{ received: EventsMessage[] }> {
  const { port } = http.address() as AddressInfo;
  const socket = connect(`http://127.0.0.1:${port}`, {
    auth: { p },
    transports: ['websocket'],
    forceNew: true,
  });
  clients.push(socket);
  const received: EventsMessage[] = [];
  socket.on('events', (m: EventsMessage) => received.push(m));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  // The server joins the rooms in its connection handler, which has run by the time this round trip returns.
  await socket.emitWithAck('ping-me');
  return { received };
}

const question = (id: string, authorId: string, anonymous = false): Question => ({
  id,
  authorId,
  anonymous,
  text: `question ${id}`,
  source: 'phone',
  status: 'published',
  preMeeting: false,
  createdAt: 1,
  updatedAt: 1,
  votes: 0,
  voters: [],
});
const submitted = (seq: number, q: Question): DomainEvent => ({
  type: 'question.submitted',
  seq,
  at: seq,
  actor: { role: 'attendee', id: q.authorId ?? '' },
  question: q,
});
const voted = (seq: number, questionId: string, participantId: string, votes: number): DomainEvent => ({
  type: 'question.voted',
  seq,
  at: seq,
  actor: { role: 'attendee', id: participantId },
  questionId,
  votes,
  participantId,
  value: true,
});

const joined = (seq: number, participantId: string, count: number): DomainEvent => ({
  type: 'participant.joined',
  seq,
  at: seq,
  actor: { role: 'attendee', id: participantId },
  participant: { id: participantId, kind: 'resident', source: 'phone', joinedAt: seq },
  participantCount: count,
  phoneCount: count,
});

const settle = async (check: () => boolean, ms = 3_000) => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
};
const seqs = (m: EventsMessage[]) => m.flatMap((x) => x.events.map((e) => e.seq));

describe('Fanout', () => {
  it('sends a batch to a room bigger than a slice as one message per socket, owners in their own view', async () => {
    const phones = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((p) => client(p)));
    const staff = await client('staff');
    const fanout = new Fanout(io as never, 25, 2);
    // One tick: a's anonymous question, b's vote on it, a public count.
    fanout.publish(SESSION, [submitted(1, question('q1', 'a', true)), voted(2, 'q1', 'b', 1)]);
    await settle(() => phones.every((p) => p.received.length > 0) && staff.received.length > 0);
    await new Promise((r) => setTimeout(r, 100));

    for (const p of phones) expect(p.received).toHaveLength(1);
    const [a, b, c] = phones.map((p) => p.received[0]!.events);
    // The author sees their own anonymous question with their id; others do not.
    expect(a?.find((e) => e.type === 'question.submitted')).toMatchObject({ question: { authorId: 'a' } });
    expect(c?.find((e) => e.type === 'question.submitted')).not.toHaveProperty('question.authorId');
    // The voter gets their own vote; others only the count.
    expect(b?.find((e) => e.type === 'question.voted')).toMatchObject({
      participantId: 'b',
      value: true,
      votes: 1,
    });
    expect(c?.find((e) => e.type === 'question.voted')).not.toHaveProperty('participantId');
    expect(c?.map((e) => e.seq)).toEqual([1, 2]);
    expect(staff.received).toHaveLength(1);
  });

  it('batches what arrives while a flush is recent, coalescing public vote counts', async () => {
    const phones = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((p) => client(p)));
    const fanout = new Fanout(io as never, 200, 2);
    fanout.publish(SESSION, [submitted(1, question('q1', 'a'))]);
    await settle(() => phones.every((p) => p.received.length === 1));
    // Within the 200 ms window: three votes, then nothing. They go out together, the count coalesced.
    fanout.publish(SESSION, [voted(2, 'q1', 'x', 1)]);
    fanout.publish(SESSION, [voted(3, 'q1', 'y', 2)]);
    setTimeout(() => fanout.publish(SESSION, [voted(4, 'q1', 'z', 3)]), 20);
    await settle(() => phones.every((p) => p.received.length === 2));
    await new Promise((r) => setTimeout(r, 300));
    for (const p of phones) {
      expect(p.received).toHaveLength(2);
      expect(p.received[1]?.events).toEqual([expect.objectContaining({ seq: 4, votes: 3 })]);
    }
  });

  it('coalesces a join storm into one count per phone; the one who joined gets their own join whole', async () => {
    const phones = await Promise.all(['a', 'b', 'c'].map((p) => client(p)));
    const fanout = new Fanout(io as never, 25, 2);
    fanout.publish(SESSION, [joined(1, 'x', 1), joined(2, 'y', 2), joined(3, 'a', 3), joined(4, 'z', 4)]);
    await settle(() => phones.every((p) => p.received.length > 0));
    await new Promise((r) => setTimeout(r, 100));
    const [a, b] = phones.map((p) => p.received.flatMap((m) => m.events));
    // Others: the last count only, and nobody's identity.
    expect(b).toEqual([
      {
        type: 'participant.joined',
        seq: 4,
        at: 4,
        participantCount: 4,
        phoneCount: 4,
        actor: expect.anything(),
      },
    ]);
    // The joiner: their own join in full, and the last count.
    expect(a?.map((e) => e.seq)).toEqual([3, 4]);
    expect(a?.[0]).toMatchObject({ participant: { id: 'a' } });
    expect(a?.[1]).not.toHaveProperty('participant');
  });

  it('sends a phone that joins the room only what comes after: the older events are in the state it was sent', async () => {
    const early = await client('a');
    const fanout = new Fanout(io as never, 25, 2);
    fanout.publish(SESSION, [submitted(1, question('q1', 'x'))]);
    await settle(() => early.received.length === 1);
    const late = await client('b');
    fanout.publish(SESSION, [submitted(2, question('q2', 'y'))]);
    await settle(() => late.received.length === 1 && early.received.length === 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(seqs(early.received)).toEqual([1, 2]);
    expect(seqs(late.received)).toEqual([2]);
  });

  it('flush() sends what is pending at once (shutdown)', async () => {
    const phones = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((p) => client(p)));
    const fanout = new Fanout(io as never, 10_000, 2);
    fanout.publish(SESSION, [submitted(1, question('q1', 'a'))]);
    await settle(() => phones.every((p) => p.received.length === 1));
    // The next flush would wait 10 s; flush() does not.
    fanout.publish(SESSION, [submitted(2, question('q2', 'b'))]);
    fanout.flush();
    await settle(() => phones.every((p) => p.received.length === 2), 2_000);
    for (const p of phones) expect(seqs(p.received)).toEqual([1, 2]);
  });
});
