/**
 * What can be wrong with an IP database that the configuration names (or that an installed
 * `@ip-location-db` package holds):
 * - `ip_database_unreadable`: the file is missing or cannot be read (permissions, a directory);
 * - `ip_database_invalid`: it is read, but is not what it should be (not an MMDB file, a
 *   gzipped one, a city file given as the operator's, a CSV line in no known layout).
 */
export type IpDatabaseErrorCode = 'ip_database_unreadable' | 'ip_database_invalid';

/**
 * Thrown at start by openIpLocator, never at lookup: a Token Server told to show places must not
 * start without them, and must not fail a login later because a file went bad.
 */
export class IpDatabaseError extends Error {
  constructor(
    readonly code: IpDatabaseErrorCode,
    /** The file, as configured or as resolved in the installed package. */
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${message} (${path})`, options);
    this.name = this.constructor.name;
  }
}

/** Why reading a file failed, in words: the system's own message repeats the path. */
const READ_FAILURES: Readonly<Record<string, string>> = {
  ENOENT: 'there is no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
};

/** The error for a `kind` database (`city`, `network operator`) at `path` that could not be read. */
export function unreadableDatabase(kind: string, path: string, cause: unknown): IpDatabaseError {
  const code = (cause as NodeJS.ErrnoException | null)?.code;
  const why = (code === undefined ? undefined : READ_FAILURES[code]) ?? String(cause);
  return new IpDatabaseError(
    'ip_database_unreadable',
    path,
    `The ${kind} database cannot be read: ${why}`,
    { cause },
  );
}
