// WebKitGTK's MiniBrowser, driven over classic WebDriver by WebKitWebDriver. MiniBrowser has no
// headless mode, so the driver runs under its own virtual X display (xvfb-run), started when the
// test run starts and stopped with it.
import { spawn } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { WebdriverLauncher } from '@web/test-runner-webdriver';

class WebKitGtkLauncher extends WebdriverLauncher {
  /** @type {import('node:child_process').ChildProcess | undefined} */
  driverProcess;

  /** @param {string} miniBrowserPath */
  constructor(miniBrowserPath) {
    super({
      hostname: '127.0.0.1',
      port: 0, // chosen in initialize(), so that parallel runs on one machine never collide
      path: '/',
      logLevel: 'error',
      capabilities: {
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: miniBrowserPath, args: ['--automation'] },
        // webdriverio would otherwise try WebDriver BiDi, which WebKitWebDriver does not speak.
        'wdio:enforceWebDriverClassic': true,
      },
    });
  }

  /** @param {import('@web/test-runner-core').TestRunnerCoreConfig} config */
  async initialize(config) {
    const port = await freePort();
    this.options.port = port;
    this.driverProcess = spawn('xvfb-run', ['-a', 'WebKitWebDriver', `--port=${port}`], {
      detached: true, // its own process group, so that stop() also ends Xvfb and MiniBrowser
      // WEBKIT_DRIVER_LOG=1 shows what the driver, MiniBrowser and its web process print.
      stdio: process.env.WEBKIT_DRIVER_LOG ? ['ignore', 'inherit', 'inherit'] : 'ignore',
    });
    await waitForPort(port, 20_000);
    await super.initialize(config);
    this.name = 'WebKit';
  }

  /** @param {string} id @param {string} url */
  async startSession(id, url) {
    await this.replaceBrowserIfGone();
    return super.startSession(id, url);
  }

  /**
   * WebKitGTK's web process can die of one of its own assertions ("trap invalid opcode" in
   * libwebkit2gtk, in the kernel log of one CI run), and MiniBrowser's automation session with it:
   * WebKitWebDriver then answers every command "invalid session id". The test file that was running
   * fails with "the browser disconnected"; a new MiniBrowser runs the files after it, which would
   * otherwise each fail to start. (scripts/test-browser.mjs decides whether to run the crashed file
   * again.)
   */
  async replaceBrowserIfGone() {
    const driver = this.driver;
    if (driver === undefined) return;
    try {
      await driver.getUrl();
    } catch (error) {
      if (!/invalid session id/i.test(String(error?.message))) throw error;
      console.warn('WebKit quit while running a test file; a new MiniBrowser runs the next ones.');
      if (this.pendingHeartbeat != null) clearInterval(this.pendingHeartbeat);
      this.driver = undefined;
      this.driverManager = undefined;
    }
  }

  async stop() {
    try {
      await super.stop();
    } finally {
      if (this.driverProcess?.pid) {
        try {
          process.kill(-this.driverProcess.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    }
  }
}

/** @param {{ miniBrowserPath: string }} options */
export function webkitGtkLauncher({ miniBrowserPath }) {
  return new WebKitGtkLauncher(miniBrowserPath);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** @param {number} port @param {number} timeoutMs */
async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) {
      throw new Error(`WebKitWebDriver did not listen on port ${port} within ${timeoutMs} ms.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
