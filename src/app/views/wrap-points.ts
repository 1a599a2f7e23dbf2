import { html } from 'lit';

/*
 * Where a long name may wrap. Line breaking finds no place in "alice.longname@example.com": a
 * browser breaks it where the line ends, mid-word ("alice.longn|ame@…"), or not at all. Here a
 * name gets a soft wrap opportunity after each "@", ".", "_" and "+" inside it, so that it wraps
 * as people write it on two lines ("alice.longname@|example.com"). Each is an empty inline
 * block (CSS Text: a soft wrap opportunity before and after every atomic inline), not a <wbr>
 * or a zero-width space: the text stays the same for a screen reader, a search and a copy.
 *
 * Such a name is itself an inline block: one that fits on a line moves to the next line whole
 * ("Link this phone to | alice@example.com at …"), and only one longer than a line wraps inside,
 * at those points. `overflow-wrap: break-word` (screenStyles) stays the last resort, for a part
 * longer than a line.
 */

/** The first-strong isolate and the pop around each text a message puts in its sentence. */
const ISOLATED_NAME = /\u2068[^\u2068\u2069]*\u2069/g;

/** After these, inside a word, a name may wrap. */
const AFTER = /(?<=\S[@._+])(?=\S)/;

/** The empty inline block that lets a line wrap where it stands (styled by screenStyles). */
const wrapPoint = () => html`<span class="wrap-point"></span>`;

function splitName(name: string): unknown[] {
  const parts = name.split(AFTER);
  if (parts.length === 1) return parts;
  const withPoints = parts.flatMap((part, index) => (index === 0 ? [part] : [wrapPoint(), part]));
  return [html`<span class="name">${withPoints}</span>`];
}

/** A name (an account, a site) with its wrap points. */
export function wrappableName(name: string): unknown[] {
  return splitName(name);
}

/**
 * A message's text with wrap points inside the names it holds (the isolated texts), and none in
 * its own words: "Link this phone to alice@example.com at Demo Bank?".
 */
export function wrappableSentence(text: string): unknown[] {
  const out: unknown[] = [];
  let last = 0;
  for (const match of text.matchAll(ISOLATED_NAME)) {
    out.push(text.slice(last, match.index), ...splitName(match[0]));
    last = match.index + match[0].length;
  }
  out.push(text.slice(last));
  return out;
}
