#!/usr/bin/env bash
# The tour of README.md ("A tour with curl"), runnable: every command of it, in the same order, against a running
# fleetcpu service. Each request must answer the HTTP status the tour expects, with the fields the tour talks about;
# at the first one that does not, the script prints the step, the status and the body, and exits 1.
# ReadmeTourTest runs it against a service started by the tests, and checks that README.md shows the same commands.
#
#   docs/tour.sh [SERVICE_URL [TOKEN_FILE]]
#
#   SERVICE_URL  default $FLEETCPU_SERVER, else http://localhost:8080
#   TOKEN_FILE   a file holding an API token; default $FLEETCPU_TOKEN_FILE, else data/api-token (what the service
#                writes at first start)
#
# Environment:
#   FLEETCPU_TOUR_AGENT  how to start the agent; default 'java -jar target/fleetcpu.jar agent' (./mvnw -Dmaven.test.skip
#                        package builds the jar). Without a jar, or without a libvirtd answering, the agent step is skipped with a note.
#   FLEETCPU_LIBVIRT_URI the libvirtd the agent reads (default qemu:///system)
#   TOUR_BODY_CHARS      how much of each answer to print (default 400; 0 prints answers whole)
#
# Needs bash, curl and coreutils only. The tour registers the hosts compute-17, compute-18, compute-19 and compute-21
# (UUIDs 4c4c4544-0046-3510-8057-b7c04f4e323{1,2,3,5}), the machine it runs on (through the agent) and the aggregates
# haswell-east, haswell-west, emerald-rapids and lab; it removes what an earlier, interrupted run left of them first, and deletes
# them again at the end (the machine it runs on only when the tour registered it). Run it against a service you are
# trying out, not one whose aggregates carry those names.
set -Eeuo pipefail
trap 'echo "tour: FAILED at step ${STEP:-0} (${TITLE:-}): line $LINENO exited with $?" >&2' ERR

