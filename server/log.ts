import { pino, type Logger } from 'pino';

/** Structured JSON logs on stdout (pipe through pino-pretty to read them in a terminal). */
export const createLogger = (level: string): Logger => pino({ level, base: { app: 'dialogue-board' } });
