#!/bin/sh
# docker-compose runs this in the Prometheus container before Prometheus
# (entrypoint): it copies the committed rules, rendered with the default
# links (alert-rules/src/options.ts), to the path prometheus.yml loads, with
# the drilldown links' Grafana URL and the runbook links' base taken from the
# environment, then runs its arguments (Prometheus). Without arguments it only
# writes the rules (test/alerting/configure-rules.test.ts checks that it
# writes what `npm run generate -- --grafana-url … --runbook-base … --out`
# would). The job stays the committed one: the compose stack scrapes
# procsight as job "procsight" (provisioning/prometheus/prometheus.yml).
#
#   PROCSIGHT_GRAFANA_URL   Grafana as people reach it (default http://localhost:3000)
#   PROCSIGHT_RUNBOOK_BASE  runbooks page (default the project's docs/runbooks.md on GitHub)
#   PROCSIGHT_RULES_IN / PROCSIGHT_RULES_OUT  where from and to (defaults: the compose mounts)
set -eu

DEFAULT_GRAFANA_URL='http://localhost:3000'
DEFAULT_RUNBOOK_BASE='https://github.com/procsight/procsight/blob/main/docs/runbooks.md'
APP_PATH='/a/procsight-analyzer-app/'

in=${PROCSIGHT_RULES_IN:-/etc/prometheus/procsight/procsight.rules.yml}
out=${PROCSIGHT_RULES_OUT:-/etc/prometheus/rules/procsight.rules.yml}
grafana=${PROCSIGHT_GRAFANA_URL:-$DEFAULT_GRAFANA_URL}
runbooks=${PROCSIGHT_RUNBOOK_BASE:-$DEFAULT_RUNBOOK_BASE}

# The same constraints as options.ts: an http(s) URL of the characters that
# keep it one plain YAML scalar and literal template text; no trailing slash.
check_url() {
  case $2 in
    http://?*|https://?*) ;;
    *) echo "configure-rules: $1 must be an http(s) URL: $2" >&2; exit 2 ;;
  esac
  rest=$(printf '%s' "$2" | LC_ALL=C tr -d 'A-Za-z0-9._~:/?&=%+@-')
  if [ -n "$rest" ]; then echo "configure-rules: $1 has characters other than letters, digits and ._~:/?&=%+@-: $2" >&2; exit 2; fi
}
check_url PROCSIGHT_GRAFANA_URL "$grafana"
check_url PROCSIGHT_RUNBOOK_BASE "$runbooks"
case $grafana in
  *[?\&]*) echo "configure-rules: PROCSIGHT_GRAFANA_URL must not have a query string: $grafana" >&2; exit 2 ;;
esac
while [ "${grafana%/}" != "$grafana" ]; do grafana=${grafana%/}; done
while [ "${runbooks%/}" != "$runbooks" ]; do runbooks=${runbooks%/}; done

# sed: the defaults as literal patterns, the new values as literal replacements.
pattern() { printf '%s' "$1" | sed -e 's/[].[*^$\\]/\\&/g'; }
escape() { printf '%s' "$1" | sed -e 's/[\\&|]/\\&/g'; }

mkdir -p "$(dirname "$out")"
sed -e "s|: $(pattern "$DEFAULT_GRAFANA_URL$APP_PATH")|: $(escape "$grafana$APP_PATH")|" \
    -e "s|: $(pattern "$DEFAULT_RUNBOOK_BASE#")|: $(escape "$runbooks#")|" \
    "$in" > "$out.tmp"
mv "$out.tmp" "$out"
echo "configure-rules: $out links to Grafana $grafana and runbooks $runbooks" >&2

if [ "$#" -gt 0 ]; then exec "$@"; fi
