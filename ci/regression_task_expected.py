#!/usr/bin/env python3
"""Expected figures of the regression tests on a REGRESSION task (numeric label LoanAmount).

Usage: .venv/bin/python ci/regression_task_expected.py
       (after ci/make_loan_models.py; writes fixtures/credit/expected-regression-task.json)

Independent of mlgate. Data: fixtures/credit/test.csv (1000 rows), read with
pandas keep_default_na=False, na_values=[""] (dtype {"Risk": str}); the label
y = LoanAmount as float64; LoanAmount and Risk are dropped from the features and
never sent. Every model is scored exactly as mlgate's command model serves it:
each row becomes the JSON object a harness sends (a JSON round trip), scored by
serve_model.score_rows() (ci/serve_model.py) as one batch, and the response goes
through serve_model.encode() and json.loads (what goes over the wire);
prediction = "predictions" (= model.predict), checked equal to the direct call
on the DataFrame (relative 1e-12; in practice bit-identical).

Pairs: baseline loan-production.pkl (Ridge) against each candidate
  loan-candidate.pkl       the healthy candidate (HistGradientBoosting, absolute
                           error, seed 0)
  loan-twin-seed1.pkl      its twin (seed 1)
  loan-defect-slice.pkl    the planted defect (ci/make_loan_models.py): lower mean
                           absolute error than production overall, clearly higher
                           on CheckingStatus=less_0.

Slices, in this order (names exactly as written; no crosses):
  overall                  every row
  Sex=<v>                  each value of Sex present in test.csv, sorted
                           (Python str order = byte order): female, male
  CheckingStatus=<v>       likewise: 0_to_200, greater_200, less_0, no_checking
  Age in [19, 25), Age in [25, 40), Age in [40, 60), Age in [60, 75]
                           edges [19, 25, 40, 60, 75]: bin k is e_k <= Age < e_{k+1},
                           the last bin also includes Age == 75 (name ends with "]")
A slice is INCONCLUSIVE when n < 100 (a regression task has no class minimum): no
test, no p, no verdict ("inconclusive"); its baseline, candidate and delta are
still written, for information only (interval, p, adjusted_p, sd, detectable:
null).

Per conclusive slice and metric, lower is better:
  mean_absolute_error       sklearn mean_absolute_error(y, prediction)
  root_mean_squared_error   sqrt(sklearn mean_squared_error(y, prediction))
  baseline, candidate       those values (exact, float64); delta = candidate - baseline
                            (the rise; > 0 means the candidate is worse)
  interval                  scipy.stats.bootstrap((y, pred_base, pred_cand), statistic,
                            paired=True, vectorized=True, n_resamples=9999,
                            method="percentile", confidence_level=0.95, random_state=0)
                            [low, high], statistic = metric(y, pred_cand) -
                            metric(y, pred_base) on the same resampled rows (numpy
                            means along the last axis; checked equal to sklearn on the
                            unresampled rows, relative 1e-12)
  p, sd, detectable         from this script's own paired bootstrap: per slice, a fresh
                            rng = numpy.random.default_rng(0) draws
                            idx = rng.integers(0, n, size=(20000, n)) (row positions
                            within the slice, in test.csv order, with replacement); both
                            metrics use the same 20000 resamples; d_r = candidate metric -
                            baseline metric on resample r.
                            count_not_worse = #{r : d_r <= 0};
                            share_not_worse = count_not_worse / 20000;
                            p = (count_not_worse + 1) / (20000 + 1) (small when the
                            candidate is worse);
                            sd = standard deviation of the d_r (ddof = 1);
                            detectable = (norm.ppf(0.95) + norm.ppf(0.8)) * sd
                            (the smallest rise a one-sided 5 % test detects with
                            80 % power).
Holm across all the tests of a pair (every conclusive slice x both metrics, overall
included): statsmodels multipletests(p, method="holm") -> adjusted_p.
Verdict (mlgate's, margins RELATIVE to the baseline because the task is a
regression): margin = 0.01 x baseline for overall, 0.02 x baseline for every other
slice (written as "margin", in the metric's units); "fail" when delta > margin AND
adjusted_p < 0.05 (both strict); otherwise "pass". A pair fails when any
(slice, metric) fails; "failing" lists them in slice order, metric order
(mean_absolute_error first).

The script asserts the premise and that it is robust (not near the boundary):
  - loan-candidate.pkl and loan-twin-seed1.pkl pass every (slice, metric);
  - loan-defect-slice.pkl has a lower overall mean absolute error than production,
    fails on CheckingStatus=less_0 (at least mean_absolute_error) and on no other slice;
  - every failing (slice, metric) has adjusted_p < 0.005 and delta > 1.5 x margin;
    every passing one has delta < 0.5 x margin or adjusted_p > 0.2.

JSON layout: {"pairs": {<candidate file>: {"candidate", "slices": [{"name", "slice"
(definition), "n", "conclusive", "reason" (inconclusive only), "relative_margin",
"verdict", "metrics": {<metric>: {"baseline", "candidate", "delta", "margin",
"interval", "count_not_worse", "share_not_worse", "p", "adjusted_p", "sd",
"detectable", "verdict"}}}, ...], "tests", "failing": [{"slice", "metric"}],
"verdict"}}, "settings": {...}, plus "test", "n", "label", "task", "dropped_columns",
"baseline", "metrics", "planted_defect", "defect_slice"}.
Sorted keys, indent 2, floats with repr precision (json), NaN never written
(null). Deterministic: seeded bootstraps, single-threaded BLAS/OpenMP.
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
from scipy import stats  # noqa: E402
from sklearn.metrics import mean_absolute_error, mean_squared_error  # noqa: E402
from statsmodels.stats.multitest import multipletests  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serve_model  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CREDIT = ROOT / "fixtures" / "credit"
OUTPUT = CREDIT / "expected-regression-task.json"

LABEL = "LoanAmount"
DROPPED = ["LoanAmount", "Risk"]
BASELINE = "loan-production.pkl"
CANDIDATES = ["loan-candidate.pkl", "loan-twin-seed1.pkl", "loan-defect-slice.pkl"]
HEALTHY = ["loan-candidate.pkl", "loan-twin-seed1.pkl"]
PLANTED_DEFECT = "loan-defect-slice.pkl"
DEFECT_SLICE = "CheckingStatus=less_0"
METRICS = ["mean_absolute_error", "root_mean_squared_error"]
VALUE_COLUMNS = ["Sex", "CheckingStatus"]
BIN_COLUMN = "Age"
EDGES = [19, 25, 40, 60, 75]
MIN_ROWS = 100
MARGIN_OVERALL = 0.01
MARGIN_SLICE = 0.02
ALPHA = 0.05
POWER = 0.8
SCIPY_RESAMPLES = 9999
CONFIDENCE = 0.95
SCIPY_SEED = 0
RESAMPLES = 20000
SEED = 0
BLOCK = 2000
Z_ALPHA = float(stats.norm.ppf(1 - ALPHA))
Z_POWER = float(stats.norm.ppf(POWER))
# Robustness of the premise.
FAIL_MAX_P = 0.005
FAIL_MIN_RISE = 1.5
PASS_MAX_RISE = 0.5
PASS_MIN_P = 0.2


def close(x, y, rel=1e-12, abs_=1e-15):
    return abs(x - y) <= max(abs_, rel * max(abs(x), abs(y)))


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def read(path):
    return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"Risk": str})


# --------------------------------------------------------------------------
# Scoring, as served
# --------------------------------------------------------------------------


def request_rows(features):
    """DataFrame -> the row objects a harness sends, through a JSON round trip."""
    columns = {c: features[c].tolist() for c in features.columns}
    rows = [{c: (None if isinstance(columns[c][i], float) and math.isnan(columns[c][i])
                 else columns[c][i]) for c in features.columns}
            for i in range(len(features))]
    return json.loads(json.dumps(rows, allow_nan=False))


def served(model, X):
    """The predictions exactly as the command model answers."""
    response = serve_model.score_rows(model, request_rows(X))
    response = json.loads(serve_model.encode(response))  # what goes over the wire
    check(set(response) == {"predictions"}, "a regressor answers predictions only")
    pred = np.array(response["predictions"], dtype=np.float64)
    direct = np.asarray(model.predict(X), dtype=np.float64)
    check(len(pred) == len(X) and bool(np.all(np.isfinite(pred))), "served predictions")
    check(bool(np.allclose(pred, direct, rtol=1e-12, atol=0)),
          "score_rows and model.predict disagree")
    return pred


# --------------------------------------------------------------------------
# Slices
# --------------------------------------------------------------------------


def bin_name(k):
    low, high = EDGES[k], EDGES[k + 1]
    last = k == len(EDGES) - 2
    return f"{BIN_COLUMN} in [{low}, {high}{']' if last else ')'}"


def bin_mask(age, k):
    low, high = EDGES[k], EDGES[k + 1]
    last = k == len(EDGES) - 2
    return (age >= low) & ((age < high) | ((age == high) if last else False))


def slices(X):
    """[(name, definition, mask)] in the documented order."""
    n = len(X)
    out = [("overall", {"kind": "overall"}, np.ones(n, dtype=bool))]
    for column in VALUE_COLUMNS:
        text = X[column].to_numpy(dtype=object)
        for v in sorted(set(text.tolist())):
            out.append((f"{column}={v}", {"kind": "value", "column": column, "value": v},
                        text == v))
    age = X[BIN_COLUMN].to_numpy(dtype=np.float64)
    for k in range(len(EDGES) - 1):
        definition = {"kind": "bin", "column": BIN_COLUMN, "low": EDGES[k],
                      "high": EDGES[k + 1], "closed_high": k == len(EDGES) - 2}
        out.append((bin_name(k), definition, bin_mask(age, k)))
    return out


# --------------------------------------------------------------------------
# Metrics and bootstraps
# --------------------------------------------------------------------------


def sklearn_metric(metric, y, pred):
    if metric == "mean_absolute_error":
        return float(mean_absolute_error(y, pred))
    return math.sqrt(float(mean_squared_error(y, pred)))


def numpy_metric(metric, y, pred, axis=-1):
    """The metric along an axis (vectorized over resamples)."""
    if metric == "mean_absolute_error":
        return np.mean(np.abs(y - pred), axis=axis)
    return np.sqrt(np.mean((y - pred) ** 2, axis=axis))


def scipy_interval(metric, y, base, cand):
    def statistic(y_, b_, c_, axis=-1):
        return numpy_metric(metric, y_, c_, axis) - numpy_metric(metric, y_, b_, axis)

    whole = float(statistic(y, base, cand))
    check(close(whole, sklearn_metric(metric, y, cand) - sklearn_metric(metric, y, base),
                rel=1e-9, abs_=1e-9), f"{metric} numpy vs sklearn")
    res = stats.bootstrap((y, base, cand), statistic, paired=True, vectorized=True,
                          n_resamples=SCIPY_RESAMPLES, method="percentile",
                          confidence_level=CONFIDENCE, random_state=SCIPY_SEED)
    return [float(res.confidence_interval.low), float(res.confidence_interval.high)]


def own_bootstrap(y, base, cand):
    """{metric: resampled differences (candidate - baseline)}, RESAMPLES each."""
    n = len(y)
    idx = np.random.default_rng(SEED).integers(0, n, size=(RESAMPLES, n))
    out = {metric: np.empty(RESAMPLES) for metric in METRICS}
    for start in range(0, RESAMPLES, BLOCK):  # blocks of resamples: bounded memory
        rows = idx[start:start + BLOCK]
        yy, bb, cc = y[rows], base[rows], cand[rows]
        for metric in METRICS:
            out[metric][start:start + BLOCK] = (numpy_metric(metric, yy, cc)
                                                - numpy_metric(metric, yy, bb))
    return out


# --------------------------------------------------------------------------
# One pair
# --------------------------------------------------------------------------


def compare(X, y, base, cand):
    """base, cand: predictions on test.csv. Returns the pair's entry."""
    entries, tests = [], []
    for name, definition, mask in slices(X):
        n = int(mask.sum())
        conclusive = n >= MIN_ROWS
        relative = MARGIN_OVERALL if name == "overall" else MARGIN_SLICE
        ys, bs, cs = y[mask], base[mask], cand[mask]
        metrics = {}
        diffs = own_bootstrap(ys, bs, cs) if conclusive else None
        for metric in METRICS:
            if n == 0:
                continue
            b, c = sklearn_metric(metric, ys, bs), sklearn_metric(metric, ys, cs)
            fig = {"baseline": b, "candidate": c, "delta": c - b, "margin": relative * b}
            if conclusive:
                d = diffs[metric]
                count = int(np.sum(d <= 0))
                sd = float(np.std(d, ddof=1))
                fig.update({
                    "interval": scipy_interval(metric, ys, bs, cs),
                    "count_not_worse": count,
                    "share_not_worse": count / RESAMPLES,
                    "p": (count + 1) / (RESAMPLES + 1),
                    "sd": sd,
                    "detectable": (Z_ALPHA + Z_POWER) * sd,
                })
                tests.append((name, metric, fig))
            else:
                fig.update({"interval": None, "count_not_worse": None,
                            "share_not_worse": None, "p": None, "adjusted_p": None,
                            "sd": None, "detectable": None, "verdict": "inconclusive"})
            metrics[metric] = fig
        entry = {"name": name, "slice": definition, "n": n, "conclusive": conclusive,
                 "relative_margin": relative, "metrics": metrics}
        if not conclusive:
            entry["reason"] = f"fewer than {MIN_ROWS} rows"
        entries.append(entry)
    _, adjusted, _, _ = multipletests([fig["p"] for _, _, fig in tests], alpha=ALPHA,
                                      method="holm")
    failing = []
    for (name, metric, fig), adj in zip(tests, adjusted):
        fig["adjusted_p"] = float(adj)
        fails = fig["delta"] > fig["margin"] and fig["adjusted_p"] < ALPHA
        fig["verdict"] = "fail" if fails else "pass"
        if fails:
            failing.append({"slice": name, "metric": metric})
    for entry in entries:
        verdicts = [f["verdict"] for f in entry["metrics"].values()]
        entry["verdict"] = ("inconclusive" if not entry["conclusive"]
                            else "fail" if "fail" in verdicts else "pass")
    return {"slices": entries, "tests": len(tests), "failing": failing,
            "verdict": "fail" if failing else "pass"}


