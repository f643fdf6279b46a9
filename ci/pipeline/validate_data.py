#!/usr/bin/env python3
"""Pipeline step 1 of 3: validate a CSV data file against an mlgate data schema.

Usage:
    validate_data.py --data CSV --schema SCHEMA.yml --outputs OUT.json

Reads CSV (refused above 50 MB) and SCHEMA.yml (the YAML `mlgate schema infer`
writes: version, label, columns with type / required / max_missing / min / max /
values), checks every column, then writes OUT.json:

    {"anomaly_status": false, "rows": 4000, "columns": 21}

anomaly_status is true when anything is off (a missing or unexpected column,
too many missing values, a value of the wrong type, out of range or outside the
domain). An anomaly is the step's *output*, not its failure: the step still
exits 0 and the gate judges the output parameter. Exit 2: bad arguments, an
unreadable or oversized file, a schema this light reader does not understand.

Standard library only (fast: no pandas). No network; only the paths given.
"""
import argparse
import csv
import json
import math
import os
import re
import sys
import time

PROG = "validate_data"
MAX_DATA_BYTES = 50 * 1024 * 1024
MAX_SCHEMA_BYTES = 4 * 1024 * 1024
TYPES = ("integer", "number", "boolean", "categorical", "string")
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


class InputError(Exception):
    """A file the step cannot work with (exit 2)."""


