#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine: system packages
# (Chromium for the browser tests and image export, PostgreSQL for the store tests) and the
# pinned Python packages. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

if ! command -v chromium >/dev/null 2>&1 || ! command -v pg_ctlcluster >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium postgresql >/dev/null
fi

# LibreOffice Impress without a GUI (about 80 MB to download, 240 MB installed, 30 s to install) and
# poppler-utils, for the test that renders the deck and checks every word lies inside its slide.
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libreoffice-impress-nogui poppler-utils >/dev/null
fi

python -m pip install -q -r requirements-dev.txt
python -m pip install -q -r requirements-clickhouse.txt  # the chDB store cases (CI fails without them)

# A local PostgreSQL server with the test database, for the store tests that run on both databases.
bash .ci/postgres.sh >/dev/null
