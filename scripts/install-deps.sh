#!/usr/bin/env bash
# Installs the Debian packages fcnet needs on a fresh Debian 12 machine (skips what is there).
# Usage: scripts/install-deps.sh native|test
set -euo pipefail

native=(cmake make g++ pkg-config libeigen3-dev zlib1g-dev catch2 libcli11-dev nlohmann-json3-dev libstb-dev)
case "${1:-native}" in
  native) wanted=("${native[@]}") ;;
  test)   wanted=("${native[@]}" dataset-fashion-mnist) ;;
  *) echo "usage: $0 native|test" >&2; exit 2 ;;
esac

missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
