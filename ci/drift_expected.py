#!/usr/bin/env python3
"""Expected figures of the drift checks on the credit drift fixtures.

Usage: .venv/bin/python ci/drift_expected.py
       (after ci/make_drift.py; writes fixtures/credit/expected-drift.json)

Independent of mlgate: the CSVs are parsed again here (Python's csv module,
every cell as text), and the statistics come from numpy (quantiles, PSI,
KS by Numerical Recipes, Holm) and scipy (chi2_contingency, ks_2samp,
wasserstein_distance, jensenshannon), each cross-checked against a second,
hand-written computation.

Pairs (reference -> current), all files under fixtures/credit/:
  train -> test, train -> drift-shifted, train -> drift-resample,
  train -> drift-resample-seed2, test -> drift-shifted, test -> drift-resample.

Features: the 20 columns of the header except the label "Risk", in header order.

Per pair and feature:

  missing     empty cells are excluded, in the reference and in the current
              file, before anything else (these files have none; the counts
              are recorded as missing_ref / missing_cur).
  kind        "numeric" if every (non-missing) reference value parses as a
              finite decimal number (regex [+-]?(digits[.digits*]|.digits)
              ([eE][+-]?digits)?; no "nan", "inf", hex or "_") AND the
              reference has more than 5 distinct values (distinct as numbers);
              otherwise "categorical": values are the cell text, so numbers
              with <= 5 distinct values ("1", "2", ...) are categories compared
              by their text as written. A numeric feature's current values must
              parse as numbers too (they all do here).
  psi         numeric: edges = numpy.quantile(ref, [0.1, 0.2, ..., 0.9],
              method="linear") (the quantile levels are k/10, k = 1..9),
              duplicates removed (numpy.unique, sorted). numpy's "linear":
              h = (n-1) q, i = floor(h), t = h - i, a = x[i], b = x[i+1] (sorted
              x), edge = a + (b-a) t when t < 0.5, else b - (b-a)(1-t); a = b
              gives a exactly. A value v goes to bin numpy.searchsorted(edges,
              v, side="left") = the number of edges strictly less than v, so
              the bins are (-inf, e1], (e1, e2], ..., (ek, +inf); k+1 bins.
              categorical: one bin per category of ref U cur, sorted by text
              (code point order).
              e = reference share, a = current share of each bin (count / n of
              that file); PSI = sum (a' - e') ln(a' / e') with a' = max(a, 1e-4),
              e' = max(e, 1e-4), not renormalised. Recorded: edges (numeric),
              counts and shares (before the floor), psi.
  test        reference rows n_ref <= 1000 (path "test"):
              numeric -> two-sample KS. D = sup |F_ref - F_cur| over all values;
              n_e = n m / (n + m); lambda = (sqrt(n_e) + 0.12 + 0.11 / sqrt(n_e)) D;
              p = Q_KS(lambda) = 2 sum_{k=1..100} (-1)^(k-1) exp(-2 k^2 lambda^2)
              (summed in that order, k ascending; for lambda > 0.2 every term
              past k ~ 25 is below 1e-14 and past k = 97 underflows to 0),
              clamped to [0, 1]; for lambda <= 0.2 the series converges too
              slowly and p = 1.0 is returned (Q_KS(0.2) = 1 - 5e-13). Also
              recorded for information: scipy.stats.ks_2samp(ref, cur,
              method="asymp") statistic and p (scipy's asymptotic p uses the
              Kolmogorov distribution without the NR correction and differs).
              categorical -> scipy.stats.chi2_contingency on the 2 x k table of
              counts (row 0 ref, row 1 cur; columns = categories of ref U cur,
              sorted by text; a category absent from both cannot occur),
              correction=False: chi2, dof = k - 1, p, Cramer's V =
              sqrt(chi2 / N), N = n_ref + n_cur. (k = 1, one category in both
              files: chi2 0, dof 0, p 1.)
              Holm across the 20 features' p-values: sort ascending (ties keep
              header order; ties do not change the result), p~(i) = max_{j<=i}
              min(1, (m - j + 1) p(j)), m = 20. The test says drift when
              p_holm < 0.05.
  distance    n_ref > 1000 (path "distance"):
              numeric -> scipy.stats.wasserstein_distance(ref, cur) /
              max(numpy.std(ref) (ddof 0), 0.001);
              categorical -> scipy.spatial.distance.jensenshannon(p_ref, p_cur)
              (natural log) on the shares of the categories of ref U cur
              (scipy divides each vector by its sum, which is 1 up to rounding).
              Drift when the distance >= 0.1.
  verdict     "fail" if psi >= 0.25 or the test / distance says drift; else
              "warn" if psi >= 0.1; else "pass".

Per pair: drifted_share = (features with verdict "fail") / 20; verdict "fail"
if drifted_share >= 0.5, else "pass"; top_psi = the 3 features with the
largest psi (ties: header order). Rows of every file are recorded.

vectors: small cases for unit tests (the PSI / JS-distance and Holm test
vectors of the project's statistics notes, section 7, asserted to 6 decimals;
a PSI with an empty bin floored at 1e-4; Holm with tied p-values; Q_KS at a
few lambdas, 0.2 included).

JSON: sorted keys, floats with repr precision (json), NaN written as null.
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import csv  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
from scipy.spatial.distance import jensenshannon  # noqa: E402
from scipy.stats import chi2 as chi2_dist  # noqa: E402
from scipy.stats import chi2_contingency, ks_2samp, wasserstein_distance  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CREDIT = ROOT / "fixtures" / "credit"
OUTPUT = CREDIT / "expected-drift.json"
LABEL = "Risk"

FILES = ["train.csv", "test.csv", "drift-shifted.csv", "drift-resample.csv",
         "drift-resample-seed2.csv"]
PAIRS = [("train.csv", "test.csv"), ("train.csv", "drift-shifted.csv"),
         ("train.csv", "drift-resample.csv"), ("train.csv", "drift-resample-seed2.csv"),
         ("test.csv", "drift-shifted.csv"), ("test.csv", "drift-resample.csv")]

MIN_NUMERIC_DISTINCT = 6          # numeric when more than 5 distinct reference values
DECILES = [k / 10 for k in range(1, 10)]
PSI_FLOOR = 1e-4
PSI_WARN = 0.1
PSI_FAIL = 0.25
TEST_MAX_REF = 1000               # n_ref <= 1000: KS / chi2 + Holm
ALPHA = 0.05
DISTANCE_DRIFT = 0.1
STD_FLOOR = 0.001
KS_SMALL_LAMBDA = 0.2
KS_TERMS = 100
DATASET_SHARE = 0.5
TOP = 3

NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")

# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def read(name):
    with open(CREDIT / name, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    assert all(len(r) == len(header) for r in body), name
    return header, {c: [r[j] for r in body] for j, c in enumerate(header)}, len(body)


def is_number(text):
    return NUMBER.fullmatch(text) is not None


# --------------------------------------------------------------------------
# Statistics (each with an independent cross-check)
# --------------------------------------------------------------------------


def close(a, b, rel=1e-12, abs_=1e-15):
    return abs(a - b) <= max(rel * max(abs(a), abs(b)), abs_)


def psi_value(e, a):
    e = np.maximum(np.asarray(e, dtype=float), PSI_FLOOR)
    a = np.maximum(np.asarray(a, dtype=float), PSI_FLOOR)
    return float(np.sum((a - e) * np.log(a / e)))


def psi_value_loop(e, a):
    total = 0.0
    for x, y in zip(e, a):
        x, y = max(x, PSI_FLOOR), max(y, PSI_FLOOR)
        total += (y - x) * math.log(y / x)
    return total


def quantile_linear(sorted_x, q):
    """numpy's method='linear' written out (the cross-check of the edges)."""
    n = len(sorted_x)
    h = (n - 1) * q
    i = math.floor(h)
    t = h - i
    a = float(sorted_x[i])
    b = float(sorted_x[min(i + 1, n - 1)])
    d = b - a
    return a + d * t if t < 0.5 else b - d * (1 - t)


