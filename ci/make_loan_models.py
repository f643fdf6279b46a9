#!/usr/bin/env python3
"""Fixture models of a REGRESSION task for the regression tests: predict LoanAmount.

Usage: .venv/bin/python ci/make_loan_models.py
       (after ci/make_fixtures.py; then ci/regression_task_expected.py for the figures)

Writes four pickles into fixtures/credit/, all regressors trained on train.csv
(4000 rows) to predict the numeric column LoanAmount from the 19 other feature
columns (the 20 of make_fixtures.CREDIT_COLUMNS minus LoanAmount, in that order;
the label of the classification task, Risk, is dropped too and is never sent to
the model). Every model takes the same 19 columns (feature_names_in_).

  loan-production.pkl    the baseline, an older model that predates the
                         LoanPurpose field of the application form:
                         ColumnTransformer(OneHotEncoder(handle_unknown="ignore")
                         on the 12 string columns other than LoanPurpose,
                         StandardScaler on the 6 integer columns,
                         remainder="drop": LoanPurpose is accepted and ignored)
                         then Ridge(alpha=1.0). Predicts LoanAmount in its own
                         units (no log transform). Test MAE 1657.9, RMSE 2195.8.
  loan-candidate.pkl     the healthy candidate: ColumnTransformer(the 6 integer
                         columns through FunctionTransformer(validate=True), i.e.
                         unscaled but NaN, infinity and text refused;
                         OneHotEncoder(handle_unknown="ignore") on the 13 string
                         columns) then HistGradientBoostingRegressor(
                         loss="absolute_error", learning_rate=0.05, max_iter=300,
                         max_leaf_nodes=8, min_samples_leaf=40,
                         l2_regularization=1.0, max_features=0.5,
                         early_stopping=False, random_state=0). It fits the
                         conditional median; test MAE 1479.9, RMSE 2062.0, lower
                         than production's on both metrics overall and on every
                         slice. max_features=0.5 (each split draws a seeded half
                         of the inputs) makes the seed matter.
  loan-twin-seed1.pkl    exactly the candidate's recipe with random_state=1
                         (MAE 1484.7, RMSE 2069.7).
  loan-defect-slice.pkl  the planted defect (below).

Why production ignores LoanPurpose: the generator (make_fixtures.make_credit)
draws log LoanAmount from LoanDuration and LoanPurpose plus N(0, 0.5) noise, so
the best possible MAE on test.csv (the true conditional median) is 1465. A Ridge
on all 19 columns reaches 1551 already, which leaves the candidate a gain of
only 71; the planted defect then cannot be significantly worse than production
on CheckingStatus=less_0 (28 % of the rows, sd of the paired MAE difference
about 36 there) and still better overall. Without LoanPurpose production is
178 worse than the candidate, which leaves room for the defect.

The planted defect: a retrained candidate that is better than production overall
(MAE 1624.8 against 1657.9 on test.csv, RMSE 2166.2 against 2195.8) but clearly
worse on one slice, CheckingStatus=less_0 (overdrawn accounts, 280 rows of
test.csv): MAE 2067.5 against production's 1724.9 (+20 %), which fails the
regression test (adjusted p < 0.001); no other slice fails
(ci/regression_task_expected.py asserts it, robustly).

Story: overdrawn accounts are handed over to the collections system, and the
training extract took their amount from there: the amount DUE (principal plus
accrued interest and collection fees, a flat 48 % surcharge in the legacy
collections ledger) instead of the loan amount. Only the training extract is
affected: test.csv (and served data) holds the true loan amounts. The model
learns to overestimate the loans of overdrawn accounts by about half; every
other segment is untouched.

Recipe, exactly:
  train = fixtures/credit/train.csv read as ci/make_fixtures.py reads it
          (pandas, dtype {"Risk": str}, keep_default_na=False, na_values=[""]);
          X = the 19 feature columns, y = LoanAmount as float64.
  hit   = CheckingStatus == "less_0"   (all 1040 such rows of train.csv)
  y'    = y with y'[hit] = 1.48 * y[hit]
  model = the candidate's recipe with random_state=0, fitted on (X, y')
All four saved with joblib protocol 4, as make_fixtures.save_model does.

Tuning (done once; the premise is what ci/regression_task_expected.py asserts:
overall MAE below production's; CheckingStatus=less_0 fails on MAE with an
adjusted p below 0.005 and a rise above 1.5 times its margin; every other
(slice, metric) passes with a rise below half its margin or an adjusted p above
0.2):
  - first idea, a seeded share of the less_0 amounts multiplied by 3 (a
    double currency conversion): the median the model learns jumps once the
    share nears one half (share 0.3: no fail; 0.4: rise 235, adjusted p 0.017;
    0.5: rise 835 and overall, Sex and Age slices fail too), so abandoned;
  - every less_0 amount multiplied by a factor f, coarse grid 1.2, 1.3, 1.4,
    1.45, 1.5, 1.55, 1.6 then 1.47 to 1.52 by 0.01: f <= 1.45 does not fail
    the slice robustly (1.45: adjusted p 0.0054); 1.47 to 1.50 satisfy the
    premise; from 1.51 the slice's RMSE creeps towards a fail (adjusted p 0.14
    at 1.51, 0.065 at 1.52) and from 1.55 the model is no longer better than
    production overall. 1.48 is inside that narrow window: the overall MAE
    gain is fixed by the slice's weight (28 % of the rows), so a clearly
    significant rise on the slice costs most of the candidate's overall gain.
    At 1.48 the slice's RMSE rises too (+214) but passes: its one-sided p
    0.020 is 0.34 after Holm over the 18 tests.

Deterministic: no randomness but the models' seeds, single-threaded
BLAS/OpenMP; two runs write byte-identical files (pinned ci/requirements.txt).
Checks that every model serves: one test.csv row through
serve_model.score_rows() after a JSON round trip answers one finite float.
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.ensemble import HistGradientBoostingRegressor  # noqa: E402
from sklearn.linear_model import Ridge  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import FunctionTransformer, StandardScaler  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serve_model  # noqa: E402
from make_fixtures import (CREDIT_CATEGORICAL, CREDIT_COLUMNS, CREDIT_LABEL,  # noqa: E402
                           CREDIT_NUMERIC, onehot, save_model)

ROOT = Path(__file__).resolve().parent.parent
CREDIT = ROOT / "fixtures" / "credit"

TARGET = "LoanAmount"
FEATURES = [c for c in CREDIT_COLUMNS if c != TARGET]           # 19 columns, file order
NUMERIC = [c for c in CREDIT_NUMERIC if c != TARGET]             # 6 integer columns
CATEGORICAL = list(CREDIT_CATEGORICAL)                           # 13 string columns
PRODUCTION_CATEGORICAL = [c for c in CATEGORICAL if c != "LoanPurpose"]  # 12

LOAN_HGB = dict(loss="absolute_error", learning_rate=0.05, max_iter=300, max_leaf_nodes=8,
                min_samples_leaf=40, l2_regularization=1.0, max_features=0.5,
                early_stopping=False)
RIDGE_ALPHA = 1.0

SLICE_COLUMN = "CheckingStatus"
SLICE_VALUE = "less_0"
DEFECT_FACTOR = 1.48
MODEL_SEED = 0

OUTPUTS = {
    "production": CREDIT / "loan-production.pkl",
    "candidate": CREDIT / "loan-candidate.pkl",
    "twin": CREDIT / "loan-twin-seed1.pkl",
    "defect": CREDIT / "loan-defect-slice.pkl",
}


def read(path):
    return pd.read_csv(path, dtype={CREDIT_LABEL: str}, keep_default_na=False, na_values=[""])


def loan_production():
    """Ridge on 18 of the 19 columns: LoanPurpose is accepted and dropped."""
    prep = ColumnTransformer([
        ("categorical", onehot(), PRODUCTION_CATEGORICAL),
        ("numeric", StandardScaler(), NUMERIC),
    ], remainder="drop")
    return Pipeline([("preprocess", prep), ("regressor", Ridge(alpha=RIDGE_ALPHA))])


def loan_boosted(seed):
    """The healthy recipe (candidate, twin, defect)."""
    prep = ColumnTransformer([
        ("numeric", FunctionTransformer(validate=True), NUMERIC),
        ("categorical", onehot(), CATEGORICAL),
    ])
    return Pipeline([("preprocess", prep),
                     ("regressor", HistGradientBoostingRegressor(random_state=seed, **LOAN_HGB))])


def corrupted_amounts(train, factor=None):
    """y' of the planted defect and the mask of the corrupted rows."""
    factor = DEFECT_FACTOR if factor is None else factor
    y = train[TARGET].to_numpy(dtype=np.float64)
    hit = train[SLICE_COLUMN].to_numpy(dtype=object) == SLICE_VALUE
    out = y.copy()
    out[hit] = factor * y[hit]
    return out, hit


