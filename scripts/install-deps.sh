#!/bin/sh
# Installs everything Sumisura needs to build, test and benchmark, from Debian bookworm's packages.
# Safe to run again: does nothing when every package is already installed. Needs root (or sudo).
set -eu
PACKAGES="build-essential cmake git ca-certificates pkg-config
  libyaml-cpp-dev libboost-graph-dev libcadical-dev nlohmann-json3-dev libcli11-dev
  catch2 pybind11-dev python3 python3-dev python3-pytest python3-yaml
  python3-pip python3-venv python3-setuptools python3-wheel
  gringo z3 hyperfine clang-format clang-14 libclang-rt-14-dev libbdd-dev
  libcpp-httplib-dev libssl-dev zlib1g-dev libbrotli-dev python3-jsonschema
  python3-distributed chromium chromium-driver python3-selenium"
missing=""
for p in $PACKAGES; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