def numeric_psi(ref, cur):
    edges = np.unique(np.quantile(ref, DECILES, method="linear"))
    srt = np.sort(ref)
    mine = sorted(set(quantile_linear(srt, q) for q in DECILES))
    assert mine == edges.tolist(), (mine, edges)
    k = len(edges) + 1
    rc = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=k)
    cc = np.bincount(np.searchsorted(edges, cur, side="left"), minlength=k)
    # cross-check: bin = number of edges strictly less than v
    rc2 = np.bincount((edges[None, :] < ref[:, None]).sum(axis=1), minlength=k)
    cc2 = np.bincount((edges[None, :] < cur[:, None]).sum(axis=1), minlength=k)
    assert rc.tolist() == rc2.tolist() and cc.tolist() == cc2.tolist()
    e, a = rc / len(ref), cc / len(cur)
    psi = psi_value(e, a)
    assert close(psi, psi_value_loop(e.tolist(), a.tolist()))
    return {"edges": edges.tolist(), "ref_counts": rc.tolist(), "cur_counts": cc.tolist(),
            "ref_shares": e.tolist(), "cur_shares": a.tolist(), "psi": psi}


def category_counts(ref, cur):
    cats = sorted(set(ref) | set(cur))
    rc = np.array([ref.count(c) for c in cats])
    cc = np.array([cur.count(c) for c in cats])
    return cats, rc, cc


