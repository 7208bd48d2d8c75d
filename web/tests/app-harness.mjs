// What the app's browser test and benchmark share: the static server, headless Chromium, drawing
// strokes on the app's canvas and clicking its buttons with the mouse.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The built page (cmake/app.cmake writes index.html, .js, .wasm and .data there).
export const SITE = process.env.FCNET_APP_SITE || path.join(REPO, 'build/wasm/site');

// Flags for Debian's chromium headless with WebGL2 through SwiftShader (docs: /work/shared/TOOLCHAIN.md).
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--enable-unsafe-swiftshader',
];

// Starts scripts/serve.py on a free 127.0.0.1 port; resolves to { url, stop() }.
export function startServer(site = SITE) {
  return new Promise((resolve, reject) => {
    const server = spawn('python3', [path.join(REPO, 'scripts/serve.py'), '--dir', site, '--port', '0'],
                         { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    server.on('error', reject);
    server.on('exit', (code) => reject(new Error(`serve.py exited with ${code} before printing its URL`)));
    server.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (match) resolve({ url: match[0], stop: () => server.kill() });
    });
  });
}

// Launches headless Chromium in a fresh profile; resolves to { context, close() }.
export async function launchBrowser({ deviceScaleFactor = 1, viewport = { width: 1100, height: 720 } } = {}) {
  const profile = mkdtempSync(path.join(tmpdir(), 'fcnet-app-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport,
    deviceScaleFactor,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Resolves once the browser has drawn `count` more frames: the app's main loop runs once per
// animation frame, so by then it has read the mouse events sent before.
export function frames(page, count = 1) {
  return page.evaluate((n) => new Promise((resolve) => {
    const step = () => (n-- <= 0 ? resolve() : requestAnimationFrame(step));
    requestAnimationFrame(step);
  }), count);
}

// Draws `strokes` (unit coordinates, see app-digits.mjs) inside the app's canvas widget with
// the mouse, letting a frame pass after every move so that ImGui sees each point.
export async function drawStrokes(page, strokes) {
  const rect = await page.evaluate(() => window.fcnetApp.canvasRect());
  const at = ([x, y]) => [rect.x + x * rect.width, rect.y + y * rect.height];
  for (const stroke of strokes) {
    const [x0, y0] = at(stroke[0]);
    await page.mouse.move(x0, y0);
    await frames(page);
    await page.mouse.down();
    await frames(page);
    for (const point of stroke.slice(1)) {
      const [x, y] = at(point);
      await page.mouse.move(x, y);
      await frames(page);
    }
    await page.mouse.up();
    await frames(page);
  }
}

// Clicks the app's button labelled `label` (an ImGui button: fcnetApp.buttonRect says where the
// last frame drew it) with the mouse, then lets the frames pass in which the app acts on it.
export async function clickButton(page, label) {
  const rect = await page.evaluate((l) => window.fcnetApp.buttonRect(l), label);
  if (!rect) throw new Error(`the app shows no button "${label}"`);
  await page.mouse.move(rect.x + rect.width / 2, rect.y + rect.height / 2);
  await frames(page);
  await page.mouse.down();
  await frames(page);
  await page.mouse.up();
  await frames(page, 2);
}

// The same with a finger (Chrome DevTools touch events): one touch point per stroke.
export async function drawStrokesByTouch(page, strokes) {
  const rect = await page.evaluate(() => window.fcnetApp.canvasRect());
  const at = ([x, y]) => ({ x: rect.x + x * rect.width, y: rect.y + y * rect.height });
  const devtools = await page.context().newCDPSession(page);
  for (const stroke of strokes) {
    await devtools.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(stroke[0])] });
    await frames(page);
    for (const point of stroke.slice(1)) {
      await devtools.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at(point)] });
      await frames(page);
    }
    await devtools.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await frames(page);
  }
  await devtools.detach();
}

// Records the page's errors and console errors in `problems` (a test asserts it stays empty);
// `where` tells pages apart in the messages.
export function watchProblems(page, problems, where = '') {
  page.on('pageerror', (error) => problems.push(`page error${where}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error${where}: ${message.text()}`);
  });
}

// Loads the app and waits until it is ready (fcnetApp.ready) or says why it could not start;
// returns the time it took in ms, from before the navigation until the answer arrived. The page
// answers from its own fcnet-app-ready / fcnet-app-error event, the moment the app sends it:
// waitForFunction would poll once an animation frame, and in software WebGL the first frames
// are slow in coming.
export async function openApp(page, url, timeoutMs = 60_000) {
  const start = Date.now();
  await page.goto(url);
  const error = await page.evaluate((timeout) => new Promise((resolve) => {
    const answer = () => resolve(window.fcnetApp.error);
    if (window.fcnetApp && (window.fcnetApp.ready || window.fcnetApp.error)) return answer();
    window.addEventListener('fcnet-app-ready', answer);
    window.addEventListener('fcnet-app-error', answer);
    setTimeout(() => resolve(`neither ready nor an error after ${timeout} ms`), timeout);
  }), timeoutMs);
  const elapsed = Date.now() - start;
  if (error) throw new Error(`the app could not start: ${error}`);
  return elapsed;
}

// In the page: the start's timeline of one load, ms since navigation began: the page's and the
// app's marks (web/app.html, fcnet:*), when each index.* download ended and when the HTML did.
export function timeline() {
  const times = {};
  for (const mark of performance.getEntriesByType('mark')) times[mark.name] ??= mark.startTime;  // the first
  for (const resource of performance.getEntriesByType('resource')) {
    const file = new URL(resource.name).pathname.split('/').pop();
    if (file.startsWith('index.')) times[`${file} downloaded`] = resource.responseEnd;
  }
  times['HTML downloaded'] = performance.getEntriesByType('navigation')[0].responseEnd;
  return times;
}
