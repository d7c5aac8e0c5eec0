#!/usr/bin/env bash
# GPU discovery script for Spark's resource scheduling
# (spark.worker.resource.gpu.discoveryScript, spark.executor.resource.gpu.discoveryScript,
#  spark.driver.resource.gpu.discoveryScript). Spark runs it when a Worker or executor starts and reads one
# line of JSON from stdout:  {"name":"gpu","addresses":["0","1"]}
# Each address is a CUDA device index as this process (and the executors it starts) sees it: evoprune's
# DevicePinning hands it to ND4J's device selection. When CUDA_VISIBLE_DEVICES restricts the devices, CUDA
# renumbers them from 0, so the addresses are 0..n-1 of the visible ones, not the physical indices.
# On failure it exits non-zero with the reason on stderr; Spark then refuses to start that Worker or
# executor and shows the message, instead of scheduling GPU tasks on a host that has no GPU.
set -euo pipefail

fail() {
  echo "gpu-discovery.sh on $(hostname): $*" >&2
  echo "gpu-discovery.sh: request GPUs (spark.*.resource.gpu.amount) only where GPUs exist; see docs/gpu.md" >&2
  exit 1
}

command -v nvidia-smi >/dev/null 2>&1 || fail "nvidia-smi not found: no NVIDIA driver on this host (or not on PATH)"
if ! indices=$(nvidia-smi --query-gpu=index --format=csv,noheader 2>&1); then
  fail "nvidia-smi failed: ${indices//$'\n'/ }"
fi
count=$(printf '%s\n' "$indices" | grep -c '^[[:space:]]*[0-9][0-9]*[[:space:]]*$' || true)
[ "$count" -gt 0 ] || fail "nvidia-smi lists no GPUs"

if [ -n "${CUDA_VISIBLE_DEVICES+set}" ]; then
  case "$CUDA_VISIBLE_DEVICES" in
    "" | NoDevFiles | none | void) fail "CUDA_VISIBLE_DEVICES='$CUDA_VISIBLE_DEVICES' hides every GPU" ;;
    all) ;;
    *)
      # As CUDA reads it: entries up to the first that names no device (an index past the last GPU, -1);
      # a UUID (GPU-..., MIG-...) names one.
      IFS=',' read -r -a visible <<< "$CUDA_VISIBLE_DEVICES"
      seen=0
      for entry in "${visible[@]}"; do
        entry=${entry//[[:space:]]/}
        if { [[ "$entry" =~ ^[0-9]+$ ]] && (( 10#$entry < count )); } || [[ "$entry" == GPU-* || "$entry" == MIG-* ]]; then
          seen=$((seen + 1))
        else
          break
        fi
      done
      [ "$seen" -gt 0 ] || fail "CUDA_VISIBLE_DEVICES='$CUDA_VISIBLE_DEVICES' hides every GPU (nvidia-smi lists $count)"
      count=$seen
      ;;
  esac
fi

addresses=""
for ((i = 0; i < count; i++)); do
  addresses="$addresses${addresses:+,}\"$i\""
done
echo "{\"name\":\"gpu\",\"addresses\":[$addresses]}"
