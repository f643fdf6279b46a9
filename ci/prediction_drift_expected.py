#!/usr/bin/env python3
"""Expected figures of the prediction-drift case ("no drift in the predictions").

Usage: .venv/bin/python ci/prediction_drift_expected.py
       (after ci/make_prediction_drift.py; writes
       fixtures/credit/expected-prediction-drift.json)

Independent of mlgate: each file is read with pandas (CSV; the label, when
present, is not sent) or json (JSON Lines), every row turned into the JSON
object the harness sends, and scored with serve_model.score_rows() -- the
code path of ci/serve_model.py -- after a JSON round trip, with the same
pickled model the suite names. What is compared per row:

  binary classification (probabilities): the probability of the positive
      class (the column of "classes" named positive), a numeric feature;
  multiclass: the predicted class (its text), a categorical feature;
  regression: the predicted value, a numeric feature.

The figures are those of ci/drift_expected.py, whose functions are imported
(each cross-checked there against a second computation):

  numeric      PSI on the reference deciles (numpy.quantile, method
               "linear", duplicates removed; bin = number of edges strictly
               below the value), shares floored at 1e-4; the two-sample KS
               D with Numerical Recipes' asymptotic p (not Holm-adjusted: the
               predictions are one question, not one of the features); the
               Wasserstein distance (scipy) over numpy.std(ref) (ddof 0,
               floored at 0.001).
  categorical  PSI over the classes of both files (sorted by text);
               scipy.stats.chi2_contingency without correction; the
               Jensen-Shannon distance (scipy, natural log).

Both the test and the distance figures are recorded for every pair; "path"
is the one mlgate's method "auto" takes (the test when the reference has at
most 1000 rows), and "verdict" follows it: "fail" when PSI >= 0.25, p < 0.05
or the distance >= 0.1; "warn" when PSI >= 0.1; else "pass". Medians (numeric)
are numpy.median of every value.

JSON: sorted keys, floats with repr precision, NaN written as null.
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scipy  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serve_model  # noqa: E402
from drift_expected import (ALPHA, DISTANCE_DRIFT, PSI_FAIL, PSI_WARN, TEST_MAX_REF,  # noqa: E402
                            categorical_psi, category_counts, chi2_test, clean, js_distance,
                            ks_test, numeric_psi, wasserstein_normed)
from expected_metrics import request_rows  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
OUTPUT = FIXTURES / "credit" / "expected-prediction-drift.json"

# name -> (directory, model, label, task, positive)
MODELS = {
    "credit": ("credit", "candidate.pkl", "Risk", "binary-classification", "Risk"),
    "wine": ("wine", "model.pkl", "cultivar", "multiclass", None),
    "diabetes": ("diabetes", "model.pkl", "progression", "regression", None),
}
# (model, reference, current)
PAIRS = [
    ("credit", "train.csv", "test.csv"),
    ("credit", "train.csv", "drift-predictions.csv"),
    ("credit", "train.csv", "drift-shifted.csv"),
    ("credit", "train.csv", "drift-resample.csv"),
    ("credit", "test.csv", "drift-predictions.csv"),
    ("credit", "test.csv", "payloads.jsonl"),
    ("wine", "train.csv", "test.csv"),
    ("diabetes", "train.csv", "test.csv"),
]


def rows_of(path, label):
    """The request rows of a file: every column but the label, as the harness sends them."""
    if path.suffix == ".jsonl":
        with open(path, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        return [{k: v for k, v in row.items() if k != label} for row in rows]
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    return request_rows(frame.drop(columns=[label], errors="ignore"))


def predictions(name, file):
    directory, model_file, label, task, positive = MODELS[name]
    base = FIXTURES / directory
    model = serve_model.load_model(base / model_file)
    response = serve_model.score_rows(model, rows_of(base / file, label))
    response = json.loads(serve_model.encode(response))  # exactly what goes over the wire
    if task == "regression":
        return "value", np.asarray(response["predictions"], dtype=np.float64)
    if task == "binary-classification" and "probabilities" in response:
        column = response["classes"].index(positive)
        return "score", np.asarray([p[column] for p in response["probabilities"]],
                                   dtype=np.float64)
    return "class", [str(v) for v in response["predictions"]]


def pair(name, ref_file, cur_file):
    subject, ref = predictions(name, ref_file)
    _, cur = predictions(name, cur_file)
    out = {"model": name, "reference": ref_file, "current": cur_file, "subject": subject,
           "n_ref": len(ref), "n_cur": len(cur)}
    if subject == "class":
        cats, rc, cc = category_counts(ref, cur)
        out["kind"] = "categorical"
        out["psi"] = categorical_psi(cats, rc, cc)
        out["test"] = chi2_test(rc, cc)
        out["distance"] = js_distance(rc, cc)
        out["test"]["drift"] = bool(out["test"]["p"] < ALPHA)
    else:
        out["kind"] = "numeric"
        out["psi"] = numeric_psi(ref, cur)
        out["test"] = ks_test(ref, cur)
        out["test"]["drift"] = bool(out["test"]["p"] < ALPHA)
        out["distance"] = wasserstein_normed(ref, cur)
        out["median_ref"] = float(np.median(ref))
        out["median_cur"] = float(np.median(cur))
    assert out["distance"]["drift"] == (out["distance"]["value"] >= DISTANCE_DRIFT)
    out["path"] = "test" if len(ref) <= TEST_MAX_REF else "distance"
    psi = out["psi"]["psi"]
    drift = out[out["path"]]["drift"]
    out["verdict"] = "fail" if psi >= PSI_FAIL or drift else "warn" if psi >= PSI_WARN else "pass"
    return out


def main():
    pairs = {}
    for name, ref, cur in PAIRS:
        key = f"{name}:{Path(ref).stem}->{Path(cur).stem}"
        pairs[key] = pair(name, ref, cur)
    doc = {"generated_by": "ci/prediction_drift_expected.py",
           "libraries": {"numpy": np.__version__, "scipy": scipy.__version__,
                         "pandas": pd.__version__},
           "models": {k: {"model": f"fixtures/{v[0]}/{v[1]}", "label": v[2], "task": v[3],
                          "positive": v[4]} for k, v in MODELS.items()},
           "pairs": pairs}
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write(json.dumps(clean(doc), indent=2, sort_keys=True, allow_nan=False) + "\n")
    for key, p in pairs.items():
        extra = (f" median {p['median_ref']:.4f} -> {p['median_cur']:.4f}"
                 if "median_ref" in p else "")
        print(f"{key:40s} {p['kind']:11s} {p['path']:8s} {p['verdict']:4s} "
              f"psi={p['psi']['psi']:.4f} p={p['test']['p']:.3g} "
              f"distance={p['distance']['value']:.4f}{extra}", file=sys.stderr)
    print(f"prediction_drift_expected: wrote {OUTPUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