FLEETCPU=${1:-${FLEETCPU_SERVER:-http://localhost:8080}}
FLEETCPU=${FLEETCPU%/}
TOKEN_FILE=${2:-${FLEETCPU_TOKEN_FILE:-data/api-token}}
case $TOKEN_FILE in /*) ;; *) TOKEN_FILE=$PWD/$TOKEN_FILE ;; esac
AGENT=${FLEETCPU_TOUR_AGENT:-java -jar target/fleetcpu.jar agent}
BODY_CHARS=${TOUR_BODY_CHARS:-400}
cd "$(dirname "$0")/.."   # the repository: the fixtures and target/fleetcpu.jar are found from here

if ! command -v curl >/dev/null; then
  echo "tour: needs curl (Debian: apt-get install curl)" >&2
  exit 2
fi
if [ ! -s "$TOKEN_FILE" ]; then
  echo "tour: no API token in $TOKEN_FILE (the service writes data/api-token at first start; or give the file)" >&2
  exit 2
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
STEP=0
TITLE=

# ---- how the tour checks each answer -------------------------------------------------------------------------------

fail() {
  {
    echo
    echo "tour: FAILED at step $STEP ($TITLE): $*"
    if [ -s "$WORK/headers" ]; then
      echo "--- answer headers"
      cat "$WORK/headers"
    fi
    if [ -s "$WORK/body" ]; then
      echo "--- answer body"
      cat "$WORK/body"
      echo
    fi
  } >&2
  exit 1
}

# step EXPECTED TITLE curl ARGS...: runs the curl command of the tour, prints the answer (abridged), and fails unless
# the HTTP status is EXPECTED. The answer stays in $WORK/body and $WORK/headers for the checks that follow.
step() {
  local expected=$1 method=GET url= headers= status i
  TITLE=$2
  shift 2
  STEP=$((STEP + 1))
  local args=("$@")
  for ((i = 1; i < ${#args[@]}; i++)); do
    case ${args[i]} in http://* | https://*) url=${args[i]} ;; esac
    case ${args[i - 1]} in
      -X) method=${args[i]} ;;
      -H) case ${args[i]} in Authorization:* | Content-Type:*) ;; *) headers="$headers  ${args[i]}" ;; esac ;;
    esac
  done
  printf '\n== %d. %s\n%s %s%s\n' "$STEP" "$TITLE" "$method" "${url#"$FLEETCPU"}" "$headers"
  : >"$WORK/body"
  : >"$WORK/headers"
  status=$("$@" -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}') || fail "curl exited with $? (is the service at $FLEETCPU?)"
  echo "HTTP $status"
  show "$WORK/body"
  [ "$status" = "$expected" ] || fail "HTTP $status, expected $expected"
}

# Prints an answer, cut at BODY_CHARS characters.
show() {
  local size
  size=$(wc -c <"$1")
  [ "$size" -gt 0 ] || return 0
  if [ "$BODY_CHARS" -eq 0 ] || [ "$size" -le "$BODY_CHARS" ]; then
    cat "$1"
    echo
  else
    head -c "$BODY_CHARS" "$1"
    echo " … ($size bytes)"
  fi
}

# has FIELD [VALUE]...: the JSON answer has these top-level or nested fields (with this string value, when given).
has() {
  local field=$1
  if [ $# -ge 2 ]; then
    grep -Eq "\"$field\"[[:space:]]*:[[:space:]]*\"$2\"" "$WORK/body" || fail "the answer has no \"$field\": \"$2\""
  else
    grep -Eq "\"$field\"[[:space:]]*:" "$WORK/body" || fail "the answer has no field \"$field\""
  fi
}

# says TEXT: the answer holds TEXT as it is.
says() {
  grep -Fq -- "$1" "$WORK/body" || fail "the answer does not hold '$1'"
}

# newest_says TEXT: the first element of the JSON array answered (the newest event) holds TEXT. Events outlive
# their hosts, so older elements may come from an earlier run of the tour.
newest_says() {
  sed 's/},{"id":.*//' "$WORK/body" | grep -Fq -- "$1" || fail "the newest event does not hold '$1'"
}

# The value of an answer header.
header() {
  awk -v name="$(printf '%s' "$1:" | tr '[:upper:]' '[:lower:]')" 'tolower($1) == name { value = $2 } END { print value }' \
    "$WORK/headers" | tr -d '\r'
}

# ---- the tour's tools: the same as in README.md ------------------------------------------------------------------

AUTH="Authorization: Bearer $(cat "$TOKEN_FILE")"
CPUDATA=src/test/resources/cpudata/libvirt-9.9.0

# stdin as one JSON string (what 'jq -Rs .' does)
json_string() {
  local s
  s=$(cat)
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\t'/\\t}; s=${s//$'\r'/\\r}; s=${s//$'\n'/\\n}
  printf '"%s"' "$s"
}

# 'virsh capabilities' of a host with this UUID and this CPU
capabilities() {
  printf '<capabilities>\n  <host>\n    <uuid>%s</uuid>\n%s\n  </host>\n</capabilities>\n' "$1" "$(cat "$2")"
}

COMPUTE_17=4c4c4544-0046-3510-8057-b7c04f4e3231
COMPUTE_18=4c4c4544-0046-3510-8057-b7c04f4e3232
COMPUTE_19=4c4c4544-0046-3510-8057-b7c04f4e3233
COMPUTE_21=4c4c4544-0046-3510-8057-b7c04f4e3235
SINCE=$(date -u +%Y-%m-%dT%H:%M:%SZ)   # when the tour started

echo "tour of $FLEETCPU"

# ---- not part of README: what an earlier, interrupted run left -----------------------------------------------------

for host in "$COMPUTE_17" "$COMPUTE_18" "$COMPUTE_19" "$COMPUTE_21"; do
  curl -s -o /dev/null -X DELETE -H "$AUTH" "$FLEETCPU/hosts/$host" || fail "cannot reach $FLEETCPU"
done
for aggregate in haswell-east haswell-west emerald-rapids lab; do
  curl -s -o /dev/null -X DELETE -H "$AUTH" "$FLEETCPU/aggregates/$aggregate"
done

# ==== README.md's tour from here: ReadmeTourTest checks that README shows these commands, in this order ==========

# ---- The agent registers the host it runs on ------------------------------------------------------------------------

STEP=$((STEP + 1))
TITLE="the agent registers this machine into lab"
printf '\n== %d. %s\n%s\n' "$STEP" "$TITLE" "$AGENT --server $FLEETCPU --aggregate lab --token-file $TOKEN_FILE"
THIS_HOST=
THIS_HOST_NEW=
agent_jar=$(printf '%s\n' "$AGENT" | sed -n 's/.*-jar \([^ ]*\).*/\1/p')
if [ -n "$agent_jar" ] && [ ! -f "$agent_jar" ]; then
  echo "(skipped: no $agent_jar; build it with ./mvnw -Dmaven.test.skip package)"
else
  agent_status=0
  agent_output=$($AGENT --server "$FLEETCPU" --aggregate lab --token-file "$TOKEN_FILE" 2>&1) || agent_status=$?
  echo "$agent_output"
  if [ "$agent_status" -eq 3 ] && ! timeout 60 virsh -c "${FLEETCPU_LIBVIRT_URI:-qemu:///system}" version >/dev/null 2>&1; then
    echo "(skipped: no libvirtd answers at ${FLEETCPU_LIBVIRT_URI:-qemu:///system}, so the agent has nothing to read)"
  elif [ "$agent_status" -ne 0 ]; then
    fail "the agent exited with $agent_status"
  else
    THIS_HOST=$(printf '%s\n' "$agent_output" | sed -n 's/^fleetcpu agent: .* (\([0-9a-fA-F-]*\)) registered.*/\1/p')
    [ -n "$THIS_HOST" ] || fail "the agent did not say which host it registered"
    case $agent_output in *"(new host)"*) THIS_HOST_NEW=yes ;; esac
  fi
