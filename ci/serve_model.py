#!/usr/bin/env python3
"""Serve a pickled scikit-learn model as a JSON Lines "command model".

Usage: serve_model.py [--strict] [--defect NAME] [--record FILE] MODEL.pkl
       (run with the repo's .venv python)

  --strict        validate every row before scoring, as a careful service does: exactly
                  the model's fields, finite numbers in numeric columns, known categories
                  in categorical ones (read from the fitted pipeline); anything else is
                  answered with an error naming the row and the field.
  --defect NAME   plant a defect for mlgate's own tests:
                  unnormalised    probabilities scaled by 0.9 (they no longer sum to 1)
                  crash-on-empty  the process exits on a request with no rows
  --record FILE   append every request line to FILE (ci/bench-behavioural replays them
                  through the model alone to time the model's own share)

Protocol (one JSON object per line, UTF-8, over stdin/stdout):

  request   {"id": 7, "rows": [{"CheckingStatus": "less_0", "LoanDuration": 31,
                                "Sex": null, ...}, ...]}
            Rows are objects keyed by feature name; values are JSON numbers,
            strings or null. null and missing keys become NaN; keys the model
            does not know are ignored. The label column is never sent.

  response  classifier: {"id": 7, "predictions": [label, ...],
                         "probabilities": [[p0, p1, ...], ...],
                         "classes": [c0, c1, ...]}
            regressor:  {"id": 7, "predictions": [float, ...]}
            failure:    {"id": 7, "error": "<ExceptionType>: <message>"}
            bad line:   {"id": null, "error": "..."}

predictions are model.predict(X), probabilities are model.predict_proba(X)
in the order of "classes" (= model.classes_). Floats are written with repr
precision (they round-trip exactly); NaN/Infinity are never written: a
non-finite output is answered with an error instead. Blank lines are
ignored. Logging goes to stderr only; stdout is flushed after every
response; the process exits 0 at EOF on stdin.

score_rows() is the single scoring code path: ci/expected_metrics.py imports
it so that the expected metrics are computed exactly as served.
"""
import json
import os
import sys
import time

# One scoring thread, as a service runs one worker per core: OpenMP's spinning threads
# (HistGradientBoosting) make small batches several times slower on a busy machine.
for _threads in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")

PROG = "serve_model"


def log(msg):
    print(f"{PROG}: {msg}", file=sys.stderr, flush=True)


def load_model(path):
    import joblib  # imported lazily: argument errors answer fast

    return joblib.load(path)


def _native(values):
    """A numpy array (or list) as a list of native JSON-able Python values."""
    out = values.tolist() if hasattr(values, "tolist") else list(values)

    def conv(v):
        if isinstance(v, list):
            return [conv(x) for x in v]
        if hasattr(v, "item") and not isinstance(v, (str, bytes)):
            return v.item()  # numpy scalar left inside an object array
        return v

    return [conv(v) for v in out]


def feature_names(model):
    names = getattr(model, "feature_names_in_", None)
    return None if names is None else [str(n) for n in names]


def rows_to_frame(model, rows):
    """Build the model input from request rows.

    Columns follow model.feature_names_in_ when the model has it (missing
    keys and null -> NaN, extra keys ignored). A model fitted without feature
    names gets a plain array with the keys of the first row, in order.
    """
    import numpy as np
    import pandas as pd

    if not isinstance(rows, list):
        raise TypeError("'rows' must be an array of objects")
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise TypeError(f"row {i} is not a JSON object")
    names = feature_names(model)
    named = names is not None
    if not named:
        names = list(rows[0].keys()) if rows else []
    data = {}
    for name in names:
        values = [row.get(name) for row in rows]
        if all(v is None for v in values):
            # An all-null column must not become float64: a string column
            # (OneHotEncoder) would then fail with a confusing isnan TypeError.
            data[name] = pd.Series([np.nan] * len(values), dtype=object)
        else:
            data[name] = pd.Series([np.nan if v is None else v for v in values])
    frame = pd.DataFrame(data, columns=names, index=range(len(rows)))
    return frame if named else frame.to_numpy()


def score_rows(model, rows):
    """Score request rows; returns the response object without "id"."""
    if not isinstance(rows, list):
        raise TypeError("'rows' must be an array of objects")
    is_classifier = hasattr(model, "classes_")
    if len(rows) == 0:
        out = {"predictions": []}
        if is_classifier:
            if hasattr(model, "predict_proba"):
                out["probabilities"] = []
            out["classes"] = _native(model.classes_)
        return out
    X = rows_to_frame(model, rows)
    out = {"predictions": _native(model.predict(X))}
    if is_classifier:
        if hasattr(model, "predict_proba"):
            out["probabilities"] = _native(model.predict_proba(X))
        out["classes"] = _native(model.classes_)
    return out


def column_kinds(model):
    """{column: None (numeric) or set of known categories}, from the fitted
    ColumnTransformer of a pipeline; None when the model has none."""
    steps = getattr(model, "named_steps", {})
    for step in steps.values():
        fitted = getattr(step, "transformers_", None)
        if fitted is None:
            continue
        kinds = {}
        for _, transformer, columns in fitted:
            if isinstance(transformer, str) or not isinstance(columns, list):
                continue
            categories = getattr(transformer, "categories_", None)
            for i, column in enumerate(columns):
                kinds[str(column)] = None if categories is None else {str(c) for c in categories[i]}
        return kinds
    return None


