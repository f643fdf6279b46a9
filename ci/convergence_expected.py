#!/usr/bin/env python3
"""Expected figures of the convergence checks on fixtures/histories/.

Usage: .venv/bin/python ci/convergence_expected.py
       (after ci/make_histories.py; writes fixtures/histories/expected.json)

Independent of mlgate and of ci/make_histories.py: the files are parsed again
here, and the statistics come from pymannkendall (Mann-Kendall, Hamed-Rao),
scipy (theilslopes) and numpy (medians, means, the rest).

A series is the points (x_i, v_i) of one column/metric, in file order. x is
the epoch (Keras CSV: the "epoch" column; history.jsonl: "epoch"), the step
(a "step,loss" CSV; Lightning *_step columns: "step"; MLflow: the metric
line's step), the list index (Keras History JSON; LightGBM evals_result,
0-based). Lightning: the rows whose cell of that column is non-empty, x =
"epoch" for *_epoch and val_* columns, "step" for *_step columns. x_kind
"step" needs 20 points, "epoch" and "iteration" need 5.

Checks (in order; after a failed `finite` or an inconclusive `enough_points`
every later check is "not_run"):

  finite          fail on a non-finite value (first_nonfinite_x).
  enough_points   n < 5 (epoch, iteration) or n < 20 (step): inconclusive.
  relative_drop   w = max(3, ceil(n/10)); first = median(v[:w]); last =
                  median(v[n-w:]); rel_drop = (first - last) / max(|first|, 1e-12);
                  fail if rel_drop < 0.01.
  trend           n > 200: 50 block means (block k = indices floor(k n/50) ..<
                  floor((k+1) n/50), mean of v and of x); m = length used.
                  m >= 10: pymannkendall.hamed_rao_modification_test, else
                  original_test. theilslopes(values, xs, alpha=0.95).
                  pass if z < 0 and p < 0.05, else fail (m >= 10) / warn (m < 10).
  no_divergence   tail = last max(5, ceil(0.2 n)) points (at most n):
                  original_test(tail), fail if z > 0 and p < 0.05; best = min v
                  (first x), final = v[-1]: fail if final - best >
                  max(0.10 |best|, 1e-8). Computed on the raw series (not the
                  block means); on step series best and final are medians of
                  windows of w = max(3, ceil(n/10)) points.
  spikes          debiased EMA, beta 0.6; warn when some v_t > 10 ema_{t-1}
                  (t >= 1, ema_{t-1} > 0).
  improving       EarlyStopping(mode="min") with patience p = max(3, ceil(n/10))
                  and a relative min_delta: improvement at t when v_t < best -
                  1e-3 |best|; best starts at v_0 and moves only on an
                  improvement (Keras/Lightning). fail ("stuck") when no
                  improvement at t = 1..p. last_improvement_x is x_0 when no
                  t >= 1 improved.
  overfitting     only for loss (partner val_loss), train_loss_epoch (val_loss),
                  training.<metric> (valid_1.<metric>); validation values
                  aligned on the x both series have; V_last, L_last at the
                  last common x. fail when V_last > 1.10 min V and the training
                  series' trend passed; else warn when (V_last - L_last) /
                  |L_last| > 0.5; else pass. Omitted for other series.

  verdict         fail if a check failed, else inconclusive if enough_points
                  is, else pass (warn does not fail).

mk_cases: the statistics alone on small arrays (x = 0..n-1), with Hamed-Rao's
intermediate figures (detrending slope, ranks' ACF, significant lags, the
variance correction factor n/n*).

JSON: sorted keys, floats with repr precision (json), NaN written as null.
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import csv  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pymannkendall as mk  # noqa: E402
import pymannkendall.pymannkendall as mk_module  # noqa: E402
import scipy  # noqa: E402
from scipy.stats import norm, rankdata, theilslopes  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
HISTORIES = ROOT / "fixtures" / "histories"
OUTPUT = HISTORIES / "expected.json"

MIN_POINTS = {"epoch": 5, "iteration": 5, "step": 20}
MIN_REL_DROP = 0.01
BLOCKS = 50
BLOCK_ABOVE = 200
ALPHA = 0.05
MAX_RISE = 0.10
SPIKE_BETA = 0.6
SPIKE_FACTOR = 10.0
MIN_DELTA = 1e-3
OVERFIT_RISE = 0.10
GAP_WARN = 0.5
PARTNERS = {"loss": "val_loss", "train_loss_epoch": "val_loss"}

# --------------------------------------------------------------------------
# Readers (one per format), each -> {series name: (x_kind, xs, values)}
# --------------------------------------------------------------------------


def _float(cell):
    return float(cell)  # "nan", "inf" parse as Python does


def read_keras_csv(path):
    """Keras CSVLogger or a plain "step,<metrics>" CSV: first column is x."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    kind = {"epoch": "epoch", "step": "step"}[header[0]]
    out = {}
    for j, name in enumerate(header[1:], start=1):
        pts = [(int(r[0]), _float(r[j])) for r in body if r[j] != ""]
        out[name] = (kind, [p[0] for p in pts], [p[1] for p in pts])
    return out