def premise_problems(pairs):
    """What is wrong with the fixture's premise (empty when it holds robustly)."""
    problems = []
    for name in HEALTHY:
        for f in pairs[name]["failing"]:
            problems.append(f"{name} fails {f['slice']} {f['metric']}")
    d = pairs[PLANTED_DEFECT]
    o = d["slices"][0]["metrics"]["mean_absolute_error"]
    if not o["candidate"] < o["baseline"]:
        problems.append(f"{PLANTED_DEFECT} is not better overall (MAE {o['candidate']:.1f} "
                        f">= {o['baseline']:.1f})")
    if {"slice": DEFECT_SLICE, "metric": "mean_absolute_error"} not in d["failing"]:
        problems.append(f"{PLANTED_DEFECT} does not fail {DEFECT_SLICE} mean_absolute_error")
    for f in d["failing"]:
        if f["slice"] != DEFECT_SLICE:
            problems.append(f"{PLANTED_DEFECT} fails {f['slice']} {f['metric']}")
    for name, pair in pairs.items():
        for entry in pair["slices"]:
            for metric, fig in entry["metrics"].items():
                if fig["verdict"] == "fail":
                    robust = (fig["adjusted_p"] < FAIL_MAX_P
                              and fig["delta"] > FAIL_MIN_RISE * fig["margin"])
                elif fig["verdict"] == "pass":
                    robust = (fig["delta"] < PASS_MAX_RISE * fig["margin"]
                              or fig["adjusted_p"] > PASS_MIN_P)
                else:
                    continue
                if not robust:
                    problems.append(
                        f"{name} {entry['name']} {metric}: {fig['verdict']} near the boundary "
                        f"(delta {fig['delta']:.2f}, margin {fig['margin']:.2f}, adjusted p "
                        f"{fig['adjusted_p']:.4g})")
    return problems


