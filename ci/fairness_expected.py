#!/usr/bin/env python3
"""Expected figures of the fairness tests (IBM OpenScale's fairness monitor) on the credit models.

Usage: .venv/bin/python ci/fairness_expected.py
       (after ci/make_fixtures.py; writes fixtures/credit/expected-fairness.json)

Independent of mlgate. Data: fixtures/credit/test.csv (1000 rows), read with
pandas keep_default_na=False, na_values=[""], label column Risk as text and
dropped from the features. Every model is scored exactly as mlgate's command
model serves it: each row becomes the JSON object a harness sends (a JSON round
trip), scored by serve_model.score_rows() (ci/serve_model.py); the labels are
checked to be identical to model.predict() on the DataFrame.

Models: candidate.pkl, twin-seed1.pkl, production.pkl, defect-uses-sex.pkl.
The planted fairness defect is defect-uses-sex.pkl (built by
ci/make_fixtures.py: it sees Sex and was trained on labels where a seeded 30 %
of the women who repaid were recorded as "Risk"); it fails disparate impact on
Sex. The candidate and its seed-1 twin pass on Sex and on Age.

Outcomes. The binary task's positive class is "Risk", but for fairness the
FAVOURABLE outcome is "No Risk":
  fav    predicted label == "No Risk"
  y_fav  true label == "No Risk"
so TPR / FPR below are taken with "No Risk" as the positive outcome (they are
NOT the recall / fall-out of the class "Risk").

Attributes and groups (a row belongs to a group when its value is in it):
  Sex  categorical  monitored ["female"]            reference ["male"]
  Age  numeric      monitored range [19, 25]        reference range [26, 75]
                    (OpenScale's numeric ranges, both bounds inclusive)
Rows in neither group are ignored (recorded as "unassigned"; 0 here: the
test.csv ages are 20..74, Sex is male or female).

Per group g (1 = monitored, 0 = reference):
  n            rows of the group
  x            rows predicted favourable
  truly_fav    rows with y_fav;   tp = rows with y_fav and fav
  truly_unfav  rows without y_fav; fp = rows without y_fav but fav
  p   = x / n                 (favourable rate)
  tpr = tp / truly_fav        P(fav | y_fav)
  fpr = fp / truly_unfav      P(fav | not y_fav)

Figures, z = 1.959963984540054 (scipy.stats.norm.ppf(0.975)), computed in
double precision in exactly this order:
  disparate impact         di = p1 / p0 (p1 = x1 / n1, p0 = x0 / n0 first);
                           se_log = sqrt((1 - p1) / (n1 p1) + (1 - p0) / (n0 p0));
                           Katz: ci = [exp(ln(di) - z se_log), exp(ln(di) + z se_log)].
                           verdict "fail" if di < 0.8 (point estimate), else "pass".
  statistical parity diff  spd = p1 - p0; Newcombe's hybrid score interval
                           [spd - sqrt((p1 - l1)^2 + (u0 - p0)^2),
                            spd + sqrt((u1 - p1)^2 + (p0 - l0)^2)]
                           from the Wilson 95 % intervals (l1, u1) of x1/n1 and
                           (l0, u0) of x0/n0.
  equal opportunity diff   eod = tpr1 - tpr0; Newcombe likewise on tp/truly_fav.
  average odds diff        aod = 0.5 * ((fpr1 - fpr0) + (tpr1 - tpr0)); no interval.
Wilson for x successes out of n, p = x / n:
  centre = (p + z^2 / (2 n)) / (1 + z^2 / n)
  half   = (z / (1 + z^2 / n)) * sqrt(p (1 - p) / n + z^2 / (4 n^2))
  [centre - half, centre + half]
Degenerate cases (none occurs with these models): x0 = 0 -> di, its ci null;
x1 = 0 -> di 0, ci null; a proportion with n = 0 -> it and everything built on
it null.

Cross-checks (the script stops on a mismatch): Wilson against
statsmodels.stats.proportion.proportion_confint(method="wilson"), Newcombe
against confint_proportions_2indep(method="newcomb", compare="diff"), Katz
against confint_proportions_2indep(method="log", compare="ratio") and
se_log^2 against 1/x1 - 1/n1 + 1/x0 - 1/n0 (all to 1e-12 relative); di also
against the exact fraction (x1 n0) / (x0 n1) (to 1 ulp-ish, 1e-15 relative).

Also per model: accuracy on test.csv, and the count of rows predicted
favourable overall.

JSON: sorted keys, floats with repr precision (json), NaN never written (null
instead). Deterministic: no randomness, single-threaded BLAS/OpenMP.
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
from scipy import stats  # noqa: E402
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serve_model  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CREDIT = ROOT / "fixtures" / "credit"
OUTPUT = CREDIT / "expected-fairness.json"

LABEL = "Risk"
FAVOURABLE = "No Risk"
MODELS = ["candidate.pkl", "twin-seed1.pkl", "production.pkl", "defect-uses-sex.pkl"]
PLANTED_DEFECT = "defect-uses-sex.pkl"
Z = 1.959963984540054
DI_THRESHOLD = 0.8
ATTRIBUTES = {
    "Sex": {"kind": "categorical", "monitored": ["female"], "reference": ["male"]},
    "Age": {"kind": "numeric", "monitored": [[19, 25]], "reference": [[26, 75]]},
}


def close(x, y, rel=1e-12, abs_=1e-15):
    return abs(x - y) <= max(abs_, rel * max(abs(x), abs(y)))


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def read(path):
    return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={LABEL: str})


def request_rows(features):
    """DataFrame -> the row objects a harness sends, through a JSON round trip."""
    columns = {c: features[c].tolist() for c in features.columns}
    rows = [{c: (None if isinstance(columns[c][i], float) and math.isnan(columns[c][i])
                 else columns[c][i]) for c in features.columns}
            for i in range(len(features))]
    return json.loads(json.dumps(rows, allow_nan=False))


def served_labels(model, X):
    response = serve_model.score_rows(model, request_rows(X))
    response = json.loads(serve_model.encode(response))  # exactly what goes over the wire
    labels = np.array(response["predictions"], dtype=object)
    direct = model.predict(X)
    check(len(labels) == len(X) and bool(np.all(labels == direct)),
          "score_rows and model.predict disagree")
    return labels


def membership(column, spec):
    """A function: group (list of categories, or of [low, high] ranges) -> row mask."""
    if spec["kind"] == "categorical":
        text = column.to_numpy(dtype=object)
        return lambda values: np.isin(text, np.array(values, dtype=object))
    v = column.to_numpy(dtype=np.float64)
    return lambda ranges: np.logical_or.reduce([(v >= lo) & (v <= hi) for lo, hi in ranges])


def proportion(x, n):
    return None if n == 0 else x / n


def wilson(x, n, z=Z):
    if n == 0:
        return None
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = (z / (1 + z * z / n)) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low, high = centre - half, centre + half
    sl, sh = proportion_confint(x, n, alpha=2 * stats.norm.sf(z), method="wilson")
    check(close(low, float(sl)) and close(high, float(sh)), f"wilson {x}/{n}")
    return [low, high]


def newcombe(x1, n1, x0, n0, z=Z):
    """Difference p1 - p0 with Newcombe's hybrid score interval."""
    if n1 == 0 or n0 == 0:
        return {"value": None, "ci_low": None, "ci_high": None,
                "wilson_monitored": wilson(x1, n1), "wilson_reference": wilson(x0, n0)}
    p1, p0 = x1 / n1, x0 / n0
    (l1, u1), (l0, u0) = wilson(x1, n1, z), wilson(x0, n0, z)
    d = p1 - p0
    low = d - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    sl, sh = confint_proportions_2indep(x1, n1, x0, n0, method="newcomb", compare="diff",
                                        alpha=2 * stats.norm.sf(z))
    check(close(low, float(sl)) and close(high, float(sh)), f"newcombe {x1}/{n1} {x0}/{n0}")
    return {"value": d, "ci_low": low, "ci_high": high,
            "wilson_monitored": [l1, u1], "wilson_reference": [l0, u0]}


