#!/usr/bin/env python3
"""Serve a pickled scikit-learn model as a JSON Lines "command model".

Usage: serve_model.py MODEL.pkl      (run with the repo's .venv python)

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
import sys
import time

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


def error_text(exc):
    msg = str(exc).strip().replace("\n", " ")
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


def encode(obj):
    return json.dumps(obj, allow_nan=False, separators=(",", ":"))


def handle_line(model, line):
    """One request line -> one response line (without the newline)."""
    try:
        req = json.loads(line)
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        return encode({"id": None, "error": f"invalid JSON request: {error_text(exc)}"})
    if not isinstance(req, dict):
        return encode({"id": None, "error": "invalid request: expected a JSON object"})
    rid = req.get("id")
    if "rows" not in req:
        return encode({"id": rid, "error": "ValueError: request has no 'rows' array"})
    try:
        result = score_rows(model, req["rows"])
    except Exception as exc:  # any scoring failure is answered, not fatal
        return encode({"id": rid, "error": error_text(exc)})
    response = {"id": rid}
    response.update(result)
    try:
        return encode(response)
    except ValueError:
        return encode({"id": rid, "error": "ValueError: model output contains NaN or infinity"})


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__ if len(argv) == 2 else f"usage: {PROG}.py MODEL.pkl", file=sys.stderr)
        return 0 if len(argv) == 2 else 2
    path = argv[1]
    out = sys.stdout
    sys.stdout = sys.stderr  # anything a library prints must not corrupt the protocol
    started = time.monotonic()
    try:
        model = load_model(path)
    except Exception as exc:
        log(f"cannot load model {path}: {error_text(exc)}")
        return 1
    kind = "classifier" if hasattr(model, "classes_") else "regressor"
    log(f"loaded {path} ({type(model).__name__}, {kind}) in {time.monotonic() - started:.2f}s; ready")
    served = 0
    try:
        for raw in sys.stdin.buffer:
            if not raw.strip():
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                answer = encode({"id": None, "error": f"invalid JSON request: {error_text(exc)}"})
            else:
                answer = handle_line(model, text)
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
