#!/usr/bin/env python3
"""Expected figures of the regression tests (candidate against baseline, overall and per slice).

Usage: .venv/bin/python ci/regression_expected.py
       (after ci/make_fixtures.py and ci/make_regression_defect.py; writes
       fixtures/credit/expected-regression.json)

Independent of mlgate. Data: fixtures/credit/test.csv (1000 rows), read with
pandas keep_default_na=False, na_values=[""], label column Risk as text and
dropped from the features; positive class "Risk". Every model is scored exactly
as mlgate's command model serves it: each row becomes the JSON object a harness
sends (a JSON round trip), scored by serve_model.score_rows()
(ci/serve_model.py), and the response goes through serve_model.encode() and
json.loads (what goes over the wire). label = "predictions" (= model.predict),
s = P(Risk) = the "probabilities" column at the index of "Risk" in "classes"
(= model.predict_proba[:, that column]); both are checked bit-identical to the
direct calls on the DataFrame.

Pairs: baseline production.pkl (logistic regression) against each candidate
  candidate.pkl       the healthy candidate (HistGradientBoosting, seed 0)
  twin-seed1.pkl      its twin (seed 1)
  defect-slice.pkl    the planted defect (ci/make_regression_defect.py): better
                      than production overall (accuracy and area under ROC),
                      clearly worse on CheckingStatus=less_0 (area under ROC).
The script asserts the premise: candidate.pkl and twin-seed1.pkl pass every
(slice, metric); defect-slice.pkl has a positive overall delta on both metrics
and fails on CheckingStatus=less_0 and on no other slice.

Slices, in this order (names exactly as written):
  overall                          every row
  Sex=<v>                          each value of Sex present in test.csv, sorted
                                   (Python str order = byte order): female, male
  CheckingStatus=<v>               likewise: 0_to_200, greater_200, less_0, no_checking
  Age in [19, 25), Age in [25, 40), Age in [40, 60), Age in [60, 75]
                                   edges [19, 25, 40, 60, 75]: bin k is
                                   e_k <= Age < e_{k+1}, the last bin also
                                   includes Age == 75 (name ends with "]")
  Sex=<v>, Age in [..]             the cross: for each Sex value (sorted), each
                                   Age bin in order (8 slices; empty ones would
                                   be kept, none is empty here)
A slice is INCONCLUSIVE when n < 100 or positives < 10 or negatives < 10
(positives = rows labelled "Risk"): no test, no p, no verdict ("inconclusive").
Its descriptive figures (accuracies, b, c, delta, AUCs when both classes occur)
are still written, for information only.

Per conclusive slice (n rows, m positives, k negatives), two metrics:
  accuracy        baseline = (# baseline label == true label) / n, candidate
                  likewise; b = # (baseline right, candidate wrong), c = #
                  (baseline wrong, candidate right); delta = (c - b) / n
                  (computed exactly so, not as a difference of accuracies);
                  drop = -delta. p = P(X >= b), X ~ Bin(b + c, 1/2) (exact
                  one-sided McNemar, small when the candidate is worse), p = 1
                  when b + c = 0 (and P(X >= 0) = 1 when b = 0). z: null.
  area_under_roc  on s = P(Risk). DeLong: psi(x, y) = 1 if x > y, 1/2 if
                  x == y, else 0; V10(i) = mean over negatives j of
                  psi(X_i, Y_j) (X = scores of positives), V01(j) = mean over
                  positives; AUC = mean V10. Computed by Sun & Xu's midranks
                  (AUC = sum T_Z(pos) / (m k) - (m + 1) / (2 k), V10 = (T_Z - T_X)/k,
                  V01 = 1 - (T_Z - T_Y)/m), checked against the O(m k) structural
                  components and sklearn roc_auc_score (1e-12). S10, S01 = 2 x 2
                  sample covariances (divisors m - 1, k - 1) of (V10_base,
                  V10_cand), (V01_base, V01_cand); S = S10/m + S01/k;
                  var = S11 + S22 - 2 S12 (1 = baseline, 2 = candidate);
                  z = (AUC_cand - AUC_base) / sqrt(var); p = Phi(z) =
                  0.5 erfc(-z / sqrt 2) (small when the candidate is worse).
                  var <= 0: z null, p = 1. delta = AUC_cand - AUC_base; drop = -delta.
Holm across ALL the tests that ran (every conclusive slice x both metrics,
overall included; a test with p = 1 by convention still counts): m tests,
sorted ascending, adjusted p_(i) = max_{j <= i} min(1, (m - j + 1) p_(j)),
in each test's place (order-free: ties get equal adjusted values). Checked
equal (==) to statsmodels multipletests(method="holm").
Verdict: "fail" when drop > margin AND adjusted p < 0.05 (both strict);
margin 0.01 for overall, 0.02 for every other slice (absolute, on the metric's
scale); otherwise "pass". A pair fails when any (slice, metric) fails.

Churn (overall, N = 1000): nfr = b / N, pfr = c / N; nfr_upper = one-sided 95 %
Wilson upper bound of b out of N with z = 1.6448536269514722 (norm.ppf(0.95)):
centre = (p + z^2/(2N)) / (1 + z^2/N), half = (z / (1 + z^2/N)) sqrt(p (1 - p)/N
+ z^2/(4 N^2)), upper = min(1, centre + half), exactly 1 when b = N; checked
against statsmodels proportion_confint(method="wilson", alpha=0.10).

Power (accuracy, overall): psi = (b + c) / N; Connor's N(delta) = [z_a sqrt(psi)
+ z_b sqrt(max(0, psi - delta^2))]^2 / delta^2 with z_a = norm.ppf(0.95) =
1.6448536269514722, z_b = norm.ppf(0.8) = 0.8416212335729143.
minimum_detectable_drop = the delta with N(delta) = N by bisection: low = 1e-9,
high = sqrt(psi); null when psi = 0 or N(high) > N; 100 halvings, each
mid = (low + high)/2, N(mid) > N -> low = mid else high = mid; the answer is
high. Checked against scipy brentq (1e-12). Also rows_needed_for_margin =
N(0.01) (null when psi = 0).

Cross-checks (the script stops on a mismatch): McNemar p against
scipy.stats.binomtest(b, b + c, 0.5, alternative="greater"), statsmodels
proportion.binom_test(alternative="larger") and exact fractions (1e-12
relative); DeLong as above plus S, var against the O(m k) components; Holm
against statsmodels; Wilson against statsmodels.

JSON: sorted keys, indent 2, floats with repr precision (json), NaN never
written (null). Deterministic: no randomness, single-threaded BLAS/OpenMP.
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
from fractions import Fraction  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import optimize, stats  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from statsmodels.stats.multitest import multipletests  # noqa: E402
from statsmodels.stats.proportion import binom_test, proportion_confint  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serve_model  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CREDIT = ROOT / "fixtures" / "credit"
OUTPUT = CREDIT / "expected-regression.json"

LABEL = "Risk"
POSITIVE = "Risk"
BASELINE = "production.pkl"
CANDIDATES = ["candidate.pkl", "twin-seed1.pkl", "defect-slice.pkl"]
HEALTHY = ["candidate.pkl", "twin-seed1.pkl"]
PLANTED_DEFECT = "defect-slice.pkl"
DEFECT_SLICE = "CheckingStatus=less_0"
METRICS = ["accuracy", "area_under_roc"]
VALUE_COLUMNS = ["Sex", "CheckingStatus"]
BIN_COLUMN = "Age"
EDGES = [19, 25, 40, 60, 75]
CROSS = ("Sex", "Age")
MIN_ROWS = 100
MIN_CLASS_ROWS = 10
MARGIN_OVERALL = 0.01
MARGIN_SLICE = 0.02
ALPHA = 0.05
POWER = 0.8
Z_ONE_SIDED_95 = 1.6448536269514722
Z_POWER = 0.8416212335729143


def close(x, y, rel=1e-12, abs_=1e-15):
    return abs(x - y) <= max(abs_, rel * max(abs(x), abs(y)))


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def read(path):
    return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={LABEL: str})


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
    """(labels, P(Risk)) exactly as the command model answers."""
    response = serve_model.score_rows(model, request_rows(X))
    response = json.loads(serve_model.encode(response))  # what goes over the wire
    labels = np.array(response["predictions"], dtype=object)
    column = response["classes"].index(POSITIVE)
    scores = np.array([row[column] for row in response["probabilities"]], dtype=np.float64)
    check(len(labels) == len(X) and bool(np.all(labels == model.predict(X))),
          "score_rows and model.predict disagree")
    direct = model.predict_proba(X)[:, list(model.classes_).index(POSITIVE)]
    check(bool(np.array_equal(scores, direct)), "score_rows and model.predict_proba disagree")
    return labels, scores


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
    values = {}
    for column in VALUE_COLUMNS:
        text = X[column].to_numpy(dtype=object)
        values[column] = []
        for v in sorted(set(text.tolist())):
            mask = text == v
            values[column].append((v, mask))
            out.append((f"{column}={v}", {"kind": "value", "column": column, "value": v}, mask))
    age = X[BIN_COLUMN].to_numpy(dtype=np.float64)
    bins = []
    for k in range(len(EDGES) - 1):
        mask = bin_mask(age, k)
        closed = k == len(EDGES) - 2
        definition = {"kind": "bin", "column": BIN_COLUMN, "low": EDGES[k],
                      "high": EDGES[k + 1], "closed_high": closed}
        bins.append((bin_name(k), definition, mask))
        out.append((bin_name(k), definition, mask))
    for v, vmask in values[CROSS[0]]:
        for name, definition, mask in bins:
            out.append((f"{CROSS[0]}={v}, {name}",
                        {"kind": "cross", "parts": [
                            {"kind": "value", "column": CROSS[0], "value": v}, definition]},
                        vmask & mask))
    return out


# --------------------------------------------------------------------------
# Statistics
# --------------------------------------------------------------------------


def mcnemar_one_sided(b, c):
    n = b + c
    if n == 0:
        return 1.0
    p = float(stats.binomtest(b, n, 0.5, alternative="greater").pvalue)
    exact = Fraction(sum(math.comb(n, k) for k in range(b, n + 1)), 2 ** n)
    check(close(p, float(exact)), f"mcnemar exact b={b} c={c}")
    sm = float(binom_test(b, n, prop=0.5, alternative="larger"))
    check(close(p, sm), f"mcnemar statsmodels b={b} c={c}")
    return p


def accuracy_figures(y, base, cand):
    n = len(y)
    base_right, cand_right = base == y, cand == y
    b = int(np.sum(base_right & ~cand_right))
    c = int(np.sum(~base_right & cand_right))
    nb, nc = int(base_right.sum()), int(cand_right.sum())
    delta = (c - b) / n
    check(close(delta, nc / n - nb / n, rel=1e-12, abs_=1e-15), "accuracy delta")
    return {"baseline": nb / n, "candidate": nc / n, "baseline_correct": nb,
            "candidate_correct": nc, "b": b, "c": c, "delta": delta, "drop": -delta}


def midrank_components(pos, s):
    """Sun & Xu (2014): AUC, V10, V01 from midranks."""
    xp, yn = s[pos], s[~pos]
    m, k = len(xp), len(yn)
    tz = stats.rankdata(np.concatenate([xp, yn]))
    tx, ty = stats.rankdata(xp), stats.rankdata(yn)
    auc = float(np.sum(tz[:m]) / (m * k) - (m + 1) / (2 * k))
    return auc, (tz[:m] - tx) / k, 1 - (tz[m:] - ty) / m


def structural_components(pos, s):
    """The O(m k) definition: psi over every (positive, negative) pair."""
    xp, yn = s[pos], s[~pos]
    psi = (xp[:, None] > yn[None, :]) + 0.5 * (xp[:, None] == yn[None, :])
    return psi.mean(axis=1), psi.mean(axis=0)


def auc_figures(pos, s_base, s_cand, test):
    m, k = int(pos.sum()), int((~pos).sum())
    out = {"positives": m, "negatives": k}
    if m == 0 or k == 0:
        out.update({"baseline": None, "candidate": None, "delta": None, "drop": None})
        return out
    comps, slow = [], []
    for s in (s_base, s_cand):
        auc, v10, v01 = midrank_components(pos, s)
        w10, w01 = structural_components(pos, s)
        check(np.allclose(v10, w10, rtol=0, atol=1e-13)
              and np.allclose(v01, w01, rtol=0, atol=1e-13), "midrank vs structural components")
        check(close(auc, float(np.mean(w10))) and close(auc, float(np.mean(w01))),
              "midrank AUC vs structural")
        check(close(auc, float(roc_auc_score(pos.astype(int), s))), "AUC vs sklearn")
        comps.append((auc, v10, v01))
        slow.append((w10, w01))
    auc1, auc2 = comps[0][0], comps[1][0]
    delta = auc2 - auc1
    out.update({"baseline": auc1, "candidate": auc2, "delta": delta, "drop": -delta})
    if not test:
        return out
    check(m >= 2 and k >= 2, "DeLong needs two rows of each class")
    s10 = np.cov(np.vstack([comps[0][1], comps[1][1]]))  # ddof 1
    s01 = np.cov(np.vstack([comps[0][2], comps[1][2]]))
    S = s10 / m + s01 / k
    var = float(S[0, 0] + S[1, 1] - 2 * S[0, 1])
    S_slow = np.cov(np.vstack([slow[0][0], slow[1][0]])) / m + \
        np.cov(np.vstack([slow[0][1], slow[1][1]])) / k
    var_slow = float(S_slow[0, 0] + S_slow[1, 1] - 2 * S_slow[0, 1])
    check(np.allclose(S, S_slow, rtol=1e-10, atol=1e-15), "DeLong S midrank vs structural")
    check(close(var, var_slow, rel=1e-9), "DeLong var midrank vs structural")
    if var > 0:
        z = delta / math.sqrt(var)
        p = 0.5 * math.erfc(-z / math.sqrt(2))
        check(close(p, float(stats.norm.cdf(z))), "Phi")
        slow_delta = float(np.mean(slow[1][0])) - float(np.mean(slow[0][0]))
        check(abs(z - slow_delta / math.sqrt(var_slow)) <= 1e-9 * max(1.0, abs(z)),
              "DeLong z vs structural")
    else:
        z, p = None, 1.0
    out.update({"S": S.tolist(), "var": var, "se": math.sqrt(var) if var > 0 else None,
                "z": z, "p": p})
    return out


def holm(p):
    m = len(p)
    order = sorted(range(m), key=lambda i: (p[i], i))
    adjusted, running = [0.0] * m, 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        adjusted[i] = running
    _, sm, _, _ = multipletests(p, alpha=ALPHA, method="holm")
    check([float(v) for v in sm] == adjusted, "holm vs statsmodels")
    return adjusted


def wilson_upper(x, n, z=Z_ONE_SIDED_95):
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = (z / (1 + z * z / n)) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    upper = 1.0 if x == n else min(1.0, centre + half)
    _, sm = proportion_confint(x, n, alpha=2 * stats.norm.sf(z), method="wilson")
    check(close(upper, float(sm)), f"wilson upper {x}/{n}")
    return upper


def connor_n(psi, delta):
    root = Z_ONE_SIDED_95 * math.sqrt(psi) + Z_POWER * math.sqrt(max(0.0, psi - delta * delta))
    return root * root / (delta * delta)


def minimum_detectable_drop(total, psi):
    if total <= 0 or psi <= 0:
        return None
    low, high = 1e-9, math.sqrt(psi)
    if connor_n(psi, high) > total:
        return None
    for _ in range(100):
        mid = (low + high) / 2
        if connor_n(psi, mid) > total:
            low = mid
        else:
            high = mid
    root = optimize.brentq(lambda d: connor_n(psi, d) - total, 1e-9, math.sqrt(psi),
                           xtol=1e-15, rtol=4 * np.finfo(float).eps)
    check(close(high, root, rel=1e-12), "minimum detectable drop vs brentq")
    return high


# --------------------------------------------------------------------------
# One pair
# --------------------------------------------------------------------------


def compare(X, y, base, cand):
    """base, cand: (labels, scores). Returns the pair's entry."""
    pos_all = y == POSITIVE
    entries, tests = [], []
    for name, definition, mask in slices(X):
        n = int(mask.sum())
        m, k = int((mask & pos_all).sum()), int((mask & ~pos_all).sum())
        conclusive = n >= MIN_ROWS and m >= MIN_CLASS_ROWS and k >= MIN_CLASS_ROWS
        margin = MARGIN_OVERALL if name == "overall" else MARGIN_SLICE
        metrics = {}
        if n > 0:
            acc = accuracy_figures(y[mask], base[0][mask], cand[0][mask])
            if conclusive:
                acc.update({"p": mcnemar_one_sided(acc["b"], acc["c"]), "z": None})
            metrics["accuracy"] = acc
            metrics["area_under_roc"] = auc_figures(pos_all[mask], base[1][mask], cand[1][mask],
                                                    conclusive)
        entry = {"name": name, "slice": definition, "n": n, "positives": m, "negatives": k,
                 "conclusive": conclusive, "margin": margin, "metrics": metrics}
        if not conclusive:
            entry["reason"] = (f"fewer than {MIN_ROWS} rows" if n < MIN_ROWS
                               else f"fewer than {MIN_CLASS_ROWS} rows of a class")
            for fig in metrics.values():
                fig.update({"p": None, "z": None, "adjusted_p": None, "verdict": "inconclusive"})
        else:
            for metric in METRICS:
                tests.append((entry, metric))
        entries.append(entry)
    adjusted = holm([e["metrics"][metric]["p"] for e, metric in tests])
    failing = []
    for (entry, metric), adj in zip(tests, adjusted):
        fig = entry["metrics"][metric]
        fig["adjusted_p"] = adj
        fails = fig["drop"] > entry["margin"] and adj < ALPHA
        fig["verdict"] = "fail" if fails else "pass"
        if fails:
            failing.append({"slice": entry["name"], "metric": metric})
    for entry in entries:
        verdicts = [f["verdict"] for f in entry["metrics"].values()]
        entry["verdict"] = ("inconclusive" if not entry["conclusive"]
                            else "fail" if "fail" in verdicts else "pass")
    overall = entries[0]["metrics"]["accuracy"]
    N = entries[0]["n"]
    b, c = overall["b"], overall["c"]
    psi = (b + c) / N
    churn = {"n": N, "b": b, "c": c, "nfr": b / N, "pfr": c / N,
             "nfr_upper": wilson_upper(b, N), "z": Z_ONE_SIDED_95}
    power = {"n": N, "discordant": b + c, "psi": psi, "alpha": ALPHA, "power": POWER,
             "z_alpha": Z_ONE_SIDED_95, "z_power": Z_POWER,
             "minimum_detectable_drop": minimum_detectable_drop(N, psi),
             "margin": MARGIN_OVERALL,
             "rows_needed_for_margin": connor_n(psi, MARGIN_OVERALL) if psi > 0 else None}
    return {"slices": entries, "tests": len(tests), "failing": failing,
            "verdict": "fail" if failing else "pass", "churn": churn, "power": power}


