#!/usr/bin/env bash
# Prints the path of a terraform binary of version 1.8 or later. Uses the one on PATH when it is
# new enough; otherwise builds 1.8.5 from the Go module proxy into bin/ (about two minutes, once).
# Never lets Terraform be downloaded from anywhere else.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

version_ok() { # $1 = path to terraform
  local v
  v=$(CHECKPOINT_DISABLE=1 "$1" version 2>/dev/null | sed -n 's/^Terraform v\([0-9]*\)\.\([0-9]*\).*/\1 \2/p' | head -n1)
  [ -n "$v" ] || return 1
  set -- $v
  [ "$1" -gt 1 ] || { [ "$1" -eq 1 ] && [ "$2" -ge 8 ]; }
}

if tf=$(command -v terraform) && version_ok "$tf"; then
  echo "$tf"
  exit 0
fi
local_tf="$root/bin/terraform"
if [ -x "$local_tf" ] && version_ok "$local_tf"; then
  echo "$local_tf"
  exit 0
fi
echo "No terraform >= 1.8 on PATH; building terraform 1.8.5 into bin/ with go install..." >&2
GOBIN="$root/bin" go install github.com/hashicorp/terraform@v1.8.5 >&2
version_ok "$local_tf" || { echo "terraform 1.8.5 did not build" >&2; exit 1; }
echo "$local_tf"
