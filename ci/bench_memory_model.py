#!/usr/bin/env python3
"""A fast stand-in classifier for ci/bench-memory: mlgate's own memory per scored row is
measured over millions of rows, where a real model's scoring time would dominate the run.

Same JSON Lines protocol as serve_model.py. The score is a fixed, deterministic function of
LoanAmount and Age (so the area under ROC is a real, data-dependent number); the label is
the score rounded at 0.5.
"""
import json
import math
import sys


def score(row):
    amount = row.get("LoanAmount") or 0
    age = row.get("Age") or 0
    try:
        z = (float(amount) - 3000.0) / 2500.0 - (float(age) - 35.0) / 20.0
    except (TypeError, ValueError):
        z = 0.0
    return 1.0 / (1.0 + math.exp(-z))


def main():
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        scores = [score(row) for row in request["rows"]]
        answer = {
            "id": request["id"],
            "predictions": ["Risk" if s >= 0.5 else "No Risk" for s in scores],
            "probabilities": [[1.0 - s, s] for s in scores],
            "classes": ["No Risk", "Risk"],
        }
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
