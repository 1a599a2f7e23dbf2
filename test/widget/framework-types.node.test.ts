/*
 * The element's types as a React or Vue project gets them: declarations emitted from src/ as the
 * build emits them, installed as node_modules/otp-login-qr with package.json's `exports`, and a
 * TSX page (docs/widget.md's sample among them) and what vue-tsc checks a template against,
 * compiled with the TypeScript compiler the way those projects compile.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';

const root = resolve('.');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, string | { types?: string }>;
};

/** docs/widget.md's ```tsx blocks, which must compile as they stand. */
const docSamples = [
  ...readFileSync(join(root, 'docs/widget.md'), 'utf8').matchAll(/```tsx\n([^]*?)```/g),
].map(([, code]) => code ?? '');

/** A page that uses every kind of prop, and the mistakes the types must refuse. */
const REACT_PAGE = `
import 'otp-login-qr/define';
import type {} from 'otp-login-qr/react';
import { useRef } from 'react';
import type { OtpLoginQr, OtpLoginQrStatus } from 'otp-login-qr';

export function Page({ show }: { show: (status: OtpLoginQrStatus) => void }) {
  const element = useRef<OtpLoginQr>(null);
  return (
    <>
      <otp-login-qr
        ref={element}
        id="login"
        className="login"
        lang="nl"
        endpoint="/otp-login"
        pollWait={20}
        maxRotations={2}
        size={240}
        errorCorrection="Q"
        sameDevice="never"
        purpose="link"
        onotp-login-qr-status={(event) => {
          show(event.detail.status);
          show(event.detail.previous);
        }}
        onotp-login-qr-scanned={(event) => event.detail.code?.length}
        onotp-login-qr-confirm={(event) => (event.detail.kind === 'compare_code' ? event.detail.compareCode : '')}
        onotp-login-qr-accepted={(event) => {
          event.preventDefault();
          return event.detail.redirectTo;
        }}
        onotp-login-qr-denied={(event) => event.type}
        onotp-login-qr-expired={(event) => event.detail.rotations + 1}
        onotp-login-qr-error={(event) => event.detail.error.code}
        onClick={() => element.current?.restart()}
      />
      <otp-login-qr endpoint="/otp-login" poll-wait={20} max-rotations={0} error-correction="H" same-device="always" />
      <otp-login-qr
        // @ts-expect-error: the element sets its status
        status="accepted"
      />
      <otp-login-qr
        // @ts-expect-error: a number
        maxRotations="two"
      />
      <otp-login-qr
        // @ts-expect-error: auto, always or never
        sameDevice="sometimes"
      />
      {/* @ts-expect-error: a number, as an attribute too */}
      <otp-login-qr max-rotations={{ many: true }} />
      <otp-login-qr
        onotp-login-qr-accepted={(event) =>
          // @ts-expect-error: accepted's detail has no rotations
          event.detail.rotations
        }
      />
      {/* @ts-expect-error: the listener gets the event */}
      <otp-login-qr onotp-login-qr-expired={(rotations: number) => rotations} />
    </>
  );
}
`;

/** What vue-tsc checks `<otp-login-qr …>` in a template against, and its mistakes. */
const VUE_USAGE = `
import 'otp-login-qr/define';
import type {} from 'otp-login-qr/vue';
import type { OtpLoginQrAcceptedDetail } from 'otp-login-qr';
import type { GlobalComponents } from 'vue';

type InTemplates = InstanceType<GlobalComponents['otp-login-qr']>;

// <otp-login-qr id="login" class="login" endpoint="/otp-login" :poll-wait="20" :max-rotations="2"
//   :size="240" error-correction="Q" same-device="never" purpose="link" key="a" />:
// vue-tsc camelizes the attributes and checks them against $props.
export const props: InTemplates['$props'] = {
  id: 'login',
  class: 'login',
  endpoint: '/otp-login',
  pollWait: 20,
  maxRotations: 2,
  size: 240,
  errorCorrection: 'Q',
  sameDevice: 'never',
  purpose: 'link',
  key: 'a',
};
// @ts-expect-error: the element sets its status
export const status: InTemplates['$props'] = { status: 'accepted' };
// @ts-expect-error: a number
export const rotations: InTemplates['$props'] = { maxRotations: 'two' };
// @ts-expect-error: auto, always or never
export const sameDevice: InTemplates['$props'] = { sameDevice: 'sometimes' };

// @otp-login-qr-accepted="onAccepted": checked against what $emit says the event carries.
export function emits(element: InTemplates, detail: OtpLoginQrAcceptedDetail): void {
  element.$emit('otp-login-qr-accepted', new CustomEvent('otp-login-qr-accepted', { detail }));
  element.$emit('otp-login-qr-expired', new CustomEvent('otp-login-qr-expired', { detail: { rotations: 3 } }));
  // @ts-expect-error: expired carries its rotations
  element.$emit('otp-login-qr-expired', new CustomEvent('otp-login-qr-expired', { detail }));
  // @ts-expect-error: no such event
  element.$emit('otp-login-qr-acepted', new CustomEvent('otp-login-qr-acepted', { detail }));
}

// useTemplateRef('login').value: the element itself.
export function useRef(element: InTemplates): string {
  element.restart();
  return element.status;
}
`;