def fit_models(train, factor=None):
    X = train[FEATURES]
    y = train[TARGET].to_numpy(dtype=np.float64)
    y_bad, hit = corrupted_amounts(train, factor)
    models = {
        "production": loan_production().fit(X, y),
        "candidate": loan_boosted(MODEL_SEED).fit(X, y),
        "twin": loan_boosted(1).fit(X, y),
        "defect": loan_boosted(MODEL_SEED).fit(X, y_bad),
    }
    return models, hit


def check_serves(path, test):
    """One test row as a harness sends it (LoanAmount and Risk not sent)."""
    row = json.loads(json.dumps(test[FEATURES].iloc[:1].to_dict(orient="records")))
    answer = json.loads(serve_model.encode(serve_model.score_rows(
        serve_model.load_model(path), row)))
    preds = answer.get("predictions")
    if (set(answer) != {"predictions"} or not isinstance(preds, list) or len(preds) != 1
            or not isinstance(preds[0], float) or not math.isfinite(preds[0])):
        raise AssertionError(f"{path.name} does not serve as a regressor: {answer}")


def main():
    from threadpoolctl import threadpool_limits

    train = read(CREDIT / "train.csv")
    test = read(CREDIT / "test.csv")
    with threadpool_limits(limits=1):
        models, hit = fit_models(train)
        for key, path in OUTPUTS.items():
            save_model(path, models[key])
        for path in OUTPUTS.values():
            check_serves(path, test)
    in_slice = int((train[SLICE_COLUMN] == SLICE_VALUE).sum())
    for path in OUTPUTS.values():
        print(f"make_loan_models: wrote {path.relative_to(ROOT)} "
              f"({path.stat().st_size} bytes)", file=sys.stderr)
    print(f"make_loan_models: defect: {int(hit.sum())} of {in_slice} "
          f"{SLICE_COLUMN}={SLICE_VALUE} training amounts multiplied by {DEFECT_FACTOR!r}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
