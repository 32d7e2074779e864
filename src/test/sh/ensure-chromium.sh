#!/usr/bin/env bash
# Run by the Maven build before the integration tests (pre-integration-test): the browser tests drive
# Debian's chromium (/usr/bin/chromium) through playwright-core, which never downloads a browser.
# Installs it with apt-get when it is missing and we are root; fails with a clear message otherwise.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "gitwar's browser tests need Debian's chromium at $CHROMIUM; install it as root: apt-get install chromium" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "gitwar's browser tests need chromium at $CHROMIUM, and there is no apt-get here to install it" >&2
  exit 1
fi
echo "installing Debian's chromium for the browser tests (apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -q >&2
apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends chromium >&2
[ -x "$CHROMIUM" ] || { echo "apt-get installed chromium, but $CHROMIUM is still missing" >&2; exit 1; }
