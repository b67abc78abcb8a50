#!/usr/bin/env bash
# The whole test suite: Rust (native and WebAssembly), then the npm package as a consumer
# installs it from its tarball, in Node, Deno, Bun, workerd and headless Chromium.
# Runs scripts/setup.sh first. Every step runs unless a step it needs failed; the summary at
# the end gives each step's result, test count and time. Exits non-zero if any step failed
# or ran no test.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started=$EPOCHREALTIME

bash scripts/setup.sh
if [[ -d "$HOME/.cargo/bin" && ":$PATH:" != *":$HOME/.cargo/bin:"* ]]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
export NO_COLOR=1 CARGO_TERM_COLOR=never

logs=.tmp/logs
consumer=.tmp/consumer
bin="$root/node_modules/.bin"
rm -rf "$logs"
mkdir -p "$logs"

names=() results=() counts=() times=()
failed=()
total_pass=0 total_fail=0

elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# Sums the passed and failed test counts in a log, in the format of the runner that wrote it.
count_tests() {
  local kind=$1 log=$2
  case $kind in
    cargo) # "test result: ok. 5 passed; 0 failed; ..." once per test binary
      sed -nE 's/^test result: [A-Za-z]+\. ([0-9]+) passed; ([0-9]+) failed.*/\1 \2/p' "$log" ;;
    node) # node --test --test-reporter=spec: "ℹ pass 7" / "ℹ fail 0"
      paste <(sed -nE 's/^ℹ pass ([0-9]+)$/\1/p' "$log") <(sed -nE 's/^ℹ fail ([0-9]+)$/\1/p' "$log") ;;
    deno) # "ok | 7 passed | 0 failed (19ms)"
      sed -nE 's/^(ok|FAILED) \| ([0-9]+) passed.*\| ([0-9]+) failed.*/\2 \3/p' "$log" ;;
    bun) # " 7 pass" / " 0 fail"
      paste <(sed -nE 's/^ *([0-9]+) pass$/\1/p' "$log") <(sed -nE 's/^ *([0-9]+) fail$/\1/p' "$log") ;;
  esac | awk '{ p += $1; f += $2 } END { print p + 0, f + 0 }'
}

# step NAME KIND COMMAND...: runs COMMAND (in the current directory), logs and times it.
# KIND is the runner whose counts to read (cargo, node, deno, bun) or "-" for none.
step() {
  local name=$1 kind=$2
  shift 2
  local log="$root/$logs/$name.log" t0=$EPOCHREALTIME status=0 pass=0 fail=0
  printf '\n==== %s: %s\n' "$name" "$*"
  set +e
  "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  set -e
  local result=ok count=-
  if [[ $kind != - ]]; then
    read -r pass fail < <(count_tests "$kind" "$log")
    count="$pass passed, $fail failed"
    total_pass=$((total_pass + pass))
    total_fail=$((total_fail + fail))
    if ((status == 0 && pass == 0)); then
      result='FAILED (ran no test)'
    fi
  fi
  ((status == 0)) || result="FAILED (exit $status)"
  [[ $result == ok ]] || failed+=("$name")
  names+=("$name") results+=("$result") counts+=("$count") times+=("$(elapsed "$t0")")
  printf '==== %s: %s, %s (%s s)\n' "$name" "$result" "$count" "${times[-1]}"
  [[ $result == ok ]]
}

skip() {
  names+=("$1") results+=("NOT RUN ($2 failed)") counts+=(-) times+=(-)
  failed+=("$1")
}

