#!/usr/bin/env bash
# Runs every EdgeStack comparison side by side on this machine (loopback only) and writes bench/RESULTS.md
# and bench/results/*.png. `--quick` is a smoke run that writes bench/results-quick/ instead.
# Usage: ./edgestack bench [--quick] [--rows 1,2,3]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# wrk is the load generator; ScottPlot (SkiaSharp) needs fontconfig and a font to draw text.
missing=()
command -v wrk >/dev/null || missing+=(wrk)
dpkg -s libfontconfig1 >/dev/null 2>&1 || missing+=(libfontconfig1)
fc-list 2>/dev/null | grep -q . || missing+=(fontconfig fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v node >/dev/null || { echo "bench: Node.js is required (Node baseline, Azurite)" >&2; exit 1; }
if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

build() { dotnet build "$1" -c Release -nologo -clp:ErrorsOnly -v:q; }
build bench/EdgeStack.Bench.Apps/EdgeStack.Bench.Apps.csproj
build bench/EdgeStack.Bench/EdgeStack.Bench.csproj
build bench/EdgeStack.Runtime.Benchmarks/EdgeStack.Runtime.Benchmarks.csproj
# The same app published ReadyToRun, as the function images are.
dotnet publish bench/EdgeStack.Bench.Apps/EdgeStack.Bench.Apps.csproj -c Release -r linux-x64 --self-contained false \
  -o bench/EdgeStack.Bench.Apps/bin/r2r -nologo -clp:ErrorsOnly -v:q

# And with Native AOT (needs clang); best effort: the AOT rows are left out where it cannot build (no clang).
command -v clang >/dev/null || { [ "$(id -u)" -eq 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang zlib1g-dev >/dev/null; } || true
rm -rf bench/EdgeStack.Bench.Apps/bin/aot
dotnet publish bench/EdgeStack.Bench.Apps/EdgeStack.Bench.Apps.csproj -c Release -r linux-x64 -p:BenchAot=true -p:PublishReadyToRun=false \
  -o bench/EdgeStack.Bench.Apps/bin/aot -nologo -clp:ErrorsOnly -v:q >/dev/null 2>&1 \
  || echo "bench: the Native AOT build failed; its rows are left out"
# The shipped hello function published Native AOT, explicitly (as its image does once the functions ship AOT): rows 1, 4, 5, 7.
rm -rf .edgestack/bench/hello-aot
dotnet publish functions/hello/hello.csproj -c Release -r linux-x64 -p:PublishAot=true \
  -o .edgestack/bench/hello-aot -nologo -clp:ErrorsOnly -v:q >/dev/null 2>&1 \
  || echo "bench: hello did not publish Native AOT; rows 1, 4, 5 and 7 measure it JIT (row 4 uses the runtime's AOT app as a stand-in)"
# The functions' own build (dotnet hello.dll, JIT) after the publish, so nothing the publish does to bin/ can take it away.
for app in hello analytics; do
  build "functions/$app/$app.csproj"
done

exec dotnet bench/EdgeStack.Bench/bin/Release/net10.0/EdgeStack.Bench.dll --root "$root" "$@"
