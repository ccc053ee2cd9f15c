# Cold report times: every request of run.sh's multi-filter sweep and its RAW_REPORTS, each over a
# range no earlier request used (from k days earlier, to k days later: the same events, the same
# middle day for the two-thread split), so no kept scan answers it. (The 6-day hourly series,
# widened so, covers more of the stored days: compare it between builds only.)
# Not part of `make test`; docs/performance.md ("SQLite at 10 million events") has its numbers.
#   bash bench/reports/cold.sh TRACKER-BINARY DATA-DIR LABEL   (DATA-DIR: a store run.sh loaded and rolled up)
set -u
cd "$(dirname "$0")/../.."
BIN=$1; DATA=$2; LABEL=$3
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
TOKEN=bench-admin-token-0123456789
FROM_DAYS=30
SITES=$(mktemp /tmp/ithaca-cold-sites.XXXXXX.json)
cat > "$SITES" <<JSON
{"sites": [{"id": "demo", "origins": ["*"], "retention_days": 0, "rules": "$PWD/demo_site/rules/demo.json",
            "timezone": "Europe/Berlin"}]}
JSON
"$BIN" --port $PORT --data "$DATA" --config "$SITES" --admin-token $TOKEN --trust-proxy --rate-limit 0 > "$DATA.cold.log" 2>&1 &
TP=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null && break; sleep 0.2; done
until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/stats/demo/types")" = 200 ]; do sleep 1; done
FROM=$(TZ=Europe/Berlin date -d "$FROM_DAYS days ago" +%F)
top() { curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/stats/demo/breakdown?dimension=$1&limit=1&from=$FROM" | python3 -c 'import json,sys,urllib.parse; r=json.load(sys.stdin)["rows"]; print(urllib.parse.quote(r[0]["value"] if r else ""))'; }
SWEEP=(timeseries "timeseries?interval=hour" pages landing-pages referrers sources utm-sources utm-mediums
  campaigns devices os browsers countries languages visits events types funnel paths "paths?kind=stages" attribution
  experiments personalization journey)
REQ=()
for f in "device=$(top device)&country=$(top country)" "page=$(top page)" "landing_page=$(top landing_page)&visit=first"; do
  for r in "${SWEEP[@]}"; do sep='?'; [[ $r == *\?* ]] && sep='&'; REQ+=("$r$sep$f|$FROM_DAYS"); done
done
for r in "timeseries?country=DE&device=mobile|30" "timeseries?interval=hour&country=DE&device=mobile|6" \
  "referrers?page=/cart&device=mobile|30" "pages?country=DE&device=mobile&visit=repeat|30" "funnel?device=mobile&country=DE|30" \
  "paths?landing_page=/|30" "paths?page=/cart|30" "attribution?event=purchase|30" "experiments?device=mobile&visit=repeat|30" \
  "personalization?country=DE&browser=Chrome|30" "journey?landing_page=/|30"; do REQ+=("$r"); done
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
k=0
for item in "${REQ[@]}"; do
  r=${item%|*}; days=${item##*|}; k=$((k + 1))
  from=$(TZ=Europe/Berlin date -d "$((days + k)) days ago" +%F); to=$(TZ=Europe/Berlin date -d "$k days" +%F)
  c0=$(awk '{print $14 + $15}' /proc/$TP/stat)
  t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/stats/demo/$r&from=$from&to=$to")
  c1=$(awk '{print $14 + $15}' /proc/$TP/stat)
  echo "$LABEL $t cpu=$(( (c1 - c0) * 10 ))ms $r"
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rss: $(ps -o rss= -p $TP) KiB; $(grep -E "RssAnon|RssFile" /proc/$TP/status | tr -s " \t" " " | tr "\n" " ")"
kill $TP; wait $TP
rm -f "$SITES"