fi
if [ -n "$THIS_HOST" ]; then
  step 200 "the host as the agent registered it: the hypervisor's view" \
    curl -s "$FLEETCPU/hosts/$THIS_HOST"
  has cpuView hypervisor
  has hypervisorCpu
  has guestModels
fi

# ---- Aggregates -------------------------------------------------------------------------------------------------

step 201 "create an aggregate with its policy" \
  curl -s -X POST "$FLEETCPU/aggregates" -H "$AUTH" -H 'Content-Type: application/json' \
  -d '{"id": "haswell-east", "description": "Haswell nodes, east hall", "policy": {"goal": "migration"}}'
has id haswell-east
has policy
step 200 "every aggregate" \
  curl -s "$FLEETCPU/aggregates"
says '"haswell-east"'
step 200 "one aggregate" \
  curl -s "$FLEETCPU/aggregates/haswell-east"
has goal migration

# ---- Registering hosts without the agent ---------------------------------------------------------------------------

step 201 "register compute-17 from its capabilities (a Xeon E5-2650 v3)" \
  curl -s -X POST "$FLEETCPU/hosts" -H "$AUTH" -H 'Content-Type: application/json' -d @- <<EOF
{
  "hostname": "compute-17",
  "aggregates": ["haswell-east"],
  "capabilitiesXml": $(capabilities $COMPUTE_17 "$CPUDATA/x86_64-cpuid-Xeon-E5-2650-v3-host.xml" | json_string)
}
EOF
has cpuView host
has features
has unknownFeatures
step 201 "register compute-19 from its capabilities (a Core i7-4600U)" \
  curl -s -X POST "$FLEETCPU/hosts" -H "$AUTH" -H 'Content-Type: application/json' -d @- <<EOF
{
  "hostname": "compute-19",
  "aggregates": ["haswell-east"],
  "capabilitiesXml": $(capabilities $COMPUTE_19 "$CPUDATA/x86_64-cpuid-Core-i7-4600U-host.xml" | json_string)
}
EOF
has cpuView host
step 200 "register compute-19 again: nothing changes" \
  curl -s -X POST "$FLEETCPU/hosts" -H "$AUTH" -H 'Content-Type: application/json' -d @- <<EOF
{
  "hostname": "compute-19",
  "aggregates": ["haswell-east"],
  "capabilitiesXml": $(capabilities $COMPUTE_19 "$CPUDATA/x86_64-cpuid-Core-i7-4600U-host.xml" | json_string)
}
EOF
step 201 "register compute-18 from a structured CPU, into a new aggregate" \
  curl -s -X POST "$FLEETCPU/hosts" -H "$AUTH" -H 'Content-Type: application/json' -d '{
  "uuid": "4c4c4544-0046-3510-8057-b7c04f4e3232",
  "hostname": "compute-18",
  "aggregates": ["haswell-west"],
  "cpu": {"arch": "x86_64", "vendor": "Intel", "model": "Haswell-noTSX",
          "features": ["vmx", "pdpe1gb", "invtsc"]}
}'
has cpuView host
says '"createdAggregates":["haswell-west"]'
step 422 "bad input is refused whole, naming each wrong field" \
  curl -s -X POST "$FLEETCPU/hosts" -H "$AUTH" -H 'Content-Type: application/json' -d '{
  "hostname": "compute-20",
  "cpu": {"arch": "x86_64", "vendor": "Intel", "model": "Haswell-noTSX"}
}'
has errors
has field uuid
step 201 "register compute-21, a Xeon Gold 6530 (Emerald Rapids) whose agent runs libvirt 12.8" \
  curl -s -X POST "$FLEETCPU/hosts" -H "$AUTH" -H 'Content-Type: application/json' -d @- <<EOF
{
  "hostname": "compute-21",
  "aggregates": ["emerald-rapids"],
  "capabilitiesXml": $(capabilities $COMPUTE_21 "$CPUDATA/../libvirt-newer/x86_64-cpuid-Xeon-Gold-6530-host.xml" | json_string),
  "versions": {"libvirt": "12.8.0"}
}
EOF
has catalog "libvirt 12.8"
says '"unknownFeatures":[]'
step 200 "its CPU, as QEMU's -cpu" \
  curl -s "$FLEETCPU/aggregates/emerald-rapids/recommended-cpu?format=qemu"
