/** English strings of ../home.ts (loaded on demand). */
import type { HomeMessages } from '../home.ts';

const en: HomeMessages = {
  title: 'Join a meeting',
  intro:
    'Scan the QR code on the big screen, or type the meeting code to ask questions, vote for questions and ask to speak.',
  codeLabel: 'Meeting code',
  codeHint: 'Letters and digits, shown on the screen and on the invitation.',
  join: 'Join the meeting',
  codeInvalid: 'Please type the meeting code (4–12 letters and digits).',
  staff: 'For staff',
};

export default { home: en };
