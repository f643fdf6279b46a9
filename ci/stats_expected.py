#!/usr/bin/env python3
"""Reference values for mlgate's statistics primitives (regression, fairness, drift).

Usage: .venv/bin/python ci/stats_expected.py
       (writes fixtures/stats/expected.json; no other input)

Independent of mlgate. Every figure comes from statsmodels, scipy or numpy, or
(DeLong, PSI, Katz) from the formula written out below in plain numpy and
cross-checked against a second computation. The §7 test vectors of
shared/notes/statistics.md are cases here, named "notes_*", and the script
asserts that the libraries reproduce them to the notes' printed precision.

Layout: {"parameters": ..., "libraries": ..., "<section>": [case, ...]}. A case
is {"name", "note", <inputs>, "expected": {...}}. null means undefined (the
case's note says why); NaN is never written.

Sections and conventions (alpha = 0.05 throughout):

  mcnemar   inputs b = #(baseline right, candidate wrong), c = #(baseline
            wrong, candidate right), n_total; the 2x2 table is [[a, b], [c, d]]
            with a = n_total - b - c - d0 concordant-right rows and d = d0 (any
            a, d: the tests ignore them).
            exact_two_sided_p  statsmodels mcnemar(exact=True)
                               = min(1, 2 * binom.cdf(min(b, c), b + c, 1/2));
                               b = c = 0 gives 1.
            one_sided_p        P(X >= b | X ~ Bin(b + c, 1/2)) = scipy
                               binomtest(b, b + c, 0.5, "greater").pvalue;
                               small when the candidate is worse (b >> c).
                               b + c = 0: binomtest refuses n = 0; written as 1
                               (the empty sum's definition, P(X >= 0) = 1).
            chi2_cc, chi2_cc_p statsmodels mcnemar(exact=False, correction=True):
                               (|b - c| - 1)^2 / (b + c), NOT clamped at 0, so
                               b = c gives 1/(b + c) (statsmodels' behaviour);
                               b + c = 0: 0/0, null. p = chi2.sf(stat, 1).
            delta_acc = (c - b)/n_total, nfr = b/n_total, pfr = c/n_total.
            Each p is also checked against exact rational arithmetic (fractions).

  holm, bh  statsmodels multipletests(p, alpha=0.05, method="holm" / "fdr_bh");
            adjusted p in input order; reject flags exactly as statsmodels
            computes them, which is NOT always "adjusted <= alpha" (see the
            *_float_boundary cases):
              holm: sort ascending (k = m, m-1, ..., 1 for sorted positions);
                    not-reject from the first sorted position where
                    p > alpha / k; adjusted = cummax(p * k), then min(., 1).
              bh:   f_i = i / m (i = 1..m); reject sorted positions
                    1..max{i : p_(i) <= f_i * alpha}; adjusted =
                    reverse-cummin(p_(i) / f_i), then values > 1 set to 1.
            Tied p-values get equal adjusted values and equal flags.

  delong    y (0/1), s1 (baseline scores), s2 (candidate scores); positives
            X (m of them), negatives Y (n). psi(x, y) = 1 if x > y, 1/2 if
            x == y, 0 otherwise (ties count one half). Structural components
            V10_r(i) = mean_j psi(X_i, Y_j), V01_r(j) = mean_i psi(X_i, Y_j);
            auc_r = mean_i V10_r(i). S10, S01 = 2x2 sample covariance matrices
            (divisor m - 1, n - 1) of (V10_1, V10_2), (V01_1, V01_2);
            S = S10/m + S01/n. var_diff = S11 + S22 - 2 S12, se = sqrt(var_diff),
            z = (auc1 - auc2)/se (baseline minus candidate, pROC's and the
            notes' sign), p_two = 2 * norm.sf(|z|),
            p_one_candidate_worse = norm.sf(z) = P(Z >= z), the p for
            H1: auc2 < auc1 (equivalently Phi(z') with z' = (auc2 - auc1)/se).
            var_diff <= 0 (s1 == s2, or both perfectly separating): z, p null.
            m < 2 or n < 2: S undefined, null. O(m n) numpy implementation,
            cross-checked with the midrank algorithm (Sun & Xu 2014) and with
            sklearn roc_auc_score.

  psi       (a) proportions: ref = expected e, cur = actual a (lists summing to
            1). Floor: e' = max(e, 1e-4), a' = max(a, 1e-4) elementwise, NO
            renormalisation; psi = sum over bins, left to right, of
            (a' - e') * ln(a' / e') (natural log of the ratio). js_distance_ln /
            js_distance_log2 = scipy.spatial.distance.jensenshannon(ref, cur,
            base=e / 2) on the UNfloored proportions (scipy divides each vector
            by its own sum first). linf = max |a - e| on the unfloored values.
            (b) deciles: edges = numpy.quantile(ref, [0.1, 0.2, ..., 0.9],
            method="linear") (probabilities are the doubles k/10), then
            numpy.unique (sorted, duplicates removed). With E edges there are
            E + 1 bins: (-inf, e_1), [e_1, e_2), ..., [e_E, +inf) ; bin index =
            numpy.searchsorted(edges, x, side="right") = #{edges <= x}, so a
            value equal to an edge goes to the bin ABOVE it. Both samples are
            binned this way; proportions = count / sample size; then (a).
            numpy's linear quantile: h = (n - 1) * q, lo = floor(h), g = h - lo,
            a = sorted[lo], b = sorted[min(lo + 1, n - 1)];
            value = a + (b - a) * g if g < 0.5 else b - (b - a) * (1 - g).

  ks        two samples; d = sup |F_ref - F_cur| (scipy.stats.ks_2samp; ECDFs
            right-continuous, evaluated at every pooled value, ties allowed).
            p_asymp = ks_2samp(method="asymp").pvalue (scipy: kstwo.sf(d,
            round(n_e)), the exact one-sample KS law at n = round(n_e), NOT
            Kolmogorov's limit). p_exact = ks_2samp(method="exact").pvalue, null
            when scipy gives up and falls back. p_notes = Q_KS((sqrt(n_e) + 0.12
            + 0.11/sqrt(n_e)) d) with n_e = n m/(n + m) and Q_KS(lam) =
            2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 lam^2) = scipy.special.kolmogorov
            (Q_KS(0) = 1). Also p_kolmogorov_limit = Q_KS(sqrt(n_e) d).

  chi2      2 x k table, row 0 = reference counts, row 1 = current counts
            (column = category). Columns that are zero in both rows are dropped
            first (scipy refuses a zero expected count), columns_kept lists the
            kept indices. scipy.stats.chi2_contingency(kept, correction=False):
            chi2, dof = k' - 1, p. cramers_v = sqrt(chi2 / (N (min(2, k') - 1)))
            = sqrt(chi2 / N) for k' >= 2 (N = grand total); k' < 2: dof 0,
            chi2 0, p 1, cramers_v null. gof_* is Evidently's variant, for
            reference only: scipy.stats.chisquare(cur, f_exp = ref * n_cur/n_ref)
            on the kept columns, null when some ref count is 0.

  wasserstein  scipy.stats.wasserstein_distance(ref, cur) (W1 between the
            empirical distributions); ref_std = numpy.std(ref) (ddof = 0, as
            Evidently); normed = distance / max(ref_std, 0.001).

  katz      x1/n1 favourable outcomes in the monitored group, x0/n0 in the
            reference group; p1 = x1/n1, p0 = x0/n0; di = p1/p0;
            spd = p1 - p0; se_log = sqrt((1 - p1)/(n1 p1) + (1 - p0)/(n0 p0));
            ci = exp(ln(di) -/+ z se_log) with the case's z: norm.ppf(0.975) =
            1.959963984540054 (not the rounded 1.959964), except the case
            reproducing the notes' printed CI, which used z = 1.96. x1 = 0: di = 0,
            ci null (ln 0). x0 = 0: di, ci null. x1 = n1 and x0 = n0: se 0,
            ci = [di, di].

JSON: sorted keys, floats with repr precision (json), lists of numbers on one
line, NaN never written (null instead). Deterministic: seeded numpy
Generators (PCG64), single-threaded BLAS; generated samples are rounded to 6
decimals and the rounded values are both written and used.
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402
from fractions import Fraction  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import sklearn  # noqa: E402
import statsmodels  # noqa: E402
from scipy import special, stats  # noqa: E402
from scipy.spatial.distance import jensenshannon  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from statsmodels.stats.contingency_tables import mcnemar  # noqa: E402
from statsmodels.stats.multitest import multipletests  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUTDIR = ROOT / "fixtures" / "stats"
OUTPUT = OUTDIR / "expected.json"

ALPHA = 0.05
PSI_FLOOR = 1e-4
WASSERSTEIN_STD_FLOOR = 0.001
Z95 = float(stats.norm.ppf(0.975))
DECILE_PROBS = [k / 10 for k in range(1, 10)]


def close(x, y, rel=1e-12, abs_=1e-15):
    return x is None and y is None or abs(x - y) <= max(abs_, rel * max(abs(x), abs(y)))


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def near_notes(value, printed, what):
    """value agrees with the notes' figure to the digits printed there."""
    s = repr(printed)
    decimals = len(s.split(".")[1]) if "." in s and "e" not in s else None
    if decimals is None:
        ok = abs(value - printed) <= 5e-4 * abs(printed)
    else:
        ok = abs(value - printed) <= 0.5 * 10 ** -decimals + 1e-15
    check(ok, f"notes vector {what}: got {value!r}, notes {printed!r}")


