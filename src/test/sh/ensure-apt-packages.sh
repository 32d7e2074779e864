#!/usr/bin/env bash
# Installs the Debian packages the integration tests drive, when their program is missing: chromium
# (the browser tests; playwright-core never downloads a browser), nginx (the caching-proxy test), and
# exfatprogs and exfat-fuse (a case-insensitive file system for HostileStorageIT).
# Run by the build before the integration tests (pom.xml, pre-integration-test), so `mvn verify` and
# .ci/run work on a fresh machine; does nothing when everything is there.
#   usage: ensure-apt-packages.sh PROGRAM=PACKAGE...     e.g. nginx=nginx-light chromium=chromium
set -euo pipefail

missing=()
for pair in "$@"; do
  program=${pair%%=*}
  package=${pair#*=}
  if ! command -v "$program" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$program" ]; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "error: the integration tests need the Debian package(s) ${missing[*]};" \
       "install them (apt-get install ${missing[*]}) or run the build as root on Debian" >&2
  exit 1
fi

# Packages like nginx start their daemon on port 80 when installed: policy-rc.d's 101 forbids it.
created_policy=
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  created_policy=1
fi
trap '[ -z "$created_policy" ] || rm -f /usr/sbin/policy-rc.d' EXIT

echo "installing ${missing[*]} for the integration tests" >&2
export DEBIAN_FRONTEND=noninteractive
# wait for another apt run (e.g. unattended upgrades) instead of failing on its lock
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
