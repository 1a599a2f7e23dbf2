import type { QrPayload } from '../../protocol/index.js';
import type { AnswerDetail } from '../view-models.js';

/** The events the app's screens fire (all bubble and cross shadow roots). */
export interface AppEventMap {
  'app-first-run-scan': CustomEvent<{ manual: boolean }>;
  'app-home-scan': CustomEvent<Record<string, never>>;
  'app-home-link': CustomEvent<Record<string, never>>;
  'app-home-unlink': CustomEvent<{ profileId: string }>;
  'app-home-select': CustomEvent<{ profileId: string }>;
  'app-home-camera': CustomEvent<{ deviceId: string }>;
  'app-scanner-code': CustomEvent<{ text: string; payload: QrPayload }>;
  'app-scanner-cancel': CustomEvent<undefined>;
  'app-scanner-camera': CustomEvent<{ deviceId: string }>;
  'app-link-question-answer': CustomEvent<{ link: boolean }>;
  'app-compare-code-done': CustomEvent<undefined>;
  'app-compare-code-passkey': CustomEvent<undefined>;
  'app-confirmation-answer': CustomEvent<AnswerDetail>;
  'app-presence-proof-done': CustomEvent<undefined>;
  'app-result-done': CustomEvent<undefined>;
  'app-result-scan': CustomEvent<undefined>;
  'app-update-reload': CustomEvent<undefined>;
  'app-update-dismiss': CustomEvent<undefined>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends AppEventMap {}
}
