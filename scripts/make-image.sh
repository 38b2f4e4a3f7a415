#!/usr/bin/env bash
# make-image.sh [--platforms LIST] [--text TEXT] [--size-kib N] LAYOUT_DIR
#
# Writes a tiny container image as an OCI image layout into LAYOUT_DIR with no Docker engine:
# a reproducible layer (GNU tar in ustar form with fixed owners and times, `gzip -n`), an OCI
# config and manifest per platform, and for more than one platform an OCI index on top.
# Prints the digest of the top manifest (or index) on stdout. Push it with
#   skopeo copy --all --dest-tls-verify=false oci:LAYOUT_DIR docker://HOST:PORT/REPO:TAG
#
#   --platforms LIST  comma-separated os/arch[/variant] (default linux/amd64)
#   --text TEXT       extra text put into /hello.txt, giving a different image
#   --size-kib N      adds N KiB of incompressible data in /payload.bin (for bigger layers)
# The same arguments always give the same bytes, so the same digests.
set -euo pipefail

platforms=linux/amd64 text="" size_kib=0 layout=""
while [ $# -gt 0 ]; do
  case "$1" in
    --platforms) platforms=${2:?}; shift ;;
    --text) text=${2?}; shift ;;
    --size-kib) size_kib=${2:?}; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "make-image: unknown option $1" >&2; exit 2 ;;
    *) [ -z "$layout" ] || { echo "make-image: one LAYOUT_DIR only" >&2; exit 2; }; layout=$1 ;;
  esac
  shift
done
[ -n "$layout" ] || { echo "make-image: LAYOUT_DIR is required" >&2; exit 2; }
for tool in tar gzip jq sha256sum openssl; do command -v "$tool" >/dev/null || { echo "make-image: $tool is missing (run scripts/setup.sh)" >&2; exit 1; }; done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$layout"
mkdir -p "$layout/blobs/sha256"
printf '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"

# store FILE -> moves it into the layout; prints "<digest> <size>"
store() {
  local hex size
  hex=$(sha256sum "$1" | cut -d' ' -f1); size=$(stat -c %s "$1")
  mv "$1" "$layout/blobs/sha256/$hex"
  echo "sha256:$hex $size"
}

# image OS ARCH VARIANT -> prints "<digest> <size>" of the image manifest
image() {
  local os=$1 arch=$2 variant=$3 rootfs=$work/rootfs-$arch-$variant
  mkdir -p "$rootfs/etc"
  printf 'hello from a sigil test image (%s/%s%s)\n%s' "$os" "$arch" "${variant:+/$variant}" "${text:+$text$'\n'}" >"$rootfs/hello.txt"
  printf 'NAME="sigil test image"\nID=sigil-test\n' >"$rootfs/etc/os-release"
  local files=(etc etc/os-release hello.txt)
  if [ "$size_kib" -gt 0 ]; then
    # deterministic incompressible bytes: AES-CTR keystream of a fixed key
    head -c $((size_kib * 1024)) /dev/zero | openssl enc -aes-128-ctr -nosalt -K 00112233445566778899aabbccddeeff -iv 00000000000000000000000000000000 >"$rootfs/payload.bin"
    files+=(payload.bin)
  fi
  chmod 0755 "$rootfs" "$rootfs/etc"; chmod 0644 "$rootfs"/hello.txt "$rootfs"/etc/os-release
  tar --no-recursion --format=ustar --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$rootfs" -cf "$work/layer.tar" "${files[@]}"
  local diff_id; diff_id=sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
  gzip -n -9 <"$work/layer.tar" >"$work/layer.tgz"
  local layer; layer=$(store "$work/layer.tgz")
  jq -cnj --arg os "$os" --arg arch "$arch" --arg variant "$variant" --arg diff "$diff_id" '
    {architecture: $arch, os: $os} + (if $variant == "" then {} else {variant: $variant} end)
    + {created: "1970-01-01T00:00:00Z", config: {Cmd: ["/hello.txt"]}, rootfs: {type: "layers", diff_ids: [$diff]}}' >"$work/config.json"
  local config; config=$(store "$work/config.json")
  jq -cnj --arg cd "${config% *}" --argjson cs "${config#* }" --arg ld "${layer% *}" --argjson ls "${layer#* }" '
    {schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
     config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs},
     layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $ld, size: $ls}]}' >"$work/manifest.json"
  store "$work/manifest.json"
}

IFS=, read -r -a list <<<"$platforms"
entries=()
for p in "${list[@]}"; do
  IFS=/ read -r os arch variant <<<"$p"
  [ -n "$os" ] && [ -n "$arch" ] || { echo "make-image: bad platform $p" >&2; exit 2; }
  m=$(image "$os" "$arch" "${variant:-}")
  entries+=("$(jq -cn --arg d "${m% *}" --argjson s "${m#* }" --arg os "$os" --arg arch "$arch" --arg variant "${variant:-}" '
    {mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $d, size: $s,
     platform: ({architecture: $arch, os: $os} + (if $variant == "" then {} else {variant: $variant} end))}')")
done
if [ ${#entries[@]} = 1 ]; then
  top_d=$(jq -r .digest <<<"${entries[0]}"); top_s=$(jq -r .size <<<"${entries[0]}")
  top_type=application/vnd.oci.image.manifest.v1+json
else
  printf '%s\n' "${entries[@]}" | jq -cnj '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: [inputs]}' >"$work/index.json"
  top=$(store "$work/index.json"); top_d=${top% *}; top_s=${top#* }
  top_type=application/vnd.oci.image.index.v1+json
fi
jq -cnj --arg d "$top_d" --argjson s "$top_s" --arg t "$top_type" \
  '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: [{mediaType: $t, digest: $d, size: $s, annotations: {"org.opencontainers.image.ref.name": "latest"}}]}' >"$layout/index.json"
echo "$top_d"
