# Shared set-up steps for scripts/serve and scripts/test. Each step checks
# before it installs, so running a script twice does no work the second time.
# Sourced, not run.

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[1;31merror: %s\033[0m\n' "$*" >&2; exit 1; }

APT_UPDATED=0
# ensure_apt CMD PACKAGE...: installs the packages when CMD is missing.
ensure_apt() {
    local cmd="$1"; shift
    if command -v "$cmd" >/dev/null 2>&1; then return; fi
    log "installing $* (apt)"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    if [ "$APT_UPDATED" -eq 0 ]; then $sudo apt-get update -qq; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

ensure_rust() {
    if ! command -v cargo >/dev/null 2>&1; then
        echo "cargo is missing: install Rust with rustup first" >&2
        exit 2
    fi
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        log "adding the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
}

# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_bindgen() {
    local want
    want="$(wasm_bindgen_version)"
    if command -v wasm-bindgen >/dev/null 2>&1 && [ "$(wasm-bindgen --version | awk '{print $2}')" = "$want" ]; then
        return
    fi
    log "installing wasm-bindgen-cli $want (takes a few minutes once)"
    # Not --locked: a dependency version it locks has been yanked from the registry.
    cargo install -q wasm-bindgen-cli --version "=$want"
}

ensure_pydicom() {
    if python3 -c "import pydicom, numpy, pylibjpeg, libjpeg" >/dev/null 2>&1; then return; fi
    log "installing pydicom, numpy and pylibjpeg (the independent reader and decoder the corpus tests compare with)"
    python3 -m pip install -q --root-user-action=ignore "pydicom==3.0.2" "numpy>=2,<3" pylibjpeg pylibjpeg-libjpeg
}

ensure_fuzz() {
    if ! rustup toolchain list | grep -q '^nightly'; then
        log "installing the nightly toolchain (cargo fuzz needs it)"
        rustup toolchain install nightly --profile minimal
    fi
    if ! command -v cargo-fuzz >/dev/null 2>&1; then
        log "installing cargo-fuzz (a few minutes, once)"
        cargo install -q cargo-fuzz
    fi
}

# The fuzz targets' seeds, in target/fuzz-seeds: the demo files the CLI
# writes (not the attack files, sized for the limits, nor the large report),
# and, when ../shared/corpus is there, a few small real-world files of
# other encodings (big endian without meta, deflated, RLE, JPEG, ISO 2022,
# DICOMDIR, UN sequences). The repository keeps no copy of the corpus.
fuzz_seeds() {
    local seeds="$ROOT/target/fuzz-seeds" corpus="$ROOT/../shared/corpus" f
    rm -rf "$seeds" "$seeds.demo" && mkdir -p "$seeds"
    "$ROOT/target/release/dicom-inspect" demo "$seeds.demo" >/dev/null
    for f in "$seeds.demo"/*.dcm; do
        case "$(basename "$f")" in attack-*|big-*) continue ;; esac
        cp "$f" "$seeds/demo-$(basename "$f")"
    done
    rm -rf "$seeds.demo"
    if [ -f "$corpus/MANIFEST.tsv" ]; then
        for f in test_files/CT_small.dcm test_files/dicomdirtests/DICOMDIR-empty.dcm test_files/ExplVR_BigEndNoMeta.dcm \
                 test_files/JPEG-lossy.dcm test_files/MR_small_bigendian.dcm test_files/SC_rgb_rle.dcm test_files/UN_sequence.dcm \
                 charset_files/chrH31.dcm charset_files/chrSQEncoding.dcm test_files/image_dfl.dcm test_files/no_meta.dcm \
                 test_files/priv_SQ.dcm test_files/rtplan.dcm test_files/test-SR.dcm; do
            cp "$corpus/pydicom/$f" "$seeds/corpus-$(basename "$f")"
        done
    else
        echo "SKIPPED corpus seeds for the fuzz targets: no ../shared/corpus; demo files only" >&2
    fi
}

# Runs each fuzz target a fixed number of times from the seeds, so that
# regressions surface; the long runs are done by hand (see README).
fuzz_briefly() {
    local runs="${1:-3000}" t log
    fuzz_seeds
    for t in inspect_raw inspect_part10 pixels jpeg12; do
        mkdir -p "$ROOT/target/fuzz-ci/$t"
        log="$ROOT/target/fuzz-ci/$t.log"
        log "fuzz $t: the seeds, then $runs runs"
        if ! cargo +nightly fuzz run -O "$t" "$ROOT/target/fuzz-ci/$t" "$ROOT/target/fuzz-seeds" -- \
            -runs="$runs" -rss_limit_mb=2048 -max_len=262144 -print_final_stats=1 >"$log" 2>&1; then
            tail -40 "$log" >&2
            echo "fuzz target $t crashed: the input is in fuzz/artifacts/$t" >&2
            return 1
        fi
        grep -E 'stat::number_of_executed_units|cov:' "$log" | tail -2
    done
}

ensure_node() {
    ensure_apt node nodejs
    ensure_apt npm npm
}

ensure_browser() {
    ensure_apt chromium chromium
    ensure_apt chromedriver chromium-driver
}

ensure_e2e_packages() {
    ensure_node
    if [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ] || [ "$ROOT/tests/e2e/package-lock.json" -nt "$ROOT/tests/e2e/node_modules/.package-lock.json" ]; then
        log "installing end-to-end test packages (npm ci)"
        (cd "$ROOT/tests/e2e" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
    fi
}

# Removes the comment lines that cite a web address from generated glue
# (wasm-bindgen's cites MDN): nothing the page serves names a remote address.
strip_url_comments() {
    sed -i -E '/^[[:space:]]*\/\/.*https?:\/\//d' "$1"
}

# Writes the JavaScript glue of a WASM build ($1) into the directory $2:
# wasm-bindgen's module, and the boundary's own JavaScript half
# (src/wasm/hand_over.js), which wasm-bindgen copies under a directory
# named by a hash, moved beside it (pkg/hand_over.js, a path the service
# worker can list).
bindgen() {
    local out=$2 snippet
    rm -rf "$out"
    wasm-bindgen --target web --no-typescript --out-dir "$out" "$1"
    strip_url_comments "$out/dicom_inspector.js"
    snippet=$(cd "$out" && find snippets -name hand_over.js)
    [ -n "$snippet" ] || die "wasm-bindgen wrote no snippets/*/src/wasm/hand_over.js"
    mv "$out/$snippet" "$out/hand_over.js"
    rm -rf "$out/snippets"
    # Every import of it (the functions the WASM calls directly are another
    # line's, and keep the snippet's path as their module's name, which
    # the WASM's import section says).
    sed -i -E "s#from (['\"])\./$snippet(['\"])#from \1./hand_over.js\2#g" "$out/dicom_inspector.js"
    grep -q "from './hand_over.js'" "$out/dicom_inspector.js" || die "the glue does not import ./hand_over.js"
    if grep -q "from .*snippets/" "$out/dicom_inspector.js"; then die "the glue still imports from snippets/"; fi
}

# The WASM build's code generation, beside simd128: LLVM inlines more
# (threshold 1000, its default 225), since Node 20's V8 (11.3) leaves its own
# inlining of calls between WASM functions off (--no-wasm-inlining). A series slice's
# whole call in Node about 2 µs (5%) faster, the module 78 KB (gzip) larger;
# 400 gained less, 3000 no more (README, "Measured").
WASM_CODEGEN="-C llvm-args=-inline-threshold=1000"
WASM_RUSTFLAGS="-C target-feature=+simd128 $WASM_CODEGEN"

# Builds the WASM core (SIMD) into www/pkg.
build_wasm() {
    log "building the WASM core"
    RUSTFLAGS="$WASM_RUSTFLAGS" cargo build -q --release --target wasm32-unknown-unknown --lib --no-default-features
    bindgen "$ROOT/target/wasm32-unknown-unknown/release/dicom_inspector.wasm" "$ROOT/www/pkg"
    # Not optimised with wasm-opt: Debian's binaryen (108) predates the
    # reference-types output of wasm-bindgen 0.2.130 and breaks its table
    # set-up; rustc's release build with LTO is already compact.
    # The kernels must be SIMD: count two simd128 opcodes of the window kernel
    # (f32x4.convert_i32x4_s = FD FA 01, i8x16.swizzle = FD 0E).
    python3 - "$ROOT/www/pkg/dicom_inspector_bg.wasm" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
convert, swizzle = data.count(b"\xfd\xfa\x01"), data.count(b"\xfd\x0e")
print(f"simd128 in the kernels: {convert} f32x4.convert_i32x4_s, {swizzle} i8x16.swizzle", file=sys.stderr)
sys.exit(0 if convert and swizzle else "the WASM build has no simd128 kernel instructions")
PY
    local size gz
    size=$(stat -c %s "$ROOT/www/pkg/dicom_inspector_bg.wasm")
    gz=$(gzip -9 -c "$ROOT/www/pkg/dicom_inspector_bg.wasm" | wc -c)
    log "www/pkg/dicom_inspector_bg.wasm: $size bytes, $gz gzip-compressed"
}

build_cli() {
    log "building the dicom-inspect CLI"
    cargo build -q --release --bin dicom-inspect
}

# Writes the demo files where the page offers them.
build_demo() {
    "$ROOT/target/release/dicom-inspect" demo "$ROOT/www/demo" >/dev/null
}
