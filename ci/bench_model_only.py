#!/usr/bin/env python3
"""Times scoring a CSV through ci/serve_model.py's own code path, without mlgate, for ci/bench."""
import json
import subprocess
import sys
import time

import pandas as pd

model, data, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
frame = pd.read_csv(data).drop(columns=["Risk"])
records = json.loads(frame.to_json(orient="records"))
start = time.perf_counter()
server = subprocess.Popen([sys.executable, "ci/serve_model.py", model], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
for i in range(0, len(records), batch):
    server.stdin.write(json.dumps({"id": i, "rows": records[i:i + batch]}) + "\n")
    server.stdin.flush()
    server.stdout.readline()
server.stdin.close()
server.wait()
print(f"{time.perf_counter() - start:.2f}")
