#!/usr/bin/env bash
# make release-check: validate .goreleaser.yml, then build a snapshot for this machine and check
# that the provider reports the version goreleaser stamped into it (never "dev") and that the
# emulator was built beside it.
set -euo pipefail
goreleaser=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../.."

if [ -z "$(git remote)" ]; then
  echo "release-check: goreleaser needs a git remote, and this checkout has none (a clone has 'origin')." >&2
  exit 1
fi
"$goreleaser" check
dist=$(mktemp -d)
trap 'rm -rf "$dist"' EXIT
GORELEASER_CURRENT_TAG=${GORELEASER_CURRENT_TAG:-v0.0.0} "$goreleaser" build --snapshot --clean --single-target \
  --config <(sed "s#^project_name:.*#&\ndist: $dist#" .goreleaser.yml)
bin=$(find "$dist" -type f -name 'terraform-provider-haptik_v*' | head -n1)
[ -n "$bin" ] || { echo "release-check: the snapshot build produced no provider binary" >&2; exit 1; }
want=${bin##*_v}
got=$("$bin" -version)
if [ "$got" != "$want" ] || [ "$got" = dev ]; then
  echo "release-check: $bin reports version '$got', want '$want'" >&2
  exit 1
fi
emulator=$(find "$dist" -type f \( -name haptik-emulator -o -name haptik-emulator.exe \) | head -n1)
[ -n "$emulator" ] || { echo "release-check: the snapshot build produced no haptik-emulator binary" >&2; exit 1; }
usage=$("$emulator" -h 2>&1 || true)
if [[ $usage != *-listen* ]]; then
  echo "release-check: $emulator -h does not print the emulator's flags" >&2
  exit 1
fi
faq=$(find "$dist" -type f \( -name haptik-faq -o -name haptik-faq.exe \) | head -n1)
[ -n "$faq" ] || { echo "release-check: the snapshot build produced no haptik-faq binary" >&2; exit 1; }
if [[ $("$faq" 2>&1 || true) != *"haptik-faq review"* ]]; then
  echo "release-check: $faq does not print its usage" >&2
  exit 1
fi
echo "release-check: snapshot binary $(basename "$bin") reports version $got; $(basename "$emulator") and $(basename "$faq") built beside it"