def rounded(a, d=6):
    return [round(float(v), d) for v in a]


# --------------------------------------------------------------------------
# 1. McNemar
# --------------------------------------------------------------------------


def binom_tail_exact(b, n):
    """P(X >= b), X ~ Bin(n, 1/2), as a Fraction."""
    return Fraction(sum(math.comb(n, k) for k in range(b, n + 1)), 2 ** n)


def mcnemar_case(name, b, c, n_total, note, d=None):
    d = (n_total - b - c) // 3 if d is None else d
    a = n_total - b - c - d
    table = [[a, b], [c, d]]
    n = b + c
    ex = mcnemar(table, exact=True)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        asy = mcnemar(table, exact=False, correction=True)
    two = float(ex.pvalue)
    if n > 0:
        one = float(stats.binomtest(b, n, 0.5, alternative="greater").pvalue)
    else:
        one = 1.0
    # independent: rational arithmetic
    lo = min(b, c)
    two_q = min(Fraction(1), 2 * Fraction(sum(math.comb(n, k) for k in range(0, lo + 1)), 2 ** n))
    check(close(two, float(two_q), rel=1e-12), f"mcnemar {name} two-sided")
    check(close(one, float(binom_tail_exact(b, n)), rel=1e-12), f"mcnemar {name} one-sided")
    stat = float(asy.statistic)
    if n > 0:
        check(close(stat, (abs(b - c) - 1) ** 2 / n), f"mcnemar {name} chi2")
        chi2, chi2_p = stat, float(asy.pvalue)
    else:
        chi2 = chi2_p = None
    return {"name": name, "note": note, "b": b, "c": c, "n_total": n_total, "table": table,
            "expected": {"exact_two_sided_p": two, "one_sided_p": one, "chi2_cc": chi2,
                         "chi2_cc_p": chi2_p, "discordant": n, "delta_acc": (c - b) / n_total,
                         "nfr": b / n_total, "pfr": c / n_total}}