def self_checks():
    check(Z_ALPHA == 1.6448536269514722 and Z_POWER == 0.8416212335729143, "z values")
    _, adj, _, _ = multipletests([0.001, 0.008, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205],
                                 method="holm")
    check(all(abs(a - w) < 5e-4 for a, w in zip(adj, [0.008, 0.056] + [0.234] * 6)),
          "notes holm")
    y = np.array([1.0, 2.0, 4.0, 8.0])
    check(close(sklearn_metric("root_mean_squared_error", y, np.zeros(4)), math.sqrt(85 / 4)),
          "rmse")
    check(close(sklearn_metric("mean_absolute_error", y, np.ones(4)), 11 / 4), "mae")


def compute_pairs(models_dir=CREDIT, candidates=CANDIDATES, models=None):
    """{candidate file: pair entry}; models (optional) maps file names to fitted models."""
    test = read(CREDIT / "test.csv")
    X = test.drop(columns=DROPPED)
    y = test[LABEL].to_numpy(dtype=np.float64)

    def load(name):
        return models[name] if models is not None else serve_model.load_model(models_dir / name)

    base = served(load(BASELINE), X)
    pairs = {}
    for name in candidates:
        entry = compare(X, y, base, served(load(name), X))
        entry["candidate"] = name
        pairs[name] = entry
    return X, pairs


