/*
 * What the built scanner app costs to download, gzipped, in three parts, found by following the
 * imports between the built files (so a chunk that Vite splits off or shares is counted where it
 * is first needed):
 * - the first screen: index.html's scripts and styles and what they import statically;
 * - the scanner screen: the chunk loaded for the scanner view, the decoding worker it starts,
 *   and what they import statically, less the first screen's files: all that the scanner needs
 *   before any fallback decoder;
 * - the fallback decoder: what the worker imports dynamically (zxing-wasm's glue) and the .wasm.
 * Anything else that loads later (other screens) is listed apart.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface FileWeight {
  readonly file: string;
  readonly gzipBytes: number;
}

export interface Part {
  readonly files: readonly FileWeight[];
  readonly gzipBytes: number;
}

export interface AppWeight {
  readonly firstScreen: Part;
  readonly scannerScreen: Part;
  readonly fallbackDecoder: Part;
  readonly otherLater: Part;
}

/** The scanner view's chunk, loaded when home is idle or the scanner opens. */
const SCANNER_VIEW_CHUNK = /^scanner-view/;
/** The decoding worker's script (src/app/scanner/decode-worker.ts). */
const DECODE_WORKER = /^decode-worker-/;

const QUOTE = '["\'`]';
const STATIC_IMPORT = new RegExp(
  `\\bimport\\s*(?:[\\w$*{}\\s,]*?\\bfrom\\s*)?${QUOTE}\\./([^"'\`]+)${QUOTE}`,
  'g',
);
const DYNAMIC_IMPORT = new RegExp(`\\bimport\\(\\s*${QUOTE}\\./([^"'\`]+)${QUOTE}\\s*\\)`, 'g');
/** `new URL("file", import.meta.url)`: how Vite points at a worker's script or a .wasm. */
const FILE_URL = new RegExp(
  `new URL\\(\\s*${QUOTE}(?:\\./|/?assets/)?([^"'\`/]+)${QUOTE}\\s*,\\s*import\\.meta\\.url`,
  'g',
);

interface Links {
  statics: string[];
  dynamics: string[];
  urls: string[];
}

async function linksOf(assets: string, file: string): Promise<Links> {
  if (!file.endsWith('.js')) return { statics: [], dynamics: [], urls: [] };
  const code = await readFile(join(assets, file), 'utf8');
  const names = (pattern: RegExp) =>
    [...code.matchAll(pattern)].map((match) => (match[1] ?? '').replace(/^assets\//, ''));
  return { statics: names(STATIC_IMPORT), dynamics: names(DYNAMIC_IMPORT), urls: names(FILE_URL) };
}

export async function measureAppWeight(outDir: string): Promise<AppWeight> {
  const assets = join(outDir, 'assets');
  const files = await readdir(assets);
  const links = new Map<string, Links>();
  for (const file of files) links.set(file, await linksOf(assets, file));
  const size = new Map<string, number>();
  for (const file of files) size.set(file, gzipSync(await readFile(join(assets, file))).length);

  /** The files and everything they import statically. */
  const closure = (roots: readonly string[]): Set<string> => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file) || !size.has(file)) return;
      seen.add(file);
      for (const next of links.get(file)?.statics ?? []) visit(next);
    };
    for (const root of roots) visit(root);
    return seen;
  };

  const html = await readFile(join(outDir, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/(?:src|href)="\.\/assets\/([^"]+\.(?:js|css))"/g)].map(
    (match) => match[1] ?? '',
  );
  const first = closure(entries);
  const scannerRoots = files.filter((file) => SCANNER_VIEW_CHUNK.test(file));
  const workers = files.filter((file) => DECODE_WORKER.test(file));
  const scanner = closure([...scannerRoots, ...workers]);
  for (const file of first) scanner.delete(file);
  const fallbackRoots = workers.flatMap((worker) => [
    ...(links.get(worker)?.dynamics ?? []),
    ...(links.get(worker)?.urls ?? []).filter((url) => url.endsWith('.wasm')),
  ]);
  const fallback = closure(fallbackRoots);
  for (const file of [...first, ...scanner]) fallback.delete(file);
  const other = files.filter(
    (file) =>
      !first.has(file) &&
      !scanner.has(file) &&
      !fallback.has(file) &&
      (file.endsWith('.js') || file.endsWith('.wasm')),
  );

  const part = (names: Iterable<string>): Part => {
    const weights = [...names].sort().map((file) => ({ file, gzipBytes: size.get(file) ?? 0 }));
    return { files: weights, gzipBytes: weights.reduce((sum, each) => sum + each.gzipBytes, 0) };
  };
  return {
    firstScreen: part(first),
    scannerScreen: part(scanner),
    fallbackDecoder: part(fallback),
    otherLater: part(other),
  };
}