def mcnemar_cases():
    cases = [
        mcnemar_case("notes_b15_c5", 15, 5, 200, "notes §7: exact 0.041389, one-sided "
                     "0.020695, chi2cc 4.05, p 0.044171"),
        mcnemar_case("b0_c0", 0, 0, 50, "no discordant pairs: exact p = min(1, 2 * 1) = 1; "
                     "one-sided 1 by definition (binomtest refuses n = 0); chi2 0/0 -> null"),
        mcnemar_case("b0_c7", 0, 7, 100, "candidate strictly better: one-sided P(X >= 0) = 1, "
                     "two-sided 2 / 2^7"),
        mcnemar_case("b40_c38", 40, 38, 1000, "near balance"),
        mcnemar_case("b300_c250", 300, 250, 10000, "large n, candidate worse"),
        mcnemar_case("b1_c0", 1, 0, 10, "n = 1: exact two-sided min(1, 2 * 1/2) = 1, "
                     "one-sided 1/2; chi2cc (1 - 1)^2 / 1 = 0, p 1"),
        mcnemar_case("b5_c5", 5, 5, 100, "b = c: exact p = min(1, 2 P(X <= 5)) = 1; statsmodels' "
                     "chi2cc is (0 - 1)^2 / 10 = 0.1 (not clamped to 0), p 0.75"),
        mcnemar_case("b3_c17", 3, 17, 500, "candidate better: one-sided p near 1"),
    ]
    n = cases[0]["expected"]
    near_notes(n["exact_two_sided_p"], 0.041389, "mcnemar exact")
    near_notes(n["one_sided_p"], 0.020695, "mcnemar one-sided")
    near_notes(n["chi2_cc"], 4.05, "mcnemar chi2")
    near_notes(n["chi2_cc_p"], 0.044171, "mcnemar chi2 p")
    return cases


# --------------------------------------------------------------------------
# 2. Holm and Benjamini-Hochberg
# --------------------------------------------------------------------------

NOTES_P = [0.001, 0.008, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205]

MULTI_CASES = [
    ("notes_8", "notes §7 vector", NOTES_P),
    ("ties_unsorted", "unsorted, with a triple tie and a double tie", [0.04, 0.01, 0.04, 0.2,
                                                                      0.03, 0.04, 0.01]),
    ("single", "m = 1: adjusted = p", [0.03]),
    ("single_reject", "m = 1, p < alpha", [0.049]),
    ("all_ones", "p = 1 everywhere", [1.0, 1.0, 1.0]),
    ("with_zero_and_one", "unsorted, includes 0 and 1", [0.5, 0.0, 1.0, 0.02, 0.011]),
    ("all_significant", "every p tiny", [1e-10, 3e-8, 2e-6, 1e-4]),
    ("holm_float_boundary_m11", "m = 11, smallest p = 0.05/11 exactly as the double "
     "0.004545454545454546: statsmodels rejects (p > alpha/11 is false) although "
     "adjusted = 11 p = 0.05000000000000001 > alpha",
     [0.05 / 11, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99]),
    ("bh_float_boundary_m4", "m = 4, third p = 3 * 0.05 / 4 = 0.037500000000000006: BH rejects "
     "it (p <= (3/4) * alpha = 0.037500000000000006) although its adjusted p "
     "p / (3/4) = 0.05000000000000001 > alpha",
     [0.001, 0.002, 3 * 0.05 / 4, 0.9]),
    ("bh_division_m5", "m = 5, p = 0.01 first: statsmodels' adjusted p is p / (1/5) = "
     "0.049999999999999996, whereas m p / i = 0.05 (compute p / (i/m))",
     [0.01, 0.3, 0.4, 0.5, 0.6]),
]


def holm_manual(p):
    m = len(p)
    order = sorted(range(m), key=lambda i: (p[i], i))
    adj, rej, run, stop = [0.0] * m, [False] * m, 0.0, False
    for pos, i in enumerate(order):
        k = m - pos
        run = max(run, p[i] * k)
        adj[i] = min(run, 1.0)
        stop = stop or p[i] > ALPHA / k
        rej[i] = not stop
    return adj, rej


def bh_manual(p):
    m = len(p)
    order = sorted(range(m), key=lambda i: (p[i], i))
    f = [(pos + 1) / m for pos in range(m)]
    last = max([pos for pos, i in enumerate(order) if p[i] <= f[pos] * ALPHA], default=-1)
    adj, rej, run = [0.0] * m, [False] * m, math.inf
    for pos in range(m - 1, -1, -1):
        i = order[pos]
        run = min(run, p[i] / f[pos])
        adj[i] = 1.0 if run > 1 else run
        rej[i] = pos <= last
    return adj, rej


def multi_cases(method):
    out = []
    for name, note, p in MULTI_CASES:
        rej, adj, _, _ = multipletests(p, alpha=ALPHA, method=method)
        adj, rej = [float(v) for v in adj], [bool(v) for v in rej]
        madj, mrej = (holm_manual if method == "holm" else bh_manual)(p)
        check(madj == adj and mrej == rej, f"{method} {name}: manual != statsmodels")
        out.append({"name": name, "note": note, "p": p, "alpha": ALPHA,
                    "expected": {"adjusted": adj, "reject": rej}})
    return out


def multi_checks(holm, bh):
    h, b = holm[0]["expected"]["adjusted"], bh[0]["expected"]["adjusted"]
    for v, w in zip(h, [0.008, 0.056] + [0.234] * 6):
        near_notes(v, w, "holm")
    for v, w in zip(b, [0.008, 0.032, 0.0672, 0.0672, 0.0672, 0.080, 0.0846, 0.205]):
        near_notes(v, w, "bh")
    hb = next(c for c in holm if c["name"] == "holm_float_boundary_m11")["expected"]
    check(hb["reject"][0] and hb["adjusted"][0] > ALPHA, "holm boundary case")
    bb = next(c for c in bh if c["name"] == "bh_float_boundary_m4")["expected"]
    check(bb["reject"][2] and bb["adjusted"][2] > ALPHA, "bh boundary case")


# --------------------------------------------------------------------------
# 3. DeLong
# --------------------------------------------------------------------------


