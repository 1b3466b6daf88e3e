/** A logger that prefixes every line with its scope (`[hub]`, `[bg]`). Never pass tokens or draft contents. */
export interface Logger {
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

export function createLogger(scope: string, sink: Pick<Console, 'log' | 'warn' | 'error'> = console): Logger {
  const prefix = `[${scope}]`;
  return {
    info: (message, ...rest) => sink.log(prefix, message, ...rest),
    warn: (message, ...rest) => sink.warn(prefix, message, ...rest),
    error: (message, ...rest) => sink.error(prefix, message, ...rest),
  };
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
