#!/usr/bin/env bash
# Follow docs/deploy.md on this machine, on loopback, in a clean directory — as a new IT
# administrator would — and check the result: /readyz, a login, the daily jobs, and that the
# application's role cannot rewrite the audit log. Everything it creates it removes again.
#
#   deploy/rehearse.sh [PGHOST] [PGPORT]     (needs a PostgreSQL superuser "postgres" via trust)
set -euo pipefail
SRC="$(cd "$(dirname "$0")/.." && pwd)"
PGHOST="${1:-127.0.0.1}"
PGPORT="${2:-5432}"
DIR="$(mktemp -d /tmp/trappen-rehearsal.XXXXXX)"
DB="trappen_rehearsal_$$"
OWNER="trappen_owner_$$"
APP="trappen_app_$$"
PORT="$((20000 + $$ % 20000))"
SERVER=""
psql_su() { psql -h "$PGHOST" -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  psql_su -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
  psql_su -c "DROP ROLE IF EXISTS $APP" -c "DROP ROLE IF EXISTS $OWNER" >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
step() { echo "== $*"; }

step "1. install into a clean directory ($DIR)"
python3 -m venv "$DIR/.venv"
"$DIR/.venv/bin/pip" install --quiet --upgrade pip
"$DIR/.venv/bin/pip" install --quiet "$SRC"
mkdir -p "$DIR/var"

step "2. PostgreSQL: an owner role for migrations, the application's role, the database"
psql_su -c "CREATE ROLE $OWNER LOGIN" -c "CREATE ROLE $APP LOGIN" \
        -c "CREATE DATABASE $DB OWNER $OWNER"

step "3. the environment file with fresh secrets"
secret() { python3 -c "import secrets; print(secrets.token_urlsafe(48))"; }
cat > "$DIR/trappen.env" <<ENV
DATABASE_URL=postgres://$APP@$PGHOST:$PGPORT/$DB
TRAPPEN_SECRET_KEY=$(secret)
TRAPPEN_AUDIT_KEY=$(secret)
TRAPPEN_PSEUDONYM_SECRET=$(secret)
TRAPPEN_VAR_DIR=$DIR/var
TRAPPEN_AUDIT_ANCHOR_FILE=$DIR/anchor/audit-anchors.log
TRAPPEN_WORKERS=2
TRAPPEN_THREADS=2
ENV
chmod 600 "$DIR/trappen.env"
set -a; . "$DIR/trappen.env"; set +a
cd "$DIR"
T="$DIR/.venv/bin/trappen"

step "4. migrate as the owner, granting the application's role"
DATABASE_URL="postgres://$OWNER@$PGHOST:$PGPORT/$DB" TRAPPEN_DB_APP_ROLE="$APP" \
  "$T" migrate --no-input >/dev/null

step "5. the first administrator (a superuser), as the application's role"
DJANGO_SUPERUSER_PASSWORD="rehearsal-$(secret)" "$T" createsuperuser --no-input \
  --username admin --email admin@example.invalid >/dev/null
"$T" shell -c "
from trappen.organisation.models import User
u = User.objects.get(username='admin'); u.set_password('Rehearsal-Pass-2026'); u.save()
" >/dev/null

step "6. trappen serve on 127.0.0.1:$PORT"
"$T" serve --bind "127.0.0.1:$PORT" > "$DIR/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/readyz"; echo

step "7. log in"
JAR="$DIR/cookies"
H=(-H "X-Forwarded-Proto: https")
TOKEN="$(curl -fsS "${H[@]}" -c "$JAR" "http://127.0.0.1:$PORT/login/" \
  | sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' | head -1)"
# The cookies are Secure (production); curl keeps them for http when told the site is https.
sed -i 's/\tTRUE\t/\tFALSE\t/' "$JAR"
STATUS="$(curl -sS "${H[@]}" -b "$JAR" -c "$JAR" -o /dev/null -w '%{http_code}' \
  -H "Referer: https://127.0.0.1:$PORT/login/" \
  --data-urlencode "username=admin" --data-urlencode "password=Rehearsal-Pass-2026" \
  --data-urlencode "csrfmiddlewaretoken=$TOKEN" "http://127.0.0.1:$PORT/login/")"
[ "$STATUS" = 302 ] || { echo "login answered $STATUS"; tail -20 "$DIR/serve.log"; exit 1; }
echo "login: 302 (redirected home)"

step "8. the daily jobs"
"$T" daily

step "9. the application's role cannot rewrite the audit log"
for sql in "TRUNCATE audit_auditentry" "UPDATE audit_auditentry SET source = 'x'" \
           "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL"; do
  if psql -h "$PGHOST" -p "$PGPORT" -U "$APP" -d "$DB" -qAt -c "$sql" >/dev/null 2>&1; then
    echo "REFUSED NOTHING: $sql"; exit 1
  fi
  echo "refused: $sql"
done
"$T" audit verify --full
grep -q '"path": "/login/"' "$DIR/serve.log" && ! grep -q 'csrfmiddlewaretoken' "$DIR/serve.log"
echo "rehearsal OK"