def structural(y, s):
    y, s = np.asarray(y), np.asarray(s, dtype=float)
    x_pos, y_neg = s[y == 1], s[y == 0]
    psi = (x_pos[:, None] > y_neg[None, :]) + 0.5 * (x_pos[:, None] == y_neg[None, :])
    return psi.mean(axis=1), psi.mean(axis=0)


def midrank_components(y, s):
    """Sun & Xu (2014) fast DeLong: the same V10, V01 from midranks."""
    y, s = np.asarray(y), np.asarray(s, dtype=float)
    xp, yn = s[y == 1], s[y == 0]
    m, n = len(xp), len(yn)
    tz = stats.rankdata(np.concatenate([xp, yn]))
    tx, ty = stats.rankdata(xp), stats.rankdata(yn)
    v10 = (tz[:m] - tx) / n
    v01 = 1 - (tz[m:] - ty) / m
    return v10, v01


def delong_case(name, note, y, s1, s2, components=True):
    y = [int(v) for v in y]
    m, n = sum(y), len(y) - sum(y)
    v10_1, v01_1 = structural(y, s1)
    v10_2, v01_2 = structural(y, s2)
    auc1, auc2 = float(np.mean(v10_1)), float(np.mean(v10_2))
    for s, (v10, v01), auc in ((s1, (v10_1, v01_1), auc1), (s2, (v10_2, v01_2), auc2)):
        f10, f01 = midrank_components(y, s)
        check(np.allclose(f10, v10, rtol=0, atol=1e-14)
              and np.allclose(f01, v01, rtol=0, atol=1e-14),
              f"delong {name}: midrank components differ")
        check(close(auc, float(roc_auc_score(y, s))), f"delong {name}: sklearn AUC differs")
        check(close(auc, float(np.mean(v01))), f"delong {name}: mean V01 != mean V10")
    exp = {"auc1": auc1, "auc2": auc2, "m_positives": m, "n_negatives": n}
    if m >= 2 and n >= 2:
        s10 = np.cov(np.vstack([v10_1, v10_2]))  # ddof 1
        s01 = np.cov(np.vstack([v01_1, v01_2]))
        S = s10 / m + s01 / n
        var = float(S[0, 0] + S[1, 1] - 2 * S[0, 1])
        exp.update({"s10": s10.tolist(), "s01": s01.tolist(), "S": S.tolist(), "var_diff": var})
        if var > 0:
            se = math.sqrt(var)
            z = (auc1 - auc2) / se
            exp.update({"se_diff": se, "z": z, "p_two_sided": float(2 * stats.norm.sf(abs(z))),
                        "p_one_candidate_worse": float(stats.norm.sf(z))})
        else:
            exp.update({"se_diff": 0.0 if var == 0 else None, "z": None, "p_two_sided": None,
                        "p_one_candidate_worse": None})
    else:
        exp.update({"s10": None, "s01": None, "S": None, "var_diff": None, "se_diff": None,
                    "z": None, "p_two_sided": None, "p_one_candidate_worse": None})
    if components:
        exp.update({"v10_1": v10_1.tolist(), "v10_2": v10_2.tolist(),
                    "v01_1": v01_1.tolist(), "v01_2": v01_2.tolist()})
    return {"name": name, "note": note, "y": y, "s1": list(s1), "s2": list(s2), "expected": exp}


NOTES_Y = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0]
NOTES_S1 = [.9, .8, .7, .6, .4, .5, .3, .2, .35, .1, .65, .45]
NOTES_S2 = [.85, .6, .75, .3, .5, .55, .4, .2, .1, .15, .7, .6]


def delong_cases():
    cases = [delong_case("notes_12", "notes §7 vector (s1 = baseline, s2 = candidate)",
                         NOTES_Y, NOTES_S1, NOTES_S2)]
    e = cases[0]["expected"]
    near_notes(e["auc1"], 0.944444, "delong auc1")
    near_notes(e["auc2"], 0.847222, "delong auc2")
    for got, want in zip(sum(e["S"], []), [0.0043210, 0.0044753, 0.0044753, 0.0133488]):
        near_notes(got, want, "delong S")
    near_notes(e["z"], 1.041187, "delong z")
    near_notes(e["p_two_sided"], 0.297789, "delong p")

    rng = np.random.default_rng(20260101)
    y = [1] * 14 + [0] * 16
    rng.shuffle(y)
    lvl = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    s1 = [float(lvl[min(4, max(0, int(rng.integers(0, 3)) + 2 * v))]) for v in y]
    s2 = [float(min(2, max(0, int(rng.integers(0, 2)) + v))) for v in y]
    cases.append(delong_case("ties_30", "scores on 5 / 3 levels: many ties within and across "
                             "classes (psi = 1/2 on ties)", y, s1, s2))

    rng = np.random.default_rng(20260102)
    latent = rng.normal(size=200)
    y = (latent + rng.normal(0, 1, size=200) > 0.6).astype(int).tolist()
    s1 = rounded(latent + rng.normal(0, 0.6, size=200))
    s2 = rounded(latent + rng.normal(0, 0.9, size=200))
    cases.append(delong_case("seeded_200", "200 rows (numpy default_rng(20260102)); candidate "
                             "noisier", y, s1, s2, components=False))

    cases.append(delong_case("identical_scores", "s2 == s1: S11 = S22 = S12, var_diff = 0, z "
                             "undefined (null)", NOTES_Y, NOTES_S1, NOTES_S1))
    cases.append(delong_case("both_perfect", "both separate perfectly (AUC 1, different scores): "
                             "all components 1, S = 0, z undefined (null)",
                             [1, 1, 1, 0, 0, 0], [0.9, 0.8, 0.7, 0.3, 0.2, 0.1],
                             [0.6, 0.55, 0.52, 0.5, 0.1, 0.0]))
    cases.append(delong_case("tiny_m2_n3", "smallest sizes with S defined (m = 2, n = 3)",
                             [1, 0, 1, 0, 0], [0.8, 0.3, 0.4, 0.5, 0.1], [0.7, 0.6, 0.9, 0.2, 0.6]))
    cases.append(delong_case("one_positive", "m = 1: S10 needs m >= 2, so S, z, p are null; "
                             "AUCs defined", [0, 1, 0, 0], [0.2, 0.9, 0.4, 0.5],
                             [0.3, 0.35, 0.4, 0.1]))
    cases.append(delong_case("candidate_better", "notes vector with s1/s2 swapped: z < 0, "
                             "one-sided p > 0.5", NOTES_Y, NOTES_S2, NOTES_S1))
    return cases


