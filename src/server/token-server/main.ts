/*
 * `npm run token-server` in a clone of the repository (see docs/token-server-api.md); the
 * package's command `npx otp-login-qr token-server` runs the same.
 */
import { runTokenServerProcess } from './run.js';

await runTokenServerProcess(process.env);