says 'SapphireRapids,'

# ---- Hosts ------------------------------------------------------------------------------------------------------

step 200 "hosts, filtered" \
  curl -s "$FLEETCPU/hosts?aggregate=haswell-east&vendor=Intel&feature=avx2&page=0&size=50"
has items
has totalItems
says '"compute-17"'
step 200 "one host" \
  curl -s "$FLEETCPU/hosts/$COMPUTE_17"
has documents
step 200 "the capabilities document compute-17 sent" \
  curl -s "$FLEETCPU/hosts/$COMPUTE_17/documents/capabilities"
says '<capabilities>'
step 404 "compute-18 sent no capabilities document" \
  curl -s "$FLEETCPU/hosts/$COMPUTE_18/documents/capabilities"

# ---- The aggregate policy ---------------------------------------------------------------------------------------

ETAG=$(curl -s -D - -o /dev/null "$FLEETCPU/aggregates/haswell-east" | awk 'tolower($1) == "etag:" { print $2 }' | tr -d '\r') \
  || fail "cannot GET /aggregates/haswell-east"
[ -n "$ETAG" ] || fail "GET /aggregates/haswell-east gave no ETag"
step 200 "change the policy, only if nobody changed the aggregate since it was read" \
  curl -s -X PUT "$FLEETCPU/aggregates/haswell-east" -H "$AUTH" -H "If-Match: $ETAG" \
  -H 'Content-Type: application/json' -d '{
  "description": "Haswell nodes, east hall",
  "policy": {
    "goal": "migration",
    "nestedVirtualization": "allowed",
    "mitigations": {"mode": "disable", "disable": ["spec-ctrl"]},
    "minimumModel": "SandyBridge"
  }
}'
has nestedVirtualization allowed
has minimumModel SandyBridge
step 412 "the same If-Match again is stale now" \
  curl -s -X PUT "$FLEETCPU/aggregates/haswell-east" -H "$AUTH" -H "If-Match: $ETAG" \
  -H 'Content-Type: application/json' -d '{"description": "Haswell nodes, east hall"}'
step 200 "change the description alone: a merge patch keeps the policy" \
  curl -s -X PATCH "$FLEETCPU/aggregates/haswell-east" -H "$AUTH" \
  -H 'Content-Type: application/merge-patch+json' -d '{"description": "Haswell nodes, east hall, row 3"}'
has description "Haswell nodes, east hall, row 3"
has nestedVirtualization allowed
has minimumModel SandyBridge

# ---- The recommended CPU ----------------------------------------------------------------------------------------

step 200 "the recommended CPU" \
  curl -s "$FLEETCPU/aggregates/haswell-east/recommended-cpu"
has mode
has libvirtXml
has novaConf
has reasons
has hosts
has cpuView host
CPU_ETAG=$(curl -s -D - -o /dev/null "$FLEETCPU/aggregates/haswell-east/recommended-cpu" | awk 'tolower($1) == "etag:" { print $2 }' | tr -d '\r')
[ -n "$CPU_ETAG" ] && [ "$CPU_ETAG" = "$(header ETag)" ] || fail "the recommended CPU came without an ETag, or with another one each time"
step 304 "asked again with its ETag: not modified" \
  curl -s -H "If-None-Match: $CPU_ETAG" "$FLEETCPU/aggregates/haswell-east/recommended-cpu"
step 200 "every feature spelled out" \
  curl -s "$FLEETCPU/aggregates/haswell-east/recommended-cpu?expand=true"
has features
step 200 "the <cpu> element alone" \
  curl -s -H 'Accept: application/xml' "$FLEETCPU/aggregates/haswell-east/recommended-cpu"
says '<cpu '

# ---- libvirt's own answer ---------------------------------------------------------------------------------------

