#!/usr/bin/env bash
# Replace the Decap CMS bundle shipped in builder/theme/admin/ with a given version from the
# npm registry, and record its version and SRI hash (sha384) in decap.json, which the
# builder reads to write the <script integrity="…"> of /admin/.
#
#   bash scripts/update-decap.sh 3.16.3
#
# Only dist/decap-cms.js is kept: the other files of the npm package are CodeMirror language
# modes for Decap's "code" widget and a WebP encoder, which the generated editor does not use.
set -euo pipefail

version="${1:?usage: scripts/update-decap.sh VERSION (for example 3.16.3)}"
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "VERSION must be an exact version such as 3.16.3, not a range" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")/.." && pwd)"
admin="$here/builder/theme/admin"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# npm pack checks the registry's own integrity hash of the tarball while downloading it.
(cd "$work" && npm pack --silent "decap-cms@$version" >/dev/null)
tar -xzf "$work/decap-cms-$version.tgz" -C "$work"
bundle="$work/package/dist/decap-cms.js"
[ -f "$bundle" ] || { echo "decap-cms@$version has no dist/decap-cms.js" >&2; exit 1; }
licence="$(node -p "require('$work/package/package.json').license")"
[ "$licence" = "MIT" ] || { echo "decap-cms@$version is licensed $licence, not MIT: check before shipping it" >&2; exit 1; }

rm -f "$admin"/decap-cms-*.js "$admin"/decap-cms-*.js.LICENSE.txt
cp "$bundle" "$admin/decap-cms-$version.js"
# The licences of the libraries bundled inside decap-cms.js, kept beside it.
cp "$work/package/dist/decap-cms.js.LICENSE.txt" "$admin/decap-cms-$version.js.LICENSE.txt"
hash="sha384-$(openssl dgst -sha384 -binary "$admin/decap-cms-$version.js" | openssl base64 -A)"
cat > "$admin/decap.json" <<JSON
{
  "version": "$version",
  "file": "decap-cms-$version.js",
  "integrity": "$hash"
}
JSON
echo "Decap CMS $version: $admin/decap-cms-$version.js ($hash)"
echo "Check LICENSE-decap-cms.txt is still the licence of this version, then run the tests."