def check_rows(model, kinds, rows):
    """Raise ValueError naming the row and field of the first invalid value."""
    if not isinstance(rows, list):
        raise TypeError("'rows' must be an array of objects")
    names = feature_names(model) or []
    expected = set(names)
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise TypeError(f"row {i + 1} is not a JSON object")
        missing = [n for n in names if n not in row]
        if missing:
            raise ValueError(f"row {i + 1}: missing field '{missing[0]}'")
        extra = [k for k in row if k not in expected]
        if extra:
            raise ValueError(f"row {i + 1}: unknown field '{extra[0]}'")
        for name in names:
            value = row[name]
            kind = kinds.get(name, None) if kinds else None
            if value is None:
                raise ValueError(f"row {i + 1}: field '{name}' is null")
            if kinds is not None and name in kinds and kind is None:
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise ValueError(f"row {i + 1}: field '{name}' must be a number")
                if value != value or value in (float("inf"), float("-inf")):
                    raise ValueError(f"row {i + 1}: field '{name}' must be finite")
            elif kind is not None:
                if not isinstance(value, str):
                    raise ValueError(f"row {i + 1}: field '{name}' must be a string")
                if value not in kind:
                    raise ValueError(f"row {i + 1}: field '{name}' has an unknown category")


def error_text(exc):
    msg = str(exc).strip().replace("\n", " ")
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


def encode(obj):
    return json.dumps(obj, allow_nan=False, separators=(",", ":"))


def handle_line(model, line, strict=None, defect=None):
    """One request line -> one response line (without the newline).

    strict: the column kinds of --strict ({} when the model has no pipeline), else None."""
    try:
        req = json.loads(line)
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        return encode({"id": None, "error": f"invalid JSON request: {error_text(exc)}"})
    if not isinstance(req, dict):
        return encode({"id": None, "error": "invalid request: expected a JSON object"})
    rid = req.get("id")
    if "rows" not in req:
        return encode({"id": rid, "error": "ValueError: request has no 'rows' array"})
    rows = req["rows"]
    if defect == "crash-on-empty" and rows == []:
        log("planted defect: exiting on an empty batch")
        sys.stderr.flush()
        os._exit(70)
    try:
        if strict is not None:
            check_rows(model, strict, rows)
        result = score_rows(model, rows)
    except Exception as exc:  # any scoring failure is answered, not fatal
        return encode({"id": rid, "error": error_text(exc)})
    if defect == "unnormalised" and "probabilities" in result:
        result["probabilities"] = [[p * 0.9 for p in row] for row in result["probabilities"]]
    response = {"id": rid}
    response.update(result)
    try:
        return encode(response)
    except ValueError:
        return encode({"id": rid, "error": "ValueError: model output contains NaN or infinity"})


DEFECTS = ("unnormalised", "crash-on-empty")


def main(argv):
    args = argv[1:]
    if args and args[0] in ("-h", "--help"):
        print(__doc__, file=sys.stderr)
        return 0
    strict = False
    defect = None
    record = None
    while args and args[0].startswith("--"):
        flag = args.pop(0)
        if flag == "--strict":
            strict = True
        elif flag == "--record" and args:
            record = open(args.pop(0), "ab")
        elif flag == "--defect" and args and args[0] in DEFECTS:
            defect = args.pop(0)
        else:
            print(f"usage: {PROG}.py [--strict] [--defect {'|'.join(DEFECTS)}] [--record FILE] MODEL.pkl", file=sys.stderr)
            return 2
    if len(args) != 1:
        print(f"usage: {PROG}.py [--strict] [--defect {'|'.join(DEFECTS)}] [--record FILE] MODEL.pkl", file=sys.stderr)
        return 2
    path = args[0]
    out = sys.stdout
    sys.stdout = sys.stderr  # anything a library prints must not corrupt the protocol
    started = time.monotonic()
    try:
        model = load_model(path)
    except Exception as exc:
        log(f"cannot load model {path}: {error_text(exc)}")
        return 1
    kind = "classifier" if hasattr(model, "classes_") else "regressor"
    kinds = (column_kinds(model) or {}) if strict else None
    log(f"loaded {path} ({type(model).__name__}, {kind}) in {time.monotonic() - started:.2f}s; ready")
    served = 0
    try:
        for raw in sys.stdin.buffer:
            if not raw.strip():
                continue
            if record is not None:
                record.write(raw)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                answer = encode({"id": None, "error": f"invalid JSON request: {error_text(exc)}"})
            else:
                answer = handle_line(model, text, kinds, defect)
            out.write(answer + "\n")
            out.flush()
            served += 1
    except BrokenPipeError:
        log("stdout closed by the reader; exiting")
        return 0
    except KeyboardInterrupt:
        return 130
    log(f"EOF after {served} request(s); exiting")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
