/** gRPC status codes that Firestore errors carry in `code`. */
const ALREADY_EXISTS = 6;
const INVALID_ARGUMENT = 3;
const FAILED_PRECONDITION = 9;
const ABORTED = 10;

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

export const isAlreadyExists = (error: unknown): boolean => codeOf(error) === ALREADY_EXISTS;
export const isFailedPrecondition = (error: unknown): boolean => codeOf(error) === FAILED_PRECONDITION;
/** Firestore refused the data itself (a field too large, say): retrying cannot help. */
export const isInvalidArgument = (error: unknown): boolean => codeOf(error) === INVALID_ARGUMENT;

/**
 * Another transaction won the documents: Firestore aborts the loser once the
 * client's retries are spent, and the emulator closes it mid-way. Either
 * way the loser wrote nothing.
 */
export const isContention = (error: unknown): boolean =>
  codeOf(error) === ABORTED || (codeOf(error) === INVALID_ARGUMENT && /Transaction is invalid or closed/.test((error as Error).message));
