import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { dateTimeText } from '../date-text.js';
import { t } from '../i18n/locale.js';
import type { LoginRequestView } from '../view-models.js';
import { screenStyles } from './shared-styles.js';
import { confirmationStyles } from './confirmation-view.styles.js';
import { questionStyles } from './question-styles.js';
import { renderRequesterRows } from './requester-rows.js';
import { wrappableName, wrappableSentence } from './wrap-points.js';

/**
 * @summary The question "Log in to this site?", with what the Token Server says about the login:
 * site, browser and OS, network, place, time and the website's message (as text). Deny is as
 * large and as near as Accept. With number matching, Accept needs the number the website shows.
 * With proof of presence, it says that a code to type in the browser follows the Accept. Where
 * the login asks for the user's fingerprint or face, it says so, and Accept leads to the system's
 * prompt; not verified, the question stays, saying so. Where the login requires it and this phone
 * cannot check it, it explains that, and offers Deny only.
 * @fires app-confirmation-answer - `detail.accept`, and `detail.number` with number matching.
 */
export class ConfirmationView extends LitElement {
  static override styles = [screenStyles, questionStyles, confirmationStyles];

  /** The login to answer. */
  @property({ attribute: false }) request: LoginRequestView | undefined;

  /** An answer is on its way: both buttons wait. */
  @property({ type: Boolean, reflect: true }) busy = false;

  /** The last Accept did not verify the user (cancelled, not recognised): nothing was sent. */
  @property({ type: Boolean, attribute: 'not-verified', reflect: true }) notVerified = false;

  @state() private chosen: string | undefined;
  @state() private needNumber = false;

  private readonly handleChoose = (event: Event): void => {
    this.chosen = (event.target as HTMLInputElement).value;
    this.needNumber = false;
  };

  private readonly handleAccept = (): void => {
    const choices = this.request?.numberMatchChoices;
    if (choices !== undefined && choices.length > 0 && this.chosen === undefined) {
      this.needNumber = true;
      return;
    }
    this.answer(true);
  };

  private readonly handleDeny = (): void => {
    this.answer(false);
  };

  private answer(accept: boolean): void {
    this.dispatchEvent(
      new CustomEvent('app-confirmation-answer', {
        detail: { accept, number: accept ? this.chosen : undefined },
        bubbles: true,
        composed: true,
      }),
    );
  }

  override render() {
    const request = this.request;
    if (request === undefined) return nothing;
    const m = t();
    const time = dateTimeText(request.requestedAt);
    const choices = request.numberMatchChoices ?? [];
    const acceptable = request.acceptBy !== 'impossible';
    return html`
      <h1>${wrappableSentence(m.confirmTitle(request.siteName))}</h1>
      <p>${m.confirmIntro}</p>
      <dl>
        <div>
          <dt>${m.siteLabel}</dt>
          <dd>${wrappableName(request.siteName)}</dd>
        </div>
        ${
          request.accountName === undefined
            ? nothing
            : html`<div>
                <dt>${m.accountLabel}</dt>
                <dd>${wrappableName(request.accountName)}</dd>
              </div>`
        }
        ${renderRequesterRows(request, m.browserLabel)}
        <div>
          <dt>${m.timeLabel}</dt>
          <dd><time datetime=${request.requestedAt.toISOString()}>${time}</time></dd>
        </div>
        <div>
          <dt>${m.messageLabel}</dt>
          <dd class="message">${request.message}</dd>
        </div>
      </dl>
      ${
        choices.length === 0 || !acceptable
          ? nothing
          : html`<fieldset class="numbers">
              <legend>${m.numberQuestion}</legend>
              ${choices.map(
                (choice) =>
                  html`<label class="number">
                    <input
                      type="radio"
                      name="number"
                      .value=${choice}
                      ?disabled=${this.busy}
                      @change=${this.handleChoose}
                    />
                    <span>${choice}</span>
                  </label>`,
              )}
            </fieldset>`
      }
      ${this.needNumber ? html`<p class="error" role="alert">${m.numberRequired}</p>` : nothing}
      ${
        request.acceptBy === 'fingerprint'
          ? html`<p class="presence fingerprint">${m.fingerprintNote}</p>`
          : nothing
      }
      ${acceptable ? nothing : html`<p class="error cannot-verify">${m.cannotVerify}</p>`}
      ${request.presenceRequired && acceptable ? html`<p class="presence">${m.presenceNote}</p>` : nothing}
      ${
        this.notVerified && !this.busy
          ? html`<p class="error" role="alert">${m.notVerified}</p>`
          : nothing
      }
      <p class="hint">${m.denyHint}</p>
      <div class="actions answer ${acceptable ? '' : 'deny-only'}">
        <button class="deny" ?disabled=${this.busy} @click=${this.handleDeny}>${m.deny}</button>
        ${
          acceptable
            ? html`<button class="accept" ?disabled=${this.busy} @click=${this.handleAccept}>
                ${m.accept}
              </button>`
            : nothing
        }
      </div>
      ${this.busy ? html`<p role="status">${m.sendingAnswer}</p>` : nothing}
    `;
  }
}
