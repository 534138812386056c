"""The main-thread work of each page's frames in a Chromium trace (JSON), per renderer.

Take the trace with the streaming benchmark (docs/benchmarks.md, benchmark 13):
  KONUI_BENCH_CHROMIUM="--trace-startup=benchmark,cc,viz,blink,toplevel,renderer.scheduler,v8.execute,disabled-by-default-devtools.timeline \
    --trace-startup-duration=40 --trace-startup-format=json --trace-startup-file=/tmp/frames.json" \
    dotnet run -c Release --project bench/Konsole.Bench -- streaming now
(the first 40 s hold the warm-up pushes to both bare pages and the Dashboard's first words; stop it after that), then:
  python3 bench/chromium-frames.py /tmp/frames.json
"""
import bisect
import collections
import json
import re
import statistics
import sys

FRAME = "ProxyMain::BeginMainFrame"
CALLBACKS = "FrameRequestCallbackCollection::ExecuteFrameCallbacks"
SHOWN = ["ProxyMain::BeginMainFrame", "Blink.ForcedStyleAndLayout.UpdateTime", "EventHandler::handleMouseMoveEvent",
         "Blink.Style.UpdateTime", "Blink.Layout.UpdateTime", "Blink.Paint.UpdateTime", "Commit"]

events = json.load(open(sys.argv[1]))["traceEvents"]
urls = {}
for e in events:
    if e.get("name") == "Document::SetURL":
        found = re.search(r'"url": "(http[^"]+)"', json.dumps(e.get("args", {})))
        if found:
            urls[e["pid"]] = found.group(1)
for pid, url in sorted(urls.items()):
    main = sorted((e for e in events if e.get("pid") == pid and e.get("tid") == pid and e.get("ph") == "X"),
                  key=lambda e: e["ts"])
    starts = [e["ts"] for e in main]
    frames = 0
    begun = []
    spent = collections.defaultdict(list)
    for frame in (e for e in main if e["name"] == FRAME):
        inside = main[bisect.bisect_left(starts, frame["ts"]):bisect.bisect_right(starts, frame["ts"] + frame["dur"])]
        callbacks = [e for e in inside if e["name"] == CALLBACKS]
        if not callbacks:
            continue
        frames += 1
        begun.append((callbacks[0]["ts"] - frame["ts"]) / 1000)
        totals = collections.Counter()
        for e in inside:
            totals[e["name"]] += e["dur"] / 1000
        for name in SHOWN:
            spent[name].append(totals.get(name, 0.0))
    if frames == 0:
        continue
    print(f"{url}: {frames} frames with callbacks; median ms: callbacks begin {statistics.median(begun):.2f} after the frame, "
          + ", ".join(f"{name} {statistics.median(spent[name]):.2f}" for name in SHOWN))
