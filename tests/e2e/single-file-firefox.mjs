// The single file (dist/ordinal.html) in headless Firefox, opened from disk with every network request sent to a
// dead proxy: it runs web.yaml to web-0 Running, and the page loaded nothing but file:, data: and blob: URLs.
// Driven over WebDriver with geckodriver (as the wasm browser tests are), so it needs no browser download.
// Usage: node tests/e2e/single-file-firefox.mjs   (GECKODRIVER may name the driver; default: geckodriver on PATH)
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';

const file = pathToFileURL(fileURLToPath(new URL('../../dist/ordinal.html', import.meta.url))).href;
const port = await new Promise((ok) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); }); });
const driver = spawn(process.env.GECKODRIVER || 'geckodriver', ['--port', String(port)], { stdio: ['ignore', 'ignore', 'inherit'] });
const base = `http://127.0.0.1:${port}`;
const call = async (method, path, body) => {
  const r = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  const json = await r.json();
  if (!r.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value)}`);
  return json.value;
};
const problems = [];
let session;
try {
  for (let i = 0; i < 100; i++) {
    try { await fetch(`${base}/status`); break; } catch { await new Promise((ok) => setTimeout(ok, 100)); }
  }
  const dead = { 'network.proxy.type': 1, 'network.proxy.http': '127.0.0.1', 'network.proxy.http_port': 9, 'network.proxy.ssl': '127.0.0.1', 'network.proxy.ssl_port': 9, 'network.proxy.allow_hijacking_localhost': true };
  session = (await call('POST', '/session', { capabilities: { alwaysMatch: { browserName: 'firefox', 'moz:firefoxOptions': { args: ['-headless'], prefs: dead } } } })).sessionId;
  const run = (script) => call('POST', `/session/${session}/execute/sync`, { script, args: [] });
  const until = async (what, script, ms) => {
    for (const end = Date.now() + ms; Date.now() < end;) {
      if (await run(script)) return true;
      await new Promise((ok) => setTimeout(ok, 200));
    }
    problems.push(`${what}: not within ${ms / 1000} s`);
    return false;
  };
  await call('POST', `/session/${session}/url`, { url: file });
  if (await until('the app starts', "return !!document.querySelector('#apply:not([disabled])')", 30000)) {
    await run("[...document.querySelectorAll('button.speed')].find((b) => b.textContent === '16×').click(); document.querySelector('#apply').click();");
    await until('web-0 Running', "return !!document.querySelector('[data-pod=\"web-0\"][data-status=\"Running\"]')", 30000);
    // The lessons, read from the file itself.
    await run("document.querySelector('#lessons').click();");
    await until('the lesson list', "return !!document.querySelector('.lesson-choice[data-lesson=\"basics\"]')", 10000);
  }
  const urls = await run("return performance.getEntries().map((e) => e.name).filter((n) => /^[a-z]+:/.test(n));");
  const foreign = urls.filter((u) => !/^(file|data|blob):/.test(u));
  if (foreign.length) problems.push(`the single file asked for ${foreign.join(', ')}`);
} catch (e) {
  problems.push(String(e));
} finally {
  if (session) await call('DELETE', `/session/${session}`).catch(() => {});
  driver.kill();
}
if (problems.length) {
  console.error(problems.join('\n'));
  console.log('0 passed, 1 failed');
  process.exit(1);
}
console.log('single file in Firefox: opened from disk with no network, web.yaml runs to web-0 Running, the lessons open');
console.log('1 passed, 0 failed');
