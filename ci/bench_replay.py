#!/usr/bin/env python3
"""Replays recorded request lines through ci/serve_model.py alone and prints the seconds taken.

For ci/bench-behavioural: the model's own time for exactly the requests mlgate sent.
Usage: bench_replay.py MODEL.pkl REQUESTS.jsonl
"""
import subprocess
import sys
import time

model, requests = sys.argv[1], sys.argv[2]
with open(requests, "rb") as handle:
    lines = [line for line in handle if line.strip()]
start = time.perf_counter()
server = subprocess.Popen([sys.executable, "ci/serve_model.py", model],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE)
for line in lines:
    server.stdin.write(line)
    server.stdin.flush()
    server.stdout.readline()
server.stdin.close()
server.wait()
print(f"{time.perf_counter() - start:.2f} {len(lines)}")
