import { type Logger, pino } from "pino";

export type { Logger };

/** Structured JSON logs (pino). Tests pass `level: "silent"` or their own destination. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = { level, base: { service: "catdata" }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options);
}

export const silentLogger: Logger = pino({ level: "silent" });
