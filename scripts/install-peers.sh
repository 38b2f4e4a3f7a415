#!/usr/bin/env bash
# install-peers.sh [DIR]   (default DIR: .tools/peers under the project)
#
# Installs the real programs sigil's interop tests and benchmarks run against, all from Debian's
# package archive (no other download):
#   system-wide, from this machine's Debian release: docker-registry (CNCF distribution 2.8),
#     podman (pulls only), umoci, jq, openssl, curl, wrk and ab (apache2-utils: load generators for benchmarks),
#     and the scanner's fixture makers: osslsigncode, the JDK (keytool, jarsigner, jar),
#     and chromium (driven by playwright-core in the sigil login test)
#   unpacked into DIR/root with wrappers in DIR/bin, from Debian 13 (trixie): cosign 2.5,
#     skopeo 1.18, rekor-cli 1.3.9, oras 1.2 (Debian 12's skopeo has sigstore support removed)
# Idempotent: a second run with everything present does nothing. FORCE=1 fetches again.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$here/.tools/peers}
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
export DEBIAN_FRONTEND=noninteractive

missing=()
for tool in docker-registry podman umoci jq openssl curl wrk; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
command -v ab >/dev/null 2>&1 || missing+=(apache2-utils)
command -v osslsigncode >/dev/null 2>&1 || missing+=(osslsigncode); command -v jarsigner >/dev/null 2>&1 || missing+=(default-jdk-headless)
# the browser the `sigil login` test drives with playwright-core
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# PostgreSQL server binaries for the log's PostgreSQL backend tests (the tests start their own server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-peers: installing ${missing[*]} from Debian" >&2
  apt-get update -qq
  # The docker-registry package would start a system service on *:5000; forbid service starts meanwhile.
  guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then guard=/usr/sbin/policy-rc.d; printf '#!/bin/sh\nexit 101\n' >"$guard"; chmod 755 "$guard"; fi
  status=0
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || status=$?
  [ -z "$guard" ] || rm -f "$guard"
  [ "$status" = 0 ] || { echo "install-peers: apt-get install failed with status $status" >&2; exit "$status"; }
fi

bin=$dir/bin
wanted=(cosign skopeo rekor-cli oras)
complete=1
for tool in "${wanted[@]}"; do [ -x "$bin/$tool" ] || complete=0; done
if [ "$complete" = 1 ] && [ "${FORCE:-0}" != 1 ]; then exit 0; fi

state=$dir/apt root=$dir/root debs=$dir/debs
mkdir -p "$bin" "$state/lists/partial" "$state/cache/archives/partial" "$debs"
# A private apt setup pointing at trixie on the mirror this machine already uses.
mirror=$(grep -hE '^[[:space:]]*(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
  | grep -oE 'https?://[^ ]+/debian' | head -n 1 || true)
[ -n "$mirror" ] || { echo "install-peers: found no Debian mirror in the apt sources" >&2; exit 1; }
echo "deb [arch=$(dpkg --print-architecture) signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" >"$state/sources.list"
aptopts=(-o "Dir::Etc::sourcelist=$state/sources.list" -o "Dir::Etc::sourceparts=/nonexistent"
  -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache" -o "APT::Sandbox::User=root" -o "Debug::NoLocking=1")
apt-get "${aptopts[@]}" update -qq
packages=(cosign skopeo rekor oras libc6 libgpgme11t64 libassuan9 libgpg-error0 libsqlite3-0)
rm -f "$debs"/*.deb
(cd "$debs" && apt-get "${aptopts[@]}" download -qq "${packages[@]/%//trixie}")
rm -rf "$root"; mkdir -p "$root"
for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$root"; done
# The Go programs run with this machine's libc; skopeo links trixie's libraries, so it runs through trixie's loader.
for tool in cosign rekor-cli oras; do
  printf '#!/bin/sh\nexec "$(dirname "$(readlink -f "$0")")/../root/usr/bin/%s" "$@"\n' "$tool" >"$bin/$tool"
done
cat >"$bin/skopeo" <<'WRAP'
#!/bin/sh
root="$(cd "$(dirname "$(readlink -f "$0")")/../root" && pwd)"
libdir="$(dirname "$(ls "$root"/usr/lib/*/libc.so.6 | head -n 1)")"
exec "$(ls "$libdir"/ld-linux*.so.* | head -n 1)" --library-path "$libdir" "$root/usr/bin/skopeo" "$@"
WRAP
chmod 755 "$bin"/*
echo "install-peers: $(ls "$bin" | tr '\n' ' ')in $bin" >&2
