#!/usr/bin/env python3
"""Expected figures of the behavioural tests (CheckList: MFT, INV, DIR) on the credit models.

Usage: .venv/bin/python ci/behavioural_expected.py
       (after ci/make_fixtures.py; writes fixtures/credit/expected-behavioural.json)

Computed with pandas and scikit-learn alone, independently of mlgate, so that
mlgate's own figures can be compared with them. Every model is scored on all
1000 rows of test.csv (read with keep_default_na=False, na_values=[""], label
column Risk dropped); the reference data is train.csv. s = P(Risk), the
predict_proba column of "Risk"; a label is model.predict.

  inv_sex       variant: Sex swapped (male <-> female). Tested: rows whose Sex is
                male or female. Fails: the label changes (failing), or the label
                changes or |s' - s| > 0.1 (failing_tol_0_1).
  dir_duration  variant: LoanDuration x -> x + trunc(x * 1.5 - x), clipped to
                train.csv's [min, max]. Tested: rows whose value changed. Expect
                s not decreasing: fails when s' - s < -0.0 (failing) or
                s' - s < -0.01 (failing_tol_0_01).
  mft_safe      mft-safe.csv: fails when the label is not "No Risk".
  mft_risky     mft-risky.csv: fails when the label is not "Risk".
  inv_noise     calibration only (mlgate draws its own random numbers). Per seed
                0..19: rng = numpy.random.default_rng(seed); for LoanAmount, Age,
                LoanDuration in that order, x -> x + trunc(rng.uniform(-a, a, n))
                with a = 0.25 * spread (spread = IQR / 1.349 of train.csv, numpy
                percentile, linear), clipped to train.csv's [min, max]. Tested:
                rows where at least one value changed. Fails: the label changes.
                The failure rate (failing / tested) is averaged over the seeds,
                with its min and max.
  accuracy, area_under_roc   on test.csv, positive class "Risk".

columns: per integer column of train.csv, min, max, spread (IQR / 1.349) and
std (ddof=1), the reference figures the perturbations use.

The JSON has sorted keys and floats rounded to 6 decimals; the run is
deterministic (no randomness except the seeded noise, single-threaded BLAS).
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import joblib  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn import metrics as skm  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CREDIT = ROOT / "fixtures" / "credit"
OUTPUT = CREDIT / "expected-behavioural.json"

LABEL = "Risk"
POSITIVE = "Risk"
NEGATIVE = "No Risk"
MODELS = ["candidate.pkl", "twin-seed1.pkl", "production.pkl", "defect-uses-sex.pkl",
          "defect-nonmonotone.pkl", "defect-misses-obvious.pkl", "defect-fragile.pkl"]
NUMERIC = ["LoanDuration", "LoanAmount", "InstallmentPercent", "CurrentResidenceDuration",
           "Age", "ExistingCreditsCount", "Dependents"]
SEX_SWAP = {"male": "female", "female": "male"}
SEX_TOLERANCE = 0.1
DURATION_FACTOR = 1.5
DURATION_TOLERANCE = 0.01
NOISE_COLUMNS = ["LoanAmount", "Age", "LoanDuration"]
NOISE_SIZE = 0.25          # times the column's spread
NOISE_SEEDS = list(range(20))
DIGITS = 6


def read(path):
    return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={LABEL: str})


def reference_columns(train):
    out = {}
    for c in NUMERIC:
        x = train[c].to_numpy(dtype=np.float64)
        q25, q75 = np.percentile(x, [25, 75])  # method="linear"
        out[c] = {"min": int(train[c].min()), "max": int(train[c].max()),
                  "spread": float((q75 - q25) / 1.349), "std": float(np.std(x, ddof=1))}
    return out


def p_risk(model, X):
    return model.predict_proba(X)[:, list(model.classes_).index(POSITIVE)]


def inv_sex(model, X):
    tested = X["Sex"].isin(list(SEX_SWAP)).to_numpy()
    variant = X.copy()
    variant["Sex"] = X["Sex"].map(lambda v: SEX_SWAP.get(v, v))
    flipped = model.predict(X) != model.predict(variant)
    moved = np.abs(p_risk(model, variant) - p_risk(model, X)) > SEX_TOLERANCE
    return {"tested": int(tested.sum()),
            "failing": int((flipped & tested).sum()),
            "failing_tol_0_1": int(((flipped | moved) & tested).sum())}


def dir_duration(model, X, columns):
    x = X["LoanDuration"].to_numpy(dtype=np.int64)
    step = np.trunc(x * DURATION_FACTOR - x).astype(np.int64)
    ref = columns["LoanDuration"]
    v = np.clip(x + step, ref["min"], ref["max"])
    tested = v != x
    variant = X.copy()
    variant["LoanDuration"] = v.astype(np.int64)
    delta = (p_risk(model, variant) - p_risk(model, X))[tested]
    return {"tested": int(tested.sum()),
            "failing": int((delta < -0.0).sum()),
            "failing_tol_0_01": int((delta < -DURATION_TOLERANCE).sum())}


def mft(model, cases, expected):
    return {"tested": int(len(cases)), "failing": int((model.predict(cases) != expected).sum())}


def inv_noise(model, X, columns, size=NOISE_SIZE, seeds=NOISE_SEEDS):
    original = model.predict(X)
    rates, tested_counts = [], []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        variant = X.copy()
        changed = np.zeros(len(X), dtype=bool)
        for c in NOISE_COLUMNS:
            x = X[c].to_numpy(dtype=np.int64)
            a = size * columns[c]["spread"]
            noise = np.trunc(rng.uniform(-a, a, len(x))).astype(np.int64)
            v = np.clip(x + noise, columns[c]["min"], columns[c]["max"])
            changed |= v != x
            variant[c] = v.astype(np.int64)
        failing = (model.predict(variant) != original) & changed
        rates.append(failing.sum() / changed.sum())
        tested_counts.append(int(changed.sum()))
    return {"size": size, "seeds": len(seeds), "tested_mean": float(np.mean(tested_counts)),
            "mean": float(np.mean(rates)), "min": float(np.min(rates)),
            "max": float(np.max(rates))}


def _rounded(obj):
    if isinstance(obj, dict):
        return {k: _rounded(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_rounded(v) for v in obj]
    if isinstance(obj, (float, np.floating)):
        return round(float(obj), DIGITS)
    if isinstance(obj, np.integer):
        return int(obj)
    return obj


def evaluate(model, X, y, safe, risky, columns):
    labels = model.predict(X)
    return {
        "accuracy": float(skm.accuracy_score(y, labels)),
        "area_under_roc": float(skm.roc_auc_score(y == POSITIVE, p_risk(model, X))),
        "inv_sex": inv_sex(model, X),
        "dir_duration": dir_duration(model, X, columns),
        "mft_safe": mft(model, safe, NEGATIVE),
        "mft_risky": mft(model, risky, POSITIVE),
        "inv_noise": inv_noise(model, X, columns),
    }


def main():
    from threadpoolctl import threadpool_limits

    train = read(CREDIT / "train.csv")
    test = read(CREDIT / "test.csv")
    X, y = test.drop(columns=[LABEL]), test[LABEL].to_numpy(dtype=object)
    safe, risky = read(CREDIT / "mft-safe.csv"), read(CREDIT / "mft-risky.csv")
    columns = reference_columns(train)
    doc = {
        "n": int(len(X)),
        "reference": "train.csv",
        "test": "test.csv",
        "columns": columns,
        "settings": {
            "inv_sex": {"swap": SEX_SWAP, "tolerance": SEX_TOLERANCE},
            "dir_duration": {"column": "LoanDuration", "factor": DURATION_FACTOR,
                             "expect": "not_decreasing", "tolerance": 0.0,
                             "second_tolerance": DURATION_TOLERANCE},
            "mft_safe": {"file": "mft-safe.csv", "expect": NEGATIVE},
            "mft_risky": {"file": "mft-risky.csv", "expect": POSITIVE},
            "inv_noise": {"columns": NOISE_COLUMNS, "size": NOISE_SIZE,
                          "spread": "IQR / 1.349", "seeds": NOISE_SEEDS},
        },
        "models": {},
    }
    with threadpool_limits(limits=1):
        for name in MODELS:
            model = joblib.load(CREDIT / name)
            doc["models"][name] = evaluate(model, X, y, safe, risky, columns)
            m = doc["models"][name]
            print(f"behavioural_expected: {name}: acc={m['accuracy']:.4f} "
                  f"auc={m['area_under_roc']:.4f} "
                  f"inv_sex={m['inv_sex']['failing']}/{m['inv_sex']['tested']} "
                  f"dir={m['dir_duration']['failing']}/{m['dir_duration']['tested']} "
                  f"mft_safe={m['mft_safe']['failing']}/{m['mft_safe']['tested']} "
                  f"mft_risky={m['mft_risky']['failing']}/{m['mft_risky']['tested']} "
                  f"noise={m['inv_noise']['mean']:.4f}", file=sys.stderr)
    with open(OUTPUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(_rounded(doc), indent=2, sort_keys=True, allow_nan=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
