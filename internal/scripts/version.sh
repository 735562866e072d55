#!/usr/bin/env bash
# Prints the version a local build of the provider carries. It is always a semantic version, as
# Terraform requires in a filesystem mirror's directory names, and never "dev":
#   on a tag v1.2.3:        1.2.3
#   after a tag:            1.2.3-4-gabcdef0   (git describe --tags)
#   no tag in the history:  0.1.0-dev+g038165d (the CHANGELOG's top version plus the commit)
# Uncommitted changes to tracked files add "dirty" to the build metadata (0.1.0-dev+g038165d.dirty).
set -euo pipefail
cd "$(dirname "$0")/../.."

if describe=$(git describe --tags --match 'v[0-9]*' 2>/dev/null); then
  version=${describe#v}
else
  top=$(sed -n 's/^## \([0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*\).*/\1/p' CHANGELOG.md | head -n1)
  if [ -z "$top" ]; then
    echo "version.sh: no tag, and no '## X.Y.Z' heading in CHANGELOG.md to take the version from" >&2
    exit 1
  fi
  version="$top-dev+g$(git rev-parse --short HEAD)"
fi
git update-index -q --refresh >/dev/null 2>&1 || true
if ! git diff-index --quiet HEAD --; then
  case $version in
    *+*) version="$version.dirty" ;;
    *) version="$version+dirty" ;;
  esac
fi
if ! [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$ ]]; then
  echo "version.sh: '$version' is not a semantic version; tag releases as vX.Y.Z" >&2
  exit 1
fi
echo "$version"
