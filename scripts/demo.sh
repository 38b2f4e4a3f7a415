#!/usr/bin/env bash
# demo.sh: sigil's main job on the embedded default. Starts `sigil server` on loopback with its
# state in DATA (default: a fresh temporary folder), builds a small image without a Docker engine,
# pushes it with skopeo, copies it with `sigil copy`, prints its digest, then makes a key pair,
# signs the image with it (recording the signature in sigil's transparency log) and verifies the
# signature and its log entry. Then it signs keyless: a token for an email identity from sigil's
# own OIDC issuer, an ephemeral key, a ten-minute certificate from sigil's CA, the signature in
# the log; and verifies by identity and issuer against the trusted_root.json the server wrote.
# Run scripts/quickstart.sh on a fresh machine: it installs what this needs first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sigil=$root/bin/sigil
skopeo=$root/.tools/peers/bin/skopeo
work=$(mktemp -d)
data=${1:-$work/data}
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n==> %s\n' "$*"; }

step "starting sigil server (state in $data)"
mkfifo "$work/out"
"$sigil" server --addr 127.0.0.1:0 --data "$data" >"$work/out" 2>"$work/server.log" &
server_pid=$!
read -r line <"$work/out" || { cat "$work/server.log" >&2; exit 1; }
echo "$line"
url=${line##* }
host=${url#http://}
exec 3<"$work/out"  # keep the pipe open so the server can write more

step "building a small two-platform image (no Docker engine)"
built=$(bash "$root/scripts/make-image.sh" --platforms linux/amd64,linux/arm64/v8 "$work/layout")
echo "built index $built"

step "pushing it to $host/demo/hello:v1 with skopeo"
"$skopeo" copy --all --quiet --dest-tls-verify=false "oci:$work/layout:latest" "docker://$host/demo/hello:v1"

step "copying it to $host/demo/hello-copy:v1 with sigil copy"
"$sigil" copy "$host/demo/hello:v1" "$host/demo/hello-copy:v1"

step "digests"
src=$("$sigil" digest "$host/demo/hello:v1")
dst=$("$sigil" digest "$host/demo/hello-copy:v1")
echo "source      $host/demo/hello:v1@$src"
echo "copy        $host/demo/hello-copy:v1@$dst"
[ "$src" = "$built" ] && [ "$dst" = "$built" ] || { echo "digest changed along the way" >&2; exit 1; }

step "making a key pair (cosign's format) and signing $host/demo/hello:v1, recorded in sigil's log"
export COSIGN_PASSWORD=demo-password
export SIGIL_HOME="$work/sigil-home"  # where `sigil log info` remembers the last checkpoint it saw
"$sigil" generate-key-pair --output-key-prefix "$work/demo"
"$sigil" sign --key "$work/demo.key" --rekor-url "$url" "$host/demo/hello:v1"

step "the log's public key, and the entry the signature made"
curl -fsS "$url/api/v1/log/publicKey" >"$work/log.pub"
cat "$work/log.pub"
"$sigil" log info --rekor-url "$url" --log-key "$work/log.pub" --output text

step "verifying the signature with the public key and the log's key (offline check of the log entry)"
export SIGSTORE_REKOR_PUBLIC_KEY="$work/log.pub"
"$sigil" verify --key "$work/demo.pub" "$host/demo/hello:v1"

step "a different key does not verify it (exit 12 expected)"
"$sigil" generate-key-pair --output-key-prefix "$work/other" >/dev/null
status=0
"$sigil" verify --key "$work/other.pub" "$host/demo/hello:v1" >/dev/null 2>"$work/other.err" || status=$?
head -n 2 "$work/other.err"
[ "$status" = 12 ] || { echo "expected exit 12, got $status" >&2; exit 1; }
step "keyless: a token for demo@example.com from sigil's own OIDC issuer ($url/oidc)"
token=$("$sigil" token --email demo@example.com --issuer "$url/oidc" --data "$data")
echo "${token:0:40}..."

step "signing $host/demo/hello:v1 keyless: ephemeral key, certificate from sigil's CA, entry in the log"
"$sigil" sign --identity-token "$token" --fulcio-url "$url" --rekor-url "$url" "$host/demo/hello:v1"

step "verifying by identity and issuer against $data/trusted_root.json"
unset SIGSTORE_REKOR_PUBLIC_KEY
"$sigil" verify --certificate-identity demo@example.com --certificate-oidc-issuer "$url/oidc" \
  --trusted-root "$data/trusted_root.json" "$host/demo/hello:v1"

step "another identity is refused (exit 12 expected)"
status=0
"$sigil" verify --certificate-identity mallory@example.com --certificate-oidc-issuer "$url/oidc" \
  --trusted-root "$data/trusted_root.json" "$host/demo/hello:v1" >/dev/null 2>"$work/mallory.err" || status=$?
head -n 2 "$work/mallory.err"
[ "$status" = 12 ] || { echo "expected exit 12, got $status" >&2; exit 1; }

step "a keyless blob: a Sigstore bundle v0.3 with the services from $data/signing_config.json"
echo "release notes" >"$work/notes.txt"
"$sigil" sign-bundle --identity-token "$token" --bundle "$work/notes.sigstore.json" \
  --signing-config "$data/signing_config.json" --trusted-root "$data/trusted_root.json" "$work/notes.txt"
"$sigil" verify-bundle --bundle "$work/notes.sigstore.json" --certificate-identity demo@example.com \
  --certificate-oidc-issuer "$url/oidc" --trusted-root "$data/trusted_root.json" "$work/notes.txt"
echo
echo "ok: the image was pushed and copied with its digest unchanged, signed with a key and keyless, logged, and verified by key and by identity"