def main():
    from threadpoolctl import threadpool_limits

    self_checks()
    with threadpool_limits(limits=1):
        X, pairs = compute_pairs()
    for name, entry in pairs.items():
        o = entry["slices"][0]["metrics"]
        print(f"regression_task_expected: {name}: MAE {o['mean_absolute_error']['baseline']:.1f}"
              f" -> {o['mean_absolute_error']['candidate']:.1f}, RMSE "
              f"{o['root_mean_squared_error']['baseline']:.1f} -> "
              f"{o['root_mean_squared_error']['candidate']:.1f}; {entry['tests']} tests; "
              "failing: " + (", ".join(f"{f['slice']} {f['metric']}" for f in entry["failing"])
                             or "none"), file=sys.stderr)
    problems = premise_problems(pairs)
    check(not problems, "premise: " + "; ".join(problems))
    doc = {
        "test": "test.csv", "n": int(len(X)), "label": LABEL, "task": "regression",
        "dropped_columns": DROPPED, "baseline": BASELINE, "metrics": METRICS,
        "planted_defect": PLANTED_DEFECT, "defect_slice": DEFECT_SLICE,
        "settings": {
            "min_rows": MIN_ROWS, "margin_overall": MARGIN_OVERALL,
            "margin_slice": MARGIN_SLICE, "margin_kind": "relative", "alpha": ALPHA,
            "correction": "holm", "power": POWER, "z_alpha": Z_ALPHA, "z_power": Z_POWER,
            "value_columns": VALUE_COLUMNS, "bin_column": BIN_COLUMN, "edges": EDGES,
            "cross": None, "strata": "one (all rows)",
            "interval": {"function": "scipy.stats.bootstrap", "paired": True,
                         "vectorized": True, "n_resamples": SCIPY_RESAMPLES,
                         "method": "percentile", "confidence_level": CONFIDENCE,
                         "random_state": SCIPY_SEED},
            "bootstrap": {"generator": "numpy.random.default_rng", "seed": SEED,
                          "resamples": RESAMPLES, "fresh_per_slice": True,
                          "draw": "rng.integers(0, n, size=(resamples, n))",
                          "p": "(count_not_worse + 1) / (resamples + 1)",
                          "not_worse": "candidate <= baseline", "sd_ddof": 1},
        },
        "pairs": pairs,
    }
    with open(OUTPUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(doc, indent=2, sort_keys=True, allow_nan=False) + "\n")
    print(f"regression_task_expected: wrote {OUTPUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