/** The user's compiler options: Vite's React and Vue templates' (bundler), or Node's. */
function userOptions(moduleResolution: 'bundler' | 'nodenext'): ts.CompilerOptions {
  const bundler = moduleResolution === 'bundler';
  return {
    target: ts.ScriptTarget.ES2022,
    module: bundler ? ts.ModuleKind.ESNext : ts.ModuleKind.NodeNext,
    moduleResolution: bundler ? ts.ModuleResolutionKind.Bundler : ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    jsx: ts.JsxEmit.ReactJSX,
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedSideEffectImports: true,
    verbatimModuleSyntax: true,
    // Not skipped: the package's declarations are checked too (but only the package's are
    // reported, below; React's and Vue's own are theirs to keep).
    skipLibCheck: false,
    types: [],
    noEmit: true,
  };
}

let project: string;
let installed: string;

/**
 * Emits the declarations that package.json's exports name for the element (dist/widget/*.d.ts)
 * from their sources with the build's compiler options, into node_modules/otp-login-qr of an empty
 * project beside links to this repository's other packages.
 */
function installPackageTypes(): void {
  installed = join(project, 'node_modules', packageJson.name);
  const sources = Object.values(packageJson.exports)
    .map((target) => (typeof target === 'string' ? undefined : target.types))
    .filter((types) => types?.startsWith('./dist/widget/'))
    .map((types) => join(root, 'src', relative('./dist', types ?? '').replace(/\.d\.ts$/, '.ts')));
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.build.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  assert.ok(config, 'tsconfig.build.json cannot be read');
  const program = ts.createProgram(sources, {
    ...config.options,
    outDir: join(installed, 'dist'),
    emitDeclarationOnly: true,
    declarationMap: false,
    sourceMap: false,
  });
  const { diagnostics } = program.emit();
  assert.deepEqual(format([...ts.getPreEmitDiagnostics(program), ...diagnostics]), []);
  writeFileSync(
    join(installed, 'package.json'),
    JSON.stringify({ name: packageJson.name, type: 'module', exports: packageJson.exports }),
  );
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name === packageJson.name || name.startsWith('.')) continue;
    symlinkSync(join(root, 'node_modules', name), join(project, 'node_modules', name), 'dir');
  }
}

/** Compiles `files` (name → text) in the project: the errors in them and in the package. */
function compile(
  files: Record<string, string>,
  options: ts.CompilerOptions,
): { errors: string[]; loaded: string[] } {
  const paths = Object.entries(files).map(([name, text]) => {
    const path = join(project, 'src', name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  });
  const program = ts.createProgram(paths, options);
  const loaded = program.getSourceFiles().map((file) => file.fileName);
  const ours = program
    .getSourceFiles()
    .filter((file) => paths.includes(file.fileName) || file.fileName.startsWith(installed));
  assert.ok(
    ours.some((file) => file.fileName.endsWith('/dist/widget/otp-login-qr.d.ts')),
    "the element's declarations were not loaded",
  );
  const errors = format([
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...ours.flatMap((file) => [
      ...program.getSyntacticDiagnostics(file),
      ...program.getSemanticDiagnostics(file),
    ]),
  ]);
  return { errors, loaded };
}

function format(diagnostics: readonly ts.Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!diagnostic.file || diagnostic.start === undefined) return message;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${relative(project, diagnostic.file.fileName)}:${line + 1}:${character + 1} ${message}`;
  });
}

before(async () => {
  project = await mkdtemp(join(tmpdir(), 'otp-framework-types-'));
  mkdirSync(join(project, 'node_modules', packageJson.name), { recursive: true });
  installPackageTypes();
});

after(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('the element in React 19 and Vue 3, typed', () => {
  it('docs/widget.md has a TSX sample', () => {
    assert.ok(docSamples.length > 0, 'no ```tsx block in docs/widget.md');
  });

  for (const moduleResolution of ['bundler', 'nodenext'] as const) {
    it(`compiles docs/widget.md's TSX, a React page and a Vue template's checks (${moduleResolution})`, () => {
      const files: Record<string, string> = {
        'page.tsx': REACT_PAGE,
        'vue-usage.ts': VUE_USAGE,
      };
      docSamples.forEach((code, index) => (files[`docs-sample-${index + 1}.tsx`] = code));
      // Under nodenext, a .ts file in a "type": "module" project is an ES module, as in Vite's.
      writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module' }));
      assert.deepEqual(compile(files, userOptions(moduleResolution)).errors, []);
    });
  }

  it('loads no framework with the element: its own entries compile without React or Vue', () => {
    const code = `
      import 'otp-login-qr/define';
      import { OtpLoginQr, type OtpLoginQrProperties } from 'otp-login-qr';
      export const settings: OtpLoginQrProperties = { endpoint: '/otp-login', maxRotations: 2 };
      export const tag = document.createElement('otp-login-qr') satisfies OtpLoginQr;
    `;
    // No JSX, which would load React's runtime types.
    const options = { ...userOptions('bundler'), jsx: undefined };
    const { errors, loaded } = compile({ 'plain.ts': code }, options);
    assert.deepEqual(errors, []);
    const frameworks = loaded.filter((file) =>
      /[\\/](react|@types[\\/]react|vue|@vue)[\\/]/.test(file),
    );
    assert.deepEqual(frameworks, []);
  });
});
