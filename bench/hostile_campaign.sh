#!/usr/bin/env bash
# A hostile-input campaign through the real launcher, as a user would meet it: every case must end with exit 1 or 2,
# one message, no stack trace, no hang (a time limit per case), and the files it must not touch still there.
# Usage: bench/hostile_campaign.sh [work folder]   (needs the shipped models; ~5-10 min on 2 cores)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
le() { timeout 300 "$here/bin/latent-explorer" "$@"; }
pass=0; fail=0
check() { # name, expected exit codes (regex), command...
	local name="$1" codes="$2"; shift 2
	local out; out=$("$@" 2>&1); local rc=$?
	local problems=""
	[[ "$rc" =~ ^($codes)$ ]] || problems+=" exit=$rc (want $codes)"
	grep -qE '^\s+at [a-z]|Exception in thread|Please report' <<<"$out" && problems+=" stack-trace"
	[ "$(grep -c '^Error:' <<<"$out")" -le 1 ] || problems+=" error-printed-twice"
	if [ -z "$problems" ]; then pass=$((pass + 1)); echo "ok   $name: $(grep -m1 '^Error:' <<<"$out" | cut -c1-150)"
	else fail=$((fail + 1)); echo "FAIL $name:$problems"; echo "$out" | tail -5 | sed 's/^/     /'; fi
}
gan="$here/models/phantom-gan"
le "Generate Thorax Phantom" output="$work/phantom" count=2 size=64 slices=12 format=nifti >/dev/null 2>&1
le "Prepare Slice Set" input="$work/phantom" output="$work/slices" size=32 >/dev/null 2>&1
le "Discover Directions" model="$gan" output="$work/sefa" method=sefa directions=4 >/dev/null 2>&1
mkdir -p "$work/keep"; echo precious > "$work/keep/file.txt"

# data loss
check "samples png= an existing folder" "1|2" le "Generate Samples" model="$gan" count=2 png="$work/keep"
check "samples png= the model's own folder" "1|2" le "Generate Samples" model="$gan" count=2 png="$gan"
check "prepare output = input" "1|2" le "Prepare Slice Set" input="$work/phantom" output="$work/phantom" overwrite=true
check "prepare output above the input" "1|2" le "Prepare Slice Set" input="$work/phantom" output="$work" overwrite=true
[ -f "$work/keep/file.txt" ] && [ -f "$gan/model.json" ] && [ -d "$work/phantom" ] && echo "ok   protected files intact" \
	|| { fail=$((fail + 1)); echo "FAIL protected files were touched"; }
