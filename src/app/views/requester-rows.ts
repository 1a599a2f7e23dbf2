import { html, nothing } from 'lit';
import { t } from '../i18n/locale.js';
import { isFarFromPhone, placeLine } from '../place-text.js';
import type { RequesterView } from '../view-models.js';

/**
 * The rows of a question that describe the browser that asked (to log in, or to link this
 * phone): its own word for itself, the network verdict and the place. A verdict that is not
 * "same network" is a warning, whether the networks differ or nobody can tell: a relay from
 * elsewhere looks like either. A place far from this phone is a warning too.
 */
export function renderRequesterRows(requester: RequesterView, browserLabel: string) {
  const m = t();
  const network =
    requester.sameNetwork === true
      ? m.sameNetwork
      : requester.sameNetwork === false
        ? m.otherNetwork
        : m.networkUnknown;
  const place = placeLine(requester.place);
  const far = isFarFromPhone(requester.place);
  // The IP data's licence asks for its credit wherever a place from it is shown.
  const creditText = place === undefined ? undefined : requester.place?.credit;
  const credit =
    creditText === undefined ? nothing : html` <small class="credit">${creditText}</small>`;
  const placeText =
    place === undefined
      ? m.unknown
      : far
        ? m.farFromPhone(place, requester.place?.distanceKm ?? 0)
        : place;
  return html`
    <div>
      <dt>${browserLabel}</dt>
      <dd>${describeBrowser(requester.browser, requester.os)}</dd>
    </div>
    <div>
      <dt>${m.networkLabel}</dt>
      <dd class=${requester.sameNetwork === true ? '' : 'warn'}>${network}</dd>
    </div>
    <div>
      <dt>${m.placeLabel}</dt>
      <dd class=${far ? 'warn' : ''}>${placeText}${credit}</dd>
    </div>
  `;
}

function describeBrowser(browser: string | undefined, os: string | undefined): string {
  const m = t();
  if (browser !== undefined && os !== undefined) return m.browserOnOs(browser, os);
  return browser ?? os ?? m.unknown;
}
