#!/usr/bin/env bash
# Starts or stops a private RabbitMQ node (Debian's rabbitmq-server) for the peers benchmark, as the current user,
# with every file under DIR and every port on loopback:
#   bench/peers/rabbitmq.sh start DIR [AMQP_PORT]   # returns once the node runs; prints "amqp://127.0.0.1:PORT"
#   bench/peers/rabbitmq.sh stop DIR
# The node is rabbit@localhost; AMQP_PORT defaults to 5672, the distribution port is AMQP_PORT + 20000.
# Exits 3 (with the apt-get command to run) when rabbitmq-server is not installed.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR [AMQP_PORT]" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
action="$1"
dir="$(mkdir -p "$2" && cd "$2" && pwd)"
port="${3:-5672}"

ctl=/usr/lib/rabbitmq/bin/rabbitmqctl   # not /usr/sbin/rabbitmqctl: that one switches to the rabbitmq user's cookie
server=/usr/lib/rabbitmq/bin/rabbitmq-server
if [[ ! -x "$server" || ! -x "$ctl" ]]; then
  echo "rabbitmq-server is not installed; install it with: sudo apt-get install -y rabbitmq-server" >&2
  exit 3
fi

export HOME="$dir/home"                  # the Erlang cookie
export RABBITMQ_NODENAME=rabbit@localhost
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT="$port"
export RABBITMQ_DIST_PORT=$((port + 20000))
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_MNESIA_BASE="$dir/mnesia"
export RABBITMQ_LOG_BASE="$dir/log"
export RABBITMQ_PID_FILE="$dir/rabbit.pid"
export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
export RABBITMQ_CONFIG_FILE="$dir/rabbitmq"   # rabbitmq.conf (absent: defaults)
export RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"

case "$action" in
  start)
    mkdir -p "$HOME" "$RABBITMQ_MNESIA_BASE" "$RABBITMQ_LOG_BASE"
    [[ -f "$RABBITMQ_ENABLED_PLUGINS_FILE" ]] || echo "[]." > "$RABBITMQ_ENABLED_PLUGINS_FILE"
    [[ -f "$RABBITMQ_ADVANCED_CONFIG_FILE" ]] || echo "[]." > "$RABBITMQ_ADVANCED_CONFIG_FILE"
    "$server" > "$dir/server.out" 2>&1 &
    # wait PIDFILE: returns once the node has written its pid file and finished booting (await_startup fails while
    # the node has not registered with epmd yet).
    if ! timeout 120 "$ctl" wait "$RABBITMQ_PID_FILE" > "$dir/wait.out" 2>&1; then
      echo "RabbitMQ did not start; see $dir/server.out and $dir/log:" >&2
      tail -n 30 "$dir/server.out" "$dir/wait.out" >&2 || true
      exit 1
    fi
    echo "amqp://127.0.0.1:$port"
    ;;
  stop)
    # With the pid file, stop returns once the node's process has exited.
    "$ctl" stop "$RABBITMQ_PID_FILE" > "$dir/stop.out" 2>&1 || echo "rabbitmqctl stop failed (already stopped?); see $dir/stop.out" >&2
    epmd -kill > /dev/null 2>&1 || true
    ;;
  *) usage ;;
esac