def self_checks():
    """The notes' §7 vectors through this script's own functions."""
    check(Z_ONE_SIDED_95 == float(stats.norm.ppf(0.95)), "z 0.95")
    check(Z_POWER == float(stats.norm.ppf(POWER)), "z 0.8")
    check(abs(mcnemar_one_sided(15, 5) - 0.020695) < 5e-7, "notes mcnemar")
    check(all(abs(a - w) < 5e-4 for a, w in zip(
        holm([0.001, 0.008, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205]),
        [0.008, 0.056] + [0.234] * 6)), "notes holm")
    check(abs(wilson_upper(2, 200) - 0.029765) < 5e-7, "notes wilson")
    check(round(connor_n(0.06, 0.02)) == 925 and round(connor_n(0.10, 0.01)) == 6180,
          "notes connor")
    y = np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0]) == 1
    s1 = np.array([.9, .8, .7, .6, .4, .5, .3, .2, .35, .1, .65, .45])
    s2 = np.array([.85, .6, .75, .3, .5, .55, .4, .2, .1, .15, .7, .6])
    f = auc_figures(y, s1, s2, True)
    check(abs(f["baseline"] - 0.944444) < 5e-7 and abs(f["candidate"] - 0.847222) < 5e-7,
          "notes delong auc")
    check(abs(f["z"] + 1.041187) < 5e-7, "notes delong z")  # candidate worse: z < 0
    check(abs(2 * min(f["p"], 1 - f["p"]) - 0.297789) < 5e-7, "notes delong p")


