#!/usr/bin/env python3
"""Writes one Open Inference Protocol v2 request for the first BATCH rows of a credit CSV, in the
same form mlgate sends (one tensor per column, content_type pd, both outputs), for ci/bench-endpoint."""
import csv
import json
import sys

path, batch, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, newline="") as handle:
    reader = csv.DictReader(handle)
    rows = [row for _, row in zip(range(batch), reader)]
columns = [c for c in rows[0] if c != "Risk"]
inputs = []
for column in columns:
    values = [row[column] for row in rows]
    if all(v.lstrip("-").isdigit() for v in values):
        inputs.append({"name": column, "shape": [len(rows)], "datatype": "INT64", "data": [int(v) for v in values]})
    else:
        inputs.append({"name": column, "shape": [len(rows)], "datatype": "BYTES", "data": values})
body = {"parameters": {"content_type": "pd"}, "inputs": inputs, "outputs": [{"name": "predict"}, {"name": "predict_proba"}]}
with open(out, "w") as handle:
    json.dump(body, handle, separators=(",", ":"))
