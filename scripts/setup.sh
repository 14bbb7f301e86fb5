#!/usr/bin/env bash
# Installs whatever this machine is missing to build (and, with `test`, to test) Ordinal. Idempotent: every
# step checks first, so a second run installs nothing. Only the package registries are used (crates.io, npm,
# Debian); nothing else is downloaded. See ../shared/TOOLCHAIN.md for why each version is pinned.
#
#   scripts/setup.sh build   # wasm32 target, Trunk, wasm-bindgen CLI, wasm-opt
#   scripts/setup.sh test    # the above, plus Chromium + chromedriver, Firefox + geckodriver, playwright-core
set -euo pipefail

mode="${1:-build}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$root/.tools/node_modules/.bin:$PATH"

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
GECKODRIVER_VERSION=0.37.1
# The CLI must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=no
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "apt-get install ${missing[*]}"
  if [ "$apt_updated" = no ]; then
    as_root apt-get update -qq
    apt_updated=yes
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

cargo_install() { # name version [extra args]
  local name="$1" version="$2" bin="${3:-$1}"; shift 3 || shift $#
  # Read the whole version text first: `| grep -q` would end the pipe early, and with pipefail a tool that
  # prints several lines (geckodriver) would look missing.
  local have=""
  command -v "$bin" >/dev/null 2>&1 && have="$("$bin" --version 2>/dev/null || true)"
  if [[ "$have" == *" $version"* ]]; then
    return 0
  fi
  say "cargo install $name $version (builds from source; takes minutes once)"
  cargo install "$name" --version "$version" "$@"
}

# Rust pieces.
for comp in rustfmt clippy; do
  [[ "$(rustup component list --installed 2>/dev/null)" == *"$comp"* ]] || { say "rustup component add $comp"; rustup component add "$comp"; }
done
[[ "$(rustup target list --installed)" == *wasm32-unknown-unknown* ]] || {
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
}
cargo_install trunk "$TRUNK_VERSION" trunk --locked
# `--locked` fails for wasm-bindgen-cli on these registries (TOOLCHAIN.md); it builds fine without.
cargo_install wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen

# wasm-opt from npm's binaryen (Debian's is too old for rustc 1.95's wasm).
if [[ "$(wasm-opt --version 2>/dev/null || true)" != *"version $BINARYEN_VERSION"* ]]; then
  say "npm install binaryen@$BINARYEN_VERSION into .tools/"
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
fi

if [ "$mode" = test ]; then
  apt_install chromium chromium-driver firefox-esr
  cargo_install geckodriver "$GECKODRIVER_VERSION" geckodriver
  if [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -d tests/e2e/node_modules/axe-core ]; then
    say "npm ci in tests/e2e (playwright-core; it uses Debian's Chromium, never downloads a browser)"
    (cd tests/e2e && npm ci --no-audit --no-fund --silent)
  fi
fi
say "tools ready"
