#!/bin/sh
# Installs the Debian packages tlbsim needs, if any is missing.  Runs as root
# (CI) or through sudo; prints nothing when everything is there.
set -e
need=""
for p in gcc make pkg-config libyaml-dev libsqlite3-dev zlib1g-dev libxxhash-dev libcmocka-dev sqlite3; do
	dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"
done
[ -z "$need" ] && exit 0
echo "deps: installing$need"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null
