#!/usr/bin/env bash
# Builds the engines the provider is checked on beyond the terraform on PATH: Terraform 1.14.9 (the
# first with action schemas, which `make docs` needs) and OpenTofu 1.12.6, from their Go modules on
# the Go module proxy (neither can be `go install`ed: their go.mod has replace directives). About
# 10-20 minutes on 2 cores, once per machine; the binaries are cached in ENGINES
# (~/.cache/haptik-engines) and never committed. Terraform's nested remote-state backend modules are
# not served by the proxy, so patch-terraform-backends.sh drops those backends (local, remote, http
# and cloud stay; the provider's tests use none of the others).
# Prints nothing but the build log on stderr; `engines.sh path terraform-1.14` prints one binary's path.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ENGINES=${ENGINES:-$HOME/.cache/haptik-engines}
TERRAFORM_VERSION=1.14.9
OPENTOFU_VERSION=1.12.6

build() {
  mkdir -p "$ENGINES"
  local src
  src=$(mktemp -d "$ENGINES/src.XXXXXX")
  trap 'rm -rf "$src"' RETURN
  export CGO_ENABLED=0
  if [ ! -x "$ENGINES/terraform-1.14" ]; then
    echo "==> building Terraform $TERRAFORM_VERSION into $ENGINES (once per machine, 5-10 minutes)" >&2
    local dir
    dir=$(cd "$src" && go mod download -json "github.com/hashicorp/terraform@v$TERRAFORM_VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
    cp -r "$dir" "$src/tf" && chmod -R u+w "$src/tf"
    bash "$here/patch-terraform-backends.sh" "$src/tf" >&2
    (cd "$src/tf" && go build -trimpath -ldflags "-w -s -X github.com/hashicorp/terraform/version.dev=no" -o "$ENGINES/terraform-1.14.tmp" . && mv "$ENGINES/terraform-1.14.tmp" "$ENGINES/terraform-1.14") >&2
  fi
  if [ ! -x "$ENGINES/tofu" ]; then
    echo "==> building OpenTofu $OPENTOFU_VERSION into $ENGINES (once per machine, 5-10 minutes)" >&2
    local dir
    dir=$(cd "$src" && go mod download -json "github.com/opentofu/opentofu@v$OPENTOFU_VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
    cp -r "$dir" "$src/tofu" && chmod -R u+w "$src/tofu"
    (cd "$src/tofu" && go build -mod=readonly -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$ENGINES/tofu.tmp" ./cmd/tofu && mv "$ENGINES/tofu.tmp" "$ENGINES/tofu") >&2
  fi
}

build
if [ "${1:-}" = path ]; then
  echo "$ENGINES/$2"
else
  TF_CLI_CONFIG_FILE= CHECKPOINT_DISABLE=1 "$ENGINES/terraform-1.14" version | head -n 1 >&2
  TF_CLI_CONFIG_FILE= CHECKPOINT_DISABLE=1 "$ENGINES/tofu" version | head -n 1 >&2
fi
