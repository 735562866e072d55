#!/usr/bin/env bash
# make demo: build the provider and the emulator, start the emulator on a free loopback port,
# apply examples/quickstart through a dev_overrides CLI config (no registry, no terraform init),
# show the emulator's view, change one node and show that plan, then destroy and stop.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

terraform_bin=$(internal/scripts/ensure-terraform.sh)
export CHECKPOINT_DISABLE=1

step "Building the provider and the Haptik emulator into bin/"
mkdir -p bin
go build -o bin/terraform-provider-haptik .
go build -o bin/haptik-emulator ./internal/cmd/haptik-emulator

work=$(mktemp -d "${TMPDIR:-/tmp}/haptik-demo.XXXXXX")
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step "Starting the Haptik emulator on a free loopback port"
bin/haptik-emulator -listen 127.0.0.1:0 -addr-file "$work/emulator.url" -domains acme_support \
  -token demo-token -client-id demo-client -task-duration 1s &
emulator_pid=$!
for _ in $(seq 1 100); do [ -s "$work/emulator.url" ] && break; sleep 0.05; done
[ -s "$work/emulator.url" ] || { echo "the emulator did not start" >&2; exit 1; }
base_url=$(cat "$work/emulator.url")

cat > "$work/dev.tfrc" <<TFRC
provider_installation {
  dev_overrides {
    "faqops/haptik" = "$root/bin"
  }
  direct {}
}
TFRC
export TF_CLI_CONFIG_FILE="$work/dev.tfrc"
export HAPTIK_BASE_URL="$base_url" HAPTIK_CLIENT_ID=demo-client HAPTIK_TOKEN=demo-token
cp examples/quickstart/*.tf "$work/"
tf() { "$terraform_bin" -chdir="$work" "$@"; }

step "terraform apply (examples/quickstart against $base_url)"
tf apply -auto-approve -input=false

step "What the emulator now holds"
bin/haptik-emulator inspect -url "$base_url" acme_support

step "Editing one answer (opening_hours) and planning: the plan shows just that node"
sed -i.orig 's/We answer every day, 9:00 to 18:00 CET./We answer every day, 8:00 to 20:00 CET./' "$work/main.tf"
if cmp -s "$work/main.tf" "$work/main.tf.orig"; then echo "the demo's edit did not apply to main.tf" >&2; exit 1; fi
rm "$work/main.tf.orig"
tf plan -input=false

step "terraform destroy (deletion_policy = deactivate uploads a header-only CSV)"
tf destroy -auto-approve -input=false
bin/haptik-emulator inspect -url "$base_url" acme_support

step "Demo finished; stopping the emulator"
