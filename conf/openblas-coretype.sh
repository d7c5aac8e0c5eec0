#!/usr/bin/env bash
# Prints the OpenBLAS kernel family for this host's CPU, or nothing when unsure, for OPENBLAS_CORETYPE.
#
# Why: ND4J 1.0.0-M2.1 bundles OpenBLAS 0.3.19, which does not know CPUs newer than itself and falls back to its
# SSE3 "Prescott" kernels: on an Intel Sapphire/Emerald Rapids host that is 5x slower float32 matrix products and
# wrong float64 ones (docs/troubleshooting.md). Its SapphireRapids kernels are faster still for float32 but got
# float64 wrong there too, so AVX-512 hosts get SkylakeX. OpenBLAS reads OPENBLAS_CORETYPE once, when the library
# loads, so it must be in the
# environment of every JVM that evaluates (bin/evoprune sets it; on a cluster set it in each Worker's
# spark-env.sh or the image's entrypoint: export OPENBLAS_CORETYPE=$(/opt/evoprune/conf/openblas-coretype.sh)).
# Only families whose instructions the CPU reports are chosen, so a wrong guess costs speed, never a crash.
set -u
flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null) || exit 0
has() { for f in "$@"; do [[ " $flags " == *" $f "* ]] || return 1; done; }
if has avx512f avx512bw avx512vl avx512dq avx512cd; then
  echo SkylakeX
elif has avx2 fma; then
  echo Haswell
fi
