#!/usr/bin/env python3
"""Times N POSTs of one body with a plain `requests` session, one after another (ci/bench-endpoint)."""
import sys
import time

import requests

url, body_path, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
body = open(body_path, "rb").read()
session = requests.Session()
headers = {"Content-Type": "application/json"}
start = time.perf_counter()
for _ in range(count):
    response = session.post(url, data=body, headers=headers, timeout=60)
    response.raise_for_status()
print(f"{time.perf_counter() - start:.3f}")
