#!/usr/bin/env bash
# Builds the project's image from the Dockerfile with podman, without any registry: the base images
# the Dockerfile takes as build arguments are made here from Debian's packages (mmdebstrap) and
# cached under ~/.cache/cdds/images/, so only the first build takes a few minutes. The production
# defaults of those arguments stay what users pull.
#
#   hack/image.sh            build (if anything changed) and print the image name as the last line
#   hack/image.sh reader     the same for the image of the reader pod `kubectl cdds download`
#                            prints (busybox:1.37 elsewhere): busybox with tar, from Debian packages
#
# The image is tagged by the content of what goes into it, so a rebuild with nothing changed is a
# no-op. Needs podman, runc and mmdebstrap (hack/prerequisites.sh installs them).
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/cdds/images"
SUITE=bookworm
log() { printf '[image] %s\n' "$*" >&2; }
mkdir -p "$CACHE"

# podman's defaults do not fit these machines: crun refuses their hybrid cgroups, and its default
# nproc limit is above what the host allows (docs/ci.md).
podman_() { podman --runtime runc --cgroup-manager cgroupfs "$@"; }
ULIMITS=(--ulimit nofile=20000:20000 --ulimit nproc=4096:4096)

# base NAME PACKAGES [HOOK]: a base image of Debian packages, tagged by what it is made of.
base() {
  local name=$1 packages=$2 hook=${3:-true}
  local tag
  tag=$(printf '%s|%s|%s' "$SUITE" "$packages" "$hook" | sha256sum | cut -c1-12)
  local image="localhost/cdds-$name:$tag"
  if ! podman_ image exists "$image"; then
    local tar="$CACHE/$name-$tag.tar"
    if [[ ! -f "$tar" ]]; then
      log "building base image $name from Debian packages ($packages)"
      mmdebstrap --quiet --variant=apt --include="$packages" --customize-hook="$hook" \
        "$SUITE" "$CACHE/.partial-$name.tar"
      mv "$CACHE/.partial-$name.tar" "$tar"
    fi
    podman_ import --quiet "$tar" "$image" >/dev/null
  fi
  echo "$image"
}

if [[ "${1:-}" == "reader" ]]; then
  base reader busybox
  exit 0
fi

# The build stage: a JDK and Maven, trusting what this machine trusts (a local CA of an egress
# proxy, say), so that Maven reaches its repository from the build container as it does from here.
local_cas=$(cat /usr/local/share/ca-certificates/*.crt 2>/dev/null | sha256sum | cut -c1-12)
BUILD_IMAGE=$(base build openjdk-17-jdk-headless,maven,ca-certificates \
  "cp /usr/local/share/ca-certificates/*.crt \"\$1\"/usr/local/share/ca-certificates/ 2>/dev/null || true;
   chroot \"\$1\" update-ca-certificates >/dev/null # local CAs $local_cas")
# The run stage: a JRE with CA certificates and time zones, no shell, and the numeric non-root user
# distroless has (the Dockerfile's USER is numeric anyway).
RUNTIME_IMAGE=$(base runtime openjdk-17-jre-headless,ca-certificates,tzdata \
  'rm -f "$1"/usr/bin/sh "$1"/usr/bin/dash "$1"/usr/bin/bash "$1"/usr/bin/rbash "$1"/bin/sh;
   echo "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin" >>"$1"/etc/passwd;
   echo "nonroot:x:65532:" >>"$1"/etc/group; mkdir -p "$1"/home/nonroot;
   chown 65532:65532 "$1"/home/nonroot')

# Everything the Dockerfile copies, and the base images: the tag changes when any of them does.
tag=$( (echo "$BUILD_IMAGE $RUNTIME_IMAGE"; cat Dockerfile; git ls-files -s pom.xml localcluster operator examples/source/schema.sql hack/class-list.sh; git diff HEAD -- pom.xml localcluster operator examples/source/schema.sql hack/class-list.sh) | sha256sum | cut -c1-12)
IMAGE="localhost/cdds-operator:$tag"
if ! podman_ image exists "$IMAGE"; then
  log "building $IMAGE from the Dockerfile"
  mkdir -p "$HOME/.m2"
  # The build stage's Maven uses this machine's repository (a volume of the build, not a layer).
  podman_ build --quiet --pull=never --network host "${ULIMITS[@]}" \
    --build-arg BUILD_IMAGE="$BUILD_IMAGE" --build-arg RUNTIME_IMAGE="$RUNTIME_IMAGE" \
    --volume "$HOME/.m2:/root/.m2" --tag "$IMAGE" . >/dev/null
fi
echo "$IMAGE"
