#!/usr/bin/env python3
"""Write the expected predictions and scikit-learn metrics for each fixture.

Usage: .venv/bin/python ci/expected_metrics.py [NAME ...]
       (ci/make_fixtures.py runs this at its end; NAME defaults to all)

For each fixture, test.csv is read with pandas (label as str for
classification, float for regression), every row is turned into the JSON
object the harness would send (numbers, strings, null) and scored with
serve_model.score_rows() -- the code path of ci/serve_model.py -- after a
JSON round trip. Outputs, under fixtures/<name>/<expected dir>/:

  predictions.csv  y_true,y_pred[,p_<class> ...]   (floats with repr precision)
  metrics.json     {"task", "positive" (binary), "classes" (classifiers), "n",
                    "label", "model", "metrics": {...}, "bootstrap": {...},
                    "bootstrap_settings": {...}}
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import csv  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402
from sklearn import metrics as skm  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serve_model  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

BOOTSTRAP = {"method": "percentile", "confidence_level": 0.95, "n_resamples": 9999,
             "random_state": 0, "paired": True, "vectorized": False,
             "function": "scipy.stats.bootstrap"}

# name -> (directory, model file, expected dir, label column, task, positive class)
FIXTURE_SPECS = {
    "credit": ("credit", "candidate.pkl", "expected", "Risk", "binary-classification", "Risk"),
    "credit-production": ("credit", "production.pkl", "expected-production", "Risk",
                          "binary-classification", "Risk"),
    "credit-weak": ("credit", "weak.pkl", "expected-weak", "Risk",
                    "binary-classification", "Risk"),
    "breast_cancer": ("breast_cancer", "model.pkl", "expected", "diagnosis",
                      "binary-classification", "malignant"),
    "wine": ("wine", "model.pkl", "expected", "cultivar", "multiclass", None),
    "wine-weak": ("wine", "weak.pkl", "expected-weak", "cultivar", "multiclass", None),
    "diabetes": ("diabetes", "model.pkl", "expected", "progression", "regression", None),
}


def _json_value(v):
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def request_rows(features):
    """DataFrame -> the list of row objects a harness would send, via JSON."""
    columns = {c: features[c].tolist() for c in features.columns}  # native values
    rows = [{c: _json_value(columns[c][i]) for c in features.columns}
            for i in range(len(features))]
    return json.loads(json.dumps(rows, allow_nan=False))


def read_test(path, label, task):
    dtype = {label: str} if task != "regression" else {label: "float64"}
    frame = pd.read_csv(path, dtype=dtype, keep_default_na=False, na_values=[""])
    y_true = frame[label]
    return frame.drop(columns=[label]), y_true


def _bootstrap(data, statistic):
    res = stats.bootstrap(
        data, statistic, n_resamples=BOOTSTRAP["n_resamples"], paired=True,
        vectorized=False, confidence_level=BOOTSTRAP["confidence_level"],
        method=BOOTSTRAP["method"], random_state=BOOTSTRAP["random_state"])
    return [float(res.confidence_interval.low), float(res.confidence_interval.high)]


def binary_metrics(y_true, y_pred, proba, classes, positive):
    negative = [c for c in classes if c != positive][0]
    score = proba[:, classes.index(positive)]
    tn, fp, fn, tp = skm.confusion_matrix(y_true, y_pred, labels=[negative, positive]).ravel()
    m = {
        "accuracy": skm.accuracy_score(y_true, y_pred),
        "precision": skm.precision_score(y_true, y_pred, pos_label=positive, zero_division=0),
        "recall": skm.recall_score(y_true, y_pred, pos_label=positive, zero_division=0),
        "f1_measure": skm.f1_score(y_true, y_pred, pos_label=positive, zero_division=0),
        "false_positive_rate": fp / (fp + tn) if (fp + tn) else 0.0,
        "area_under_roc": skm.roc_auc_score(y_true == positive, score),
        "area_under_pr": skm.average_precision_score(y_true, score, pos_label=positive),
        "log_loss": skm.log_loss(y_true, proba, labels=classes),
        "brier_score": skm.brier_score_loss(y_true, score, pos_label=positive),
        "matthews_correlation": skm.matthews_corrcoef(y_true, y_pred),
        "balanced_accuracy": skm.balanced_accuracy_score(y_true, y_pred),
    }
    boot = {
        "accuracy": _bootstrap((y_true, y_pred), skm.accuracy_score),
        "area_under_roc": _bootstrap(
            (y_true, score), lambda t, s: skm.roc_auc_score(t == positive, s)),
    }
    return m, boot


def multiclass_metrics(y_true, y_pred, proba, classes):
    def avg(fn, average):
        return fn(y_true, y_pred, labels=classes, average=average, zero_division=0)

    mcm = skm.multilabel_confusion_matrix(y_true, y_pred, labels=classes)
    fpr = np.array([fp / (fp + tn) if (fp + tn) else 0.0
                    for (tn, fp), (_fn, _tp) in mcm])
    support = np.array([(y_true == c).sum() for c in classes], dtype=float)
    p, r, f, s = skm.precision_recall_fscore_support(
        y_true, y_pred, labels=classes, zero_division=0)
    m = {
        "accuracy": skm.accuracy_score(y_true, y_pred),
        "weighted_precision": avg(skm.precision_score, "weighted"),
        "weighted_recall": avg(skm.recall_score, "weighted"),
        "weighted_f_measure": avg(skm.f1_score, "weighted"),
        "weighted_false_positive_rate": float(np.average(fpr, weights=support)),
        "macro_precision": avg(skm.precision_score, "macro"),
        "macro_recall": avg(skm.recall_score, "macro"),
        "macro_f1": avg(skm.f1_score, "macro"),
        "log_loss": skm.log_loss(y_true, proba, labels=classes),
        "matthews_correlation": skm.matthews_corrcoef(y_true, y_pred),
        "balanced_accuracy": skm.balanced_accuracy_score(y_true, y_pred),
        "per_class": {
            str(c): {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]),
                     "support": int(s[i])}
            for i, c in enumerate(classes)
        },
    }
    boot = {"accuracy": _bootstrap((y_true, y_pred), skm.accuracy_score)}
    return m, boot


def regression_metrics(y_true, y_pred):
    m = {
        "mean_absolute_error": skm.mean_absolute_error(y_true, y_pred),
        "mean_squared_error": skm.mean_squared_error(y_true, y_pred),
        "root_mean_squared_error": skm.root_mean_squared_error(y_true, y_pred),
        "r2": skm.r2_score(y_true, y_pred),
        "mean_absolute_percentage_error": skm.mean_absolute_percentage_error(y_true, y_pred),
        "explained_variance": skm.explained_variance_score(y_true, y_pred),
    }
    boot = {"mean_absolute_error": _bootstrap((y_true, y_pred), skm.mean_absolute_error)}
    return m, boot


def _floats(obj):
    """numpy scalars -> Python floats/ints, recursively."""
    if isinstance(obj, dict):
        return {k: _floats(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_floats(v) for v in obj]
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        return float(obj)
    return obj


def _cell(v):
    if isinstance(v, float):
        return repr(v)
    return str(v)


def write_predictions(path, y_true, predictions, probabilities, classes):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        header = ["y_true", "y_pred"] + [f"p_{c}" for c in (classes or [])]
        w.writerow(header)
        for i, yt in enumerate(y_true):
            row = [yt, predictions[i]] + (list(probabilities[i]) if classes else [])
            w.writerow([_cell(v) for v in row])


def run_one(name):
    directory, model_file, expected_dir, label, task, positive = FIXTURE_SPECS[name]
    base = FIXTURES / directory
    model = serve_model.load_model(base / model_file)
    features, y_true_s = read_test(base / "test.csv", label, task)
    response = serve_model.score_rows(model, request_rows(features))
    response = json.loads(serve_model.encode(response))  # exactly what goes over the wire
    predictions = response["predictions"]
    out = base / expected_dir
    out.mkdir(parents=True, exist_ok=True)

    doc = {"task": task}
    if task == "regression":
        y_true = y_true_s.to_numpy(dtype=np.float64)
        y_pred = np.asarray(predictions, dtype=np.float64)
        write_predictions(out / "predictions.csv", y_true.tolist(), y_pred.tolist(), None, None)
        m, boot = regression_metrics(y_true, y_pred)
    else:
        classes = response["classes"]
        y_true = y_true_s.to_numpy(dtype=object)
        y_pred = np.asarray(predictions, dtype=object)
        proba = np.asarray(response["probabilities"], dtype=np.float64)
        write_predictions(out / "predictions.csv", y_true.tolist(), predictions,
                          response["probabilities"], classes)
        if task == "binary-classification":
            doc["positive"] = positive
            m, boot = binary_metrics(y_true, y_pred, proba, classes, positive)
        else:
            m, boot = multiclass_metrics(y_true, y_pred, proba, classes)
        doc["classes"] = classes
    doc.update({"n": int(len(y_true)), "label": label, "model": f"{directory}/{model_file}",
                "metrics": _floats(m), "bootstrap": _floats(boot),
                "bootstrap_settings": BOOTSTRAP})
    with open(out / "metrics.json", "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(doc, indent=2, allow_nan=False) + "\n")
    headline = {k: doc["metrics"][k] for k in ("area_under_roc", "accuracy", "r2",
                                               "mean_absolute_error") if k in doc["metrics"]}
    print(f"expected_metrics: {name}: n={doc['n']} "
          + " ".join(f"{k}={v:.4f}" for k, v in headline.items()), file=sys.stderr)


def main(argv):
    names = argv or list(FIXTURE_SPECS)
    unknown = [n for n in names if n not in FIXTURE_SPECS]
    if unknown:
        print(f"expected_metrics: unknown fixture(s) {unknown}; known: {list(FIXTURE_SPECS)}",
              file=sys.stderr)
        return 2
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        for name in names:
            run_one(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
