#!/usr/bin/env python3
"""Pipeline step 2 of 3: split a labelled CSV into training and validation sets.

Usage:
    prepare_data.py --data CSV --out-dir DIR [--label Risk] [--valid-share 0.2] [--fail]

Writes DIR/train.csv and DIR/valid.csv (the header plus the rows, byte for byte
as in CSV, in their original order) and DIR/prepare.env:

    rows_train=3200
    rows_valid=800

The split is stratified by the label and seeded (seed 0): the same input gives
the same files on every run and machine.

The planted failure: with --fail, or with MLGATE_PIPELINE_FAIL=prepare in the
environment (a comma-separated list of step names also works), the step reads
the data as if an upstream change had renamed the label column, so looking the
label up raises a genuine KeyError; Python prints the traceback to stderr and
the step exits 1 without writing anything.

Standard library only. No network; only the paths given.
"""
import argparse
import csv
import os
import random
import sys
import time

PROG = "prepare_data"
STEP = "prepare"
SEED = 0
MAX_DATA_BYTES = 50 * 1024 * 1024


def log(msg):
    print(f"{PROG}: {msg}", file=sys.stderr, flush=True)


def fail_requested(flag):
    wanted = os.environ.get("MLGATE_PIPELINE_FAIL", "")
    return flag or STEP in [w.strip() for w in wanted.split(",")]


def read_rows(path, fail):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        if fail:
            # The planted failure: the upstream export renamed the label column.
            header = [name.lower() for name in header]
        rows = [dict(zip(header, row)) for row in reader if row]
    return header, rows


def split(rows, label, valid_share):
    """Stratified split: indices of the training and the validation rows, sorted."""
    by_class = {}
    for i, row in enumerate(rows):
        by_class.setdefault(row[label], []).append(i)
    rng = random.Random(SEED)
    train, valid = [], []
    for value in sorted(by_class):
        indices = by_class[value]
        rng.shuffle(indices)
        n_valid = round(len(indices) * valid_share)
        valid.extend(indices[:n_valid])
        train.extend(indices[n_valid:])
    return sorted(train), sorted(valid)


def write_csv(path, header, rows, indices):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        for i in indices:
            writer.writerow([rows[i][name] for name in header])


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="prepare_data.py",
        description="Pipeline step 2/3: stratified, seeded train/validation split of a CSV; "
                    "writes DIR/train.csv, DIR/valid.csv and DIR/prepare.env.")
    parser.add_argument("--data", required=True, metavar="CSV", help="the labelled data file (at most 50 MB)")
    parser.add_argument("--out-dir", required=True, metavar="DIR", help="where to write the outputs (created)")
    parser.add_argument("--label", default="Risk", help="the label column (default: Risk)")
    parser.add_argument("--valid-share", type=float, default=0.2, metavar="SHARE",
                        help="share of each class kept for validation (default: 0.2)")
    parser.add_argument("--fail", action="store_true",
                        help="planted failure: crash with a KeyError (also MLGATE_PIPELINE_FAIL=prepare)")
    args = parser.parse_args(argv)
    if not 0 < args.valid_share < 1:
        parser.error("--valid-share must be between 0 and 1")
    if not os.path.isfile(args.data):
        parser.error(f"--data {args.data}: no such file")
    if os.path.getsize(args.data) > MAX_DATA_BYTES:
        parser.error(f"--data {args.data}: larger than the 50 MB this step reads")

    started = time.monotonic()
    fail = fail_requested(args.fail)
    print(f"[prepare] reading {args.data}", flush=True)
    header, rows = read_rows(args.data, fail)
    print(f"[prepare] {len(rows)} rows, {len(header)} columns; splitting by '{args.label}' "
          f"(seed {SEED}, validation share {args.valid_share})", flush=True)
    # With the planted failure the header is lower-cased: the label lookup raises KeyError.
    train, valid = split(rows, args.label, args.valid_share)

    os.makedirs(args.out_dir, exist_ok=True)
    write_csv(os.path.join(args.out_dir, "train.csv"), header, rows, train)
    write_csv(os.path.join(args.out_dir, "valid.csv"), header, rows, valid)
    env_path = os.path.join(args.out_dir, "prepare.env")
    with open(env_path, "w", encoding="utf-8") as f:
        f.write(f"rows_train={len(train)}\nrows_valid={len(valid)}\n")
    print(f"[prepare] rows_train={len(train)} rows_valid={len(valid)}; wrote {env_path}", flush=True)
    log(f"done in {time.monotonic() - started:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
