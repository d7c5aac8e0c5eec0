#!/usr/bin/env bash
# Container entrypoint of the evoprune images: names this host's OpenBLAS kernels (conf/openblas-coretype.sh),
# which OpenBLAS reads once at load and which differ from host to host, then runs Spark's own entrypoint.
set -euo pipefail
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  coretype=$(/opt/evoprune/conf/openblas-coretype.sh)
  # Set but empty, OpenBLAS guesses on its own ("Core not found"): seen picking kernels that get float64 wrong.
  if [ -n "$coretype" ]; then export OPENBLAS_CORETYPE=$coretype; else unset OPENBLAS_CORETYPE; fi
fi
exec /opt/entrypoint.sh "$@"