def categorical_psi(cats, rc, cc):
    e, a = rc / rc.sum(), cc / cc.sum()
    psi = psi_value(e, a)
    assert close(psi, psi_value_loop(e.tolist(), a.tolist()))
    return {"categories": cats, "ref_counts": rc.tolist(), "cur_counts": cc.tolist(),
            "ref_shares": e.tolist(), "cur_shares": a.tolist(), "psi": psi}


def q_ks(lam):
    """Numerical Recipes' Q_KS; 1.0 for lambda <= 0.2."""
    if lam <= KS_SMALL_LAMBDA:
        return 1.0
    total = 0.0
    for k in range(1, KS_TERMS + 1):
        total += (1.0 if k % 2 == 1 else -1.0) * math.exp(-2.0 * k * k * lam * lam)
    return min(1.0, max(0.0, 2.0 * total))


def ks_test(ref, cur):
    n, m = len(ref), len(cur)
    rs, cs = np.sort(ref), np.sort(cur)
    grid = np.unique(np.concatenate([rs, cs]))
    fr = np.searchsorted(rs, grid, side="right") / n
    fc = np.searchsorted(cs, grid, side="right") / m
    d = float(np.max(np.abs(fr - fc)))
    # cross-check: the classic merge walk over both sorted samples
    i = j = 0
    d2 = 0.0
    while i < n and j < m:
        x = min(rs[i], cs[j])
        while i < n and rs[i] == x:
            i += 1
        while j < m and cs[j] == x:
            j += 1
        d2 = max(d2, abs(i / n - j / m))
    assert d == d2, (d, d2)
    ne = n * m / (n + m)
    lam = (math.sqrt(ne) + 0.12 + 0.11 / math.sqrt(ne)) * d
    sp = ks_2samp(ref, cur, method="asymp")
    assert close(float(sp.statistic), d)
    return {"name": "ks", "d": d, "n_e": ne, "lambda": lam, "p": q_ks(lam),
            "scipy_asymp": {"d": float(sp.statistic), "p": float(sp.pvalue)}}


def chi2_test(rc, cc):
    table = np.vstack([rc, cc])
    table = table[:, table.sum(axis=0) > 0]
    k = table.shape[1]
    if k == 1:
        return {"name": "chi2", "chi2": 0.0, "dof": 0, "p": 1.0, "cramers_v": 0.0}
    r = chi2_contingency(table, correction=False)
    big_n = int(table.sum())
    # cross-check: sum (O - E)^2 / E by hand, survival function of chi2(k - 1)
    exp = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / big_n
    mine = float(np.sum((table - exp) ** 2 / exp))
    assert close(float(r.statistic), mine, rel=1e-10) and int(r.dof) == k - 1
    assert close(float(r.pvalue), float(chi2_dist.sf(mine, k - 1)), rel=1e-8, abs_=1e-300)
    chi2 = float(r.statistic)
    return {"name": "chi2", "chi2": chi2, "dof": int(r.dof), "p": float(r.pvalue),
            "cramers_v": math.sqrt(chi2 / big_n), "n": big_n}


