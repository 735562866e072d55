#!/usr/bin/env bash
# make install: build the provider with its real version (version.sh) and put it where a
# Terraform filesystem mirror looks for it:
#   $PLUGINS_DIR/$PROVIDER_HOST/faqops/haptik/<version>/<os>_<arch>/terraform-provider-haptik_v<version>
# then print the CLI configuration that installs it from there. PLUGINS_DIR defaults to
# ~/.terraform.d/plugins, PROVIDER_HOST to registry.terraform.io (registry.opentofu.org for OpenTofu).
set -euo pipefail
cd "$(dirname "$0")/../.."

version=$(internal/scripts/version.sh)
plugins=${PLUGINS_DIR:-$HOME/.terraform.d/plugins}
host=${PROVIDER_HOST:-registry.terraform.io}
addr="$host/faqops/haptik"
os=$(go env GOOS)
arch=$(go env GOARCH)
exe=""
if [ "$os" = windows ]; then exe=.exe; fi

mkdir -p "$plugins"
plugins=$(cd "$plugins" && pwd)
dir="$plugins/$addr/$version/${os}_${arch}"
bin="$dir/terraform-provider-haptik_v$version$exe"
mkdir -p "$dir"
go build -ldflags "-X main.version=$version" -o "$bin" .
if [ "$os/$arch" = "$(go env GOHOSTOS)/$(go env GOHOSTARCH)" ]; then
  got=$("$bin" -version)
  if [ "$got" != "$version" ]; then
    echo "install.sh: $bin reports version '$got', want '$version'" >&2
    exit 1
  fi
fi

cat <<MSG
Installed terraform-provider-haptik $version for ${os}_${arch}:
  $bin

Use it from this filesystem mirror, with no registry, by putting this block in your CLI
configuration (~/.terraformrc, or the file TF_CLI_CONFIG_FILE names; OpenTofu: ~/.tofurc):

provider_installation {
  filesystem_mirror {
    path    = "$plugins"
    include = ["$addr"]
  }
  direct {
    exclude = ["$addr"]
  }
}

and require this exact version (Terraform picks a pre-release only when it is named):

terraform {
  required_providers {
    haptik = { source = "faqops/haptik", version = "$version" }
  }
}
MSG
