/*
 * A website owner's first hour, from the packed package: the README's quickstart followed in an
 * empty folder with nothing of this repository but the tarball, then a login with a phone: a
 * desktop browser on the new website and a phone running the scanner app that the Token Server
 * hosts, with a fake camera that sees the desktop's QR codes.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import {
  answerTheCodeQuestion,
  launchDesktopBrowser,
  newDesktop,
  photographQr,
  typeThePhonesCode,
  widgetStatus,
} from '../e2e/support/desktop.js';
import { appScreen, codeOnThePhone, Phone, viewText } from '../e2e/support/phone.js';
import { freePort } from '../support/token-server-process.js';
import {
  answering,
  packFromCleanCopy,
  run,
  runInBackground,
  strangerEnv,
  type Background,
} from './support/packed-project.js';
import { readQuickstart } from './support/readme-quickstart.js';

const quickstart = readQuickstart();
let tarball: string;
let project: string;
const servers: Background[] = [];

before(async () => {
  tarball = await packFromCleanCopy();
  project = await mkdtemp(join(tmpdir(), 'otp-quickstart-'));
});

after(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await rm(project, { recursive: true, force: true });
});

describe('the package from npm, as a website owner gets it', { timeout: 15 * 60_000 }, () => {
  it('its website kit loads without better-sqlite3, ioredis and pg; their stores name what to install', () => {
    run('npm init -y && npm pkg set type=module', project);
    run(`npm install ${tarball}`, project);
    const check = `
      const kit = await import('otp-login-qr/kit');
      const tokenServer = await import('otp-login-qr/token-server');
      const refusals = [];
      for (const path of ['otp-login-qr/store/sqlite', 'otp-login-qr/store/redis', 'otp-login-qr/store/postgres']) {
        await import(path).then(() => refusals.push('loaded'), (error) => refusals.push(error.message));
      }
      console.log(JSON.stringify({
        kit: typeof kit.createOtpLoginKit,
        tokenServer: typeof tokenServer.createTokenServer,
        refusals,
      }));`;
    const result = JSON.parse(
      run(`node --input-type=module -e "${check.replace(/"/g, '\\"')}"`, project),
    ) as {
      kit: string;
      tokenServer: string;
      refusals: string[];
    };
    assert.equal(result.kit, 'function');
    assert.equal(result.tokenServer, 'function');
    assert.match(
      result.refusals[0] ?? '',
      /needs the package "better-sqlite3".*npm install better-sqlite3/,
    );
    assert.match(result.refusals[1] ?? '', /needs the package "ioredis".*npm install ioredis/);
    assert.match(result.refusals[2] ?? '', /needs the package "pg".*npm install pg/);
  });

  it('renders the element on a server from the package, as a server-rendering framework does', async () => {
    // The npm entries as tsc built them (decorators and all), with Lit from the package's
    // dependencies and the website's own @lit-labs/ssr, as docs/widget.md shows it.
    run('npm install @lit-labs/ssr@^4.1.0', project);
    await writeFile(
      join(project, 'render-on-server.mjs'),
      `import { render } from '@lit-labs/ssr';
import { collectResultSync } from '@lit-labs/ssr/lib/render-result.js';
import { html } from 'lit';
import 'otp-login-qr/define';
process.stdout.write(collectResultSync(
  render(html\`<otp-login-qr endpoint="/otp-login" lang="de"></otp-login-qr>\`),
));
`,
    );
    const rendered = run('node render-on-server.mjs', project);
    assert.match(rendered, /<otp-login-qr[^>]* status="idle"><template shadowroot="open"/);
    assert.match(rendered, /Anmeldecode wird geladen…/);
  });

  it('follows the README quickstart, links a phone and logs in by scanning', async () => {
    const [tokenServerPort, websitePort] = [await freePort(), await freePort()];
    const env = strangerEnv({
      TOKEN_SERVER_PORT: String(tokenServerPort),
      PORT: String(websitePort),
      // info: the Token Server says when it listens, which the test waits for.
      LOG_LEVEL: 'info',
    });
    await writeFile(join(project, 'server.js'), quickstart.serverJs);
    for (const readmeCommand of quickstart.commands) {
      const command = readmeCommand
        .replaceAll('localhost:3000', `localhost:${websitePort}`)
        .replaceAll('localhost:7001', `localhost:${tokenServerPort}`);
      if (/^npm install /.test(command)) {
        // The package comes from the tarball; its peers and Express from the registry.
        run(command.replace(/(?<=\s)otp-login-qr(?=\s|$)/, tarball), project, env);
      } else if (command === 'npx otp-login-qr token-server') {
        const server = runInBackground(command, project, env);
        servers.push(server);
        await answering(
          `http://127.0.0.1:${tokenServerPort}/healthz`,
          /token server listening/,
          server,
        );
      } else if (command === 'node --env-file=.env server.js') {
        const server = runInBackground(command, project, env);
        servers.push(server);
        await answering(`http://localhost:${websitePort}/`, /Website on http/, server);
      } else if (/^npm (init|pkg) |^npx otp-login-qr init /.test(command)) {
        run(command, project, env);
      } else {
        assert.fail(
          `The quickstart has a command this test does not know how to follow: ${command}`,
        );
      }
    }

    const website = `http://localhost:${websitePort}`;
    const desktopBrowser: Browser = await launchDesktopBrowser();
    const phone = await Phone.create(`http://localhost:${tokenServerPort}/app/`);
    try {
      const { page } = await newDesktop(desktopBrowser);
      await page.goto(website);
      await page.getByLabel('Name').fill('ada');
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.waitForURL(/\/account$/);

      // Linking: the website shows a QR; the phone scans it, asks, and shows a code; the page
      // shows the same code, and ada says they match.
      await page.getByRole('link', { name: 'Link a phone' }).click();
      await widgetStatus(page, 'pending');
      const linking = await phone.openAppFacing(await photographQr(page));
      await appScreen(linking, 'first-run');
      await linking.getByRole('button', { name: 'Scan the code to link' }).click();
      await appScreen(linking, 'link-question');
      assert.match(await viewText(linking, 'app-link-question'), /ada/);
      await linking.getByRole('button', { name: 'Link', exact: true }).click();
      await appScreen(linking, 'compare-code');
      const phoneCode = await codeOnThePhone(linking, 'app-compare-code');
      assert.equal(await answerTheCodeQuestion(page, true), phoneCode);
      await page.waitForURL(/\/account$/, { timeout: 20_000 });
      await linking.getByRole('button', { name: 'Done' }).click();
      await appScreen(linking, 'home');
      assert.match(await viewText(linking, 'app-home'), /localhost/);

      // Logging in: out, then back in by scanning and accepting on the phone.
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('link', { name: 'Log in with your phone' }).click();
      await widgetStatus(page, 'pending');
      const login = await phone.openAppFacing(await photographQr(page));
      await appScreen(login, 'home');
      await login.getByRole('button', { name: 'Scan to log in' }).click();
      await appScreen(login, 'confirm');
      assert.match(await viewText(login, 'app-confirmation'), /localhost/);
      await login.getByRole('button', { name: 'Yes, log in' }).click();
      // init's passwordless type asks for proof of presence unless the browser and the phone
      // are known to share a network; here both are this machine.
      await appScreen(login, 'presence');
      await typeThePhonesCode(page, await codeOnThePhone(login, 'app-presence-proof'));
      await page.waitForURL(/\/account$/, { timeout: 20_000 });
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Hello, ada');
    } catch (error) {
      const logs = join(process.env.E2E_ARTIFACTS ?? 'test-results/e2e', 'quickstart');
      await mkdir(logs, { recursive: true });
      await writeFile(
        join(logs, 'servers.log'),
        servers.map((server) => server.output()).join('\n---\n'),
      );
      throw error;
    } finally {
      await phone.dispose();
      await desktopBrowser.close();
    }
  });

  it('backs up the running Token Server, and writes the app out for an origin of its own', async () => {
    // The backup holds the phone that the quickstart linked, taken while the server runs.
    run('npx otp-login-qr backup backup.db', project);
    const backup = new Database(join(project, 'backup.db'), { readonly: true });
    try {
      const { linked } = backup.prepare('SELECT count(*) AS linked FROM devices').get() as {
        linked: number;
      };
      assert.equal(linked, 1);
    } finally {
      backup.close();
    }

    run('npx otp-login-qr export-app scan-app --token-server https://tokens.example.com', project);
    const config = JSON.parse(
      await readFile(join(project, 'scan-app/config.json'), 'utf8'),
    ) as unknown;
    assert.deepEqual(config, { tokenServerUrl: 'https://tokens.example.com' });
    const index = await readFile(join(project, 'scan-app/index.html'), 'utf8');
    assert.match(index, /<script type="module" crossorigin src="\.\/assets\/index-[\w-]+\.js">/);
    await stat(join(project, 'scan-app/sw.js'));
    assert.throws(
      () =>
        run(
          'npx otp-login-qr export-app scan-app --token-server https://tokens.example.com',
          project,
        ),
      /is not empty; add --force/,
    );
  });
});