def katz(x1, n1, x0, n0, z=Z):
    p1, p0 = proportion(x1, n1), proportion(x0, n0)
    out = {"p1": p1, "p0": p0, "value": None, "log": None, "se_log": None,
           "ci_low": None, "ci_high": None, "threshold": DI_THRESHOLD, "verdict": None}
    if p1 is None or p0 is None or x0 == 0:
        return out
    di = p1 / p0
    check(close(di, float(Fraction(x1 * n0, x0 * n1)), rel=1e-15, abs_=0.0) or di == 0.0,
          "di exact fraction")
    out["value"] = di
    out["verdict"] = "fail" if di < DI_THRESHOLD else "pass"
    if x1 == 0:
        return out
    se = math.sqrt((1 - p1) / (n1 * p1) + (1 - p0) / (n0 * p0))
    ld = math.log(di)
    low, high = math.exp(ld - z * se), math.exp(ld + z * se)
    check(close(se * se, 1 / x1 - 1 / n1 + 1 / x0 - 1 / n0), "katz variance")
    if x1 < n1 or x0 < n0:
        sl, sh = confint_proportions_2indep(x1, n1, x0, n0, method="log", compare="ratio",
                                            alpha=2 * stats.norm.sf(z))
        check(close(low, float(sl)) and close(high, float(sh)), f"katz {x1}/{n1} {x0}/{n0}")
    out.update({"log": ld, "se_log": se, "ci_low": low, "ci_high": high})
    return out


