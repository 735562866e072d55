#!/bin/bash
# Strips the nested-module remote-state backends (and internal/legacy) out of a Terraform module
# source tree so that it builds from the Go module proxy alone (called by engines.sh).
set -euo pipefail
cd "$1"
python3 - <<'PY'
import re
mods = ["azure","consul","cos","gcs","kubernetes","oss","pg","s3","oci"]
# go.mod: drop requires + replaces of nested modules
gm = open("go.mod").read()
gm = re.sub(r'^\s*github\.com/hashicorp/terraform/internal/\S+ v\S+\n', '', gm, flags=re.M)
gm = re.sub(r'^replace github\.com/hashicorp/terraform/internal/\S+ => \S+\n', '', gm, flags=re.M)
open("go.mod","w").write(gm)
# backend init: drop imports and map entries
p = "internal/backend/init/init.go"
s = open(p).read()
names = {"azure":"azurerm","consul":"consul","cos":"cos","gcs":"gcs","kubernetes":"kubernetes","oss":"oss","pg":"pg","s3":"s3","oci":"oci"}
for m in mods:
    s = re.sub(r'^\s*\w+ "github\.com/hashicorp/terraform/internal/backend/remote-state/%s"\n' % m, '', s, flags=re.M)
    s = re.sub(r'^\s*"%s":\s+func\(\) backend\.Backend \{ return backend\w+\.New\(\) \},\n' % names[m], '', s, flags=re.M)
open(p,"w").write(s)
PY
grep -n 'hashicorp/terraform/internal' go.mod || true