# --------------------------------------------------------------------------
# 4. PSI, Jensen-Shannon, L-infinity
# --------------------------------------------------------------------------


def psi_value(ref, cur):
    total = 0.0
    for e, a in zip(ref, cur):
        e, a = max(e, PSI_FLOOR), max(a, PSI_FLOOR)
        total += (a - e) * math.log(a / e)
    return total


def divergences(ref, cur):
    out = {"psi": psi_value(ref, cur),
           "js_distance_ln": float(jensenshannon(ref, cur)),
           "js_distance_log2": float(jensenshannon(ref, cur, base=2)),
           "linf": max(abs(a - e) for e, a in zip(ref, cur))}
    r, c = np.asarray(ref, float), np.asarray(cur, float)
    fr, fc = np.maximum(r, PSI_FLOOR), np.maximum(c, PSI_FLOOR)
    check(close(out["psi"], float(np.sum((fc - fr) * np.log(fc / fr))), rel=1e-12, abs_=1e-16),
          "psi vectorised")
    # JS by hand (natural log), scipy normalises by the sums
    p, q = r / r.sum(), c / c.sum()
    mid = (p + q) / 2
    kl = lambda u, v: sum(x * math.log(x / w) for x, w in zip(u, v) if x > 0)  # noqa: E731
    js = math.sqrt(max(0.0, (kl(p, mid) + kl(q, mid)) / 2))
    check(close(js, out["js_distance_ln"], rel=1e-9, abs_=1e-12), "js by hand")
    return out


PSI_PROPORTION_CASES = [
    ("notes_5", "notes §7 vector: psi 0.370126, JS ln 0.212206, log2 0.254885, Linf 0.19",
     [.17, .40, .27, .13, .03], [.08, .24, .28, .32, .08]),
    ("identical", "same distribution: all zero", [0.25, 0.25, 0.5], [0.25, 0.25, 0.5]),
    ("ref_zero_bin", "reference empty in a bin: e = 0 -> 1e-4, no renormalisation",
     [0.5, 0.5, 0.0], [0.4, 0.4, 0.2]),
    ("both_zero_bin", "bin empty in both: floored to 1e-4 each, contributes 0",
     [0.6, 0.0, 0.4], [0.5, 0.0, 0.5]),
    ("below_floor", "proportions below 1e-4 are raised to 1e-4 (5e-5 -> 1e-4)",
     [0.99995, 0.00005], [0.9, 0.1]),
    ("disjoint", "all mass moves: maximal JS (ln 2 -> distance sqrt(ln 2) = 0.8326 natural, "
     "1 in log2)", [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]),
    ("ten_bins_small_shift", "ten equal reference bins, small shift",
     [0.1] * 10, [0.08, 0.09, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.11, 0.12]),
]


def decile_edges(ref):
    raw = np.quantile(np.asarray(ref, float), DECILE_PROBS, method="linear")
    return raw, np.unique(raw)


def numpy_linear_quantile(sorted_vals, q):
    n = len(sorted_vals)
    h = (n - 1) * q
    lo = math.floor(h)
    g = h - lo
    a = sorted_vals[lo]
    b = sorted_vals[min(lo + 1, n - 1)]
    return a + (b - a) * g if g < 0.5 else b - (b - a) * (1 - g)


def decile_case(name, note, ref, cur):
    raw, edges = decile_edges(ref)
    srt = sorted(ref)
    manual = [numpy_linear_quantile(srt, q) for q in DECILE_PROBS]
    check(manual == raw.tolist(), f"psi {name}: quantile formula is not numpy's")
    k = len(edges)
    ref_idx = np.searchsorted(edges, np.asarray(ref, float), side="right")
    cur_idx = np.searchsorted(edges, np.asarray(cur, float), side="right")
    ref_counts = np.bincount(ref_idx, minlength=k + 1).tolist()
    cur_counts = np.bincount(cur_idx, minlength=k + 1).tolist()
    check(ref_counts == [sum(1 for x in ref if sum(e <= x for e in edges) == j)
                         for j in range(k + 1)], f"psi {name}: binning")
    rp = [v / len(ref) for v in ref_counts]
    cp = [v / len(cur) for v in cur_counts]
    return {"name": name, "note": note, "reference": list(ref), "current": list(cur),
            "expected": {"edges_raw": raw.tolist(), "edges": edges.tolist(), "bins": k + 1,
                         "ref_counts": ref_counts, "cur_counts": cur_counts,
                         "ref_proportions": rp, "cur_proportions": cp, **divergences(rp, cp)}}


