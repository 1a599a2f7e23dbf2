/*
 * The README's quickstart as a test reads it: the shell commands and the website's server.js of
 * the section "Add QR login to your site", in the order a reader meets them. The test follows
 * these, so a change to the README is a change to what is tested.
 */
import { readFileSync } from 'node:fs';

export const QUICKSTART_HEADING = '## Add QR login to your site';

export interface Quickstart {
  /** Every line of every `sh` block, in order. */
  commands: string[];
  /** The `js` block that starts with `// server.js`. */
  serverJs: string;
}

export function readQuickstart(readmePath = 'README.md'): Quickstart {
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(`${QUICKSTART_HEADING}\n`);
  if (start === -1) throw new Error(`README.md has no section "${QUICKSTART_HEADING}".`);
  const next = readme.indexOf('\n## ', start + QUICKSTART_HEADING.length);
  const section = readme.slice(start, next === -1 ? undefined : next);
  const blocks = [...section.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map(([, lang, body]) => ({
    lang: lang ?? '',
    body: body ?? '',
  }));
  const commands = blocks
    .filter((block) => block.lang === 'sh')
    .flatMap((block) => block.body.split('\n'))
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const serverJs = blocks.find(
    (block) => block.lang === 'js' && block.body.startsWith('// server.js'),
  )?.body;
  if (serverJs === undefined) throw new Error('The quickstart has no server.js block.');
  return { commands, serverJs };
}
