import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the scanner app that the package ships prebuilt (`dist/app`, Vite's output), found
 * through the package's own name, so that it is the same folder in an installed package and in a
 * clone (where `npm run build:app` makes it). Throws a TypeError that says how to get it when it
 * is missing.
 */
export function prebuiltAppDir(): string {
  const packageJson = fileURLToPath(import.meta.resolve('otp-login-qr/package.json'));
  const dir = join(dirname(packageJson), 'dist', 'app');
  if (!existsSync(join(dir, 'index.html'))) {
    throw new TypeError(
      `The scanner app is not built: ${dir} has no index.html. ` +
        'In a clone of the repository, build it with: npm run build:app',
    );
  }
  return dir;
}