# Every Rust file with tests must also run them under wasm-bindgen-test, or say it is
# native-only; otherwise `cargo test --target wasm32-unknown-unknown` would skip them silently.
check_wasm_test_opt_in() {
  local bad=() f
  while IFS= read -r f; do
    grep -qE 'use wasm_bindgen_test::wasm_bindgen_test as test;|^#!\[cfg\(not\(target_arch = "wasm32"\)\)\]' "$f" ||
      bad+=("$f")
  done < <(grep -rlE '#\[test\]' src tests --include='*.rs' 2>/dev/null || true)
  if ((${#bad[@]} > 0)); then
    printf 'These files have #[test]s that would not run in WebAssembly:\n' >&2
    printf '  %s\n' "${bad[@]}" >&2
    printf 'Add, next to the tests:\n  #[cfg(target_arch = "wasm32")]\n  use wasm_bindgen_test::wasm_bindgen_test as test;\n' >&2
    printf 'or mark a native-only file with #![cfg(not(target_arch = "wasm32"))] (see docs/packaging.md).\n' >&2
    return 1
  fi
  echo "every Rust file with tests runs them in wasm32 too"
}

# Installs the packed tarball into a scratch project, as a consumer would. (These helpers run
# inside `step ... || true`, where bash ignores `set -e`, hence the explicit returns.)
install_consumer() {
  local version tarball
  version="$(node -p 'require("./package.json").version')" || return 1
  tarball="$root/.tmp/h2wasm-$version.tgz"
  [[ -f $tarball ]] || { echo "no $tarball" >&2; return 1; }
  rm -rf "$consumer" && mkdir -p "$consumer/tests/js" "$consumer/examples/lib" || return 1
  echo '{ "name": "h2wasm-consumer", "private": true, "type": "module" }' >"$consumer/package.json"
  (cd "$consumer" && npm install --no-audit --no-fund --no-package-lock --loglevel=error "$tarball") || return 1
  # The same layout as the repository, so that the tests' relative imports hold in both (the
  # interop tests run examples/server.mjs and examples/client.mjs, which import h2wasm).
  cp tests/js/* "$consumer/tests/js/" || return 1
  cp examples/*.mjs "$consumer/examples/" || return 1
  cp examples/lib/* "$consumer/examples/lib/" || return 1
  echo "installed $(basename "$tarball") into $consumer"
}

# The test files each runtime runs, listed explicitly (Node 20's --test takes no globs).
node_tests=(
  tests/js/smoke.test.mjs
  tests/js/package.test.mjs
  tests/js/connection_methods.test.mjs
  tests/js/connection_events.test.mjs
  tests/js/connection_errors.test.mjs
  tests/js/connection_config.test.mjs
  tests/js/connection_bytestrings.test.mjs
  tests/js/connection_pair.test.mjs
  tests/js/session_handshake.test.mjs
  tests/js/session_flow.test.mjs
  tests/js/session_shutdown.test.mjs
  tests/js/session_errors.test.mjs
  tests/js/session_timers.test.mjs
  tests/js/session_push.test.mjs
  tests/js/session_connect.test.mjs
  tests/js/session_fetch.test.mjs
  tests/js/session_upgrade.test.mjs
  tests/js/session_queue.test.mjs
  tests/js/session_priority.test.mjs
  tests/js/transports_node.test.mjs
  tests/js/transports_websocket.test.mjs
)
node_interop_tests=(tests/js/interop_node_http2.test.mjs tests/js/session_interop.test.mjs tests/js/transports_session.test.mjs)
# Real peers over loopback TCP: node:http2, nghttpd, nghttp, curl, h2load against the h2wasm
# client and examples/server.mjs. A missing tool fails the step (never a skip).
interop_tests=(
  tests/js/interop_server.test.mjs
  tests/js/interop_client.test.mjs
  tests/js/interop_transfer.test.mjs
  tests/js/interop_shutdown.test.mjs
)
deno_tests=(tests/js/smoke.test.mjs tests/js/transports_deno.test.mjs tests/js/transports_websocket.test.mjs)
bun_tests=(./tests/js/smoke.test.mjs ./tests/js/transports_node.test.mjs ./tests/js/transports_websocket.test.mjs)
workerd_tests=(tests/js/workerd.test.mjs tests/js/transports_workerd.test.mjs)
chromium_tests=(tests/js/chromium.test.mjs tests/js/transports_chromium.test.mjs)

# Every tests/js/*.test.mjs must be in one of the lists above, or it would never run.
check_test_files_listed() {
  local listed=" ${node_tests[*]} ${node_interop_tests[*]} ${interop_tests[*]} ${deno_tests[*]} ${bun_tests[*]#./} ${workerd_tests[*]} ${chromium_tests[*]} "
  local missing=() f
  for f in tests/js/*.test.mjs; do
    [[ $listed == *" $f "* ]] || missing+=("$f")
  done
  if ((${#missing[@]} > 0)); then
    printf 'These test files are in no runtime step of scripts/test.sh:\n' >&2
    printf '  %s\n' "${missing[@]}" >&2
    return 1
  fi
  echo "every tests/js/*.test.mjs runs in a step"
}

pack() {
  rm -f .tmp/h2wasm-*.tgz
  npm pack --ignore-scripts --pack-destination .tmp || return 1
}

# --- Rust
step fmt - cargo fmt --check || true
step clippy - cargo clippy --all-targets -- -D warnings || true
step clippy-wasm32 - cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings || true
step wasm-test-opt-in - check_wasm_test_opt_in || true
step js-tests-listed - check_test_files_listed || true
step cargo-test cargo cargo test || true
step cargo-test-wasm32 cargo cargo test --target wasm32-unknown-unknown || true

# Differential runs against python h2 4.4.1: the scripted cases, then random conversations.
differential() {
  cargo build --quiet --release --example h2drive || return 1
  PYTHONPATH="$root/.tmp/pylib" python3 tests/diff/compare.py --driver target/release/examples/h2drive \
    tests/diff/cases/*.txt --random 200 --rich 300 --seed "${H2WASM_DIFF_SEED:-1}"
}
step differential - differential || true

# --- the npm package
js_ready=false
if step build - node scripts/build.mjs; then
  if step pack - pack; then
    if step consumer-install - install_consumer; then
      js_ready=true
    else
      skip_reason=consumer-install
    fi
  else
    skip_reason=pack
  fi
else
  skip_reason=build
fi

if $js_ready; then
  cd "$consumer"
  step node node node --test --test-reporter=spec "${node_tests[@]}" || true
  step node-interop node node --test --test-reporter=spec "${node_interop_tests[@]}" || true
  step interop node node --test --test-reporter=spec "${interop_tests[@]}" || true
  # The transport tests listen and connect on loopback and run openssl for a test certificate;
  # npm ws (the WebSocket peer) reads two environment variables; WebTransport (QuicEndpoint,
  # upgradeWebTransport) is behind --unstable-net.
  step deno deno "$bin/deno" test --no-check --unstable-net --allow-read --allow-net --allow-run=openssl \
    --allow-env=WS_NO_BUFFER_UTIL,WS_NO_UTF_8_VALIDATE "${deno_tests[@]}" || true
  step bun bun "$bin/bun" test "${bun_tests[@]}" || true
  step workerd node node --test --test-reporter=spec "${workerd_tests[@]}" || true
  step chromium node node --test --test-reporter=spec "${chromium_tests[@]}" || true
  cd "$root"
else
  for name in node node-interop interop deno bun workerd chromium; do skip "$name" "$skip_reason"; done
fi

# --- summary
printf '\n==== summary\n'
for i in "${!names[@]}"; do
  printf '  %-18s %-24s %-22s %6s s\n' "${names[$i]}" "${results[$i]}" "${counts[$i]}" "${times[$i]}"
done
printf '  wall time (with setup): %s s; logs in %s/\n' "$(elapsed "$started")" "$logs"
if ((${#failed[@]} > 0)); then
  printf '  FAILED: %s\n' "${failed[*]}"
fi
printf 'total: %d passed, %d failed\n' "$total_pass" "$total_fail"
((${#failed[@]} == 0))
