#!/bin/sh
# Installs the Debian packages tlbsim needs, if any is missing.  Runs as root
# (CI) or through sudo; prints nothing when everything is there.  chromium
# (for the browser test of the HTML report, tests/html.sh) is tried on its
# own: where it cannot be installed, that test says it is skipped.
set -e
need=""
for p in gcc make pkg-config libyaml-dev libsqlite3-dev zlib1g-dev libxxhash-dev libcmocka-dev sqlite3 python3 clang parallel; do
	dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"
done
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
if [ -n "$need" ]; then
	echo "deps: installing$need"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null
fi
if ! dpkg -s chromium >/dev/null 2>&1; then
	echo "deps: installing chromium (for tests/html.sh)"
	{ $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium; } >/dev/null 2>&1 ||
		echo "deps: chromium could not be installed; the browser checks of tests/html.sh will be skipped"
fi