def log(msg):
    print(f"{PROG}: {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# A light reader for the schema YAML: the subset mlgate writes (one flow
# mapping per column) plus block-style columns a person may edit it into.
# --------------------------------------------------------------------------


def _strip_comment(line):
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
            elif ch == "\\" and quote == '"':
                continue
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


class _Flow:
    """Recursive-descent parser of a YAML flow value: {..}, [..], quoted or plain scalars.

    Scalars come back as (text, quoted) pairs; the caller types them by key."""

    def __init__(self, text, where):
        self.text, self.pos, self.where = text, 0, where

    def fail(self, msg):
        raise InputError(f"{self.where}: {msg} (at column {self.pos + 1})")

    def ws(self):
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1

    def peek(self):
        self.ws()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def value(self, stops):
        ch = self.peek()
        if ch == "{":
            return self.mapping()
        if ch == "[":
            return self.sequence()
        if ch in "\"'":
            return self.quoted(ch)
        return self.plain(stops)

    def quoted(self, q):
        self.pos += 1
        out = []
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            self.pos += 1
            if ch == q:
                if q == "'" and self.text[self.pos:self.pos + 1] == "'":
                    out.append("'")
                    self.pos += 1
                    continue
                return ("".join(out), True)
            if ch == "\\" and q == '"' and self.pos < len(self.text):
                esc = self.text[self.pos]
                self.pos += 1
                out.append({"n": "\n", "t": "\t"}.get(esc, esc))
            else:
                out.append(ch)
        self.fail("unterminated quoted string")

    def plain(self, stops):
        start = self.pos
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in stops:
                break
            if ch == ":" and (self.pos + 1 == len(self.text) or self.text[self.pos + 1] in " \t"):
                break
            self.pos += 1
        text = self.text[start:self.pos].strip()
        return (text, False)

    def sequence(self):
        self.pos += 1
        items = []
        if self.peek() == "]":
            self.pos += 1
            return items
        while True:
            items.append(self.value(",]"))
            ch = self.peek()
            self.pos += 1
            if ch == "]":
                return items
            if ch != ",":
                self.fail("expected ',' or ']'")

    def mapping(self):
        self.pos += 1
        out = {}
        if self.peek() == "}":
            self.pos += 1
            return out
        while True:
            key = self.value(",:}")
            if not isinstance(key, tuple):
                self.fail("a mapping key must be a scalar")
            if self.peek() != ":":
                self.fail("expected ':'")
            self.pos += 1
            out[key[0]] = self.value(",}")
            ch = self.peek()
            self.pos += 1
            if ch == "}":
                return out
            if ch != ",":
                self.fail("expected ',' or '}'")

    def whole(self):
        value = self.value("")
        if self.peek():
            self.fail("unexpected text after the value")
        return value


def _split_key(line, where):
    """'key: rest' (the key may be quoted) -> (key, rest)."""
    parser = _Flow(line.strip(), where)
    key = parser.value(":")
    if not isinstance(key, tuple) or parser.peek() != ":":
        raise InputError(f"{where}: expected 'key: value'")
    return key[0], parser.text[parser.pos + 1:].strip()


def _scalar(value, key, where):
    if not isinstance(value, tuple):
        raise InputError(f"{where}: '{key}' must be a single value")
    return value[0]


def _number(value, key, where):
    text = _scalar(value, key, where)
    if not NUMBER.fullmatch(text):
        raise InputError(f"{where}: '{key}' must be a number, found '{text}'")
    return float(text)


def _column(name, spec, where):
    if not isinstance(spec, dict):
        raise InputError(f"{where}: column '{name}' must be a mapping")
    col = {"name": name, "type": None, "required": True, "max_missing": 0.0,
           "min": None, "max": None, "values": None}
    for key, value in spec.items():
        if key == "type":
            col["type"] = _scalar(value, key, where)
            if col["type"] not in TYPES:
                raise InputError(f"{where}: unknown type '{col['type']}' for column '{name}'")
        elif key == "required":
            col["required"] = _scalar(value, key, where).lower() not in ("false", "no", "off", "n")
        elif key in ("max_missing", "min", "max"):
            col[key] = _number(value, key, where)
        elif key == "values":
            if not isinstance(value, list) or any(not isinstance(v, tuple) for v in value):
                raise InputError(f"{where}: 'values' must be a list of scalars")
            col["values"] = {v[0] for v in value}
        else:
            raise InputError(f"{where}: unknown key '{key}' for column '{name}'")
    if col["type"] is None:
        raise InputError(f"{where}: column '{name}' has no 'type'")
    return col


def read_schema(path):
    if os.path.getsize(path) > MAX_SCHEMA_BYTES:
        raise InputError(f"{path}: the schema file is larger than 4 MB")
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    label, columns = None, []
    in_columns = False
    current = None  # (name, dict, where, indent) of a block-style column being read
    block_list = None  # (dict, key) of a block sequence being read ("values:" then "- x")

    def close():
        nonlocal current
        if current:
            columns.append(_column(current[0], current[1], current[2]))
            current = None

    for number, raw in enumerate(lines, 1):
        where = f"{path}:{number}"
        line = _strip_comment(raw)
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent == 0:
            close()
            block_list = None
            key, rest = _split_key(line, where)
            in_columns = key == "columns"
            if key == "label":
                label = _scalar(_Flow(rest, where).whole(), key, where)
            elif key == "version" and rest.strip() != "1":
                raise InputError(f"{where}: only 'version: 1' exists")
            elif in_columns and rest:
                spec = _Flow(rest, where).whole()
                if not isinstance(spec, dict):
                    raise InputError(f"{where}: 'columns' must be a mapping")
                columns.extend(_column(k, v, where) for k, v in spec.items())
            continue
        if not in_columns:
            continue  # version/source/rows details: not needed here
        if current and indent > current[3]:
            if line.strip().startswith("- ") and block_list:
                block_list[0][block_list[1]].append(_Flow(line.strip()[2:], where).whole())
                continue
            key, rest = _split_key(line, where)
            if rest:
                current[1][key] = _Flow(rest, where).whole()
                block_list = None
            else:
                current[1][key] = []
                block_list = (current[1], key)
            continue
        close()
        block_list = None
        name, rest = _split_key(line, where)
        if rest:
            columns.append(_column(name, _Flow(rest, where).whole(), where))
        else:
            current = (name, {}, where, indent)
    close()
    if not columns:
        raise InputError(f"{path}: the schema has no 'columns'")
    return label, columns


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------


def admits(col, text):
    """Whether a present value `text` has the column's type, range and domain.

    Returns None when it does, else the anomaly kind."""
    kind = col["type"]
    if kind in ("integer", "number"):
        if not NUMBER.fullmatch(text):
            return "type_mismatch"
        value = float(text)
        if not math.isfinite(value) or (kind == "integer" and not value.is_integer()):
            return "type_mismatch"
        if (col["min"] is not None and value < col["min"]) or \
           (col["max"] is not None and value > col["max"]):
            return "out_of_range"
        return None
    if kind == "boolean":
        return None if text.lower() in ("true", "false", "0", "1") else "type_mismatch"
    if kind == "categorical" and col["values"] is not None and text not in col["values"]:
        return "unknown_category"
    return None


def validate(data_path, columns):
    """Returns (rows, number of columns in the file, [anomaly lines])."""
    anomalies = []
    with open(data_path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        try:
            header = next(reader)
        except StopIteration:
            return 0, 0, ["the file is empty"]
        by_name = {c["name"]: c for c in columns}
        for c in columns:
            if c["name"] not in header and c["required"]:
                anomalies.append(f"{c['name']}: missing_column")
        for name in header:
            if name not in by_name:
                anomalies.append(f"{name}: unexpected_column")
        slots = [(i, by_name[name]) for i, name in enumerate(header) if name in by_name]
        missing = {c["name"]: 0 for _, c in slots}
        bad = {}  # (column, kind) -> [count, first line, first value]
        rows = 0
        for line_no, row in enumerate(reader, 2):
            if not row:
                continue
            rows += 1
            if len(row) != len(header):
                anomalies.append(f"line {line_no}: {len(row)} fields, the header has {len(header)}")
                continue
            for i, col in slots:
                text = row[i]
                if text == "":
                    missing[col["name"]] += 1
                    continue
                kind = admits(col, text)
                if kind:
                    entry = bad.setdefault((col["name"], kind), [0, line_no, text])
                    entry[0] += 1
        for (name, kind), (count, first, value) in bad.items():
            anomalies.append(f"{name}: {kind} in {count} row(s), first at line {first}: {value!r}")
        for _, col in slots:
            n = missing[col["name"]]
            if rows and n / rows > col["max_missing"]:
                anomalies.append(f"{col['name']}: too_many_missing ({n} of {rows} rows)")
    if rows == 0:
        anomalies.append("the file has a header but no rows")
    return rows, len(header), anomalies


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="validate_data.py",
        description="Pipeline step 1/3: validate a CSV against an mlgate data schema; "
                    "writes {anomaly_status, rows, columns} as JSON (exit 0 even on anomalies).")
    parser.add_argument("--data", required=True, metavar="CSV", help="the data file (at most 50 MB)")
    parser.add_argument("--schema", required=True, metavar="SCHEMA.yml", help="an mlgate data schema")
    parser.add_argument("--outputs", required=True, metavar="OUT.json", help="where to write the output parameters")
    args = parser.parse_args(argv)

    started = time.monotonic()
    try:
        if not os.path.isfile(args.data):
            raise InputError(f"{args.data}: no such file")
        size = os.path.getsize(args.data)
        if size > MAX_DATA_BYTES:
            raise InputError(f"{args.data}: {size} bytes, larger than the 50 MB this step reads")
        label, columns = read_schema(args.schema)
        print(f"[validate] schema {args.schema}: {len(columns)} columns, label {label}", flush=True)
        print(f"[validate] reading {args.data} ({size} bytes)", flush=True)
        rows, ncols, anomalies = validate(args.data, columns)
    except (InputError, OSError, UnicodeDecodeError, csv.Error) as exc:
        log(f"error: {exc}")
        return 2

    for line in anomalies:
        print(f"[validate] anomaly: {line}", flush=True)
    result = {"anomaly_status": bool(anomalies), "rows": rows, "columns": ncols}
    out_dir = os.path.dirname(args.outputs)
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
    with open(args.outputs, "w", encoding="utf-8") as f:
        json.dump(result, f)
        f.write("\n")
    print(f"[validate] {rows} rows x {ncols} columns, {len(anomalies)} anomaly line(s); "
          f"wrote {args.outputs}", flush=True)
    log(f"done in {time.monotonic() - started:.2f}s (anomaly_status={str(bool(anomalies)).lower()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