def main():
    from threadpoolctl import threadpool_limits

    self_checks()
    test = read(CREDIT / "test.csv")
    X, y = test.drop(columns=[LABEL]), test[LABEL].to_numpy(dtype=object)
    doc = {
        "test": "test.csv", "n": int(len(X)), "label": LABEL, "positive": POSITIVE,
        "baseline": BASELINE, "metrics": METRICS, "planted_defect": PLANTED_DEFECT,
        "defect_slice": DEFECT_SLICE,
        "parameters": {"min_rows": MIN_ROWS, "min_class_rows": MIN_CLASS_ROWS,
                       "margin_overall": MARGIN_OVERALL, "margin_slice": MARGIN_SLICE,
                       "alpha": ALPHA, "correction": "holm", "power": POWER,
                       "value_columns": VALUE_COLUMNS, "bin_column": BIN_COLUMN,
                       "edges": EDGES, "cross": list(CROSS)},
        "pairs": {},
    }
    with threadpool_limits(limits=1):
        base = served(serve_model.load_model(CREDIT / BASELINE), X)
        for name in CANDIDATES:
            cand = served(serve_model.load_model(CREDIT / name), X)
            entry = compare(X, y, base, cand)
            entry["candidate"] = name
            doc["pairs"][name] = entry
            o = entry["slices"][0]["metrics"]
            print(f"regression_expected: {name}: accuracy {o['accuracy']['baseline']:.4f} -> "
                  f"{o['accuracy']['candidate']:.4f} (b {o['accuracy']['b']}, c "
                  f"{o['accuracy']['c']}), AUC {o['area_under_roc']['baseline']:.4f} -> "
                  f"{o['area_under_roc']['candidate']:.4f}; {entry['tests']} tests; failing: "
                  + (", ".join(f"{f['slice']} {f['metric']}" for f in entry["failing"])
                     or "none"), file=sys.stderr)
    # The fixture's premise: the healthy twins pass everywhere; the planted defect is better
    # overall and fails on its slice only.
    for name in HEALTHY:
        check(doc["pairs"][name]["verdict"] == "pass", f"{name} should pass every slice")
    d = doc["pairs"][PLANTED_DEFECT]
    o = d["slices"][0]["metrics"]
    check(o["accuracy"]["delta"] > 0 and o["area_under_roc"]["delta"] > 0,
          "the planted defect should be better overall")
    check(d["failing"] and {f["slice"] for f in d["failing"]} == {DEFECT_SLICE},
          "the planted defect should fail on its slice only")
    with open(OUTPUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(doc, indent=2, sort_keys=True, allow_nan=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