def holm(pvalues):
    p = np.asarray(pvalues, dtype=float)
    m = len(p)
    order = np.argsort(p, kind="stable")
    scaled = np.minimum(1.0, (m - np.arange(m)) * p[order])
    adj = np.maximum.accumulate(scaled)
    out = np.empty(m)
    out[order] = adj
    return out.tolist()


def wasserstein_normed(ref, cur):
    w = float(wasserstein_distance(ref, cur))
    # cross-check: integral of |F_ref - F_cur| between consecutive pooled values
    grid = np.unique(np.concatenate([ref, cur]))
    fr = np.searchsorted(np.sort(ref), grid[:-1], side="right") / len(ref)
    fc = np.searchsorted(np.sort(cur), grid[:-1], side="right") / len(cur)
    mine = float(np.sum(np.abs(fr - fc) * np.diff(grid)))
    assert close(w, mine, rel=1e-9), (w, mine)
    std = float(np.std(ref))
    value = w / max(std, STD_FLOOR)
    return {"name": "wasserstein_normed", "wasserstein": w, "std_ref": std, "value": value,
            "drift": bool(value >= DISTANCE_DRIFT)}


def js_distance(rc, cc):
    pr, pc = rc / rc.sum(), cc / cc.sum()
    value = float(jensenshannon(pr, pc))
    mid = (pr + pc) / 2

    def kl(p, q):
        return sum(x * math.log(x / y) for x, y in zip(p, q) if x > 0)

    mine = math.sqrt(max(0.0, (kl(pr, mid) + kl(pc, mid)) / 2))
    assert close(value, mine, rel=1e-9, abs_=1e-12), (value, mine)
    return {"name": "jensen_shannon", "value": value, "drift": bool(value >= DISTANCE_DRIFT)}


# --------------------------------------------------------------------------
# A pair
# --------------------------------------------------------------------------


def feature(ref_text, cur_text, path):
    ref_t = [v for v in ref_text if v != ""]
    cur_t = [v for v in cur_text if v != ""]
    out = {"missing_ref": len(ref_text) - len(ref_t), "missing_cur": len(cur_text) - len(cur_t),
           "n_ref": len(ref_t), "n_cur": len(cur_t)}
    numeric = all(is_number(v) for v in ref_t)
    if numeric:
        ref = np.array([float(v) for v in ref_t])
        out["distinct_ref"] = int(len(np.unique(ref)))
        numeric = out["distinct_ref"] >= MIN_NUMERIC_DISTINCT
    else:
        out["distinct_ref"] = len(set(ref_t))
    if numeric:
        assert all(is_number(v) for v in cur_t)
        cur = np.array([float(v) for v in cur_t])
        out["kind"] = "numeric"
        out["psi"] = numeric_psi(ref, cur)
        if path == "test":
            out["test"] = ks_test(ref, cur)
        else:
            out["distance"] = wasserstein_normed(ref, cur)
    else:
        out["kind"] = "categorical"
        cats, rc, cc = category_counts(ref_t, cur_t)
        out["psi"] = categorical_psi(cats, rc, cc)
        if path == "test":
            out["test"] = chi2_test(rc, cc)
        else:
            out["distance"] = js_distance(rc, cc)
    return out


def pair(ref_name, cur_name, data):
    header, ref_cols, n_ref = data[ref_name]
    _, cur_cols, n_cur = data[cur_name]
    features = [c for c in header if c != LABEL]
    path = "test" if n_ref <= TEST_MAX_REF else "distance"
    per = {c: feature(ref_cols[c], cur_cols[c], path) for c in features}
    if path == "test":
        adj = holm([per[c]["test"]["p"] for c in features])
        for c, p in zip(features, adj):
            per[c]["test"]["p_holm"] = p
            per[c]["test"]["drift"] = bool(p < ALPHA)
    for c in features:
        f = per[c]
        psi = f["psi"]["psi"]
        drift = f[path]["drift"]
        f["verdict"] = ("fail" if psi >= PSI_FAIL or drift else
                        "warn" if psi >= PSI_WARN else "pass")
    failing = [c for c in features if per[c]["verdict"] == "fail"]
    share = len(failing) / len(features)
    top = sorted(features, key=lambda c: (-per[c]["psi"]["psi"], features.index(c)))[:TOP]
    return {"reference": ref_name, "current": cur_name, "n_ref": n_ref, "n_cur": n_cur,
            "path": path, "features": per, "feature_order": features,
            "failing": failing, "warning": [c for c in features if per[c]["verdict"] == "warn"],
            "drifted_share": share, "verdict": "fail" if share >= DATASET_SHARE else "pass",
            "top_psi": [{"feature": c, "psi": per[c]["psi"]["psi"]} for c in top]}