def group_counts(mask, fav, y_fav):
    return {"n": int(mask.sum()),
            "predicted_favourable": int((mask & fav).sum()),
            "truly_favourable": int((mask & y_fav).sum()),
            "truly_unfavourable": int((mask & ~y_fav).sum()),
            "true_positive": int((mask & y_fav & fav).sum()),
            "false_positive": int((mask & ~y_fav & fav).sum())}


def attribute_figures(column, spec, fav, y_fav):
    member = membership(column, spec)
    m1, m0 = member(spec["monitored"]), member(spec["reference"])
    check(not bool(np.any(m1 & m0)), "groups overlap")
    g1, g0 = group_counts(m1, fav, y_fav), group_counts(m0, fav, y_fav)
    tpr1 = proportion(g1["true_positive"], g1["truly_favourable"])
    tpr0 = proportion(g0["true_positive"], g0["truly_favourable"])
    fpr1 = proportion(g1["false_positive"], g1["truly_unfavourable"])
    fpr0 = proportion(g0["false_positive"], g0["truly_unfavourable"])
    eod = newcombe(g1["true_positive"], g1["truly_favourable"],
                   g0["true_positive"], g0["truly_favourable"])
    eod.update({"tpr1": tpr1, "tpr0": tpr0})
    parts = (tpr1, tpr0, fpr1, fpr0)
    aod = None if None in parts else 0.5 * ((fpr1 - fpr0) + (tpr1 - tpr0))
    return {
        "monitored": g1,
        "reference": g0,
        "unassigned": int((~m1 & ~m0).sum()),
        "disparate_impact": katz(g1["predicted_favourable"], g1["n"],
                                 g0["predicted_favourable"], g0["n"]),
        "statistical_parity_difference": newcombe(g1["predicted_favourable"], g1["n"],
                                                  g0["predicted_favourable"], g0["n"]),
        "equal_opportunity_difference": eod,
        "average_odds_difference": {"value": aod, "fpr1": fpr1, "fpr0": fpr0,
                                    "tpr1": tpr1, "tpr0": tpr0},
    }


def main():
    from threadpoolctl import threadpool_limits

    check(Z == float(stats.norm.ppf(0.975)), "z")
    test = read(CREDIT / "test.csv")
    X, y = test.drop(columns=[LABEL]), test[LABEL].to_numpy(dtype=object)
    y_fav = y == FAVOURABLE
    doc = {
        "test": "test.csv",
        "n": int(len(X)),
        "label": LABEL,
        "favourable": FAVOURABLE,
        "z": Z,
        "di_threshold": DI_THRESHOLD,
        "attributes": ATTRIBUTES,
        "planted_defect": PLANTED_DEFECT,
        "truly_favourable": int(y_fav.sum()),
        "models": {},
    }
    with threadpool_limits(limits=1):
        for name in MODELS:
            model = serve_model.load_model(CREDIT / name)
            labels = served_labels(model, X)
            fav = labels == FAVOURABLE
            entry = {"accuracy": float(np.mean(labels == y)),
                     "predicted_favourable": int(fav.sum()), "attributes": {}}
            for attr, spec in ATTRIBUTES.items():
                f = attribute_figures(X[attr], spec, fav, y_fav)
                entry["attributes"][attr] = f
                di = f["disparate_impact"]
                print(f"fairness_expected: {name} {attr}: n1/n0={f['monitored']['n']}/"
                      f"{f['reference']['n']} DI={di['value']:.4f} "
                      f"[{di['ci_low']:.4f}, {di['ci_high']:.4f}] "
                      f"SPD={f['statistical_parity_difference']['value']:.4f} "
                      f"EOD={f['equal_opportunity_difference']['value']:.4f} "
                      f"AOD={f['average_odds_difference']['value']:.4f} {di['verdict']}",
                      file=sys.stderr)
            doc["models"][name] = entry
    # The fixture's premise: the healthy models pass, the planted defect fails on Sex.
    for name in ("candidate.pkl", "twin-seed1.pkl"):
        for attr in ATTRIBUTES:
            check(doc["models"][name]["attributes"][attr]["disparate_impact"]["verdict"] == "pass",
                  f"{name} {attr} should pass")
    check(doc["models"][PLANTED_DEFECT]["attributes"]["Sex"]["disparate_impact"]["verdict"]
          == "fail", "the planted defect should fail on Sex")
    with open(OUTPUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(doc, indent=2, sort_keys=True, allow_nan=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
