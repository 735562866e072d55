#!/usr/bin/env bash
# make emulator: build the provider and the emulator into bin/, write bin/emulator.tfrc (a CLI
# configuration whose dev_overrides use bin/terraform-provider-haptik), start the emulator on
# EMULATOR_LISTEN, print the lines that point Terraform at both, and run until Ctrl-C.
# HAPTIK_EMULATOR_TOKEN and HAPTIK_EMULATOR_CLIENT_ID change the credentials it accepts, and the
# emulator reads its other HAPTIK_EMULATOR_* variables itself.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
listen=${EMULATOR_LISTEN:-127.0.0.1:8089}
client_id=${HAPTIK_EMULATOR_CLIENT_ID:-emulator-client}
token=${HAPTIK_EMULATOR_TOKEN:-emulator-token}

mkdir -p bin
go build -o bin/terraform-provider-haptik .
go build -o bin/haptik-emulator ./internal/cmd/haptik-emulator
cat > bin/emulator.tfrc <<TFRC
# Written by make emulator: Terraform uses bin/terraform-provider-haptik for faqops/haptik.
provider_installation {
  dev_overrides {
    "faqops/haptik" = "$root/bin"
  }
  direct {}
}
TFRC

addr_file=$(mktemp "${TMPDIR:-/tmp}/haptik-emulator-url.XXXXXX")
bin/haptik-emulator -listen "$listen" -addr-file "$addr_file" -client-id "$client_id" -token "$token" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$addr_file"' EXIT
trap 'exit 130' INT TERM
for _ in $(seq 1 200); do
  [ -s "$addr_file" ] && break
  kill -0 "$pid" 2>/dev/null || { wait "$pid"; exit 1; }
  sleep 0.05
done
[ -s "$addr_file" ] || { echo "the emulator did not start" >&2; exit 1; }
base_url=$(cat "$addr_file")
domains="any domain name"
if [ -n "${HAPTIK_EMULATOR_DOMAINS:-}" ]; then domains="the domains $HAPTIK_EMULATOR_DOMAINS"; fi

cat <<MSG

To run your own configuration against the emulator, in another terminal:

  export HAPTIK_BASE_URL=$base_url HAPTIK_CLIENT_ID=$client_id HAPTIK_TOKEN=$token
  export TF_CLI_CONFIG_FILE=$root/bin/emulator.tfrc

then terraform plan and apply in your configuration's directory. This provider needs no
terraform init and no registry (Terraform warns that dev_overrides are in effect). The emulator
accepts $domains; to see what a domain holds:

  $root/bin/haptik-emulator inspect -url $base_url <domain>

Press Ctrl-C to stop the emulator.

MSG
wait "$pid"
