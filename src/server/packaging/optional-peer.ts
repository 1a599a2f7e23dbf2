/**
 * Thrown when a part of the package needs an optional peer dependency that the project has not
 * installed: better-sqlite3 for the SQLite store, ioredis for the Redis store. The message names
 * the package and the command that installs it.
 */
export class MissingPeerDependencyError extends Error {
  readonly code = 'missing_peer_dependency';

  constructor(
    readonly packageName: string,
    neededFor: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${neededFor} needs the package "${packageName}", which is not installed. ` +
        `Install it next to otp-login-qr: npm install ${packageName}`,
      options,
    );
    this.name = this.constructor.name;
  }
}

/**
 * Imports an optional peer dependency, or throws MissingPeerDependencyError when it is not
 * installed. Only a missing package is translated: any other failure (a native addon built for
 * another Node version, say) is thrown as it is, since its own message says what is wrong.
 */
export async function importOptionalPeer<Module>(
  packageName: string,
  neededFor: string,
): Promise<Module> {
  try {
    return (await import(packageName)) as Module;
  } catch (error) {
    if (isMissing(error, packageName)) {
      throw new MissingPeerDependencyError(packageName, neededFor, { cause: error });
    }
    throw error;
  }
}

function isMissing(error: unknown, packageName: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    error.message.includes(`'${packageName}'`)
  );
}
