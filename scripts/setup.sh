#!/usr/bin/env bash
# Installs what building and testing h2wasm needs, on Debian 12 with rustup and Node 20.
# Idempotent: each step checks first and does nothing when its tool is already there, so a
# second run takes about a second. Run it from anywhere; scripts/test.sh and
# scripts/demo.sh call it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

WASM_BINDGEN_VERSION=0.2.130 # must equal the wasm-bindgen crate pinned in Cargo.toml
APT_PACKAGES=(chromium chromium-driver nghttp2-client nghttp2-server curl python3-pip openssl)

say() { printf 'setup: %s\n' "$*"; }
die() {
  printf 'setup: error: %s\n' "$*" >&2
  exit 1
}

# cargo install puts binaries here; a fresh login shell may not have it on PATH yet.
if [[ -d "$HOME/.cargo/bin" && ":$PATH:" != *":$HOME/.cargo/bin:"* ]]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi

command -v cargo >/dev/null || die "cargo not found: install Rust with rustup first"
command -v rustup >/dev/null || die "rustup not found: install Rust with rustup first"
command -v node >/dev/null || die "node not found: install Node.js 20 or later first"
command -v npm >/dev/null || die "npm not found: install Node.js 20 or later first"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
((node_major >= 20)) || die "Node.js $(node --version) is too old: 20 or later is needed"

# Debian packages: Chromium for the browser tests, nghttp2 and curl as HTTP/2 peers, openssl
# for the test certificates of the TLS transport tests.
# Never Debian's binaryen: its wasm-opt corrupts wasm-bindgen output (npm binaryen is used).
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]} > 0)); then
  sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || die "not root and no sudo: cannot install ${missing[*]}"
    sudo=(sudo)
  fi
  say "apt-get install ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Rust: the wasm target, and the components that scripts/test.sh runs.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^${component}"; then
    say "rustup component add $component"
    rustup component add "$component"
  fi
done

# wasm-bindgen CLI (with wasm-bindgen-test-runner). No npm package ships it, and --locked
# fails on this registry, so it is built from crates.io: about 3.5 minutes, once.
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]] ||
  ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "cargo install wasm-bindgen-cli --version $WASM_BINDGEN_VERSION (takes minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# npm devDependencies (binaryen, deno, bun, workerd, esbuild, playwright-core, typescript, ws).
# `npm install`, not `npm ci`: the lockfile lacks other platforms' binaries that this
# registry doesn't serve, and `npm ci` refuses it. The stamp skips the step when neither
# package.json nor package-lock.json changed since the last install.
stamp=node_modules/.h2wasm-setup-stamp
want_stamp="$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want_stamp" ]]; then
  say "npm install"
  npm install --no-audit --no-fund --loglevel=error
  # npm install may rewrite the lockfile; stamp what is there now.
  cat package.json package-lock.json | sha256sum | cut -d' ' -f1 >"$stamp"
fi

# python h2 4.4.1, the reference engine of the differential tests (tests/diff/). Installed
# into .tmp/pylib so that it never touches the system's Python.
if ! PYTHONPATH="$root/.tmp/pylib" python3 -c 'import h2, sys; sys.exit(h2.__version__ != "4.4.1")' 2>/dev/null; then
  command -v python3 >/dev/null || die "python3 not found"
  say "pip install h2==4.4.1 into .tmp/pylib"
  mkdir -p .tmp
  python3 -m pip install --quiet --disable-pip-version-check --target .tmp/pylib h2==4.4.1 ||
    python3 -m pip install --quiet --disable-pip-version-check --break-system-packages --target .tmp/pylib h2==4.4.1 ||
    die "could not install python h2 4.4.1 (is python3-pip installed?)"
fi

# The runtimes the tests launch must really run (their binaries come from npm postinstalls).
for tool in deno bun workerd; do
  "node_modules/.bin/$tool" --version >/dev/null 2>&1 ||
    die "node_modules/.bin/$tool does not run; delete node_modules and run setup again"
done
[[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium is missing"
