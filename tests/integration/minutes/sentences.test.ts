/**
 * The sentences the side list inserts into the minutes read as administrative Vietnamese, with nothing to retype
 * (issue 13, finding 7): "Ông/Bà" + name, the role typed after the name as an apposition, "Tổ dân phố số 9" named
 * once, "lúc 08 giờ 34" on the ward's clock, dates as "15/12/2026". The meeting runs on a real server; the side list
 * reads the staff state it syncs.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockTime, hhmmAt } from '../../../shared/i18n/dates.ts';
import { sideList } from '../../../client/surfaces/minutes/sideList.ts';
import { staffState, startServer, type TestServer } from '../../helpers/server.ts';

let server: TestServer;
let chair: string;

beforeAll(async () => {
  server = await startServer();
  chair = await server.staffToken('chair', { name: 'Nguyễn Văn Hùng' });
});

afterAll(async () => {
  await server?.close();
});

async function ok(token: string, cmd: Record<string, unknown>): Promise<void> {
  const ack = await server.command(token, cmd);
  if (!ack.ok) throw new Error(`${String(cmd.type)}: ${ack.code}`);
}

/** A participant joins, raises a hand on `topic`; the chair gives the floor and ends the speech. */
async function speak(sessionId: string, joinCode: string, body: Record<string, unknown>, topic: string) {
  const { token } = await server.join(joinCode, body);
  const handId = randomUUID();
  await ok(token, { type: 'hand.raise', sessionId, handId, topic });
  await ok(chair, { type: 'speaker.give_floor', sessionId, handId });
  await ok(chair, { type: 'speaker.end', sessionId });
}

