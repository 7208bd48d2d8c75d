#!/usr/bin/env bash
# Starts N processes of train_ddp.py on this machine, as torchrun would: RANK, LOCAL_RANK, WORLD_SIZE,
# MASTER_ADDR (127.0.0.1) and MASTER_PORT in each one's environment. Fails if any process fails.
# (Debian 12's torchrun, from PyTorch 1.13, crashes under Python 3.11 before starting a worker.)
# Usage: examples/distributed/launch_local.sh N [train_ddp.py options...]
set -euo pipefail
processes=${1:?usage: launch_local.sh N [train_ddp.py options...]}
shift
python=${FCNET_PYTHON:-/usr/bin/python3}
script="$(dirname "$0")/train_ddp.py"
export MASTER_ADDR=127.0.0.1 MASTER_PORT=${MASTER_PORT:-$((29500 + RANDOM % 1000))} WORLD_SIZE=$processes OMP_NUM_THREADS=1
pids=()
for ((rank = 0; rank < processes; rank++)); do
  RANK=$rank LOCAL_RANK=$rank "$python" "$script" "$@" &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit $status