# garbage reported as success
python3 - "$work" <<'PY'
import base64, json, struct, sys
work = sys.argv[1]
d = json.load(open(work + "/sefa/directions.json"))
m = list(struct.unpack("<%df" % (len(base64.b64decode(d["matrix"])) // 4), base64.b64decode(d["matrix"])))
m[5] = float("nan")
bad = dict(d, matrix=base64.b64encode(struct.pack("<%df" % len(m), *m)).decode())
json.dump(bad, open(work + "/nan-matrix.json", "w"))
json.dump(dict(d, matrix=base64.b64encode(bytes(len(m) * 4)).decode()), open(work + "/zero-matrix.json", "w"))
s = open(work + "/sefa/directions.json").read().replace('"eigenvalue": ', '"eigenvalue": NaN, "x": ', 1)
open(work + "/nan-stats.json", "w").write(s)
PY
check "directions.json with a NaN in the matrix" "1|2" le "Export Traversal" model="$gan" directions="$work/nan-matrix.json" output="$work/x1"
check "directions.json with an all-zero matrix" "1|2" le "Export Traversal" model="$gan" directions="$work/zero-matrix.json" output="$work/x5"
check "directions.json with NaN statistics" "1|2" le "Export Traversal" model="$gan" directions="$work/nan-stats.json" output="$work/x6"
check "radius=Infinity" "1|2" le "Export Traversal" model="$gan" directions="$work/sefa/directions.json" range=custom radius=Infinity output="$work/x2"
# invalid numbers
check "batch_size=-3" "1|2" le "Train GAN" slices="$work/slices" output="$work/g1" batch_size=-3 iterations=2
check "learning_rate=NaN" "1|2" le "Train GAN" slices="$work/slices" output="$work/g2" learning_rate=NaN iterations=2
check "ngf=-4" "1|2" le "Train GAN" slices="$work/slices" output="$work/g3" ngf=-4 iterations=2
check "test_fraction=NaN" "1|2" le "Prepare Slice Set" input="$work/phantom" output="$work/s2" test_fraction=NaN
check "a key given twice" "2" le "Generate Samples" model="$gan" count=2 count=3
# stack traces
check "latent_dim=0" "1|2" le "Train GAN" slices="$work/slices" output="$work/g4" latent_dim=0 iterations=2
check "count=0" "1|2" le "Generate Samples" model="$gan" count=0
check "count=2000000000" "1|2" le "Generate Samples" model="$gan" count=2000000000
check "frames=100000000" "1|2" le "Export Traversal" model="$gan" directions="$work/sefa/directions.json" range=custom radius=3 frames=100000000 output="$work/x3"
check "indices=5-2" "1|2" le "Export Traversal" model="$gan" directions="$work/sefa/directions.json" indices=5-2 output="$work/x4"
check "phantom size=7" "1|2" le "Generate Thorax Phantom" output="$work/p2" size=7
check "phantom size=100000 slices=100000" "1|2" le "Generate Thorax Phantom" output="$work/p3" size=100000 slices=100000
check "missing model folder" "1|2" le "Generate Samples" model="$work/nope" count=2
check "unknown command" "2" le "No Such Command"
# hang
check "directions=100000 (bounded)" "1|2" le "Discover Directions" model="$gan" output="$work/v1" directions=100000 steps=2
# concurrent writers: the second is refused while the first holds the lock
le "Train GAN" slices="$work/slices" output="$work/busy" iterations=200 batch_size=8 ngf=8 ndf=8 >/dev/null 2>&1 &
first=$!
for _ in $(seq 240); do ls -a "$work" | grep -q '^\.busy.*lock' && break; sleep 0.5; done
check "second writer of one run folder" "1" le "Train GAN" slices="$work/slices" output="$work/busy" iterations=2 batch_size=8 ngf=8 ndf=8
kill "$first" 2>/dev/null; wait "$first" 2>/dev/null
# kill -9 during training, three times at checkpoint-dense moments: every resume continues from a checkpoint
for round in 1 2 3; do
	le "Train GAN" slices="$work/slices" output="$work/killed" iterations=100000 batch_size=8 ngf=8 ndf=8 checkpoint_every=1 \
		sample_every=100000 $([ $round -gt 1 ] && echo resume=true) > "$work/killed-$round.log" 2>&1 &
	job=$!
	for _ in $(seq 600); do grep -q " it [0-9]*[3-9]/" "$work/killed-$round.log" 2>/dev/null && break; sleep 0.2; done
	sleep 0.$((RANDOM % 10))
	pkill -9 -f "output=$work/killed" ; wait "$job" 2>/dev/null
done
# the last resume ends with a SIGTERM (a user's stop): it removed the leftovers of the kill -9 rounds when it started and
# must leave none of its own (a kill -9 at this point could strand one more, which the next run would remove)
out=$(le "Train GAN" slices="$work/slices" output="$work/killed" iterations=100000 batch_size=8 ngf=8 ndf=8 checkpoint_every=1 resume=true 2>&1 & job=$!; sleep 20; pkill -TERM -f "output=$work/killed"; wait "$job")
grep -qE "\(from [1-9][0-9]*\)" <<<"$out" && { pass=$((pass + 1)); echo "ok   resumed from a checkpoint: $(grep -oE '\(from [0-9]+\)' <<<"$out" | head -1)"; } \
	|| { fail=$((fail + 1)); echo "FAIL resume did not continue from a checkpoint"; echo "$out" | tail -3; }
ls -a "$work/killed" | grep -q '\.tmp-' && { fail=$((fail + 1)); echo "FAIL leftovers of killed runs remain: $(ls -a "$work/killed")"; } || { pass=$((pass + 1)); echo "ok   no .tmp leftovers after resuming"; }
echo "campaign: $pass passed, $fail failed (work folder $work)"
[ "$fail" -eq 0 ]
