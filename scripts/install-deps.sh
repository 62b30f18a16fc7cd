#!/bin/sh
# Installs everything Sumisura needs to build, test and benchmark, from Debian bookworm's packages.
# Safe to run again; needs root (or sudo) on a Debian machine.
set -eu
PACKAGES="build-essential cmake git ca-certificates pkg-config
  libyaml-cpp-dev libboost-graph-dev libcadical-dev nlohmann-json3-dev libcli11-dev
  catch2 pybind11-dev python3 python3-dev python3-pytest python3-yaml
  gringo z3 hyperfine clang-format"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $PACKAGES
