import { html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { dateTimeText } from '../date-text.js';
import { t } from '../i18n/locale.js';
import type { CameraChoice } from '../scanner/camera-source.js';
import type { AccountView } from '../view-models.js';
import { screenStyles } from './shared-styles.js';
import { homeStyles } from './home-view.styles.js';
import { wrappableSentence } from './wrap-points.js';

/**
 * @summary Home: the linked accounts, "Scan to log in" within thumb reach, and the settings.
 * @fires app-home-scan - the user wants to scan a login code.
 * @fires app-home-link - the user wants to link another account.
 * @fires app-home-unlink - the user confirmed unlinking `detail.profileId`.
 * @fires app-home-select - the user chose `detail.profileId` to answer logins.
 * @fires app-home-camera - the user chose the camera `detail.deviceId` ('' for the default).
 */
export class HomeView extends LitElement {
  static override styles = [screenStyles, homeStyles];

  /** The linked accounts. */
  @property({ attribute: false }) accounts: readonly AccountView[] = [];

  /** The cameras to choose from; empty until the camera was allowed once. */
  @property({ attribute: false }) cameras: readonly CameraChoice[] = [];

  /** The chosen camera ('' for the back camera). */
  @property({ attribute: 'camera-id' }) cameraId = '';

  /** A short note at the top, e.g. "This phone is now linked to Demo Bank." */
  @property() notice = '';

  /** Asks before unlinking; tests replace it. */
  confirmUnlink: (question: string) => boolean = (question) => window.confirm(question);

  private readonly handleScan = (): void => {
    this.fire('app-home-scan', {});
  };

  private readonly handleLink = (): void => {
    this.fire('app-home-link', {});
  };

  private handleUnlink(account: AccountView): void {
    const m = t();
    if (!this.confirmUnlink(m.unlinkConfirm(this.nameOf(account), account.siteName))) return;
    this.fire('app-home-unlink', { profileId: account.profileId });
  }

  private readonly handleSelect = (event: Event): void => {
    const profileId = (event.target as HTMLInputElement).value;
    this.fire('app-home-select', { profileId });
  };

  private readonly handleCamera = (event: Event): void => {
    const deviceId = (event.target as HTMLSelectElement).value;
    this.fire('app-home-camera', { deviceId });
  };

  private fire(type: string, detail: object): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  override render() {
    const m = t();
    return html`
      <h1>${m.homeTitle}</h1>
      ${this.notice === '' ? nothing : html`<p class="notice" role="status">${this.notice}</p>`}
      <ul class="accounts">
        ${this.accounts.map((account) => this.renderAccount(account))}
      </ul>
      <section aria-labelledby="settings" class="settings">
        <h2 id="settings">${m.settingsTitle}</h2>
        <label for="camera">${m.cameraLabel}</label>
        <select id="camera" .value=${this.cameraId} @change=${this.handleCamera}>
          <option value="" ?selected=${this.cameraId === ''}>${m.cameraDefault}</option>
          ${this.cameras.map(
            (camera, index) =>
              html`<option value=${camera.deviceId} ?selected=${camera.deviceId === this.cameraId}>
                ${camera.label === '' ? m.cameraUnnamed(index + 1) : camera.label}
              </option>`,
          )}
        </select>
        <button @click=${this.handleLink}>${m.linkAnother}</button>
      </section>
      <div class="actions">
        <button class="primary big" @click=${this.handleScan}>${m.scanToLogIn}</button>
      </div>
    `;
  }

  /**
   * The account's name, with the user id beside it when another account at the same site has
   * the same name (two logins with one email address, say): unlinking or choosing the wrong one
   * must not be a coin toss.
   */
  private nameOf(account: AccountView): string {
    const twin = this.accounts.some(
      (other) =>
        other.profileId !== account.profileId &&
        other.accountName === account.accountName &&
        other.siteName === account.siteName,
    );
    return twin && account.userId !== account.accountName
      ? t().nameWithUserId(account.accountName, account.userId)
      : account.accountName;
  }

  private renderAccount(account: AccountView) {
    const m = t();
    const linked = dateTimeText(account.enrolledAt);
    const several = this.accounts.length > 1;
    return html`
      <li class="account">
        <div class="who">
          <strong>${wrappableSentence(m.accountAt(this.nameOf(account), account.siteName))}</strong>
          <span>${m.linkedOn(linked)}</span>
          ${
            several
              ? html`<label class="choose">
                  <input
                    type="radio"
                    name="active"
                    .value=${account.profileId}
                    .checked=${account.active}
                    aria-label=${m.useAccountForLogins(this.nameOf(account), account.siteName)}
                    @change=${this.handleSelect}
                  />
                  ${m.useForLogins}
                </label>`
              : nothing
          }
        </div>
        <button
          class="unlink"
          aria-label=${m.unlinkAccount(this.nameOf(account), account.siteName)}
          @click=${() => {
            this.handleUnlink(account);
          }}
        >
          ${m.unlink}
        </button>
      </li>
    `;
  }
}
