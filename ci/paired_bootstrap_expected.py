#!/usr/bin/env python3
"""Expected paired bootstrap intervals of candidate − production on the credit fixture.

Usage: .venv/bin/python ci/paired_bootstrap_expected.py
       (after ci/expected_metrics.py; writes fixtures/credit/expected-paired.json)

Independent of mlgate. Reads the two scorings ci/expected_metrics.py wrote for the
credit test set: fixtures/credit/expected/predictions.csv (candidate.pkl) and
fixtures/credit/expected-production/predictions.csv (production.pkl); columns
y_true, y_pred, p_No Risk, p_Risk; positive class "Risk". For each metric, the
statistic is metric(candidate) − metric(production) on the same rows, and
scipy.stats.bootstrap(paired=True, method="percentile", n_resamples=9999,
confidence_level=0.95, random_state=0) gives its interval. The resampling is not
stratified (scipy's is not); mlgate's is stratified by class, so the two
intervals agree to Monte Carlo and stratification error only (the test allows 15 %
of the interval's width at each end). Metrics as scikit-learn defines them:
f1_measure (f1_score, pos_label "Risk"), log_loss, brier_score
(brier_score_loss on P(Risk)), area_under_pr (average_precision_score),
matthews_correlation, precision, recall.
"""
import json
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats
from sklearn import metrics

ROOT = Path(__file__).resolve().parent.parent
CREDIT = ROOT / "fixtures" / "credit"


def load(folder):
    frame = pd.read_csv(CREDIT / folder / "predictions.csv", keep_default_na=False, na_values=[""])
    return frame


candidate = load("expected")
production = load("expected-production")
assert (candidate["y_true"] == production["y_true"]).all()
truth = (candidate["y_true"] == "Risk").to_numpy().astype(int)
new_label = (candidate["y_pred"] == "Risk").to_numpy().astype(int)
old_label = (production["y_pred"] == "Risk").to_numpy().astype(int)
new_score = candidate["p_Risk"].to_numpy()
old_score = production["p_Risk"].to_numpy()
probabilities = {
    "new": candidate[["p_No Risk", "p_Risk"]].to_numpy(),
    "old": production[["p_No Risk", "p_Risk"]].to_numpy(),
}

FUNCTIONS = {
    "f1_measure": lambda y, label, score, proba: metrics.f1_score(y, label),
    "precision": lambda y, label, score, proba: metrics.precision_score(y, label, zero_division=0),
    "recall": lambda y, label, score, proba: metrics.recall_score(y, label),
    "matthews_correlation": lambda y, label, score, proba: metrics.matthews_corrcoef(y, label),
    "log_loss": lambda y, label, score, proba: metrics.log_loss(y, proba, labels=[0, 1]),
    "brier_score": lambda y, label, score, proba: metrics.brier_score_loss(y, score),
    "area_under_pr": lambda y, label, score, proba: metrics.average_precision_score(y, score),
}

result = {}
index = np.arange(len(truth))
for name, function in FUNCTIONS.items():
    def difference(rows):
        rows = np.asarray(rows, dtype=int)
        y = truth[rows]
        return function(y, new_label[rows], new_score[rows], probabilities["new"][rows]) - function(
            y, old_label[rows], old_score[rows], probabilities["old"][rows])

    point = difference(index)
    interval = stats.bootstrap(
        (index,), difference, paired=True, vectorized=False, n_resamples=9999,
        method="percentile", confidence_level=0.95, random_state=0).confidence_interval
    result[name] = {"delta": point, "interval": [interval.low, interval.high]}

out = CREDIT / "expected-paired.json"
out.write_text(json.dumps({"overall": result, "n_resamples": 9999}, indent=2, sort_keys=True) + "\n")
print(f"wrote {out}")
