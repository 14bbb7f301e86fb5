// A page measurement, not a test (docs/performance.md keeps its results): how the release build's page keeps
// up while the cluster works. Serves dist/, opens it in Debian's headless Chromium at 1366×768, applies web.yaml
// changed to `replicas: N` with Parallel pod management at 16×, and records for SECONDS of real time:
// every animation frame's interval, every long task (over 50 ms), and the Event Timing of keys typed into the
// terminal every half second (how long a key waited to be handled, and until the next paint).
// Usage: node tests/e2e/frames.mjs [replicas=200] [seconds=30] [screenshot.png]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const replicas = Number(process.argv[2] || 200);
const seconds = Number(process.argv[3] || 30);
const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml' };
const server = createServer(async (req, res) => {
  const rel = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname).slice(1) || 'index.html').replace(/^(\.\.[/\\])+/, '');
  try {
    res.writeHead(200, { 'content-type': types[extname(rel)] || 'application/octet-stream' }).end(await readFile(join(dist, rel)));
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const pct = (xs, p) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector('#apply', { timeout: 20000 });
  const yaml = await page.$eval('#yaml', (e) => e.value);
  const changed = yaml.replace(/replicas: \d+/, `replicas: ${replicas}`)
    .replace(/( *)serviceName:(.*)\n/, '$1serviceName:$2\n$1podManagementPolicy: Parallel\n');
  await page.fill('#yaml', changed);
  await page.click('button.speed:has-text("16×")');
  await page.evaluate(() => {
    window.__frames = [];
    window.__long = [];
    window.__events = [];
    let last = performance.now();
    const frame = (t) => { window.__frames.push(t - last); last = t; requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
    new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push(e.duration))).observe({ type: 'longtask' });
    new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__events.push({
      name: e.name, delay: e.processingStart - e.startTime, duration: e.duration,
    }))).observe({ type: 'event', durationThreshold: 16 });
  });
  const started = Date.now();
  await page.click('#apply');
  const clickMs = Date.now() - started;
  await page.click('.term-screen');
  const stamps = [];
  while (Date.now() - started < seconds * 1000) {
    await page.waitForTimeout(500);
    await page.keyboard.type('x');
    const [clock, ready, working] = await page.evaluate(() => [
      document.querySelector('#clock')?.textContent,
      document.querySelector('.sts-ready')?.textContent,
      document.querySelector('#working')?.textContent,
    ]);
    stamps.push(`${((Date.now() - started) / 1000).toFixed(1)}s ${clock} ready ${ready} ${working}`);
  }
  if (process.argv[4]) await page.screenshot({ path: process.argv[4] });
  const r = await page.evaluate(() => ({ frames: window.__frames, long: window.__long, events: window.__events }));
  const frames = r.frames.slice(1);
  console.log(`replicas ${replicas}, Parallel, 16×, ${seconds} s; the Apply click returned to the test in ${clickMs} ms`);
  console.log(`frames: ${frames.length}, p50 ${pct(frames, 50).toFixed(1)} ms, p99 ${pct(frames, 99).toFixed(1)} ms, max ${Math.max(...frames).toFixed(1)} ms`);
  console.log(`long tasks: ${r.long.length}, max ${r.long.length ? Math.max(...r.long).toFixed(0) : 0} ms, over 100 ms: ${r.long.filter((d) => d > 100).length}`);
  const keys = r.events.filter((e) => e.name.startsWith('key'));
  console.log(`key events over 16 ms: ${keys.length}, max input delay ${keys.length ? Math.max(...keys.map((e) => e.delay)).toFixed(0) : 0} ms, max duration ${keys.length ? Math.max(...keys.map((e) => e.duration)).toFixed(0) : 0} ms`);
  for (const s of stamps.filter((_, i) => i % 4 === 3)) console.log(`  ${s}`);
} finally {
  await browser.close();
  server.close();
}
