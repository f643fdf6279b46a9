#!/usr/bin/env python3
"""Write the schema fixtures and their expected findings, computed with pandas.

Usage: .venv/bin/python ci/schema_fixtures.py

Writes, under fixtures/credit/:
  test-corrupted.csv          a seeded copy of test.csv with planted anomalies:
                              Telephone dropped, CustomerId added, text in
                              LoanDuration, fractions in LoanAmount, ages outside
                              the range, an unknown Sex, missing savings, and a
                              numeric code in Housing
  expected-schema/inferred.json   per column of train.csv: type, min, max,
                              missing share, domain -- pandas' own reading, the
                              independent twin of `mlgate schema infer`
  expected-schema/anomalies.json  per (column, kind) of test-corrupted.csv against
                              that schema: rows, first lines, top values

The schema fixture itself (fixtures/credit/schema.yml) is written by mlgate:
  mlgate schema infer fixtures/credit/train.csv --label Risk -o fixtures/credit/schema.yml
and SchemaFixtureTests checks that it equals inferred.json.
"""
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
CREDIT = ROOT / "fixtures" / "credit"
MAX_DOMAIN = 50
SEED = 20261202


def read(path):
    # Every cell as text; "" and "NA" are missing, as mlgate's default missing markers.
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame.replace({"": None, "NA": None})


def as_number(text):
    """mlgate's CSV typing: a finite decimal number, but not text with a leading zero."""
    if text is None:
        return None
    body = text[1:] if text[:1] in "+-" else text
    if len(body) > 1 and body[0] == "0" and body[1].isdigit():
        return None
    if not text or not (text[0] in "+-." or text[0].isdigit()):
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def label_text(text):
    value = as_number(text)
    if value is not None and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return text


def infer(frame):
    columns = {}
    rows = len(frame)
    for name in frame.columns:
        cells = [c for c in frame[name] if c is not None]
        missing = rows - len(cells)
        numbers = [as_number(c) for c in cells]
        share = missing / rows
        entry = {"max_missing": 0 if missing == 0 else min(1, math.ceil(share * 10000) / 10000)}
        if cells and all(v is not None for v in numbers):
            whole = all(v == int(v) for v in numbers)
            entry.update(type="integer" if whole else "number", min=min(numbers), max=max(numbers))
        elif cells and all(v is None for v in numbers) and all(c.lower() in ("true", "false") for c in cells):
            entry["type"] = "boolean"
        else:
            domain = sorted({label_text(c) for c in cells})
            if cells and len(domain) <= MAX_DOMAIN:
                entry.update(type="categorical", values=domain)
            else:
                entry["type"] = "string"
        columns[name] = entry
    return {"rows": rows, "columns": columns}


def anomalies(frame, schema):
    rows = len(frame)
    out = []
    lines = np.arange(2, rows + 2)  # line 1 is the header; no quoted newlines in the fixture
    for name, rule in schema["columns"].items():
        if name not in frame.columns:
            out.append({"column": name, "kind": "missing_column", "rows": rows})
            continue
        cells = list(frame[name])
        bad = {"type_mismatch": [], "out_of_range": [], "unknown_category": []}
        for line, cell in zip(lines, cells):
            if cell is None:
                continue
            number = as_number(cell)
            kind = rule["type"]
            if kind in ("integer", "number"):
                if number is None or (kind == "integer" and number != int(number)):
                    bad["type_mismatch"].append((int(line), cell))
                elif number < rule["min"] or number > rule["max"]:
                    bad["out_of_range"].append((int(line), label_text(cell)))
            elif kind == "categorical" and label_text(cell) not in rule["values"]:
                bad["unknown_category"].append((int(line), label_text(cell)))
        for kind, found in bad.items():
            if not found:
                continue
            counts = pd.Series([v for _, v in found]).value_counts()
            top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
            out.append({"column": name, "kind": kind, "rows": len(found),
                        "first_lines": [line for line, _ in found[:5]],
                        "top_values": [[v, int(c)] for v, c in top]})
        missing = sum(1 for c in cells if c is None)
        if missing / rows > rule["max_missing"]:
            out.append({"column": name, "kind": "too_many_missing", "rows": missing})
    for name in frame.columns:
        if name not in schema["columns"]:
            out.append({"column": name, "kind": "unexpected_column", "rows": rows})
    return {"rows": rows, "anomalies": out}


def corrupt(test):
    rng = np.random.default_rng(SEED)
    frame = test.copy()
    n = len(frame)
    picks = rng.permutation(n)

    def take(count):
        nonlocal picks
        chosen, picks = picks[:count], picks[count:]
        return sorted(chosen)

    frame = frame.drop(columns=["Telephone"])
    frame.insert(0, "CustomerId", [f"C{i:05d}" for i in range(n)])
    frame.loc[take(7), "LoanDuration"] = "unknown"
    frame.loc[take(3), "LoanAmount"] = "1234.5"
    ages = take(5)
    frame.loc[ages[:3], "Age"] = "150"
    frame.loc[ages[3:], "Age"] = "-1"
    frame.loc[take(4), "Sex"] = "diverse"
    frame.loc[take(150), "ExistingSavings"] = None
    frame.loc[take(2), "Housing"] = "3"
    return frame


def main():
    train = read(CREDIT / "train.csv")
    schema = infer(train)
    corrupted = corrupt(read(CREDIT / "test.csv"))
    corrupted.to_csv(CREDIT / "test-corrupted.csv", index=False, lineterminator="\n", na_rep="")
    found = anomalies(read(CREDIT / "test-corrupted.csv"), schema)
    planted = {(a["column"], a["kind"]): a["rows"] for a in found["anomalies"]}
    expected = {("Telephone", "missing_column"): 1000, ("CustomerId", "unexpected_column"): 1000,
                ("LoanDuration", "type_mismatch"): 7, ("LoanAmount", "type_mismatch"): 3,
                ("Age", "out_of_range"): 5, ("Sex", "unknown_category"): 4,
                ("ExistingSavings", "too_many_missing"): 150, ("Housing", "unknown_category"): 2}
    assert planted == expected, planted
    out = CREDIT / "expected-schema"
    out.mkdir(exist_ok=True)
    (out / "inferred.json").write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n")
    (out / "anomalies.json").write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
    print("schema_fixtures: wrote fixtures/credit/test-corrupted.csv and expected-schema/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
