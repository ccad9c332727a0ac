#!/usr/bin/env bash
# Start the machine's PostgreSQL and RabbitMQ if they are not running, and wait for them.
set -u
port_open() { python3 -c "import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(('127.0.0.1', $1)))"; }

if ! port_open 5432; then
  echo "services: starting PostgreSQL"
  for v in $(ls /etc/postgresql 2>/dev/null); do pg_ctlcluster --skip-systemctl-redirect "$v" main start || true; done
fi
if ! port_open 5672; then
  echo "services: starting RabbitMQ"
  rabbitmq-server -detached || true
fi
for i in $(seq 1 60); do
  port_open 5432 && port_open 5672 && break
  sleep 2
done
port_open 5432 || { echo "services: PostgreSQL is not answering on 127.0.0.1:5432" >&2; exit 1; }
port_open 5672 || { echo "services: RabbitMQ is not answering on 127.0.0.1:5672" >&2; exit 1; }
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='halls'" | grep -q 1 \
  || createdb -h 127.0.0.1 -U postgres halls
echo "services: PostgreSQL and RabbitMQ are up"
