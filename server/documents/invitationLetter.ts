/**
 * The giấy mời (invitation letter) as DOCX, one per invitee, in the Decree 30 layout the printable letters have
 * (client/surfaces/admin/session/Letters.svelte): the issuer's header with "Số: …/GM-UBND", GIẤY MỜI and its
 * subject, "Kính gửi: Ông/Bà …", the time ("Vào hồi 08 giờ 00, thứ Ba, ngày 15 tháng 12 năm 2026"), the venue,
 * the programme, the personal QR that checks the invitee in, "Nơi nhận" and the signature. Each letter starts a
 * page. In Vietnamese, with the words of the printable letter (shared/i18n/invitations.ts): it is the ward's
 * official document.
 */
import { AlignmentType, ImageRun, Paragraph } from 'docx';
import QRCode from 'qrcode';
import type { SessionState } from '../../shared/domain/types.ts';
import { meetingMoment } from '../../shared/i18n/dates.ts';
import invitationMessages from '../../shared/i18n/invitations.ts';
import { formatMessage } from '../../shared/i18n/runtime.ts';
import { roleLine, venueLine, wardInText } from '../../shared/invitations/invitationText.ts';
import type { InvitationSettings, Invitee } from '../../shared/invitations/invitees.ts';
import {
  bodyParagraph,
  closingBlock,
  decree30Document,
  issuerHeader,
  line,
  titleParagraphs,
  toBuffer,
} from './decree30.ts';

const W = invitationMessages.vi.invite;
const t = (message: string, values: Record<string, string | number> = {}) =>
  formatMessage(message, values, 'vi');
const key = (path: string, values?: Record<string, string | number>) => {
  const found = path
    .replace(/^invite\./, '')
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], W);
  return typeof found === 'string' ? t(found, values) : path;
};

export interface InvitationCard {
  invitee: Invitee;
  /** The personal link in the QR: the join link with the invitation's token. */
  link: string;
}

/** 3 cm: scanned from a printed page at arm's length. */
const QR_PX = 113;

async function letter(
  state: SessionState,
  card: InvitationCard,
  settings: InvitationSettings,
  venue: string,
  first: boolean,
): Promise<Array<Paragraph | ReturnType<typeof issuerHeader>>> {
  const { invitee } = card;
  const salutation = W.salutation[invitee.salutation];
  const qr = await QRCode.toBuffer(card.link, {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: 1,
    width: 300,
  });
  const ward = state.wardName.replace(/^phường\s+/iu, '');
  return [
    // Each letter on its own page.
    ...(first ? [] : [new Paragraph({ pageBreakBefore: true, children: [] })]),
    issuerHeader({
      ...(state.parentBody ? { parentBody: state.parentBody } : {}),
      wardName: state.wardName,
      place: state.place ?? ward,
      number: settings.number || undefined,
      numberSuffix: 'GM-UBND',
      ...(settings.issuedOn ? { date: settings.issuedOn } : {}),
    }),
    ...titleParagraphs([W.letter.kind, t(W.letter.about, { title: state.title })]),
    bodyParagraph(
      [
        line(t(W.letter.to, { salutation, name: invitee.name }), { bold: true }),
        ` – ${roleLine(invitee, key)}.`,
      ],
      { align: 'center' },
    ),
    bodyParagraph([t(W.letter.body, { ward: wardInText(state.wardName), salutation, title: state.title })]),
    bodyParagraph([t(W.letter.when, { moment: meetingMoment(state.date, state.startTime, 'vi') })]),
    bodyParagraph([t(W.letter.where, { venue })]),
    ...(state.agenda.length > 0
      ? [
          bodyParagraph([W.letter.programme]),
          ...state.agenda.map((item) => bodyParagraph([`- ${item.title}`], { indent: true })),
        ]
      : []),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 160, after: 0 },
      children: [new ImageRun({ type: 'png', data: qr, transformation: { width: QR_PX, height: QR_PX } })],
    }),
    bodyParagraph([line(t(W.letter.scan, { salutation, code: state.joinCode }), { italics: true })]),
    bodyParagraph([t(W.letter.close, { salutation })]),
    new Paragraph({ children: [] }),
    closingBlock([W.letter.recipientAbove, W.letter.recipientFile], {
      ...(settings.signFor ? { on: settings.signFor } : {}),
      titles: settings.signerTitle ? [settings.signerTitle] : [],
      name: settings.signerName,
    }),
  ];
}

/** The giấy mời of the given invitees in one document, a page each. */
export async function invitationLettersDocx(
  state: SessionState,
  cards: readonly InvitationCard[],
  settings: InvitationSettings,
  address: string | undefined,
): Promise<Buffer> {
  const venue = venueLine(state.venue, address);
  const children = (
    await Promise.all(cards.map((card, i) => letter(state, card, settings, venue, i === 0)))
  ).flat();
  return toBuffer(decree30Document({ title: `${W.letter.kind} - ${state.title}`, children }));
}
