#!/usr/bin/env bash
# `npm test`: install what is missing, start PostgreSQL and Redis, then run
# type checks, lint, formatting, the architecture rules and every test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_node_modules
ensure_postgres
ensure_redis
ensure_docker_compose

export PATH="$PWD/node_modules/.bin:$PATH"
export DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/test}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules --no-warnings=ExperimentalWarning"

log "type check (tsc)"
tsc --noEmit -p tsconfig.json
log "lint (eslint, type-checked rules)"
eslint --max-warnings 0 .
log "format (prettier --check)"
prettier --check --log-level warn .
log "architecture rules (dependency-cruiser: libs/domain stays pure)"
depcruise --config .dependency-cruiser.js apps libs test bench scripts
log "tests (jest: specs, integration against real PostgreSQL/PGlite/Redis, e2e)"
jest --ci "$@"
