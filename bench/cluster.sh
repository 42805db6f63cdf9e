#!/usr/bin/env bash
# The wave engine on one node against two nodes of a cluster, in one run: a second in-process Mattermost
# on the same database runs its own plugin process; N users × (1 team + 3 channels + 1 welcome DM) by the
# engine on node 1 alone (node 2's plugin disabled), then fresh users by the engine on both nodes (the
# wave's work shards shared, both ticked back to back). Wall time, CPU seconds of the server process
# (both in-process servers), the plugin processes and PostgreSQL, users per node, and the 2-node/1-node ratio.
# N = 1,000 by default (CLUSTERBENCH_N or -n).
#   bench/cluster.sh [-n 1000] [-bundle dist/onboarding-cockpit-<v>.tar.gz]
exec bash "$(dirname "$0")/e2e-command.sh" clusterbench "$@"
