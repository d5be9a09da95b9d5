#!/usr/bin/env bash
# make dist: meshc for Linux x86_64 machines without a Swift toolchain.
# Builds meshc in release mode with the Swift runtime and Foundation linked
# statically, checks with ldd that it needs no Swift library, and packs
#   .build-dist/dist/meshc-VERSION-linux-x86_64.tar.gz
#   .build-dist/dist/meshc_VERSION_amd64.deb
# libyaml, libgit2, RE2 and mimalloc stay Debian's shared libraries (they get Debian's
# security updates): the .deb depends on their packages, the tarball names
# them in DEPENDS.txt.
#
# It builds a copy of the sources (.build-dist/src, kept in step file by
# file so rebuilds stay incremental) whose MeshcVersion names the commit:
# `meshc --version` of a dist build says which commit it is. MESHC_COMMIT
# overrides git's answer.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
SWIFT="${SWIFT:-swift}"
scratch=$root/.build-dist
src=$scratch/src
out=$scratch/dist
version_file=Sources/MeshLint/MeshcVersion.swift

[ "$(uname -sm)" = "Linux x86_64" ] || { echo "dist: builds for Linux x86_64 only" >&2; exit 2; }
version=$(sed -n 's/^ *package static let version = "\(.*\)"$/\1/p' "$version_file")
[ -n "$version" ] || { echo "dist: no version in $version_file" >&2; exit 2; }
commit="${MESHC_COMMIT:-$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)}"
# Built from a work tree with changes: say so. (No optional locks: never
# touch the index someone else may be committing with.)
if [ -z "${MESHC_COMMIT:-}" ] && [ -n "$(git --no-optional-locks status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit-dirty"
fi

# sync FROM TO: make TO hold FROM's files, copying only changed ones (same
# timestamps), so SwiftPM rebuilds only what changed.
sync() {
  mkdir -p "$2"
  cp -a -u "$1/." "$2/"
  (cd "$2" && find . -type f) | while read -r f; do [ -e "$1/$f" ] || rm -f "$2/$f"; done
}
mkdir -p "$src"
cp -a -u Package.swift "$src/"
if [ -f Package.resolved ]; then cp -a -u Package.resolved "$src/"; fi
# Tests too: Package.swift declares the test targets, and SwiftPM wants their folders.
sync Sources "$src/Sources"
sync Tests "$src/Tests"
# The commit goes into the copy only; rewritten only when it changes.
sed "s/^\( *package static let commit = \)\"unknown\"$/\1\"$commit\"/" "$version_file" > "$scratch/MeshcVersion.swift"
grep -q "commit = \"$commit\"" "$scratch/MeshcVersion.swift" || echo "dist: warning: could not write the commit into $version_file" >&2
cmp -s "$scratch/MeshcVersion.swift" "$src/$version_file" || cp "$scratch/MeshcVersion.swift" "$src/$version_file"

echo "dist: building meshc $version (commit $commit), Swift runtime linked statically"
"$SWIFT" build -c release --static-swift-stdlib --package-path "$src" --scratch-path "$scratch" --product meshc
binary=$scratch/release/meshc

# No Swift runtime, Foundation or dispatch library may be left to load, nor
# anything the machine cannot find. LD_LIBRARY_PATH empty: what any machine sees.
libraries=$(LD_LIBRARY_PATH= ldd "$binary")
if grep -E 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime|/opt/swift|not found' <<<"$libraries"; then
  echo "dist: $binary still needs the libraries above" >&2
  exit 1
fi

# The Debian packages that hold those libraries, with minimum versions, as
# dpkg-shlibdeps works them out (it wants a debian/control to read).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/debian"
printf 'Source: meshc\n\nPackage: meshc\nArchitecture: amd64\n' > "$work/debian/control"
depends=$(cd "$work" && dpkg-shlibdeps -O "$binary" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "dist: dpkg-shlibdeps named no packages" >&2; exit 1; }

# The tarball: bin/, the docs and the check catalogue, the service examples.
name=meshc-$version-linux-x86_64
tree=$work/$name
install -D -m 0755 -s "$binary" "$tree/bin/meshc"
install -D -m 0644 README.md "$tree/share/doc/meshc/README.md"
cp -r policies "$tree/share/doc/meshc/policies"
mkdir -p "$tree/examples"
cp -r examples/systemd examples/kubernetes "$tree/examples/"
{
  echo "meshc $version (commit $commit) for Linux x86_64, Swift runtime linked statically."
  echo "It loads these shared libraries; on Debian 12 they come with: $depends"
  echo
  sed 's/ (0x[0-9a-f]*)$//' <<<"$libraries"
} > "$tree/DEPENDS.txt"
mkdir -p "$out"
rm -f "$out"/meshc-*-linux-x86_64.tar.gz "$out"/meshc_*_amd64.deb
tar -C "$work" --owner=0 --group=0 --numeric-owner -czf "$out/$name.tar.gz" "$name"

# The .deb: /usr/bin/meshc, the systemd units, docs and examples.
deb=$work/deb
install -D -m 0755 "$tree/bin/meshc" "$deb/usr/bin/meshc"
install -D -m 0644 -t "$deb/lib/systemd/system" examples/systemd/*.service
mkdir -p "$deb/usr/share/doc/meshc/examples"
cp -r "$tree/share/doc/meshc/." "$deb/usr/share/doc/meshc/"
cp -r examples/systemd examples/kubernetes "$deb/usr/share/doc/meshc/examples/"
mkdir -p "$deb/DEBIAN"
cat > "$deb/DEBIAN/control" <<EOF
Package: meshc
Version: $version
Architecture: amd64
Maintainer: meshc maintainers <maintainers@meshc.invalid>
Section: net
Priority: optional
Installed-Size: $(du -sk --exclude=DEBIAN "$deb" | cut -f1)
Depends: $depends
Description: Istio-style service mesh config compiler and GitOps reconciler
 meshc lints Istio and Kubernetes manifests kept in git, compiles them into
 Envoy configuration for every proxy, and with meshc agent (beside each
 Envoy) and meshc reconcile keeps the proxies in step with a git ref.
 Commit $commit. Envoy itself is not packaged: set MESHC_ENVOY.
EOF
find "$deb" -type d -exec chmod 0755 {} +
# gzip: packs 4x faster than dpkg-deb's default xz, for a 35 MB .deb rather than 23 MB.
dpkg-deb -Zgzip --build --root-owner-group "$deb" "$out/meshc_${version}_amd64.deb" >/dev/null

echo "dist: $(du -h "$binary" | cut -f1) unstripped, $(du -h "$tree/bin/meshc" | cut -f1) stripped; Depends: $depends"
ls -l "$out"
