#!/usr/bin/env bash
# How a Redis data server under Sentinel must start (docs/operations.md, "A Redis that died starts again"): prints the
# command-line settings to start it with.
#
#   --replicaof HOST PORT   the sentinels name another primary: start as its replica (it syncs at once and never
#                           takes a write the new primary lacks)
#   (nothing)               the sentinels still name this server and it can answer them (a second to start) before
#                           it has been silent for down-after-milliseconds: no failover will start; start as it was
#
# While the sentinels may be failing over away from this server (it is flagged down, a failover is in progress, or it
# has been silent too long for a start now to beat them), it waits for the new primary. Started as a primary in that
# moment, it took writes, acknowledged with a replica that still followed it, which the failover then threw away
# (measured: the long fault run, seed 2). If no new primary comes within twice the failover timeout (no replica could
# be promoted), it starts as it was: it holds the latest data.
#
# Usage: redis-start-role.sh SENTINELS MASTER_NAME SELF_HOST SELF_PORT     (SENTINELS: host:port,host:port,…)
# e.g.   exec redis-server /etc/redis/redis.conf $(redis-start-role.sh 10.0.0.7:26379,10.0.0.8:26379 dialogue-board 10.0.0.5 6379)
set -euo pipefail

if [ $# -ne 4 ]; then
  echo "usage: $0 SENTINELS MASTER_NAME SELF_HOST SELF_PORT" >&2
  exit 2
fi
sentinels=$1
name=$2
self="$3:$4"
now_ms() { date +%s%3N; }
# How long to wait for a failover: twice the sentinels' failover-timeout once one answers, two minutes until then.
deadline=$(($(now_ms) + 120000))
timeout_known=no

while :; do
  for sentinel in ${sentinels//,/ }; do
    # SENTINEL MASTER answers field and value on alternate lines.
    declare -A field=()
    while IFS=$'\t' read -r key value; do
      field[$key]=$value
    done < <(redis-cli -h "${sentinel%:*}" -p "${sentinel##*:}" SENTINEL MASTER "$name" 2>/dev/null |
      awk 'NR % 2 { key = $0; next } { print key "\t" $0 }')
    [ -n "${field[ip]:-}" ] || continue

    if [ "${field[ip]}:${field[port]}" != "$self" ]; then
      echo "--replicaof ${field[ip]} ${field[port]}"
      exit 0
    fi
    silent=${field[last-ok-ping-reply]:-0}
    down_after=${field[down-after-milliseconds]:-30000}
    case ",${field[flags]:-}," in
      *,s_down,* | *,o_down,* | *,failover_in_progress,*) ;;
      *) if [ $((silent + 1000)) -lt "$down_after" ]; then exit 0; fi ;;
    esac
    if [ "$timeout_known" = no ] && [ -n "${field[failover-timeout]:-}" ]; then
      deadline=$(($(now_ms) + 2 * ${field[failover-timeout]}))
      timeout_known=yes
    fi
    break
  done
  # No new primary in time (or no sentinel answered): start as it was.
  [ "$(now_ms)" -lt "$deadline" ] || exit 0
  sleep 0.2
done