def psi_cases():
    props = []
    for name, note, ref, cur in PSI_PROPORTION_CASES:
        props.append({"name": name, "note": note, "reference": ref, "current": cur,
                      "expected": divergences(ref, cur)})
    e = props[0]["expected"]
    near_notes(e["psi"], 0.370126, "psi")
    near_notes(e["js_distance_ln"], 0.212206, "js ln")
    near_notes(e["js_distance_log2"], 0.254885, "js log2")
    near_notes(e["linf"], 0.19, "linf")

    deciles = []
    rng = np.random.default_rng(20260103)
    deciles.append(decile_case("normal_shift", "ref N(0,1) x1000, cur N(0.3, 1.1) x500 "
                               "(default_rng(20260103))",
                               rounded(rng.normal(0, 1, 1000)), rounded(rng.normal(0.3, 1.1, 500))))
    rng = np.random.default_rng(20260104)
    deciles.append(decile_case("same_distribution", "both N(0,1), 800 / 600: psi small",
                               rounded(rng.normal(0, 1, 800)), rounded(rng.normal(0, 1, 600))))
    rng = np.random.default_rng(20260105)
    ref = [float(v) for v in rng.choice([0, 1, 2, 3, 4, 7], size=300, p=[.4, .2, .15, .1, .1, .05])]
    cur = [float(v) for v in rng.choice([0, 1, 2, 3, 4, 5, 7], size=200,
                                        p=[.3, .2, .15, .1, .1, .1, .05])]
    deciles.append(decile_case("integer_ties", "integer values: duplicate edges removed, many "
                               "values equal to an edge (they go to the bin above); 5 appears "
                               "only in current", ref, cur))
    deciles.append(decile_case("tiny_n", "n_ref = 7: the deciles interpolate between the 7 "
                               "values, and numpy's two-sided lerp gives 3.5999999999999996 and "
                               "4.800000000000001 (not 3.6, 4.8); current holds 1.3 and 3.0, equal "
                               "to edges (counted in the bin above)",
                               [3.0, 1.0, 4.0, 1.5, 5.0, 9.0, 2.6],
                               [1.0, 1.3, 2.6, 3.0, 4.0, 9.5]))
    deciles.append(decile_case("all_equal_ref", "constant reference: one edge (2.0), two bins "
                               "(-inf, 2) and [2, inf); ref proportions [0, 1]",
                               [2.0] * 20, [1.0, 2.0, 2.0, 3.0, 1.5]))
    deciles.append(decile_case("outside_range", "current far outside the reference range: all "
                               "in the first / last bin", [float(v) for v in range(1, 21)],
                               [-5.0] * 6 + [100.0] * 4))
    deciles.append(decile_case("extreme_imbalance", "reference 85 % zeros: the nine edges collapse "
                               "to [0, 5.1000000000000085] (h = 99 * 0.9 = 89.10000000000001 in "
                               "doubles, so g is not exactly 0.1); bin (-inf, 0) empty in both",
                               [0.0] * 85 + [float(v) for v in range(1, 16)],
                               [0.0] * 60 + [float(v % 7) for v in range(40)]))
    deciles.append(decile_case("degenerate_95pct_zeros", "reference 95 % zeros: every decile is "
                               "0, one edge, bins (-inf, 0) and [0, inf) hold everything: psi 0 "
                               "although current has 40 % non-zeros (decile PSI is blind here)",
                               [0.0] * 95 + [1.0, 2.0, 3.0, 4.0, 5.0],
                               [0.0] * 60 + [float(v % 7) for v in range(40)]))
    return {"proportions": props, "deciles": deciles}


# --------------------------------------------------------------------------
# 5. Kolmogorov-Smirnov
# --------------------------------------------------------------------------


def q_ks_series(lam):
    """Independent Q_KS for the cross-check (two series; both converge fast)."""
    if lam <= 0:
        return 1.0
    if lam < 1.0:
        # 1 - sqrt(2 pi)/lam * sum exp(-(2k-1)^2 pi^2 / (8 lam^2))
        s = sum(math.exp(-((2 * k - 1) ** 2) * math.pi ** 2 / (8 * lam * lam))
                for k in range(1, 50))
        return 1 - math.sqrt(2 * math.pi) / lam * s
    return 2 * sum((-1) ** (k - 1) * math.exp(-2 * k * k * lam * lam) for k in range(1, 101))


def ks_case(name, note, ref, cur):
    n1, n2 = len(ref), len(cur)
    asy = stats.ks_2samp(ref, cur, method="asymp")
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        exa = stats.ks_2samp(ref, cur, method="exact")
    fell_back = any("Switching" in str(x.message) for x in w)
    d = float(asy.statistic)
    # independent D
    pooled = np.concatenate([ref, cur])
    f1 = np.array([sum(v <= x for v in ref) / n1 for x in pooled])
    f2 = np.array([sum(v <= x for v in cur) / n2 for x in pooled])
    check(close(d, float(np.max(np.abs(f1 - f2)))), f"ks {name}: D")
    ne = n1 * n2 / (n1 + n2)
    lam = (math.sqrt(ne) + 0.12 + 0.11 / math.sqrt(ne)) * d
    p_notes = float(special.kolmogorov(lam))
    check(close(p_notes, q_ks_series(lam), rel=1e-9, abs_=1e-14), f"ks {name}: Q_KS")
    return {"name": name, "note": note, "reference": list(ref), "current": list(cur),
            "expected": {"d": d, "n_e": ne, "lambda_notes": lam,
                         "p_asymp": float(asy.pvalue),
                         "p_exact": None if fell_back else float(exa.pvalue),
                         "d_exact": None if fell_back else float(exa.statistic),
                         "p_notes": p_notes,
                         "p_kolmogorov_limit": float(special.kolmogorov(math.sqrt(ne) * d))}}


def ks_cases():
    out = []
    rng = np.random.default_rng(20260106)
    out.append(ks_case("normal_50_80", "N(0,1) x50 vs N(0.5,1) x80 (default_rng(20260106))",
                       rounded(rng.normal(0, 1, 50)), rounded(rng.normal(0.5, 1, 80))))
    rng = np.random.default_rng(20260107)
    out.append(ks_case("normal_1000_1000", "N(0,1) vs N(0.1,1), 1000 each",
                       rounded(rng.normal(0, 1, 1000)), rounded(rng.normal(0.1, 1, 1000))))
    rng = np.random.default_rng(20260108)
    out.append(ks_case("ties_poisson", "Poisson(3) x60 vs Poisson(4) x40: heavy ties (scipy's "
                       "exact p assumes no ties)",
                       [float(v) for v in rng.poisson(3, 60)],
                       [float(v) for v in rng.poisson(4, 40)]))
    rng = np.random.default_rng(20260109)
    same = rounded(rng.normal(0, 1, 30))
    out.append(ks_case("identical", "the same 30 values twice: D = 0, every p = 1", same, same))
    out.append(ks_case("tiny_separated", "3 vs 4 values, fully separated: D = 1",
                       [1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0]))
    out.append(ks_case("tiny_n5", "5 vs 5, interleaved", [0.1, 0.4, 0.5, 0.9, 1.3],
                       [0.2, 0.6, 0.7, 1.1, 1.5]))
    return out


