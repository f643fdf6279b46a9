#!/usr/bin/env python3
"""Writes N rows of credit-risk test data for ci/bench by cycling the bundled fixture rows."""
import csv
import sys

rows, out = int(sys.argv[1]), sys.argv[2]
source = []
for name in ("fixtures/credit/train.csv", "fixtures/credit/test.csv"):
    with open(name, newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        source.extend(reader)
with open(out, "w", newline="") as handle:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(header)
    for i in range(rows):
        writer.writerow(source[i % len(source)])
