/*
 * The phone's fingerprint or face: Chromium's virtual authenticator (the DevTools WebAuthn
 * domain), a platform authenticator (CTAP2, internal transport) that verifies its user. The test
 * says whether the next check succeeds (`userVerified`) and may delete the phone's passkeys.
 *
 * A virtual authenticator lives as long as its page, and the phone relaunches Chromium for every
 * scan (its camera file is read at launch): the passkeys it holds are read out when the app
 * closes and put back into the next page's authenticator, as a phone keeps them.
 */
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

export class VirtualAuthenticator {
  /** Whether the user's fingerprint or face is recognised at the next prompts. */
  private verified = true;
  private session: CDPSession | undefined;
  private authenticatorId = '';
  private kept: Awaited<ReturnType<VirtualAuthenticator['readCredentials']>> = [];

  /** Puts the authenticator, and the passkeys it held, into `page` (before the app loads). */
  async attach(context: BrowserContext, page: Page): Promise<void> {
    const session = await context.newCDPSession(page);
    await session.send('WebAuthn.enable', { enableUI: false });
    const { authenticatorId } = await session.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: this.verified,
        // The user touches it whenever asked: the prompt answers at once.
        automaticPresenceSimulation: true,
      },
    });
    for (const credential of this.kept) {
      await session.send('WebAuthn.addCredential', { authenticatorId, credential });
    }
    this.session = session;
    this.authenticatorId = authenticatorId;
  }

  /** Keeps the passkeys of the page that is about to close. */
  async detach(): Promise<void> {
    if (this.session === undefined) return;
    this.kept = await this.readCredentials(this.session);
    this.session = undefined;
  }

  /** Whether the user's fingerprint or face is recognised from now on. */
  async setUserVerified(verified: boolean): Promise<void> {
    this.verified = verified;
    await this.session?.send('WebAuthn.setUserVerified', {
      authenticatorId: this.authenticatorId,
      isUserVerified: verified,
    });
  }

  /** The passkeys it holds now. */
  async passkeyCount(): Promise<number> {
    if (this.session === undefined) return this.kept.length;
    return (await this.readCredentials(this.session)).length;
  }

  /** Deletes every passkey, as a user who removed them in the phone's settings. */
  async deletePasskeys(): Promise<void> {
    this.kept = [];
    await this.session?.send('WebAuthn.clearCredentials', {
      authenticatorId: this.authenticatorId,
    });
  }

  private async readCredentials(session: CDPSession) {
    const { credentials } = await session.send('WebAuthn.getCredentials', {
      authenticatorId: this.authenticatorId,
    });
    return credentials;
  }
}