# --------------------------------------------------------------------------
# 6. Chi-square homogeneity (2 x k)
# --------------------------------------------------------------------------


def chi2_case(name, note, ref, cur):
    keep = [j for j in range(len(ref)) if ref[j] + cur[j] > 0]
    r = [ref[j] for j in keep]
    c = [cur[j] for j in keep]
    table = np.array([r, c], dtype=float)
    N = float(table.sum())
    exp = {"columns_kept": keep, "n_total": N}
    if len(keep) >= 2:
        res = stats.chi2_contingency(table, correction=False)
        chi2, p, dof = float(res.statistic), float(res.pvalue), int(res.dof)
        v = math.sqrt(chi2 / (N * (min(table.shape) - 1)))
        cramer = stats.contingency.association(table.astype(np.int64), method="cramer")
        check(close(v, float(cramer)),
              f"chi2 {name}: cramer")
        # independent statistic
        rows, cols = table.sum(axis=1), table.sum(axis=0)
        e = np.outer(rows, cols) / N
        check(close(chi2, float(((table - e) ** 2 / e).sum()), rel=1e-12, abs_=1e-12),
              f"chi2 {name}: statistic")
        exp.update({"chi2": chi2, "dof": dof, "p": p, "cramers_v": v,
                    "expected_counts": res.expected_freq.tolist()})
    else:
        exp.update({"chi2": 0.0, "dof": 0, "p": 1.0, "cramers_v": None,
                    "expected_counts": table.tolist()})
    nr, nc = sum(r), sum(c)
    if len(keep) >= 2 and all(v > 0 for v in r):
        g = stats.chisquare(c, f_exp=[v * nc / nr for v in r])
        exp.update({"gof_chi2": float(g.statistic), "gof_p": float(g.pvalue)})
    else:
        exp.update({"gof_chi2": None, "gof_p": None})
    return {"name": name, "note": note, "reference_counts": ref, "current_counts": cur,
            "expected": exp}


def chi2_cases():
    return [
        chi2_case("basic_2x4", "four categories, moderate shift", [120, 80, 60, 40],
                  [90, 85, 70, 55]),
        chi2_case("zero_column", "category 1 absent from both samples: dropped before the test "
                  "(columns_kept [0, 2, 3]), dof 2", [10, 0, 20, 5], [12, 0, 15, 9]),
        chi2_case("only_in_current", "category 2 present only in current (gof variant undefined: "
                  "expected 0)", [30, 20, 0], [25, 15, 10]),
        chi2_case("only_in_reference", "category 0 present only in reference", [7, 40, 53],
                  [0, 45, 55]),
        chi2_case("two_by_two", "2 x 2: correction=False, no Yates", [45, 55], [60, 40]),
        chi2_case("single_category", "after dropping the empty column one category remains: "
                  "dof 0, chi2 0, p 1, Cramer's V null", [10, 0], [20, 0]),
        chi2_case("identical_proportions", "same proportions, different sizes: chi2 0, p 1",
                  [20, 30, 50], [40, 60, 100]),
        chi2_case("extreme_imbalance", "10 000 reference rows vs 100 current",
                  [5000, 3000, 1500, 500], [30, 30, 20, 20]),
        chi2_case("tiny_counts", "counts of 1-3 (expected < 5; computed anyway)", [1, 2, 0, 3],
                  [2, 0, 1, 1]),
    ]


# --------------------------------------------------------------------------
# 7. Wasserstein
# --------------------------------------------------------------------------


def w1_manual(u, v):
    allv = sorted(set(u) | set(v))
    su, sv = sorted(u), sorted(v)
    total = 0.0
    for x0, x1 in zip(allv[:-1], allv[1:]):
        fu = np.searchsorted(su, x0, side="right") / len(u)
        fv = np.searchsorted(sv, x0, side="right") / len(v)
        total += abs(fu - fv) * (x1 - x0)
    return total


def wasserstein_case(name, note, ref, cur):
    w = float(stats.wasserstein_distance(ref, cur))
    check(close(w, w1_manual(ref, cur), rel=1e-11, abs_=1e-14), f"wasserstein {name}")
    sd = float(np.std(np.asarray(ref, float)))
    denom = max(sd, WASSERSTEIN_STD_FLOOR)
    return {"name": name, "note": note, "reference": list(ref), "current": list(cur),
            "expected": {"distance": w, "ref_std_ddof0": sd, "denominator": denom,
                         "normed": w / denom}}


def wasserstein_cases():
    out = [wasserstein_case("shift_small", "[0,1,3] vs [5,6,8]: shift by 5", [0.0, 1.0, 3.0],
                            [5.0, 6.0, 8.0]),
           wasserstein_case("unequal_sizes", "3 vs 2 values", [0.0, 1.0, 3.0], [5.0, 6.0])]
    rng = np.random.default_rng(20260110)
    out.append(wasserstein_case("normal_1000_800", "N(0,2) x1000 vs N(0.4,2) x800 "
                                "(default_rng(20260110))",
                                rounded(rng.normal(0, 2, 1000)), rounded(rng.normal(0.4, 2, 800))))
    rng = np.random.default_rng(20260111)
    out.append(wasserstein_case("integer_ties", "integer values with ties",
                                [float(v) for v in rng.integers(0, 5, 50)],
                                [float(v) for v in rng.integers(1, 6, 40)]))
    out.append(wasserstein_case("constant_reference", "std 0: denominator 0.001",
                                [3.0] * 10, [3.0] * 8 + [3.5, 4.0]))
    out.append(wasserstein_case("tiny_std_reference", "std 0.0005 < 0.001: denominator 0.001",
                                [1.0, 1.001] * 5, [1.0005] * 4))
    out.append(wasserstein_case("identical", "same sample: 0", [0.5, 1.5, 2.0, 2.0],
                                [0.5, 1.5, 2.0, 2.0]))
    return out


