#!/usr/bin/env bash
# Runs every benchmark; each prints its numbers and ratios against a baseline measured in the same run.
set -euo pipefail
cd "$(dirname "$0")"
for script in host.sh server.sh memory.sh plan.sh adoption.sh waves.sh cluster.sh newcomers.sh; do
    [ -f "$script" ] || continue
    echo "=== bench/$script"
    bash "$script"
done
