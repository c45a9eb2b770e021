/** Exit codes documented in the README ("Running nightly"). */
export const ExitCode = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  dataQuality: 3,
  locked: 4,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An expected failure: the CLI prints `message` as one line and exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.usage,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
