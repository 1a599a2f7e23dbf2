/* Registers <app-scanner>; the app imports this file when the scanner first opens. */
import { ScannerView } from './scanner-view.js';

if (customElements.get('app-scanner') === undefined) {
  customElements.define('app-scanner', ScannerView);
}

declare global {
  interface HTMLElementTagNameMap {
    'app-scanner': ScannerView;
  }
}
