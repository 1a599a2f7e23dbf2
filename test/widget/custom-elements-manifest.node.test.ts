/*
 * custom-elements.json, which editors, Storybook and framework wrappers read: the analyzer's
 * output for the source as it is now (`npm run analyze`, run again into a temporary folder), with
 * every part the element renders, every event it fires and every setting, and nothing of the
 * element's that is not public API.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, relative, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';

const root = resolve('.');
const WIDGET = join(root, 'src/widget');
const REGENERATE = 'Run `npm run analyze` and commit custom-elements.json.';

interface Described {
  name: string;
  description?: string;
  type?: { text: string };
}
interface Attribute extends Described {
  fieldName?: string;
  readonly?: boolean;
}
interface Member extends Described {
  kind: string;
  readonly?: boolean;
  reflects?: boolean;
  attribute?: string;
}
interface Declaration extends Described {
  kind: string;
  customElement?: boolean;
  tagName?: string;
  attributes?: Attribute[];
  members?: Member[];
  events?: Described[];
  cssParts?: Described[];
}
interface Manifest {
  modules: {
    path: string;
    declarations?: Declaration[];
    exports?: { kind: string; name: string }[];
  }[];
}

const committedText = readFileSync(join(root, 'custom-elements.json'), 'utf8');
const manifest = JSON.parse(committedText) as Manifest;
const element = manifest.modules
  .flatMap((module) => module.declarations ?? [])
  .find((declaration) => declaration.customElement && declaration.tagName === 'otp-login-qr');

/** The widget's source, with a type checker: what custom-elements.json must match. */
const program = ts.createProgram([join(WIDGET, 'index.ts')], {
  ...ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  )?.options,
  noEmit: true,
});
const checker = program.getTypeChecker();

function sourceFile(name: string): ts.SourceFile {
  const file = program.getSourceFile(join(WIDGET, name));
  assert.ok(file, `src/widget/${name} is not part of the element`);
  return file;
}

/** What a module exports: its value exports, or all of them. */
function exportsOf(name: string, only: 'values' | 'all' = 'all'): string[] {
  const symbol = checker.getSymbolAtLocation(sourceFile(name));
  assert.ok(symbol, `src/widget/${name} is not a module`);
  return checker
    .getExportsOfModule(symbol)
    .filter((exported) => {
      if (only === 'all') return true;
      const target =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      return (target.flags & ts.SymbolFlags.Value) !== 0;
    })
    .map((exported) => exported.name)
    .sort();
}

/** The members of an exported interface, each with its declared type. */
function interfaceMembers(file: string, name: string): Map<string, ts.TypeNode> {
  const declaration = sourceFile(file).statements.find(
    (statement): statement is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(statement) && statement.name.text === name,
  );
  assert.ok(declaration, `src/widget/${file} has no interface ${name}`);
  const members = new Map<string, ts.TypeNode>();
  for (const member of declaration.members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const key = member.name;
    members.set(ts.isStringLiteral(key) || ts.isIdentifier(key) ? key.text : '', member.type);
  }
  return members;
}

/** The string literals of a property's type on the element, if it is a union of them. */
function stringLiterals(property: string): string[] {
  const elementClass = sourceFile('otp-login-qr.ts').statements.find(
    (statement): statement is ts.ClassDeclaration =>
      ts.isClassDeclaration(statement) && statement.name?.text === 'OtpLoginQr',
  );
  assert.ok(elementClass, 'src/widget/otp-login-qr.ts has no class OtpLoginQr');
  const type = checker.getTypeAtLocation(elementClass);
  const symbol = type.getProperty(property);
  assert.ok(symbol, `OtpLoginQr has no property ${property}`);
  const propertyType = checker.getTypeOfSymbol(symbol);
  const parts = propertyType.isUnion() ? propertyType.types : [propertyType];
  const literals = parts.filter((part) => part.isStringLiteral());
  return literals.length === parts.length ? literals.map((part) => part.value) : [];
}

/** Line-by-line difference, short enough for a failure message. */
function difference(expected: string, actual: string): string {
  const want = expected.split('\n');
  const have = actual.split('\n');
  const first = want.findIndex((line, index) => line !== have[index]);
  const at = first === -1 ? Math.min(want.length, have.length) : first;
  const around = (lines: string[]) => lines.slice(Math.max(0, at - 3), at + 6).join('\n');
  return `first difference at line ${at + 1}\n--- the analyzer writes:\n${around(want)}\n--- custom-elements.json has:\n${around(have)}`;
}