step 200 "libvirt's baseline (virsh cpu-baseline)" \
  curl -s "$FLEETCPU/aggregates/haswell-east/baseline"
has libvirtXml
step 200 "libvirt's baseline, every feature (virsh cpu-baseline --features)" \
  curl -s "$FLEETCPU/aggregates/haswell-east/baseline?expand=true"
has libvirtXml
step 200 "libvirt's baseline without the features that block migration" \
  curl -s "$FLEETCPU/aggregates/haswell-east/baseline?migratable=true"
has libvirtXml
step 200 "libvirt's baseline as XML" \
  curl -s -H 'Accept: application/xml' "$FLEETCPU/aggregates/haswell-east/baseline"
says '<cpu'

# ---- Migration domains and migration checks ---------------------------------------------------------------------

step 200 "migration domains: one per kind of CPU" \
  curl -s "$FLEETCPU/groupings?strategy=max-features"
has domains
step 200 "migration domains: as few as possible" \
  curl -s "$FLEETCPU/groupings?strategy=min-domains&minimumModel=SandyBridge"
has domains
step 200 "migration domains: none below x86-64-v3" \
  curl -s "$FLEETCPU/groupings?strategy=min-domains&minimumLevel=x86-64-v3"
has minimumLevel x86-64-v3
step 200 "migration domains: the commands that build them" \
  curl -s "$FLEETCPU/groupings?strategy=min-domains&format=openstack"
says 'openstack aggregate'
step 200 "can guests of haswell-east move to compute-18?" \
  curl -s -X POST "$FLEETCPU/migrations/check" -H "$AUTH" -H 'Content-Type: application/json' -d '{
  "guest":  {"aggregate": "haswell-east"},
  "target": {"host": "4c4c4544-0046-3510-8057-b7c04f4e3232"}
}'
has result incompatible
has missingFeatures

# ---- Admission, what-if and CPU drift ---------------------------------------------------------------------------

step 200 "what would adding compute-18 do to haswell-east?" \
  curl -s -X POST "$FLEETCPU/aggregates/haswell-east/what-if" -H "$AUTH" -H 'Content-Type: application/json' \
  -d '{"addHosts": ["4c4c4544-0046-3510-8057-b7c04f4e3232"], "removeHosts": [], "addReports": []}'
has before
has after
has featuresLost
step 201 "compute-18 joins haswell-east too" \
  curl -s -X PUT -H "$AUTH" "$FLEETCPU/aggregates/haswell-east/hosts/$COMPUTE_18"
step 200 "compute-18 is flagged: guests of haswell-east could not migrate onto it" \
  curl -s "$FLEETCPU/hosts/$COMPUTE_18"
has belowBaseline
says '"haswell-east"'
step 200 "compute-18 comes back as an Ivy Bridge: the change is recorded" \
  curl -s -X POST "$FLEETCPU/hosts" -H "$AUTH" -H 'Content-Type: application/json' -d '{
  "uuid": "4c4c4544-0046-3510-8057-b7c04f4e3232",
  "hostname": "compute-18",
  "aggregates": ["haswell-west"],
  "cpu": {"arch": "x86_64", "vendor": "Intel", "model": "IvyBridge",
          "features": ["vmx", "pdpe1gb"]}
}'
says '"cpuChanged":true'
says '"aggregatesAddedByOperator":["haswell-east"]'
step 200 "compute-18's history" \
  curl -s "$FLEETCPU/hosts/$COMPUTE_18/history"
newest_says '"kind":"cpu-changed"'
says '"avx2"'
step 200 "haswell-east's history" \
  curl -s "$FLEETCPU/aggregates/haswell-east/history"
newest_says '"hostname":"compute-18"'
newest_says '"aggregateId":"haswell-east"'
step 200 "every event since the tour started" \
  curl -s "$FLEETCPU/events?since=$SINCE"
says 'compute-18'

# ---- Guests -----------------------------------------------------------------------------------------------------

step 200 "the guests on haswell-east's hosts (tenant data: a viewer's or operator's token)" \
  curl -s -H "$AUTH" "$FLEETCPU/aggregates/haswell-east/guests"
has summary
has configurations
has guests

# ---- Configuration for each consumer ----------------------------------------------------------------------------

step 200 "for nova.conf" \
  curl -s "$FLEETCPU/aggregates/haswell-east/recommended-cpu?format=nova-conf"
says '[libvirt]'
says 'cpu_mode'
step 200 "Placement traits for flavors" \
  curl -s "$FLEETCPU/aggregates/haswell-east/recommended-cpu?format=placement"
