// A page measurement, not a test (docs/performance.md keeps its results): runs a command-line program built for
// wasm32-wasip1 inside Debian's headless Chromium, so the engine's own examples can be timed in the browser's
// wasm engine against the same example run natively. The page gives the program the few WASI calls such an
// example makes (its arguments, the clock, writing to stdout and stderr, exit); what it prints is printed here.
// Usage: node tests/e2e/wasi-run.mjs PROGRAM.wasm [ARGS...]
//   cargo build --profile speed --target wasm32-wasip1 -p ordinal-engine --example scale_once
//   node tests/e2e/wasi-run.mjs target/wasm32-wasip1/speed/examples/scale_once.wasm Parallel 10000 100
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';

const [program, ...args] = process.argv.slice(2);
if (!program) {
  console.error('usage: node tests/e2e/wasi-run.mjs PROGRAM.wasm [ARGS...]');
  process.exit(2);
}
const wasm = await readFile(resolve(program));
const page = `<!doctype html><meta charset="utf-8"><script type="module">
const args = ${JSON.stringify(['program', ...args])};
const enc = new TextEncoder(), dec = new TextDecoder();
let memory, out = ['', ''];
const view = () => new DataView(memory.buffer);
const bytes = () => new Uint8Array(memory.buffer);
class Exit { constructor(code) { this.code = code; } }
const strings = (list, ptrs, buf) => {
  let p = buf;
  list.forEach((s, i) => { const b = enc.encode(s + '\\0'); view().setUint32(ptrs + 4 * i, p, true); bytes().set(b, p); p += b.length; });
  return 0;
};
const sizes = (list, count, size) => {
  view().setUint32(count, list.length, true);
  view().setUint32(size, list.reduce((n, s) => n + enc.encode(s).length + 1, 0), true);
  return 0;
};
const wasi = {
  args_sizes_get: (c, s) => sizes(args, c, s),
  args_get: (p, b) => strings(args, p, b),
  environ_sizes_get: (c, s) => sizes([], c, s),
  environ_get: () => 0,
  clock_time_get: (id, precision, at) => {
    const ns = BigInt(Math.round((id === 0 ? performance.timeOrigin + performance.now() : performance.now()) * 1e6));
    view().setBigUint64(at, ns, true);
    return 0;
  },
  // Only the standard library's hash seeds ask for randomness; the engine's maps do not use them.
  random_get: (buf, len) => { crypto.getRandomValues(bytes().subarray(buf, buf + len)); return 0; },
  fd_write: (fd, iovs, n, written) => {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const p = view().getUint32(iovs + 8 * i, true), l = view().getUint32(iovs + 8 * i + 4, true);
      out[fd === 2 ? 1 : 0] += dec.decode(bytes().subarray(p, p + l));
      total += l;
    }
    view().setUint32(written, total, true);
    return 0;
  },
  proc_exit: (code) => { throw new Exit(code); },
};
const { instance } = await WebAssembly.instantiateStreaming(fetch('/program.wasm'), { wasi_snapshot_preview1: wasi });
memory = instance.exports.memory;
let code = 0;
try { instance.exports._start(); } catch (e) { if (e instanceof Exit) code = e.code; else { out[1] += String(e.stack || e); code = 1; } }
window.done = { code, stdout: out[0], stderr: out[1] };
</script>`;
const server = createServer((req, res) => {
  if (req.url === '/program.wasm') res.writeHead(200, { 'content-type': 'application/wasm' }).end(wasm);
  else res.writeHead(200, { 'content-type': 'text/html' }).end(page);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const tab = await browser.newPage();
  await tab.goto(`http://127.0.0.1:${server.address().port}/`);
  const done = await tab.waitForFunction(() => window.done, null, { timeout: 0, polling: 500 }).then((h) => h.jsonValue());
  process.stdout.write(done.stdout);
  process.stderr.write(done.stderr);
  process.exitCode = done.code;
} finally {
  await browser.close();
  server.close();
}
