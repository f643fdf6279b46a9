#!/usr/bin/env python3
"""Drift fixtures for the `drift` test category, derived from the credit data.

Usage: .venv/bin/python ci/make_drift.py
       (after ci/make_fixtures.py; then ci/drift_expected.py for the figures)

Reads fixtures/credit/train.csv (4000 rows) and fixtures/credit/test.csv
(1000 rows) as text and writes, in the same CSV format (same header and
column order, "\\n" line endings, RFC 4180 quoting only when needed, integers
without ".0", floats with repr):

  fixtures/credit/drift-shifted.csv
      test.csv, row for row (1000 rows, label kept), with a planted drift in
      exactly three columns; every other cell is the text of test.csv:
        LoanAmount      round(v * 1.4) (v * 1.4 never ends in .5 for an
                        integer v, so no tie rule is needed), clipped to the
                        train.csv maximum (11676).
        Age             v + 8, clipped to the train.csv maximum (74).
        CheckingStatus  no_checking is 39.5 % of test.csv (395 rows), so it
                        cannot become 3x as common (1185 > 1000 rows). The
                        planted shift triples its *odds* against the other
                        categories instead: target = round(1000 * 3o / (1 + 3o))
                        with o = 395 / 605, i.e. 662 rows (x1.68 the share,
                        the others x0.56). The 267 rows turned into
                        no_checking are drawn uniformly without replacement
                        from the 605 rows of the other categories
                        (numpy default_rng(20240917).choice, the credit seed), so every
                        other category loses about the same fraction.
  fixtures/credit/drift-resample.csv
      1000 rows of train.csv drawn without replacement,
      numpy default_rng(1).choice(4000, 1000, replace=False), written in
      train.csv order (indices sorted): the healthy twin, no drift.
  fixtures/credit/drift-resample-seed2.csv
      the same with default_rng(2).

Deterministic: no unseeded randomness; two runs give byte-identical files.
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import csv  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CREDIT = ROOT / "fixtures" / "credit"

AMOUNT_FACTOR = 1.4
AGE_SHIFT = 8
CHECKING_TARGET = "no_checking"
CHECKING_ODDS_FACTOR = 3.0
CHECKING_SEED = 20240917
RESAMPLE_ROWS = 1000
RESAMPLES = {"drift-resample.csv": 1, "drift-resample-seed2.csv": 2}

# --------------------------------------------------------------------------
# CSV (the writer conventions of ci/make_fixtures.py)
# --------------------------------------------------------------------------


def _cell(value):
    """Format one value: ints as ints, floats with repr (round-trip), text as is."""
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if math.isnan(value):
            return ""
        if math.isinf(value):
            raise ValueError("refusing to write infinity to a fixture CSV")
        return repr(value)
    return str(value)


def read_csv(path):
    """Header and rows, every cell as the text written in the file."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write_csv(path, header, rows):
    """RFC 4180 CSV with a header row, "\\n" line endings."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(v) for v in row])


# --------------------------------------------------------------------------


def shifted(header, test_rows, train_rows):
    col = {name: j for j, name in enumerate(header)}
    amount_max = max(int(r[col["LoanAmount"]]) for r in train_rows)
    age_max = max(int(r[col["Age"]]) for r in train_rows)
    rows = [list(r) for r in test_rows]
    for r in rows:
        amount = int(r[col["LoanAmount"]]) * AMOUNT_FACTOR
        assert abs(amount - math.floor(amount) - 0.5) > 1e-6, amount  # no .5 ties
        r[col["LoanAmount"]] = min(int(round(amount)), amount_max)
        r[col["Age"]] = min(int(r[col["Age"]]) + AGE_SHIFT, age_max)

    j = col["CheckingStatus"]
    n = len(rows)
    others = np.array([i for i, r in enumerate(rows) if r[j] != CHECKING_TARGET])
    odds = (n - len(others)) / len(others)
    target = round(n * CHECKING_ODDS_FACTOR * odds / (1 + CHECKING_ODDS_FACTOR * odds))
    flip = np.random.default_rng(CHECKING_SEED).choice(others, size=target - (n - len(others)),
                                                       replace=False)
    for i in flip:
        rows[int(i)][j] = CHECKING_TARGET
    return rows, {"amount_max": amount_max, "age_max": age_max, "checking_before": n - len(others),
                  "checking_after": target}


def resample(train_rows, seed):
    idx = np.sort(np.random.default_rng(seed).choice(len(train_rows), size=RESAMPLE_ROWS,
                                                     replace=False))
    return [train_rows[int(i)] for i in idx]


def main():
    header, train_rows = read_csv(CREDIT / "train.csv")
    test_header, test_rows = read_csv(CREDIT / "test.csv")
    assert header == test_header

    rows, info = shifted(header, test_rows, train_rows)
    write_csv(CREDIT / "drift-shifted.csv", header, rows)
    print(f"make_drift: drift-shifted.csv {len(rows)} rows; LoanAmount x{AMOUNT_FACTOR} "
          f"(max {info['amount_max']}), Age +{AGE_SHIFT} (max {info['age_max']}), "
          f"{CHECKING_TARGET} {info['checking_before']} -> {info['checking_after']}",
          file=sys.stderr)

    # Every column but the three planted ones must be the text of test.csv.
    _, check = read_csv(CREDIT / "drift-shifted.csv")
    planted = {header.index(c) for c in ("LoanAmount", "Age", "CheckingStatus")}
    for a, b in zip(test_rows, check):
        assert all(a[j] == b[j] for j in range(len(header)) if j not in planted)
    assert len(check) == len(test_rows)

    train_lines = (CREDIT / "train.csv").read_text(encoding="utf-8").split("\n")[1:]
    for name, seed in RESAMPLES.items():
        write_csv(CREDIT / name, header, resample(train_rows, seed))
        lines = (CREDIT / name).read_text(encoding="utf-8").split("\n")[1:-1]
        assert len(lines) == RESAMPLE_ROWS and set(lines) <= set(train_lines)
        print(f"make_drift: {name} {RESAMPLE_ROWS} rows of train.csv (seed {seed})",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