# --------------------------------------------------------------------------
# Unit-test vectors
# --------------------------------------------------------------------------


def vectors():
    e = [0.17, 0.40, 0.27, 0.13, 0.03]
    a = [0.08, 0.24, 0.28, 0.32, 0.08]
    psi = psi_value(e, a)
    js = float(jensenshannon(e, a))
    assert round(psi, 6) == 0.370126 and round(js, 6) == 0.212206, (psi, js)
    hp = [0.001, 0.008, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205]
    hadj = holm(hp)
    assert np.allclose(hadj, [0.008, 0.056] + [0.234] * 6), hadj
    # floor: an empty current bin counts as 1e-4
    fe, fa = [0.5, 0.3, 0.2], [0.7, 0.3, 0.0]
    lams = [0.1, 0.2, 0.2000001, 0.3, 0.5, 0.8, 1.0, 1.2238, 1.3581, 1.6276, 2.0, 3.0, 5.0]
    return {"psi": {"ref": e, "cur": a, "psi": psi, "js_distance_ln": js},
            "psi_floor": {"ref": fe, "cur": fa, "psi": psi_value(fe, fa)},
            "holm": {"p": hp, "adjusted": hadj},
            "holm_ties": {"p": [0.01, 0.04, 0.01, 0.03, 0.5],
                          "adjusted": holm([0.01, 0.04, 0.01, 0.03, 0.5])},
            "q_ks": [{"lambda": x, "p": q_ks(x)} for x in lams]}


# --------------------------------------------------------------------------


def clean(obj):
    """Plain JSON: numpy scalars to Python, NaN to None."""
    if isinstance(obj, dict):
        return {str(k): clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean(v) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        obj = float(obj)
        return None if not math.isfinite(obj) else obj
    return obj


def key(ref, cur):
    return f"{ref.removesuffix('.csv')}->{cur.removesuffix('.csv')}"


def main():
    data = {name: read(name) for name in FILES}
    headers = {tuple(h) for h, _, _ in data.values()}
    assert len(headers) == 1, "all files must share one header"
    pairs = {key(r, c): pair(r, c, data) for r, c in PAIRS}
    doc = {
        "generated_by": "ci/drift_expected.py",
        "libraries": {"numpy": np.__version__, "scipy": scipy.__version__},
        "parameters": {"numeric_min_distinct": MIN_NUMERIC_DISTINCT, "quantiles": DECILES,
                       "quantile_method": "linear", "psi_floor": PSI_FLOOR,
                       "psi_warn": PSI_WARN, "psi_fail": PSI_FAIL,
                       "test_max_reference_rows": TEST_MAX_REF, "alpha": ALPHA,
                       "multiple_testing": "holm", "distance_drift": DISTANCE_DRIFT,
                       "std_floor": STD_FLOOR, "ks_small_lambda": KS_SMALL_LAMBDA,
                       "ks_terms": KS_TERMS, "dataset_drift_share": DATASET_SHARE,
                       "top": TOP, "label": LABEL},
        "files": {name: {"path": f"fixtures/credit/{name}", "rows": data[name][2]}
                  for name in FILES},
        "pairs": pairs,
        "vectors": vectors(),
    }
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write(json.dumps(clean(doc), indent=2, sort_keys=True, allow_nan=False) + "\n")
    for k, p in pairs.items():
        print(f"{k:28s} {p['path']:8s} {p['verdict']:4s} share={p['drifted_share']:.2f} "
              f"fail={p['failing']} warn={p['warning']}", file=sys.stderr)
    print(f"drift_expected: wrote {OUTPUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
