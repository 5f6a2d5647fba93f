#!/usr/bin/env bash
# Starts (or stops) a Docker engine of the test suite's own, so tests never touch the machine's
# daemon: data root, exec root, socket and pid file all live under one folder.
#
#   eval "$(scripts/test-docker-engine.sh start [DIR])"   # exports DOCKER_HOST, SKIFF_TEST_DOCKER_DIR
#   scripts/test-docker-engine.sh stop [DIR]
#
# `start` also makes the test images with `docker import` from a rootfs holding Debian's static
# busybox (no image can be pulled here): `busybox:latest`, and `skiff-test/pause:latest` (a sandbox
# image that only sleeps, for `--sandbox-image`). The bridge keeps no iptables rules and
# masquerades nothing, so containers reach nothing off the machine (its own bridge, skiff-test0); tests reach them only through
# ports published on 127.0.0.0/8. Needs root, dockerd (docker.io) and /bin/busybox (busybox-static).
set -euo pipefail

cmd="${1:-}"
dir="${2:-${SKIFF_TEST_DOCKER_DIR:-/tmp/skiff-test-docker}}"
sock="$dir/docker.sock"
bridge="skiff-test0"
bridge_cidr="172.30.240.1/20"

case "$cmd" in
start)
  mkdir -p "$dir"
  if [ -S "$sock" ] && DOCKER_HOST="unix://$sock" docker version >/dev/null 2>&1; then
    echo "Docker engine already running at unix://$sock" >&2
  else
    # A bridge of its own, so a machine's own Docker engine (on docker0) is not disturbed.
    if ! ip link show "$bridge" >/dev/null 2>&1; then
      ip link add name "$bridge" type bridge
      ip addr add "$bridge_cidr" dev "$bridge"
      ip link set "$bridge" up
    fi
    dockerd --data-root "$dir/data" --exec-root "$dir/exec" -H "unix://$sock" --pidfile "$dir/docker.pid" \
      --bridge "$bridge" --iptables=false --ip6tables=false --ip-masq=false >"$dir/dockerd.log" 2>&1 &
    for _ in $(seq 1 120); do
      DOCKER_HOST="unix://$sock" docker version >/dev/null 2>&1 && break
      sleep 0.5
    done
    DOCKER_HOST="unix://$sock" docker version >/dev/null 2>&1 || { tail -20 "$dir/dockerd.log" >&2; echo "dockerd did not start (log: $dir/dockerd.log)" >&2; exit 1; }
    echo "Docker engine started at unix://$sock (log: $dir/dockerd.log)" >&2
  fi
  if ! DOCKER_HOST="unix://$sock" docker image inspect busybox:latest skiff-test/pause:latest >/dev/null 2>&1; then
    rootfs="$(mktemp -d)"
    mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc" "$rootfs/www"
    cp /bin/busybox "$rootfs/bin/busybox"
    for applet in $(/bin/busybox --list); do
      [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
    done
    echo 'root:x:0:0:root:/root:/bin/sh' >"$rootfs/etc/passwd"
    echo 'root:x:0:' >"$rootfs/etc/group"
    chmod 1777 "$rootfs/tmp"
    tar -C "$rootfs" -c . | DOCKER_HOST="unix://$sock" docker import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' - busybox:latest >/dev/null
    # A pod sandbox image standing in for registry.k8s.io/pause: it only sleeps.
    tar -C "$rootfs" -c . | DOCKER_HOST="unix://$sock" docker import -c 'ENV PATH=/bin' -c 'ENTRYPOINT ["/bin/sleep", "2147483647"]' - skiff-test/pause:latest >/dev/null
    rm -rf "$rootfs"
    echo "Test images busybox:latest and skiff-test/pause:latest imported from /bin/busybox" >&2
  fi
  echo "export DOCKER_HOST=unix://$sock SKIFF_TEST_DOCKER_DIR=$dir"
  ;;
stop)
  if [ -f "$dir/docker.pid" ]; then
    pid="$(cat "$dir/docker.pid")"
    DOCKER_HOST="unix://$sock" docker rm -f $(DOCKER_HOST="unix://$sock" docker ps -aq) >/dev/null 2>&1 || true
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    echo "Docker engine at unix://$sock stopped" >&2
  fi
  ip link delete "$bridge" 2>/dev/null || true
  ;;
*)
  echo "usage: $0 start|stop [DIR]" >&2
  exit 2
  ;;
esac