describe('custom-elements.json', () => {
  let folder: string;
  let generated: string;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'otp-cem-'));
    // The analyzer would also write the new file's path into package.json: not here.
    const config = join(folder, 'custom-elements-manifest.config.mjs');
    writeFileSync(config, 'export default { packagejson: false, quiet: true };\n');
    const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const analyze = scripts.analyze;
    assert.ok(analyze, 'package.json has no "analyze" script');
    // `npm run analyze`, into the temporary folder (--outdir is relative to the project).
    const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
    const command = `${analyze} --config ${quote(config)} --outdir ${quote(relative(root, folder))}`;
    execFileSync('sh', ['-c', command], {
      cwd: root,
      env: {
        ...process.env,
        PATH: `${join(root, 'node_modules/.bin')}${delimiter}${process.env.PATH ?? ''}`,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    generated = readFileSync(join(folder, 'custom-elements.json'), 'utf8');
  });

  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('is what `npm run analyze` writes from the source as it is now', () => {
    assert.ok(
      generated === committedText,
      `custom-elements.json is stale. ${REGENERATE}\n${difference(generated, committedText)}`,
    );
  });

  it('describes <otp-login-qr>, which define.ts registers', () => {
    assert.ok(element, `custom-elements.json has no <otp-login-qr>. ${REGENERATE}`);
    const define = manifest.modules.find((module) => module.path === 'src/widget/define.ts');
    assert.ok(
      define?.exports?.some(
        (exported) =>
          exported.kind === 'custom-element-definition' && exported.name === 'otp-login-qr',
      ),
      'define.ts does not register otp-login-qr',
    );
  });

  it('lists every part the element renders, and no other', () => {
    const rendered = new Set<string>();
    for (const file of readdirSync(WIDGET).filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(join(WIDGET, file), 'utf8');
      for (const [, names] of source.matchAll(/\bpart="([^"$]+)"/g))
        for (const name of names?.split(/\s+/) ?? []) rendered.add(name);
    }
    assert.ok(rendered.has('same-device') && rendered.has('input'), 'the parts were not found');
    const listed = (element?.cssParts ?? []).map((part) => part.name);
    assert.deepEqual(
      [...listed].sort(),
      [...rendered].sort(),
      'an @csspart in otp-login-qr.ts for each part="…", and none for a part no longer rendered',
    );
    for (const part of element?.cssParts ?? [])
      assert.ok(part.description, `part ${part.name} has no description`);
  });

  it("lists every event of OtpLoginQrEventMap, with the map's type", () => {
    const map = interfaceMembers('events.ts', 'OtpLoginQrEventMap');
    const listed = new Map((element?.events ?? []).map((event) => [event.name, event]));
    assert.deepEqual([...listed.keys()].sort(), [...map.keys()].sort(), 'one @fires per event');
    for (const [name, type] of map) {
      assert.equal(listed.get(name)?.type?.text, type.getText(), `@fires {type} of ${name}`);
      assert.ok(listed.get(name)?.description, `event ${name} has no description`);
    }
  });

  it('lists every setting by attribute and property, and status as read-only', () => {
    const settable = interfaceMembers('otp-login-qr-props.ts', 'OtpLoginQrAttributeNames');
    const attributes = (element?.attributes ?? []).filter((attribute) => attribute.fieldName);
    const expected = [...settable].map(([property, attribute]) => [
      property,
      attribute.getText().replace(/^'|'$/g, ''),
    ]);
    const writable = attributes
      .filter((attribute) => !attribute.readonly)
      .map((attribute) => [attribute.fieldName, attribute.name]);
    assert.deepEqual(
      writable.sort(),
      expected.sort(),
      "custom-elements.json's attributes are OtpLoginQrAttributeNames (the framework types' props)",
    );
    const status = element?.members?.find((member) => member.name === 'status');
    assert.equal(status?.readonly, true, 'the status property is a getter only');
    // The attribute is the element's output, for styling: listed, but as no setting.
    const statusAttribute = element?.attributes?.find((attribute) => attribute.name === 'status');
    assert.equal(statusAttribute?.fieldName, undefined, 'the status attribute sets no property');
    assert.match(statusAttribute?.description ?? '', /Written by the element, never read/);
  });

  it('names every value of a setting or status that has a fixed set of them', () => {
    for (const attribute of element?.attributes ?? []) {
      if (!attribute.fieldName) continue;
      for (const value of stringLiterals(attribute.fieldName))
        assert.ok(
          attribute.description?.includes(`\`${value}\``),
          `the description of ${attribute.name} does not name \`${value}\``,
        );
    }
    assert.ok(stringLiterals('status').includes('confirm'));
  });

  it("lists only public API: what index.ts exports, never the controller's tuning", () => {
    const publicValues = exportsOf('index.ts', 'values');
    const listed = manifest.modules
      .filter((module) => module.path !== 'src/widget/define.ts')
      .flatMap((module) => (module.exports ?? []).map((exported) => exported.name));
    assert.deepEqual(
      listed.filter((name) => !publicValues.includes(name)),
      [],
      'exported for the element only: mark it @internal, or export it from index.ts',
    );
    const tuning = exportsOf('polling-tuning.ts');
    assert.ok(tuning.includes('BACKOFF') && tuning.includes('START_ATTEMPTS'));
    const everything = JSON.stringify(manifest);
    for (const name of tuning) {
      assert.ok(!exportsOf('index.ts').includes(name), `index.ts exports ${name}`);
      assert.ok(!everything.includes(`"${name}"`), `custom-elements.json lists ${name}`);
    }
  });
});
