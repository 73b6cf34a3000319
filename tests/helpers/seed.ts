/**
 * A big session made through the public API, as the office would after a pre-meeting collection: paper forms of
 * 20 questions each entered by a staff socket (`paper_form.enter`), a few in flight at a time.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import type { Ack } from '../../shared/protocol.ts';

const PER_FORM = 20;
const WINDOW = 8;
/** About the length of a real question: a sentence or two. */
const TEXT =
  'Thủ tục cấp giấy chứng nhận quyền sử dụng đất ở phường mất bao lâu, hồ sơ nộp trực tuyến có được không, ' +
  'và phí là bao nhiêu?';

export async function seedPaperQuestions(staff: Socket, sessionId: string, questions: number): Promise<void> {
  const forms = Math.ceil(questions / PER_FORM);
  let next = 0;
  const worker = async () => {
    while (next < forms) {
      const form = next++;
      const count = Math.min(PER_FORM, questions - form * PER_FORM);
      const ack = (await staff.timeout(30_000).emitWithAck('command', {
        id: randomUUID(),
        type: 'paper_form.enter',
        sessionId,
        participantId: randomUUID(),
        name: `Người dân ${form + 1}`,
        questions: Array.from({ length: count }, (_, i) => ({
          questionId: randomUUID(),
          text: `${TEXT} (${form * PER_FORM + i + 1})`,
          anonymous: i % 3 === 0,
        })),
      })) as Ack;
      if (!ack.ok) throw new Error(`paper form ${form}: ${ack.code} ${ack.message}`);
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, worker));
}
