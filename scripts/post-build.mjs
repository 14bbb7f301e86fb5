// Runs after every `trunk build` (a post_build hook in Trunk.toml), on the staged site:
//  1. index.html gets a Content-Security-Policy: the app's own files, the one inline script Trunk writes (by its
//     hash) and WebAssembly; nothing from anywhere else, no inline event handlers.
//  2. ordinal.html: the whole app in one file (styles, script, the icon, the wasm gzipped and base64-encoded),
//     which runs when opened straight from disk (file://) with no network, for classroom laptops.
// Usage: node scripts/post-build.mjs [dir]   (Trunk passes the staging directory in TRUNK_STAGING_DIR)
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2] || 'dist';
const files = await readdir(dir);
const one = (re) => {
  const found = files.filter((f) => re.test(f));
  if (found.length !== 1) throw new Error(`expected one file matching ${re} in ${dir}, found ${found.join(', ') || 'none'}`);
  return found[0];
};
const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const policy = (rules) => `<meta http-equiv="Content-Security-Policy" content="${rules.join('; ')}" />`;
// Yew writes style attributes (the timeline's marks), so inline styles are allowed; scripts are not.
const common = ["default-src 'none'", "base-uri 'none'", "form-action 'none'", "object-src 'none'"];

const indexPath = join(dir, 'index.html');
let html = await readFile(indexPath, 'utf8');
html = html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
const trunkScript = html.match(/<script type="module">([\s\S]*?)<\/script>/);
if (!trunkScript) throw new Error('no inline module script in index.html');
const served = policy([
  ...common,
  `script-src 'self' ${sha256(trunkScript[1])} 'wasm-unsafe-eval'`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
]);
const withPolicy = (page, meta) => page.replace(/(<meta charset="utf-8" \/>)/, `$1\n    ${meta}`);
await writeFile(indexPath, withPolicy(html, served));

// The single file.
const glue = await readFile(join(dir, one(/^ordinal-web-[0-9a-f]+\.js$/)), 'utf8');
const exportLine = /^export \{ initSync, __wbg_init as default \};$/m;
if (!exportLine.test(glue)) throw new Error("wasm-bindgen's glue no longer ends as expected: update scripts/post-build.mjs");
const wasm = await readFile(join(dir, one(/^ordinal-web-[0-9a-f]+_bg\.wasm$/)));
const css = await readFile(join(dir, one(/^style-[0-9a-f]+\.css$/)), 'utf8');
const icon = await readFile(join(dir, one(/^icon-[0-9a-f]+\.svg$/)));
const packed = gzipSync(wasm, { level: 9 }).toString('base64');
const script = `${glue.replace(exportLine, '')}
// The app's wasm, gzipped: unpacked in the page, so nothing is fetched (file:// forbids fetching it).
{
  const packed = '${packed}';
  const gzipped = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
  const stream = new Blob([gzipped]).stream().pipeThrough(new DecompressionStream('gzip'));
  const started = await __wbg_init({ module_or_path: await new Response(stream).arrayBuffer() });
  dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm: started } }));
}
`;
let single = html
  .replace(/<link rel="stylesheet" href="[^"]*"[^>]*>/, () => `<style>${css}</style>`)
  .replace(/<link rel="icon" href="[^"]*"[^>]*>/, () => `<link rel="icon" href="data:image/svg+xml;base64,${icon.toString('base64')}" />`)
  .replace(/\s*<link rel="(modulepreload|preload)"[^>]*>/g, '')
  .replace(/<script type="module">[\s\S]*?<\/script>/, () => `<script type="module">${script}</script>`);
single = withPolicy(single, policy([
  ...common,
  `script-src ${sha256(script)} 'wasm-unsafe-eval'`,
  "style-src 'unsafe-inline'",
  'img-src data:',
]));
await writeFile(join(dir, 'ordinal.html'), single);
console.log(`post-build: index.html has its Content-Security-Policy; ordinal.html is ${single.length} bytes`);
