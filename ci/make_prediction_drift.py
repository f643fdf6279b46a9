#!/usr/bin/env python3
"""Prediction-drift fixtures for the `drift` category, derived from the credit data.

Usage: .venv/bin/python ci/make_prediction_drift.py
       (after ci/make_fixtures.py; then ci/prediction_drift_expected.py for the figures)

drift-shifted.csv (ci/make_drift.py) moves three features but hardly the
candidate's scores: its shifts pull the risk both ways (larger loans, older
applicants, more without a checking account). This file plants a shift that
raises the risk the candidate sees, as a campaign selling longer loans to
customers with overdrawn accounts would. Reads fixtures/credit/test.csv
(1000 rows) and train.csv as text and writes, in the CSV conventions of
ci/make_drift.py:

  fixtures/credit/drift-predictions.csv
      test.csv, row for row (1000 rows, label kept), with two columns changed;
      every other cell is the text of test.csv:
        LoanDuration    v + v // 2 (x1.5, rounded down), clipped to the
                        train.csv maximum (64).
        CheckingStatus  30 % of the rows that are not less_0 (rounded down)
                        become less_0; the rows are drawn uniformly without
                        replacement, numpy default_rng(20240917).choice
                        (the credit seed).
  fixtures/credit/payloads.jsonl
      a payload log: the first 200 rows of drift-predictions.csv as JSON
      Lines, one object per row with the features in header order and no
      label column (integers as JSON integers, text as strings).

Deterministic: two runs give byte-identical files.
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_drift import CREDIT, read_csv, write_csv  # noqa: E402

LABEL = "Risk"
DURATION = "LoanDuration"
CHECKING = "CheckingStatus"
CHECKING_TARGET = "less_0"
CHECKING_SHARE = 0.3
SEED = 20240917
PAYLOAD_ROWS = 200


def planted(header, test_rows, train_rows):
    col = {name: j for j, name in enumerate(header)}
    duration_max = max(int(r[col[DURATION]]) for r in train_rows)
    rows = [list(r) for r in test_rows]
    for r in rows:
        v = int(r[col[DURATION]])
        r[col[DURATION]] = str(min(v + v // 2, duration_max))
    j = col[CHECKING]
    others = np.array([i for i, r in enumerate(rows) if r[j] != CHECKING_TARGET])
    flip = np.random.default_rng(SEED).choice(others, size=int(len(others) * CHECKING_SHARE),
                                              replace=False)
    for i in flip:
        rows[int(i)][j] = CHECKING_TARGET
    return rows, {"duration_max": duration_max, "flipped": len(flip), "others": len(others)}


def payload(header, row):
    """One request row as a payload log records it: numbers as numbers, no label."""
    out = {}
    for name, text in zip(header, row):
        if name == LABEL:
            continue
        out[name] = int(text) if text.lstrip("-").isdigit() else text
    return out


def main():
    header, train_rows = read_csv(CREDIT / "train.csv")
    test_header, test_rows = read_csv(CREDIT / "test.csv")
    assert header == test_header
    rows, info = planted(header, test_rows, train_rows)
    write_csv(CREDIT / "drift-predictions.csv", header, rows)
    _, check = read_csv(CREDIT / "drift-predictions.csv")
    changed = {header.index(DURATION), header.index(CHECKING)}
    for a, b in zip(test_rows, check):
        assert all(a[j] == b[j] for j in range(len(header)) if j not in changed)
    assert check == rows
    print(f"make_prediction_drift: drift-predictions.csv {len(rows)} rows; {DURATION} x1.5 "
          f"(max {info['duration_max']}), {info['flipped']} of {info['others']} rows to "
          f"{CHECKING}={CHECKING_TARGET}", file=sys.stderr)

    with open(CREDIT / "payloads.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for row in rows[:PAYLOAD_ROWS]:
            f.write(json.dumps(payload(header, row), separators=(",", ":")) + "\n")
    print(f"make_prediction_drift: payloads.jsonl {PAYLOAD_ROWS} rows without {LABEL}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
