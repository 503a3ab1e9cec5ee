import type { LoggerService, LogLevel } from '@nestjs/common';
import { createRequire } from 'node:module';
import pino, { type Logger as Pino } from 'pino';

export type AppLogger = Pino;

export interface LoggerOptions {
  level: string;
  /** Where JSON lines go (default stdout); tests read them to prove what is never logged. */
  destination?: NodeJS.WritableStream;
  /** The environment deciding on pretty output (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Pretty, human-readable lines only for a developer: NODE_ENV=development,
 * not under CI, and pino-pretty installed (a development dependency). Every
 * other run (production, CI, tests) writes one JSON object a line.
 */
export function wantsPrettyLogs(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NODE_ENV !== 'development' || env.CI) return false;
  try {
    createRequire(__filename).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/** The one logger set-up of both processes (API and worker): pino, JSON lines. */
export function createAppLogger(options: LoggerOptions): AppLogger {
  const base = { level: options.level };
  if (options.destination) return pino(base, options.destination);
  if (wantsPrettyLogs(options.env))
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  return pino(base);
}

const METHOD_OF: Record<LogLevel, 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal'> = {
  log: 'info',
  error: 'error',
  warn: 'warn',
  debug: 'debug',
  verbose: 'trace',
  fatal: 'fatal',
};

/**
 * Nest's logger over the app's pino: `new Logger('Context').log(message)`
 * becomes `{"context":"Context","msg":message}`. Nest passes the context as
 * the last argument, and for errors the stack before it.
 */
export class NestPinoLogger implements LoggerService {
  constructor(readonly pino: AppLogger) {}

  private write(level: LogLevel, message: unknown, params: unknown[]): void {
    const method = METHOD_OF[level];
    if (!this.pino.isLevelEnabled(method)) return;
    const context = typeof params[params.length - 1] === 'string' ? params.pop() : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    if (level === 'error' && typeof params[0] === 'string') fields.stack = params[0];
    if (message instanceof Error) {
      fields.err = message;
      this.pino[method](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[method]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.pino[method](fields, String(message));
    }
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }
}
