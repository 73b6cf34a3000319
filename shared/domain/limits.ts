/** Sizes the server enforces (commands.ts) and the phones check before sending. */
export const LIMITS = {
  questionText: 1000,
  name: 100,
  organisation: 150,
  topic: 200,
  /** The administrative procedure a respondent of the satisfaction form used ("thủ tục đã thực hiện"). */
  procedure: 200,
  reason: 300,
  note: 2000,
  writtenAnswer: 10_000,
  /** A letter's number in the office's register, e.g. "125/UBND-VP". */
  letterNumber: 40,
  /** A contact for the written reply: a phone number, a postal address. */
  contactPhone: 20,
  contactAddress: 200,
  title: 300,
  maxGroups: 200,
  maxSpeechSec: 3600,
  maxBulk: 200,
  /** Opinions one speech may be recorded as. */
  opinionsPerSpeech: 10,
  /** Lines an agenda item shows on the big screen (delegates, key figures, conclusions). */
  screenLines: 12,
  /** Report pages a session may have for the big screen (images and PDF pages together). */
  reportPages: 60,
  /** Largest report file the office may upload, in bytes (kept in the document store, on every node). */
  reportFileBytes: 8 * 1024 * 1024,
} as const;

/**
 * A phone number for the written reply: digits, spaces, dots or dashes, optionally a leading +, at least 8 signs.
 * Here (no zod) so the phone checks it before sending, with the very rule the server parses (ContactSchema).
 */
export const CONTACT_PHONE_PATTERN = /^$|^\+?[0-9][0-9 .-]{7,}$/;
