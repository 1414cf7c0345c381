#!/bin/sh
# /usr/local/bin/stress (where the original image has it): runs Debian's stress, and when the
# container's memory cgroup OOM-killed one of its workers, ends as Kubernetes ends such a container
# (kubelet sets memory.oom.group, so the whole container is killed: exit code 137). On a cgroup v1
# Docker engine the kernel kills only the worker, and stress itself would exit 1.
oom_kills() {
  sed -n 's/^oom_kill //p' /sys/fs/cgroup/memory/memory.oom_control /sys/fs/cgroup/memory.events 2>/dev/null | head -n 1
}
before=$(oom_kills)
/usr/bin/stress "$@" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null' TERM INT
while :; do
  wait "$pid"
  status=$?
  kill -0 "$pid" 2>/dev/null || break
done
after=$(oom_kills)
if [ -n "$after" ] && [ "$after" != "${before:-0}" ]; then
  echo "stress: a worker was OOM-killed; the container ends as a whole (exit 137)" >&2
  exit 137
fi
exit "$status"
