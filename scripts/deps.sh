#!/bin/sh
# deps.sh -- install the Debian packages assay needs, if any are missing.
# Idempotent and quiet when everything is there; run by `make test`/`demo`.
set -e
PKGS="gcc make pkg-config libcsv-dev libssl-dev libsqlite3-dev libgsl-dev \
libyaml-dev libpcre2-dev libjansson-dev libcmocka-dev zlib1g-dev \
libxxhash-dev perl python3 sqlite3 openssl"
# Used by tests that validate outputs with the real tools (skipped if absent).
TEST_PKGS="libxml2-utils python3-jsonschema graphviz python3-prov chromium poppler-utils"
missing=""
for p in $PKGS ${ASSAY_NO_TEST_DEPS:+} $TEST_PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "assay: installing missing packages:$missing" >&2
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