def read_lightning_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = {}
    for name in rows[0].keys():
        if name in ("epoch", "step"):
            continue
        kind = "step" if name.endswith("_step") else "epoch"
        pts = [(int(r[kind]), _float(r[name])) for r in rows if r[name] != ""]
        out[name] = (kind, [p[0] for p in pts], [p[1] for p in pts])
    return out


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    names = [k for k in records[0] if k != "epoch"]
    return {name: ("epoch", [r["epoch"] for r in records if name in r],
                   [float(r[name]) for r in records if name in r]) for name in names}


def read_keras_history(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    return {name: ("epoch", list(range(len(v))), [float(x) for x in v]) for name, v in doc.items()}


def read_lightgbm(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    out = {}
    for data_name, metrics in doc.items():
        for metric, values in metrics.items():
            out[f"{data_name}.{metric}"] = ("iteration", list(range(len(values))),
                                            [float(x) for x in values])
    return out


def read_mlflow_run(path):
    out = {}
    for metric in sorted((path / "metrics").iterdir()):
        xs, vs = [], []
        with open(metric, encoding="utf-8") as f:
            for line in f:
                _timestamp, value, step = line.split()
                xs.append(int(step))
                vs.append(float(value))
        out[metric.name] = ("step", xs, vs)
    return out


def sources():
    runs = sorted(p for p in (HISTORIES / "mlp" / "mlruns" / "0").iterdir() if p.is_dir())
    assert len(runs) == 1, runs
    crafted = ["healthy", "diverging", "plateau", "nan", "overfitting", "spike", "short",
               "steps-noisy"]
    return ([("mlp/keras.csv", "keras_csv", read_keras_csv),
             ("mlp/lightning/metrics.csv", "lightning_csv", read_lightning_csv),
             ("mlp/history.jsonl", "jsonl", read_jsonl),
             ("mlp/keras-history.json", "keras_history_json", read_keras_history),
             (runs[0].relative_to(HISTORIES).as_posix(), "mlflow", read_mlflow_run),
             ("mlp-seed1/keras.csv", "keras_csv", read_keras_csv),
             ("lightgbm/evals_result.json", "lightgbm_json", read_lightgbm)]
            + [(f"crafted/{c}.csv", "keras_csv", read_keras_csv) for c in crafted])


def partner(name, names):
    if name in PARTNERS:
        other = PARTNERS[name]
    elif name.startswith("training."):
        other = "valid_1." + name[len("training."):]
    else:
        return None
    return other if other in names else None


# --------------------------------------------------------------------------
# Statistics
# --------------------------------------------------------------------------


def quiet(fn, *args, **kwargs):
    """pymannkendall divides 0 by 0 on constant ranks (HR); keep the NaN, drop the noise."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return fn(*args, **kwargs)


def mk_original(values):
    r = quiet(mk.original_test, np.asarray(values, dtype=float), alpha=ALPHA)
    return {"s": int(r.s), "var_s": float(r.var_s), "z": float(r.z), "p": float(r.p),
            "tau": float(r.Tau), "trend": r.trend, "h": bool(r.h),
            "sen_slope_per_index": float(r.slope), "intercept": float(r.intercept)}


def mk_hamed_rao(values):
    x = np.asarray(values, dtype=float)
    r = quiet(mk.hamed_rao_modification_test, x, alpha=ALPHA)
    orig = quiet(mk.original_test, x, alpha=ALPHA)
    return {"s": int(r.s), "var_s": float(r.var_s), "var_s_original": float(orig.var_s),
            "z": float(r.z), "p": float(r.p), "tau": float(r.Tau), "trend": r.trend,
            "h": bool(r.h), "sen_slope_per_index": float(r.slope),
            "intercept": float(r.intercept)}


def hamed_rao_internals(values):
    """Hamed-Rao's intermediate figures, through pymannkendall's own helpers."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    slope = float(mk.sens_slope(x).slope)
    detrended = x - np.arange(1, n + 1) * slope
    ranks = rankdata(detrended)
    acf = quiet(getattr(mk_module, "__acf"), ranks, nlags=n - 1)
    bound = float(norm.ppf(1 - ALPHA / 2) / np.sqrt(n))
    significant = [i for i in range(1, n) if not (-bound <= acf[i] <= bound)]
    sni = sum((n - i) * (n - i - 1) * (n - i - 2) * acf[i] for i in significant)
    n_ns = 1 + (2 / (n * (n - 1) * (n - 2))) * sni
    return {"detrend_slope": slope, "detrended": detrended.tolist(), "ranks": ranks.tolist(),
            "acf": acf.tolist(), "acf_bound": bound, "significant_lags": significant,
            "correction_n_over_ns": float(n_ns)}


def theil(values, xs):
    r = theilslopes(np.asarray(values, dtype=float), np.asarray(xs, dtype=float), alpha=0.95)
    return {"slope": float(r.slope), "intercept": float(r.intercept),
            "low": float(r.low_slope), "high": float(r.high_slope)}


def blocked(xs, vs):
    n = len(vs)
    x, v = np.asarray(xs, dtype=float), np.asarray(vs, dtype=float)
    bx, bv = [], []
    for k in range(BLOCKS):
        lo, hi = (k * n) // BLOCKS, ((k + 1) * n) // BLOCKS
        bx.append(float(np.mean(x[lo:hi])))
        bv.append(float(np.mean(v[lo:hi])))
    return bx, bv


# --------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------


def check_relative_drop(vs):
    n = len(vs)
    w = max(3, math.ceil(n / 10))
    first = float(np.median(vs[:w]))
    last = float(np.median(vs[n - w:]))
    rel = (first - last) / max(abs(first), 1e-12)
    return {"verdict": "fail" if rel < MIN_REL_DROP else "pass", "w": w, "first": first,
            "last": last, "rel_drop": rel}


def check_trend(xs, vs):
    n = len(vs)
    is_blocked = n > BLOCK_ABOVE
    bx, bv = blocked(xs, vs) if is_blocked else (list(map(float, xs)), list(vs))
    m = len(bv)
    if m >= 10:
        stats = mk_hamed_rao(bv)
        method = "hamed_rao"
    else:
        stats = mk_original(bv)
        method = "original"
    ok = stats["z"] < 0 and stats["p"] < ALPHA  # NaN compares false
    out = {"verdict": "pass" if ok else ("fail" if m >= 10 else "warn"), "method": method,
           "blocked": is_blocked, "m": m, **stats, "sen": theil(bv, bx)}
    if is_blocked:
        out["block_x"] = bx
        out["block_v"] = bv
    return out


def check_no_divergence(xs, vs, kind="epoch"):
    n = len(vs)
    t = min(max(5, math.ceil(0.2 * n)), n)
    tail = vs[n - t:]
    r = mk_original(tail)
    tail_fail = r["z"] > 0 and r["p"] < ALPHA
    if kind == "step":
        # Step losses are noisy batch by batch: the final and best values are the medians of
        # windows of w = max(3, ceil(n/10)) points (the window ending at each point).
        w = max(3, math.ceil(n / 10))
        med = [float(np.median(vs[i:i + w])) for i in range(n - w + 1)]
        best_w = int(np.argmin(med))
        best, final, best_x = med[best_w], med[-1], xs[best_w + w - 1]
    else:
        best_i = int(np.argmin(vs))  # first occurrence
        best, final, best_x = float(vs[best_i]), float(vs[-1]), xs[best_i]
    rise_fail = final - best > max(MAX_RISE * abs(best), 1e-8)
    excess = (final - best) / abs(best) if best != 0 else None
    return {"verdict": "fail" if (tail_fail or rise_fail) else "pass",
            "tail_points": t, "tail_first_x": xs[n - t], "tail_s": r["s"],
            "tail_var_s": r["var_s"], "tail_z": r["z"], "tail_p": r["p"],
            "tail_rising": tail_fail, "best": best, "best_x": best_x, "final": final,
            "final_x": xs[-1], "excess": excess, "final_above_best": rise_fail}


def debiased_ema(vs, beta=SPIKE_BETA):
    raw, out = 0.0, []
    for t, v in enumerate(vs):
        raw = beta * raw + (1 - beta) * v
        out.append(raw / (1 - beta ** (t + 1)))
    return out


def check_spikes(xs, vs):
    ema = debiased_ema(vs)
    spikes = [{"x": xs[t], "value": float(vs[t]), "ema_before": ema[t - 1],
               "ratio": float(vs[t]) / ema[t - 1]}
              for t in range(1, len(vs)) if ema[t - 1] > 0 and vs[t] > SPIKE_FACTOR * ema[t - 1]]
    return {"verdict": "warn" if spikes else "pass", "spikes": spikes,
            "spike_x": [s["x"] for s in spikes]}


def check_improving(xs, vs):
    n = len(vs)
    p = max(3, math.ceil(0.1 * n))
    best, last_i, improved_at = vs[0], 0, []
    for t in range(1, n):
        if vs[t] < best - max(0.0, MIN_DELTA * abs(best)):
            best, last_i = vs[t], t
            improved_at.append(t)
    early = any(1 <= t <= p for t in improved_at)
    return {"verdict": "pass" if early else "fail", "stuck": not early, "patience": p,
            "first_improvement_x": xs[improved_at[0]] if improved_at else None,
            "last_improvement_x": xs[last_i], "points_since_last_improvement": n - 1 - last_i,
            "improvements": len(improved_at)}


def check_overfitting(train, val, train_trend_verdict):
    _, txs, tvs = train
    _, vxs, vvs = val
    vmap = dict(zip(vxs, vvs))
    common = [(x, v) for x, v in zip(txs, tvs) if x in vmap]
    V = [vmap[x] for x, _ in common]
    min_i = int(np.argmin(V))
    min_v, v_last, l_last = V[min_i], V[-1], common[-1][1]
    rise = v_last / min_v - 1
    gap = (v_last - l_last) / abs(l_last)
    if v_last > (1 + OVERFIT_RISE) * min_v and train_trend_verdict == "pass":
        verdict = "fail"
    elif gap > GAP_WARN:
        verdict = "warn"
    else:
        verdict = "pass"
    return {"verdict": verdict, "points": len(common), "min_v": min_v,
            "min_v_x": common[min_i][0], "v_last": v_last, "l_last": l_last,
            "last_x": common[-1][0], "rise": rise, "gap": gap,
            "train_trend_verdict": train_trend_verdict}


LATER = ["relative_drop", "trend", "no_divergence", "spikes", "improving"]


def evaluate(name, series, all_series):
    kind, xs, vs = series
    n = len(vs)
    checks = {}
    other = partner(name, all_series)
    later = LATER + (["overfitting"] if other else [])
    bad = [i for i, v in enumerate(vs) if not math.isfinite(v)]
    if bad:
        checks["finite"] = {"verdict": "fail", "first_nonfinite_x": xs[bad[0]],
                            "nonfinite_count": len(bad)}
        checks.update({c: {"verdict": "not_run"} for c in ["enough_points"] + later})
    else:
        checks["finite"] = {"verdict": "pass"}
        need = MIN_POINTS[kind]
        checks["enough_points"] = {"verdict": "pass" if n >= need else "inconclusive",
                                   "n": n, "min_points": need}
        if n < need:
            checks.update({c: {"verdict": "not_run"} for c in later})
        else:
            checks["relative_drop"] = check_relative_drop(vs)
            checks["trend"] = check_trend(xs, vs)
            checks["no_divergence"] = check_no_divergence(xs, vs, kind)
            checks["spikes"] = check_spikes(xs, vs)
            checks["improving"] = check_improving(xs, vs)
            if other:
                checks["overfitting"] = check_overfitting(
                    series, all_series[other], checks["trend"]["verdict"])
    verdicts = [c["verdict"] for c in checks.values()]
    overall = ("fail" if "fail" in verdicts else
               "inconclusive" if checks["enough_points"]["verdict"] == "inconclusive" else "pass")
    out = {"x_kind": kind, "n": n, "first_x": xs[0], "last_x": xs[-1], "verdict": overall,
           "checks": checks, "warnings": sorted(k for k, c in checks.items() if c["verdict"] == "warn"),
           "failures": sorted(k for k, c in checks.items() if c["verdict"] == "fail")}
    if other:
        out["validation_partner"] = other
    return out


# --------------------------------------------------------------------------
# Mann-Kendall edge cases
# --------------------------------------------------------------------------


def mk_cases():
    rng = np.random.default_rng(7)
    ar = np.zeros(40)
    for i in range(1, 40):
        ar[i] = 0.9 * ar[i - 1] + rng.normal(0, 0.02)
    autocorrelated = [round(0.6 - 0.002 * i + ar[i], 6) for i in range(40)]
    cases = [
        ("ties_n10", "ties (three 2.0s, two 3.0s, two 1.0s)",
         [5.0, 3.0, 3.0, 4.0, 2.0, 2.0, 2.0, 1.0, 1.0, 0.0]),
        ("n4", "n = 4 (spec: original test, trend warn-only)", [0.9, 0.7, 0.8, 0.5]),
        ("n10_distinct", "n = 10, the smallest size the spec runs Hamed-Rao on. 45 pairs (odd): "
         "the Sen slope is one pair's slope, so that pair detrends to equal values (here two "
         "pairs, and the floats tie exactly: ranks 2.5, 2.5 and 7.5, 7.5)",
         [0.81, 0.74, 0.77, 0.69, 0.66, 0.68, 0.61, 0.63, 0.58, 0.57]),
        ("all_equal_n8", "all equal: S = 0, original var_s = 0, z = 0, p = 1; "
         "Hamed-Rao ranks are constant, the ACF is 0/0 and var_s is NaN (null)", [0.5] * 8),
        ("all_equal_n12", "all equal, n >= 10 (the spec would run Hamed-Rao)", [0.25] * 12),
        ("decreasing_n12", "strictly decreasing, not linear: S = -66, tau = -1",
         [round(0.3 + 0.5 * 0.8 ** i, 6) for i in range(12)]),
        ("linear_int_n12", "exactly linear (12..1): detrended series is constant, so "
         "Hamed-Rao's var_s, z and p are NaN (null) although S = -66",
         [float(12 - i) for i in range(12)]),
        ("autocorrelated_n40", "AR(1), phi = 0.9, plus a slow downward drift", autocorrelated),
        # 1 - 0.01 i +- amp (alternating) + N(0, 0.005), rounded to 6 decimals
        ("alternating_n20", "strong negative lag-1 autocorrelation with a drift: Hamed-Rao "
         "shrinks var_s (n/n* < 1)",
         [1.202889, 0.786782, 1.176381, 0.780053, 1.163783, 0.759157, 1.150647, 0.72591,
          1.121926, 0.712291, 1.102798, 0.69271, 1.08101, 0.670871, 1.052488, 0.649173,
          1.036262, 0.63063, 1.017662, 0.613093]),
        ("negative_variance_n12", "alternating with a drift: n/n* < 0, so Hamed-Rao's var_s "
         "is negative and z, p are NaN (null; sqrt of a negative number)",
         [1.103402, 0.889317, 1.078105, 0.872316, 1.064123, 0.848987, 1.039236, 0.833428,
          1.015648, 0.802428, 1.001975, 0.786647]),
    ]
    out = []
    for key, note, values in cases:
        xs = list(range(len(values)))
        out.append({"name": key, "note": note, "values": values, "n": len(values),
                    "original": mk_original(values), "hamed_rao": mk_hamed_rao(values),
                    "hamed_rao_internals": hamed_rao_internals(values),
                    "theilslopes": theil(values, xs)})
    return out


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


def main():
    files = {}
    for rel, fmt, reader in sources():
        all_series = reader(HISTORIES / rel)
        files[rel] = {"format": fmt, "series": {name: evaluate(name, s, all_series)
                                                for name, s in all_series.items()}}
    doc = {
        "generated_by": "ci/convergence_expected.py",
        "libraries": {"numpy": np.__version__, "scipy": scipy.__version__,
                      "pymannkendall": mk.__version__},
        "parameters": {"alpha": ALPHA, "blocks": BLOCKS, "block_above": BLOCK_ABOVE,
                       "min_points": MIN_POINTS, "min_rel_drop": MIN_REL_DROP,
                       "max_rise": MAX_RISE, "spike_beta": SPIKE_BETA,
                       "spike_factor": SPIKE_FACTOR, "min_delta_rel": MIN_DELTA,
                       "overfit_rise": OVERFIT_RISE, "gap_warn": GAP_WARN},
        "files": files,
        "mk_cases": mk_cases(),
    }
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write(json.dumps(clean(doc), indent=2, sort_keys=True, allow_nan=False) + "\n")
    for rel, entry in files.items():
        for name, s in entry["series"].items():
            extra = ",".join(s["failures"] + [w + "(warn)" for w in s["warnings"]])
            print(f"{rel:55s} {name:26s} n={s['n']:4d} {s['verdict']:12s} {extra}",
                  file=sys.stderr)
    print(f"convergence_expected: wrote {OUTPUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
