/** gRPC status codes that Firestore errors carry in `code`. */
const ALREADY_EXISTS = 6;
const INVALID_ARGUMENT = 3;
const FAILED_PRECONDITION = 9;

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

export const isAlreadyExists = (error: unknown): boolean => codeOf(error) === ALREADY_EXISTS;
export const isFailedPrecondition = (error: unknown): boolean => codeOf(error) === FAILED_PRECONDITION;
/** Firestore refused the data itself (a field too large, say): retrying cannot help. */
export const isInvalidArgument = (error: unknown): boolean => codeOf(error) === INVALID_ARGUMENT;
