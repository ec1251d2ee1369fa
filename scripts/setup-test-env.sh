#!/usr/bin/env bash
# Install the tools the browser / HTML-conformance / nginx tests need:
#   Debian packages: chromium, default-jre-headless (for the Nu Html Checker), nginx
#   npm devDependencies (package.json): axe-core, vnu-jar, html_codesniffer, accessibility-checker-engine  ->  node_modules/
# Idempotent and quick when everything is already there. It does not create the
# Python virtual environment: the Makefile does that.
#
# Not root and something is missing? The script prints the command to run and
# carries on; the affected tests then skip locally (they fail instead when CI=true).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup-test-env: %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------
# command to check -> package that provides it
declare -A PROVIDES=([chromium]=chromium [java]=default-jre-headless [nginx]=nginx)
missing=()
for cmd in chromium java nginx; do
    if command -v "$cmd" >/dev/null 2>&1 || { [ "$cmd" = nginx ] && [ -x /usr/sbin/nginx ]; }; then
        :
    else
        missing+=("${PROVIDES[$cmd]}")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    say "system packages present (chromium, java, nginx)"
elif [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    # Keep the nginx package from starting a system service on port 80 (the tests run
    # their own nginx): a temporary policy-rc.d refusing service starts, as in containers.
    policy=/usr/sbin/policy-rc.d
    made_policy=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
    fi
    cleanup_policy() { if [ "$made_policy" -eq 1 ]; then rm -f "$policy"; fi; }
    trap cleanup_policy EXIT
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    cleanup_policy
    made_policy=0
    say "installed ${missing[*]}"
else
    say "missing ${missing[*]}; install with:"
    say "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
    say "continuing: the tests needing them will be skipped (or fail when CI=true)"
fi

# --- npm devDependencies ---------------------------------------------------
need_npm=0
for f in node_modules/axe-core/axe.min.js node_modules/vnu-jar/build/dist/vnu.jar \
         node_modules/html_codesniffer/build/HTMLCS.js node_modules/accessibility-checker-engine/ace.js; do
    [ -s "$f" ] || need_npm=1
done
# Reinstall when package.json / the lock file changed since the last install.
stamp=node_modules/.setup-test-env.stamp
if [ $need_npm -eq 0 ] && [ -f "$stamp" ]; then
    for f in package.json package-lock.json; do
        if [ -f "$f" ] && [ "$f" -nt "$stamp" ]; then need_npm=1; fi
    done
elif [ $need_npm -eq 0 ]; then
    need_npm=1
fi

if [ $need_npm -eq 0 ]; then
    say "node_modules present (axe-core, vnu-jar, html_codesniffer, accessibility-checker-engine)"
elif command -v npm >/dev/null 2>&1; then
    # --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime;
    # Debian's default-jre-headless is used instead.
    if [ -f package-lock.json ]; then
        say "npm ci (axe-core, vnu-jar, html_codesniffer, accessibility-checker-engine)"
        npm ci --ignore-scripts --no-audit --no-fund --no-update-notifier --loglevel=error
    else
        say "npm install (axe-core, vnu-jar, html_codesniffer, accessibility-checker-engine)"
        npm install --ignore-scripts --no-audit --no-fund --no-update-notifier --loglevel=error
    fi
    touch "$stamp"
else
    say "npm is missing; install Node.js and npm (sudo apt-get install -y nodejs npm), then run: npm ci"
    say "continuing: the axe and vnu tests will be skipped (or fail when CI=true)"
fi

say "done"