# --------------------------------------------------------------------------
# 8. Katz (disparate impact)
# --------------------------------------------------------------------------


def katz_case(name, note, x1, n1, x0, n0, z=Z95):
    p1, p0 = x1 / n1, x0 / n0
    exp = {"p1": p1, "p0": p0, "spd": p1 - p0}
    if x0 == 0:
        exp.update({"di": None, "log_di": None, "se_log": None, "ci_low": None, "ci_high": None})
    elif x1 == 0:
        exp.update({"di": 0.0, "log_di": None, "se_log": None, "ci_low": None, "ci_high": None})
    else:
        di = p1 / p0
        se = math.sqrt((1 - p1) / (n1 * p1) + (1 - p0) / (n0 * p0))
        ld = math.log(di)
        exp.update({"di": di, "log_di": ld, "se_log": se, "ci_low": math.exp(ld - z * se),
                    "ci_high": math.exp(ld + z * se)})
        # cross-check: same variance as 1/x1 - 1/n1 + 1/x0 - 1/n0
        check(close(se * se, 1 / x1 - 1 / n1 + 1 / x0 - 1 / n0, rel=1e-12, abs_=1e-15),
              f"katz {name}: variance")
    return {"name": name, "note": note, "x1": x1, "n1": n1, "x0": x0, "n0": n0, "z": z,
            "expected": exp}


def katz_cases():
    cases = [
        katz_case("notes_60_100_140_200", "notes §7 inputs with z = norm.ppf(0.975): DI "
                  "0.857143, CI [0.713116, 1.030258]; the notes print [0.713114, 1.030262], which "
                  "is z = 1.96 (next case), not the 1.959964 their text gives", 60, 100, 140, 200),
        katz_case("notes_60_100_140_200_z196", "notes §7 vector as printed there: it was computed "
                  "with z = 1.96", 60, 100, 140, 200, z=1.96),
        katz_case("x1_zero", "no favourable outcome in the monitored group: DI 0, CI null (ln 0)",
                  0, 120, 80, 150),
        katz_case("x0_all", "reference all favourable (p0 = 1, its variance term 0)", 90, 100,
                  200, 200),
        katz_case("both_all", "both groups all favourable: DI 1, se 0, CI [1, 1]", 50, 50, 70, 70),
        katz_case("x0_zero", "no favourable outcome in the reference group: DI, CI null", 10, 100,
                  0, 100),
        katz_case("imbalanced", "monitored 12 rows vs reference 10 000", 5, 12, 6500, 10000),
        katz_case("di_above_one", "monitored group favoured: DI > 1.25", 170, 200, 300, 500),
        katz_case("four_fifths_boundary", "DI exactly 0.8 as a double? 40/100 vs 50/100", 40, 100,
                  50, 100),
    ]
    e = cases[0]["expected"]
    near_notes(e["di"], 0.857143, "katz di")
    near_notes(e["ci_low"], 0.713116, "katz low (z 1.959964)")
    near_notes(e["ci_high"], 1.030258, "katz high (z 1.959964)")
    e = cases[1]["expected"]
    near_notes(e["ci_low"], 0.713114, "katz low")
    near_notes(e["ci_high"], 1.030262, "katz high")
    return cases


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


def dump(obj, indent=0):
    """json with sorted keys and indent 2, but a list of scalars on one line."""
    pad, inner = " " * indent, " " * (indent + 2)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f"{inner}{json.dumps(k)}: {dump(obj[k], indent + 2)}" for k in sorted(obj)]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(not isinstance(v, (dict, list)) for v in obj):
            return json.dumps(obj, allow_nan=False)
        return "[\n" + ",\n".join(inner + dump(v, indent + 2) for v in obj) + "\n" + pad + "]"
    return json.dumps(obj, allow_nan=False)


def main():
    holm, bh = multi_cases("holm"), multi_cases("fdr_bh")
    multi_checks(holm, bh)
    doc = {
        "generated_by": "ci/stats_expected.py",
        "libraries": {"numpy": np.__version__, "scipy": scipy.__version__,
                      "statsmodels": statsmodels.__version__, "scikit-learn": sklearn.__version__},
        "parameters": {"alpha": ALPHA, "psi_floor": PSI_FLOOR, "psi_renormalise": False,
                       "decile_probs": DECILE_PROBS, "decile_quantile_method": "linear",
                       "decile_searchsorted_side": "right",
                       "wasserstein_std_ddof": 0, "wasserstein_std_floor": WASSERSTEIN_STD_FLOOR,
                       "z95": Z95, "delong_z_sign": "(auc1 - auc2) / se, s1 baseline, s2 candidate",
                       "delong_p_one": "norm.sf(z): H1 candidate AUC < baseline AUC"},
        "mcnemar": mcnemar_cases(),
        "holm": holm,
        "bh": bh,
        "delong": delong_cases(),
        "psi": psi_cases(),
        "ks": ks_cases(),
        "chi2": chi2_cases(),
        "wasserstein": wasserstein_cases(),
        "katz": katz_cases(),
    }
    OUTDIR.mkdir(parents=True, exist_ok=True)
    text = dump(clean(doc)) + "\n"
    json.loads(text)  # well-formed
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write(text)
    counts = ", ".join(f"{k} {len(v) if isinstance(v, list) else sum(map(len, v.values()))}"
                       for k, v in doc.items() if isinstance(v, (list, dict)) and k not in
                       ("libraries", "parameters"))
    print(f"stats_expected: wrote {OUTPUT.relative_to(ROOT)} ({counts})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
