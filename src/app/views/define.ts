/*
 * Registers the app's elements (the scanner lives in scanner-view.define.ts, loaded when it first
 * opens). A tag that is already defined is left alone.
 */
import { CompareCodeView } from './compare-code-view.js';
import { ConfirmationView } from './confirmation-view.js';
import { FirstRunView } from './first-run-view.js';
import { HomeView } from './home-view.js';
import { LinkQuestionView } from './link-question-view.js';
import { PresenceProofView } from './presence-proof-view.js';
import { ResultView } from './result-view.js';
import { ScannerApp } from './scanner-app.js';
import { UpdatePrompt } from './update-prompt.js';
import { WorkingView } from './working-view.js';

const elements = {
  'app-compare-code': CompareCodeView,
  'app-confirmation': ConfirmationView,
  'app-first-run': FirstRunView,
  'app-home': HomeView,
  'app-link-question': LinkQuestionView,
  'app-presence-proof': PresenceProofView,
  'app-result': ResultView,
  'app-update-prompt': UpdatePrompt,
  'app-working': WorkingView,
  'scanner-app': ScannerApp,
} as const;

for (const [tag, element] of Object.entries(elements)) {
  if (customElements.get(tag) === undefined) customElements.define(tag, element);
}

declare global {
  interface HTMLElementTagNameMap {
    'app-compare-code': CompareCodeView;
    'app-confirmation': ConfirmationView;
    'app-first-run': FirstRunView;
    'app-home': HomeView;
    'app-link-question': LinkQuestionView;
    'app-presence-proof': PresenceProofView;
    'app-result': ResultView;
    'app-update-prompt': UpdatePrompt;
    'app-working': WorkingView;
    'scanner-app': ScannerApp;
  }
}
