// Errors of the config layer. The CLI turns them into one-line CliErrors.

/** A deployment file (manifest, unit, env file) that cannot be read or edited as asked. */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
  constructor(
    readonly file: string,
    detail: string,
    readonly line?: number,
    options?: ErrorOptions,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${detail}`, options);
  }
}