says 'HW_CPU_X86_'
says 'openstack flavor set FLAVOR'
step 200 "for KubeVirt" \
  curl -s -H 'Accept: application/yaml' "$FLEETCPU/aggregates/haswell-east/recommended-cpu"
says 'cpu:'
says 'nodeSelector:'
step 200 "KubeVirt's node labels on the aggregate's hosts" \
  curl -s "$FLEETCPU/aggregates/haswell-east/recommended-cpu?format=kubevirt-labels"
says 'kinds:'
step 200 "KubeVirt's cluster-wide CPU settings" \
  curl -s "$FLEETCPU/aggregates/haswell-east/recommended-cpu?format=kubevirt-cluster"
says 'obsoleteCPUModels:'
step 200 "for virsh edit" \
  curl -s "$FLEETCPU/aggregates/haswell-east/recommended-cpu?format=libvirt"
says '<cpu '
step 200 "for qemu-system-x86_64 -cpu" \
  curl -s "$FLEETCPU/aggregates/haswell-east/recommended-cpu?format=qemu"
[ -s "$WORK/body" ] || fail "an empty -cpu value"
step 200 "as a model of its own for libvirt's cpu_map" \
  curl -s "$FLEETCPU/aggregates/haswell-east/recommended-cpu?format=cpu-map&modelName=Haswell-east"
says 'Haswell-east'

# ---- The catalog and the inventory ------------------------------------------------------------------------------

step 200 "every named model, oldest first" \
  curl -s "$FLEETCPU/cpu-models"
says '"Haswell-noTSX"'
step 200 "AMD's models" \
  curl -s "$FLEETCPU/cpu-models?vendor=AMD"
says '"EPYC"'
step 200 "one model" \
  curl -s "$FLEETCPU/cpu-models/Haswell-noTSX"
has features
step 200 "the models of libvirt 11.3's map" \
  curl -s "$FLEETCPU/cpu-models?libvirt=11.3"
says '"SapphireRapids"'
step 200 "a versioned model of libvirt 11.3's map" \
  curl -s "$FLEETCPU/cpu-models/Cascadelake-Server-v3?libvirt=11.3"
says '"libvirt 11.3"'
step 200 "every cpu_map hosts are read with, and the hosts of each" \
  curl -s "$FLEETCPU/catalogs"
has name "libvirt 12.8"
has cpuMap
has hosts
step 200 "the inventory" \
  curl -s "$FLEETCPU/inventory"
says '"haswell-east"'
has byLevel

# ---- Cleaning up: the deletes, last -----------------------------------------------------------------------------

step 204 "compute-18 leaves haswell-east" \
  curl -s -X DELETE -H "$AUTH" "$FLEETCPU/aggregates/haswell-east/hosts/$COMPUTE_18"
step 204 "forget compute-18" \
  curl -s -X DELETE -H "$AUTH" "$FLEETCPU/hosts/$COMPUTE_18"
step 404 "compute-18 is gone" \
  curl -s "$FLEETCPU/hosts/$COMPUTE_18"
step 204 "forget compute-17" \
  curl -s -X DELETE -H "$AUTH" "$FLEETCPU/hosts/$COMPUTE_17"
step 204 "forget compute-19" \
  curl -s -X DELETE -H "$AUTH" "$FLEETCPU/hosts/$COMPUTE_19"
step 204 "forget compute-21" \
  curl -s -X DELETE -H "$AUTH" "$FLEETCPU/hosts/$COMPUTE_21"
step 204 "delete haswell-east" \
  curl -s -X DELETE -H "$AUTH" "$FLEETCPU/aggregates/haswell-east"
step 204 "delete haswell-west" \
  curl -s -X DELETE -H "$AUTH" "$FLEETCPU/aggregates/haswell-west"
step 204 "delete emerald-rapids" \
  curl -s -X DELETE -H "$AUTH" "$FLEETCPU/aggregates/emerald-rapids"
if [ -n "$THIS_HOST_NEW" ]; then
  step 204 "forget this machine (its agent registers it again at next boot)" \
    curl -s -X DELETE -H "$AUTH" "$FLEETCPU/hosts/$THIS_HOST"
  step 204 "delete lab" \
    curl -s -X DELETE -H "$AUTH" "$FLEETCPU/aggregates/lab"
elif [ -n "$THIS_HOST" ]; then
  printf '\n(this machine was registered before the tour: it stays, in aggregate lab)\n'
fi

printf '\ntour: all %d steps answered as expected\n' "$STEP"
