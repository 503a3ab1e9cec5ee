#!/usr/bin/env bash
# `npm start`: install what is missing, start Redis when it is local and down,
# build, and run the API with the worker side in one process on the embedded
# default (PGlite in DATA_DIR). DATABASE_URL switches to PostgreSQL and
# EVENTSTORE_CONNECTION_STRING to EventStoreDB.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

command -v node >/dev/null 2>&1 || die "Node.js 20 or newer is required (see .nvmrc)."
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || die "Node.js >= 20.19 is required (found $(node -v))."

ensure_node_modules
ensure_redis

# `.env` fills what the environment does not set (the environment wins), as the
# configuration loader does; read here too so the defaults below see it.
if [ -f .env ]; then
  eval "$(node -e 'const {parseEnv}=require("node:util");const v=parseEnv(require("fs").readFileSync(".env","utf8"));for(const[k,x]of Object.entries(v))if(/^[A-Z_][A-Z0-9_]*$/.test(k)&&process.env[k]===undefined)console.log(`export ${k}=${JSON.stringify(x).replace(/[$`]/g,(c)=>"\\"+c)}`)')"
fi

export DATA_DIR="${DATA_DIR:-./.data}"
export PORT="${PORT:-3000}"
mkdir -p "$DATA_DIR"

if [ -z "${AUTH_JWT_SECRET:-}" ] && [ -z "${AUTH_JWKS_URL:-}" ]; then
  secret_file="$DATA_DIR/dev-jwt-secret"
  if [ ! -s "$secret_file" ]; then
    (umask 077 && node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("base64url"))' >"$secret_file")
    log "generated a development JWT secret in $secret_file (npm run token signs with it)"
  fi
  AUTH_JWT_SECRET="$(cat "$secret_file")"
  export AUTH_JWT_SECRET
fi

# Signed store checkpoints (DESIGN.md "Evidence an outsider can check"): the
# Ed25519 key lives outside the database; the configuration reads this file
# when CHECKPOINT_SIGNING_KEY is unset. Its public half is served at
# /api/v1/audit/checkpoints.
if [ -z "${CHECKPOINT_SIGNING_KEY:-}" ]; then
  key_file="$DATA_DIR/checkpoint-signing-key.pem"
  if [ ! -s "$key_file" ]; then
    (umask 077 && node -e 'process.stdout.write(require("crypto").generateKeyPairSync("ed25519").privateKey.export({format:"pem",type:"pkcs8"}))' >"$key_file")
    log "generated the checkpoint signing key (Ed25519) in $key_file"
  fi
fi

# Per-customer encryption of personal data (README "Personal data"): the
# master key lives outside the database; the configuration reads this file
# when PERSONAL_DATA_MASTER_KEY is unset.
if [ -z "${PERSONAL_DATA_MASTER_KEY:-}" ]; then
  pd_key_file="$DATA_DIR/personal-data-master-key"
  if [ ! -s "$pd_key_file" ]; then
    (umask 077 && node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("base64"))' >"$pd_key_file")
    log "generated the personal-data master key in $pd_key_file (back it up: without it no personal data can be read)"
  fi
fi

main_js="dist/apps/api/apps/api/src/main.js"
if [ "${CASELEDGER_WATCH:-}" = 1 ]; then
  # `npm run dev`: the same setup, then Nest's watch mode rebuilds and restarts on each change.
  log "watching apps/ and libs/ (nest start api --watch)"
  exec npx --no-install nest start api --watch --preserveWatchOutput
fi
if [ ! -f "$main_js" ] || [ -n "$(find apps libs -name '*.ts' -newer "$main_js" -print -quit)" ]; then
  log "building the API (nest build api)"
  npx --no-install nest build api >/dev/null || die "the build failed: run 'npx nest build api' to see why"
fi

if [ -n "${DATABASE_URL:-}" ]; then store="PostgreSQL (DATABASE_URL)"; else store="PGlite in $DATA_DIR"; fi
[ -n "${EVENTSTORE_CONNECTION_STRING:-}" ] && store="EventStoreDB (EVENTSTORE_CONNECTION_STRING), read models on $store"
url="http://localhost:$PORT"
cat >&2 <<INFO
[caseledger] starting on $url — storage: $store, Redis: ${REDIS_URL:-redis://127.0.0.1:6379}
[caseledger]   API docs:   $url/docs   (OpenAPI: $url/openapi.json)
[caseledger]   health:     $url/health, metrics: $url/metrics
[caseledger]   a token:    npm run -s token -- --role case_manager --center cc-1
[caseledger]               (roles: case_manager, supervisor, auditor, admin; add --clearances cc-2)
[caseledger]   then:       curl -H "Authorization: Bearer \$TOKEN" $url/api/v1/cases/<caseId>
INFO
exec node "$main_js"
