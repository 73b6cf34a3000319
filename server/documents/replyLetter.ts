/**
 * The letter (công văn) carrying written replies to opinions of the dialogue, in the Decree 30 layout (Phụ lục III,
 * mẫu 1.5 "Công văn"): number and date from the letter recorded in the session (question.reply_issue), trích yếu
 * "V/v trả lời ý kiến, kiến nghị …", kính gửi each asker (with the postal address they left, when any), each
 * opinion and its answer, the signature of the official named as signer, "Nơi nhận". In Vietnamese: it is the
 * ward's official document.
 */
import type { Official, Question, ReplyLetter, SessionState } from '../../shared/domain/types.ts';
import { shortDate } from '../../shared/i18n/dates.ts';
import type { Contact } from '../../shared/protocol.ts';
import { AppError } from '../errors.ts';
import {
  bodyParagraph,
  closingBlock,
  decree30Document,
  issuerHeader,
  line,
  toBuffer,
  type Signer,
} from './decree30.ts';
import { Paragraph } from 'docx';

/** The questions named, all answered in writing and carried by one letter. */
function lettered(
  state: SessionState,
  ids: readonly string[],
): { letter: ReplyLetter; questions: Question[] } {
  const questions: Question[] = [];
  let letter: ReplyLetter | undefined;
  for (const id of ids) {
    const q = state.questions[id];
    const l = q?.answer?.written?.letter;
    if (!q || !l) throw new AppError('invalid_state', 'issue the reply letter first', { questionId: id });
    if (letter && letter.number !== l.number)
      throw new AppError('bad_request', 'these replies are in different letters', { field: 'questions' });
    letter = l;
    questions.push(q);
  }
  if (!letter) throw new AppError('bad_request', 'name the questions', { field: 'questions' });
  return { letter, questions };
}

/** "Ông/Bà Nguyễn Văn A, Tổ dân phố số 9 (địa chỉ: …)"; an anonymous asker is addressed as such. */
function addressee(q: Question, contact: Contact | undefined): string {
  if (q.anonymous || !q.authorName) return 'Công dân có ý kiến tại hội nghị đối thoại';
  const where = [
    q.authorGroup !== undefined ? `Tổ dân phố số ${q.authorGroup}` : undefined,
    q.authorOrganisation,
  ].filter(Boolean);
  const address = contact?.address ? ` (địa chỉ: ${contact.address})` : '';
  return `Ông/Bà ${q.authorName}${where.length > 0 ? `, ${where.join(', ')}` : ''}${address}`;
}

/** Who signs and on whose behalf: the chairman for the committee, a vice-chairman for the chairman, else in person. */
export function signerOf(official: Pick<Official, 'name' | 'title'>): Signer {
  const title = official.title.trim();
  if (/^phó chủ tịch/iu.test(title))
    return { on: 'TM. ỦY BAN NHÂN DÂN', titles: ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'], name: official.name };
  if (/^chủ tịch/iu.test(title))
    return { on: 'TM. ỦY BAN NHÂN DÂN', titles: ['CHỦ TỊCH'], name: official.name };
  return { titles: [title || 'NGƯỜI TRẢ LỜI'], name: official.name };
}

export async function replyLetterDocx(
  state: SessionState,
  ids: readonly string[],
  contacts: Record<string, Contact>,
): Promise<{ body: Buffer; number: string }> {
  const { letter, questions } = lettered(state, ids);
  const ward = state.wardName.replace(/^phường\s+/iu, '');
  const meeting = `Hội nghị đối thoại ${state.title}${state.date ? ` ngày ${shortDate(state.date)}` : ''}`;
  const contactOf = (q: Question) => (q.authorId ? contacts[q.authorId] : undefined);
  const addressees = [...new Set(questions.map((q) => addressee(q, contactOf(q))))];
  const groups = [...new Set(questions.flatMap((q) => (q.authorGroup !== undefined ? [q.authorGroup] : [])))];
  const children = [
    issuerHeader({
      ...(state.parentBody ? { parentBody: state.parentBody } : {}),
      wardName: state.wardName,
      place: state.place ?? ward,
      number: letter.number,
      numberSuffix: 'UBND',
      date: letter.date,
      subject: 'V/v trả lời ý kiến, kiến nghị của công dân',
    }),
    new Paragraph({ children: [] }),
    ...(addressees.length === 1
      ? [bodyParagraph([line('Kính gửi: ', { bold: false }), addressees[0] ?? ''], { align: 'center' })]
      : [
          bodyParagraph(['Kính gửi:'], { align: 'center' }),
          ...addressees.map((a, i) =>
            bodyParagraph([`- ${a}${i === addressees.length - 1 ? '.' : ';'}`], { indent: true }),
          ),
        ]),
    bodyParagraph([
      `Ủy ban nhân dân phường ${ward} nhận được ý kiến, kiến nghị của Ông/Bà gửi tới ${meeting}. ` +
        `Sau khi xem xét, Ủy ban nhân dân phường ${ward} trả lời như sau:`,
    ]),
    ...questions.flatMap((q, i) => [
      bodyParagraph([
        line(questions.length > 1 ? `${i + 1}. Nội dung ý kiến: ` : 'Nội dung ý kiến: ', { bold: true }),
        line(`“${q.text}”`, { italics: true }),
      ]),
      bodyParagraph([line('Trả lời: ', { bold: true })]),
      ...(q.answer?.written?.text ?? '')
        .split(/\n+/)
        .filter((p) => p.trim())
        .map((p) => bodyParagraph([p.trim()])),
    ]),
    bodyParagraph([`Ủy ban nhân dân phường ${ward} trả lời để Ông/Bà được biết./.`]),
    new Paragraph({ children: [] }),
    closingBlock(
      [
        '- Như trên;',
        '- Chủ tịch, các Phó Chủ tịch UBND phường;',
        ...groups.map((g) => `- Tổ dân phố số ${g} (để chuyển);`),
        '- Lưu: VT.',
      ],
      signerOf(
        letter.signer.title !== undefined
          ? { name: letter.signer.name, title: letter.signer.title }
          : { name: letter.signer.name, title: '' },
      ),
    ),
  ];
  const body = await toBuffer(
    decree30Document({ title: `Công văn ${letter.number} - ${meeting}`, children }),
  );
  return { body, number: letter.number };
}
