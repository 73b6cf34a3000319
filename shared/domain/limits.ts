/** Sizes the server enforces (commands.ts) and the phones check before sending. */
export const LIMITS = {
  questionText: 1000,
  name: 100,
  organisation: 150,
  topic: 200,
  reason: 300,
  note: 2000,
  writtenAnswer: 10_000,
  title: 300,
  maxGroups: 200,
  maxSpeechSec: 3600,
  maxBulk: 200,
} as const;
