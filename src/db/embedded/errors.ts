/** A command failure answered to the client as {ok: 0, errmsg, code, codeName, ...extra}. */
export class CommandError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CommandError';
  }

  toReply(): Record<string, unknown> {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }
}

export const badValue = (message: string): CommandError => new CommandError(2, 'BadValue', message);
export const failedToParse = (message: string): CommandError => new CommandError(9, 'FailedToParse', message);
export const typeMismatch = (message: string): CommandError => new CommandError(14, 'TypeMismatch', message);
export const namespaceNotFound = (message: string): CommandError =>
  new CommandError(26, 'NamespaceNotFound', message);
export const indexNotFound = (message: string): CommandError => new CommandError(27, 'IndexNotFound', message);
export const cursorNotFound = (id: string): CommandError =>
  new CommandError(43, 'CursorNotFound', `cursor id ${id} not found`);
export const commandNotFound = (name: string): CommandError =>
  new CommandError(59, 'CommandNotFound', `no such command: '${name}'`);
export const immutableField = (message: string): CommandError => new CommandError(66, 'ImmutableField', message);
export const illegalOperation = (message: string): CommandError => new CommandError(20, 'IllegalOperation', message);
export const indexOptionsConflict = (message: string): CommandError =>
  new CommandError(85, 'IndexOptionsConflict', message);
export const indexKeySpecsConflict = (message: string): CommandError =>
  new CommandError(86, 'IndexKeySpecsConflict', message);

/** Turns anything thrown while running a command into a reply document. */
export function errorReply(error: unknown): Record<string, unknown> {
  if (error instanceof CommandError) return error.toReply();
  const message = error instanceof Error ? error.message : String(error);
  return { ok: 0, errmsg: message, code: 2, codeName: 'BadValue' };
}
