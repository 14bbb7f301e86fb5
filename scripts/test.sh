#!/usr/bin/env bash
# Every check, stopping at the first failure: formatting, lints (native and wasm32), API docs, native tests,
# browser tests in headless Chromium and Firefox, a release build into dist/, a page-level check of dist/
# served from a sub-path, and the single file opened from disk in Chromium and Firefox.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$root/.tools/node_modules/.bin:$PATH"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (native)"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo clippy (wasm32)"
cargo clippy --workspace --all-targets --target wasm32-unknown-unknown -- -D warnings

step "cargo doc (every intra-doc link resolves)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps

step "native tests"
cargo test --workspace

step "browser tests: headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver cargo test -p ordinal-web --target wasm32-unknown-unknown

step "browser tests: headless Firefox"
GECKODRIVER="$(command -v geckodriver)" cargo test -p ordinal-web --target wasm32-unknown-unknown

step "release build into dist/ (and dist/ordinal.html, the single file)"
trunk build --release

step "page check: dist/ served under a sub-path, and the single file from disk, in headless Chromium"
node tests/e2e/page.mjs

step "the single file from disk with no network, in headless Firefox"
GECKODRIVER="$(command -v geckodriver)" node tests/e2e/single-file-firefox.mjs