describe('sentences the minutes side list inserts', () => {
  it('name the speaker, their role and residential group as an administrative text does, at "lúc 08 giờ 34"', async () => {
    const { id, joinCode } = await server.createSession();
    await server.setStatus(id, 'collecting');
    await server.setStatus(id, 'live');
    await speak(
      id,
      joinCode,
      { name: 'Nguyễn Thị Hoa (Bí thư chi bộ TDP 9)', group: 9 },
      'Cấp giấy chứng nhận quyền sử dụng đất',
    );
    await speak(id, joinCode, { name: 'Trần Văn Minh', group: 7 }, 'Cấp giấy phép xây dựng');

    const state = await staffState(server, id);
    const [hoa, minh] = state.speeches;
    if (!hoa || !minh) throw new Error('two speeches expected');
    const paragraphs = sideList(state).speeches.map((s) => s.paragraph);
    expect(paragraphs).toEqual([
      `Ông/Bà Nguyễn Thị Hoa, Bí thư chi bộ Tổ dân phố số 9, phát biểu về cấp giấy chứng nhận quyền sử dụng đất, lúc ${clockTime(hhmmAt(hoa.startedAt))}.`,
      `Ông/Bà Trần Văn Minh, Tổ dân phố số 7, phát biểu về cấp giấy phép xây dựng, lúc ${clockTime(hhmmAt(minh.startedAt))}.`,
    ]);
    expect(paragraphs.join('\n')).not.toMatch(/\d{2}:\d{2}|TDP|\(Tổ dân phố/);
  });

  it('name the asker the same way and write dates as 15/12/2026', async () => {
    const { id, joinCode } = await server.createSession();
    await server.setStatus(id, 'collecting');
    await server.setStatus(id, 'live');
    const state0 = await staffState(server, id);
    const field = state0.fields[0];
    if (!field) throw new Error('no field');
    const asker = await server.join(joinCode, { name: 'Lê Thị Lan', group: 3 });
    const live = randomUUID();
    const writing = randomUUID();
    await ok(asker.token, {
      type: 'question.submit',
      sessionId: id,
      questionId: live,
      text: 'Hỏi A?',
      fieldId: field.id,
    });
    await ok(asker.token, {
      type: 'question.submit',
      sessionId: id,
      questionId: writing,
      text: 'Hỏi B?',
      fieldId: field.id,
    });
    await ok(chair, { type: 'question.approve', sessionId: id, questionIds: [live, writing] });
    await ok(chair, {
      type: 'question.answer',
      sessionId: id,
      questionId: live,
      mode: 'live',
      note: 'Đã rõ.',
    });
    await ok(chair, {
      type: 'question.answer',
      sessionId: id,
      questionId: writing,
      mode: 'writing',
      dueDate: '2026-12-15',
    });

    const list = sideList(await staffState(server, id));
    expect(list.answered[0]?.paragraph).toMatch(
      new RegExp(
        `^Câu hỏi của ông/bà Lê Thị Lan, Tổ dân phố số 3, lĩnh vực ${field.name}: Hỏi A\\? — Trả lời: Đã rõ`,
      ),
    );
    expect(list.writing[0]?.paragraph).toMatch(
      /^Câu hỏi của ông\/bà Lê Thị Lan, Tổ dân phố số 3, .* — Sẽ trả lời bằng văn bản trước ngày 15\/12\/2026/,
    );
  });

  it('a speech recorded as opinions lists each with its field, what became of it and who answers for it', async () => {
    const { id } = await server.createSession();
    await server.setStatus(id, 'live');
    for (const official of [
      {
        id: 'o-dung',
        name: 'Phạm Văn Dũng',
        title: 'Công chức Địa chính – Xây dựng',
        fieldIds: ['dia-chinh'],
      },
      { id: 'o-tp', name: 'Lê Thị Tư', title: 'Công chức Tư pháp – Hộ tịch', fieldIds: ['tu-phap'] },
    ])
      await ok(server.adminToken, { type: 'official.upsert', sessionId: id, official });
    const handId = randomUUID();
    const [upward, writing] = [randomUUID(), randomUUID()];
    await ok(chair, { type: 'hand.add', sessionId: id, handId, name: 'Nguyễn Thị Hoa', group: 9 });
    await ok(chair, { type: 'speaker.give_floor', sessionId: id, handId });
    await ok(chair, { type: 'speaker.end', sessionId: id });
    const before = sideList(await staffState(server, id)).speeches[0]?.paragraph ?? '';
    expect(before).toMatch(
      /^Ông\/Bà Nguyễn Thị Hoa, Tổ dân phố số 9, phát biểu ý kiến, lúc \d{2} giờ \d{2}\.$/,
    );

    await ok(chair, {
      type: 'speech.record_opinions',
      sessionId: id,
      handId,
      opinions: [
        { questionId: upward, text: 'Đề nghị sửa quy định hạn mức tách thửa.', fieldId: 'dia-chinh' },
        { questionId: writing, text: 'Lệ phí chứng thực cao', fieldId: 'tu-phap', officialId: 'o-tp' },
      ],
    });
    await ok(chair, {
      type: 'question.answer',
      sessionId: id,
      questionId: upward,
      mode: 'upward',
      authority: 'UBND thành phố Hà Nội',
      answeredBy: 'o-dung',
    });
    await ok(chair, {
      type: 'question.answer',
      sessionId: id,
      questionId: writing,
      mode: 'writing',
      dueDate: '2026-12-15',
    });
    const paragraph = sideList(await staffState(server, id)).speeches[0]?.paragraph;
    expect(paragraph).toBe(
      `${before} Ý kiến: (1) Đề nghị sửa quy định hạn mức tách thửa (lĩnh vực Địa chính – Xây dựng) — kiến nghị ` +
        'UBND thành phố Hà Nội (Công chức Địa chính – Xây dựng Phạm Văn Dũng); (2) Lệ phí chứng thực cao (lĩnh vực ' +
        'Tư pháp – Hộ tịch) — sẽ trả lời bằng văn bản trước ngày 15/12/2026, giao Công chức Tư pháp – Hộ tịch Lê Thị Tư.',
    );
  });
});
