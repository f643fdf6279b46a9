#!/usr/bin/env python3
"""Regenerate the training-loss histories under fixtures/histories/ deterministically.

Usage (from anywhere):
    ci/setup-python && .venv/bin/python ci/make_histories.py
    .venv/bin/python ci/convergence_expected.py   # then the expected figures

Inputs for the convergence checks, in the formats the usual tools write. The
real runs train on fixtures/credit/train.csv (read as ci/make_fixtures.py
writes it), split into a stratified 80/20 training/validation split
(train_test_split(random_state=0); 3200/800 rows; the same split for every run):

  mlp/keras.csv                Keras CSVLogger: header "epoch,loss,val_loss"
                               (epoch, then the sorted keys), epoch 0-based,
                               floats with repr, "\\r\\n" line endings as
                               csv.excel writes them.
  mlp/lightning/metrics.csv    PyTorch Lightning CSVLogger (Trainer with
                               log_every_n_steps=5, self.log("train_loss",
                               on_step=True, on_epoch=True), self.log("val_loss")):
                               header "epoch,step,train_loss_epoch,train_loss_step,val_loss"
                               (sorted keys), sparse rows, "\\r\\n" line endings.
                               Per epoch e (steps 10e..10e+9): step rows at
                               steps 10e+4 and 10e+9 (train_loss_step), then a
                               val_loss row and a train_loss_epoch row, both at
                               step 10e+9, as Lightning logs them.
  mlp/history.jsonl            one JSON object per epoch: {"epoch", "loss", "val_loss"}.
  mlp/keras-history.json       Keras History.history: {"loss": [...], "val_loss": [...]}.
  mlp/mlruns/                  MLflow file store, experiment 0 ("Default"), run
                               MLFLOW_RUN_ID: metrics/loss and metrics/val_loss,
                               one "<timestamp_ms> <value> <step>" line per epoch
                               (step = epoch, fixed timestamps), plus the
                               experiment's and the run's meta.yaml.
  mlp-seed1/keras.csv          the same run with random_state=1 (a healthy twin).
  lightgbm/evals_result.json   LightGBM 100 rounds, evals_result from
                               lightgbm.record_evaluation, valid_sets
                               [training, validation]:
                               {"training": {"binary_logloss": [...]},
                                "valid_1": {"binary_logloss": [...]}}.

The MLP run: one-hot (string columns) + StandardScaler (integer columns), then
MLPClassifier(hidden_layer_sizes=(16,), alpha=1e-3, learning_rate_init=1e-3,
batch_size=320, shuffle=False, random_state=seed) trained with partial_fit,
one call per mini-batch: each epoch draws a permutation of the 3200 training
rows (numpy default_rng(seed)) and makes 10 batches of 320, so one partial_fit
call is one Adam step and its loss_curve_[-1] is that batch's training loss
(binary log loss plus the L2 penalty, before the step). A step loss is that
number; an epoch's training loss is sum(batch loss * 320) / 3200, exactly the
loss_curve_ entry one partial_fit call over the whole epoch would record (and
Lightning's on_epoch mean). The validation loss is sklearn.metrics.log_loss on
the 800 validation rows after the epoch.

Crafted logs (Keras CSVLogger format, 40 epochs unless said; smooth curves plus
seeded numpy noise, every value rounded through float32 as Keras logs it):

  crafted/healthy.csv      noisy exponential decay to a plateau; val_loss a
                           little above loss, also decreasing.
  crafted/diverging.csv    falls until epoch 20, then rises steadily (final
                           about 50 % above the best).
  crafted/plateau.csv      stuck near ln 2: 0.04 % drops in epochs 1 and 2,
                           then flat with 0.01 % noise.
  crafted/nan.csv          30 epochs, healthy, loss "nan" at epoch 17 (Keras
                           writes str(float("nan"))).
  crafted/overfitting.csv  loss keeps falling; val_loss falls until about
                           epoch 15 then rises (about 40 % above its minimum,
                           at epoch 17, by the end).
  crafted/spike.csv        healthy, loss at epoch 25 is 14x the epoch-24 loss.
  crafted/short.csv        4 epochs, declining.
  crafted/steps-noisy.csv  header "step,loss", 400 points at steps 10..4000,
                           multiplicative noise (sd 2.5 %) on a decreasing curve;
                           "\\n" line endings (a plain pandas-style CSV).

BLAS/OpenMP run single-threaded, every random number is seeded, and LightGBM
runs with deterministic=True, num_threads=1: two runs with the pinned
ci/requirements.txt give byte-identical files (about 10 s in all).
"""
import os

# Before numpy is imported: single-threaded BLAS/OpenMP so that floating
# point reductions do not depend on the number of cores.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import csv  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.metrics import log_loss  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, StandardScaler  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CREDIT = ROOT / "fixtures" / "credit"
OUT = ROOT / "fixtures" / "histories"

LABEL = "Risk"
COLUMNS = [
    "CheckingStatus", "LoanDuration", "CreditHistory", "LoanPurpose", "LoanAmount",
    "ExistingSavings", "EmploymentDuration", "InstallmentPercent", "Sex", "OthersOnLoan",
    "CurrentResidenceDuration", "OwnsProperty", "Age", "InstallmentPlans", "Housing",
    "ExistingCreditsCount", "Job", "Dependents", "Telephone", "ForeignWorker",
]
NUMERIC = ["LoanDuration", "LoanAmount", "InstallmentPercent",
           "CurrentResidenceDuration", "Age", "ExistingCreditsCount", "Dependents"]
CATEGORICAL = [c for c in COLUMNS if c not in NUMERIC]

EPOCHS = 40
BATCHES = 10                      # mini-batches (steps) per epoch
LOG_EVERY_N_STEPS = 5             # Lightning Trainer(log_every_n_steps=5)
MLFLOW_RUN_ID = "3f9a1c7e52b84d06a1e8c4b2d7f05e93"
MLFLOW_START_MS = 1767225600000   # 2026-01-01T00:00:00Z
CRAFTED_SEED = 20260101

# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------


def _num(value):
    """A float as Keras/Lightning/MLflow write it: str(float), i.e. repr
    (round-trip), "nan" for NaN."""
    value = float(value)
    if math.isinf(value):
        raise ValueError("no fixture writes infinity")
    return repr(value)  # repr(float("nan")) == "nan"


def _open(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    return open(path, "w", newline="", encoding="utf-8")


def write_keras_csv(path, loss, val_loss=None):
    """keras.callbacks.CSVLogger: csv.excel dialect ("\\r\\n"), "epoch" then sorted keys."""
    keys = {"loss": loss}
    if val_loss is not None:
        keys["val_loss"] = val_loss
    names = sorted(keys)
    with _open(path) as f:
        writer = csv.writer(f, dialect="excel")
        writer.writerow(["epoch"] + names)
        for epoch in range(len(loss)):
            writer.writerow([str(epoch)] + [_num(keys[k][epoch]) for k in names])


def write_steps_csv(path, steps, loss):
    """A plain "step,loss" CSV with "\\n" line endings."""
    with _open(path) as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["step", "loss"])
        for step, value in zip(steps, loss):
            writer.writerow([str(step), _num(value)])


def write_lightning_csv(path, run):
    """lightning.pytorch.loggers.CSVLogger's metrics.csv: one row per
    log_metrics call, every row with "epoch" and "step", the union of the keys
    (sorted) as header, "" for the keys a row does not have."""
    rows = []
    for epoch in range(EPOCHS):
        last = epoch * BATCHES + BATCHES - 1
        for b in range(BATCHES):
            step = epoch * BATCHES + b
            # should_update_logs: (batches_that_stepped + 1) % n == 0, logged at step
            if (step + 1) % LOG_EVERY_N_STEPS == 0:
                rows.append({"epoch": epoch, "step": step,
                             "train_loss_step": run["step_loss"][step]})
        # validation runs at the end of the last batch, then the epoch-end metrics;
        # both at the epoch's last step
        rows.append({"epoch": epoch, "step": last, "val_loss": run["val_loss"][epoch]})
        rows.append({"epoch": epoch, "step": last, "train_loss_epoch": run["loss"][epoch]})
    header = sorted(set().union(*rows))
    with _open(path) as f:
        writer = csv.writer(f, dialect="excel")
        writer.writerow(header)
        for row in rows:
            cells = []
            for key in header:
                if key not in row:
                    cells.append("")
                elif key in ("epoch", "step"):
                    cells.append(str(row[key]))
                else:
                    cells.append(_num(row[key]))
            writer.writerow(cells)


def write_jsonl(path, run):
    with _open(path) as f:
        for epoch in range(EPOCHS):
            f.write(json.dumps({"epoch": epoch, "loss": run["loss"][epoch],
                                "val_loss": run["val_loss"][epoch]}, allow_nan=False) + "\n")


def write_json(path, doc):
    with _open(path) as f:
        f.write(json.dumps(doc, indent=2, allow_nan=False) + "\n")


def write_mlflow(root, run):
    """MLflow FileStore: mlruns/<experiment>/<run>/metrics/<key>, one
    "<timestamp> <value> <step>" line per logged value (str(float) values)."""
    experiment = root / "0"
    run_dir = experiment / MLFLOW_RUN_ID
    end_ms = MLFLOW_START_MS + 1000 * (EPOCHS + 1)
    with _open(experiment / "meta.yaml") as f:
        f.write("artifact_location: mlflow-artifacts:/0\n"
                f"creation_time: {MLFLOW_START_MS}\n"
                "experiment_id: '0'\n"
                f"last_update_time: {MLFLOW_START_MS}\n"
                "lifecycle_stage: active\n"
                "name: Default\n")
    with _open(run_dir / "meta.yaml") as f:
        f.write(f"artifact_uri: mlflow-artifacts:/0/{MLFLOW_RUN_ID}/artifacts\n"
                f"end_time: {end_ms}\n"
                "entry_point_name: ''\n"
                "experiment_id: '0'\n"
                "lifecycle_stage: active\n"
                f"run_id: {MLFLOW_RUN_ID}\n"
                "run_name: mlp-seed0\n"
                f"run_uuid: {MLFLOW_RUN_ID}\n"
                "source_name: ''\n"
                "source_type: 4\n"
                "source_version: ''\n"
                f"start_time: {MLFLOW_START_MS}\n"
                "status: 3\n"
                "tags: []\n"
                "user_id: mlgate\n")
    with _open(run_dir / "tags" / "mlflow.runName") as f:
        f.write("mlp-seed0")
    for key in ("loss", "val_loss"):
        with _open(run_dir / "metrics" / key) as f:
            for epoch, value in enumerate(run[key]):
                f.write(f"{MLFLOW_START_MS + 1000 * (epoch + 1)} {_num(value)} {epoch}\n")


# --------------------------------------------------------------------------
# Real runs
# --------------------------------------------------------------------------


def credit_split():
    train = pd.read_csv(CREDIT / "train.csv", dtype={LABEL: str},
                        keep_default_na=False, na_values=[""])
    X, y = train[COLUMNS], train[LABEL].to_numpy(dtype=object)
    return train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)


def run_mlp(split, seed):
    """Epoch and step losses of one MLPClassifier run (see the module docstring)."""
    X_tr, X_va, y_tr, y_va = split
    prep = ColumnTransformer([
        ("categorical", OneHotEncoder(handle_unknown="ignore", sparse_output=False), CATEGORICAL),
        ("numeric", StandardScaler(), NUMERIC),
    ])
    A = prep.fit_transform(X_tr)
    B = prep.transform(X_va)
    n = len(A)
    size = n // BATCHES
    assert size * BATCHES == n
    classes = np.array(["No Risk", "Risk"], dtype=object)
    clf = MLPClassifier(hidden_layer_sizes=(16,), alpha=1e-3, learning_rate_init=1e-3,
                        batch_size=size, shuffle=False, random_state=seed)
    rng = np.random.default_rng(seed)
    run = {"loss": [], "val_loss": [], "step_loss": []}
    for _ in range(EPOCHS):
        perm = rng.permutation(n)
        accumulated = 0.0
        for b in range(BATCHES):
            idx = perm[b * size:(b + 1) * size]
            clf.partial_fit(A[idx], y_tr[idx], classes=classes)
            batch_loss = float(clf.loss_curve_[-1])
            run["step_loss"].append(batch_loss)
            accumulated += batch_loss * size
        run["loss"].append(accumulated / n)
        run["val_loss"].append(float(log_loss(y_va, clf.predict_proba(B), labels=clf.classes_)))
    return run


def run_lightgbm(split):
    import lightgbm as lgb

    X_tr, X_va, y_tr, y_va = split

    def frame(X):
        X = X.copy()
        for c in CATEGORICAL:  # the same category codes in both splits
            X[c] = pd.Categorical(X[c], categories=sorted(set(X_tr[c]) | set(X_va[c])))
        return X

    train = lgb.Dataset(frame(X_tr), label=(y_tr == "Risk").astype(int))
    valid = lgb.Dataset(frame(X_va), label=(y_va == "Risk").astype(int), reference=train)
    params = dict(objective="binary", metric="binary_logloss", learning_rate=0.03,
                  num_leaves=8, min_data_in_leaf=40, deterministic=True,
                  force_col_wise=True, num_threads=1, seed=0, verbose=-1)
    evals = {}
    lgb.train(params, train, num_boost_round=100, valid_sets=[train, valid],
              callbacks=[lgb.record_evaluation(evals)])
    return {name: {metric: [float(v) for v in values] for metric, values in metrics.items()}
            for name, metrics in evals.items()}


# --------------------------------------------------------------------------
# Crafted logs
# --------------------------------------------------------------------------


def f32(values):
    """As Keras logs them: float32 values widened to Python floats."""
    return [float(np.float32(v)) for v in values]


def noisy(rng, curve, sd):
    return curve * (1 + rng.normal(0, sd, len(curve)))


def crafted():
    e = np.arange(EPOCHS, dtype=float)
    files = {}

    rng = np.random.default_rng(CRAFTED_SEED + 1)
    base = 0.28 + 0.42 * np.exp(-e / 7)
    files["healthy"] = (noisy(rng, base, 0.006), noisy(rng, base * 1.06 + 0.01, 0.008))

    rng = np.random.default_rng(CRAFTED_SEED + 2)
    base = 0.30 + 0.45 * np.exp(-e / 5) + 0.0065 * np.maximum(e - 20, 0) ** 1.1
    files["diverging"] = (noisy(rng, base, 0.006), noisy(rng, base * 1.05 + 0.02, 0.008))

    rng = np.random.default_rng(CRAFTED_SEED + 3)
    base = math.log(2) * (1 - 0.0004 * np.minimum(e, 2))
    files["plateau"] = (noisy(rng, base, 0.0001), noisy(rng, base + 0.0012, 0.0001))

    rng = np.random.default_rng(CRAFTED_SEED + 4)
    e30 = e[:30]
    base = 0.25 + 0.45 * np.exp(-e30 / 6)
    loss = noisy(rng, base, 0.006)
    loss[17] = np.nan
    files["nan"] = (loss, noisy(rng, base * 1.05 + 0.015, 0.008))

    rng = np.random.default_rng(CRAFTED_SEED + 5)
    train = 0.12 + 0.50 * np.exp(-e / 9) - 0.0015 * e
    val = 0.36 + 0.40 * np.exp(-e / 5) + 0.0045 * np.maximum(e - 15, 0) ** 1.15
    files["overfitting"] = (noisy(rng, train, 0.006), noisy(rng, val, 0.008))

    rng = np.random.default_rng(CRAFTED_SEED + 6)
    base = 0.27 + 0.40 * np.exp(-e / 7)
    loss = noisy(rng, base, 0.006)
    loss[25] = 14 * loss[24]
    files["spike"] = (loss, noisy(rng, base * 1.05 + 0.01, 0.008))

    rng = np.random.default_rng(CRAFTED_SEED + 7)
    e4 = e[:4]
    base = 0.30 + 0.40 * np.exp(-e4 / 3)
    files["short"] = (noisy(rng, base, 0.006), noisy(rng, base * 1.05 + 0.01, 0.008))

    for name, (loss, val) in files.items():
        write_keras_csv(OUT / "crafted" / f"{name}.csv", f32(loss), f32(val))

    rng = np.random.default_rng(CRAFTED_SEED + 8)
    steps = np.arange(10, 4001, 10)
    base = 0.32 + 0.95 * np.exp(-steps / 700)
    write_steps_csv(OUT / "crafted" / "steps-noisy.csv", steps.tolist(),
                    f32(base * np.exp(rng.normal(0, 0.025, len(steps)))))


def main():
    from threadpoolctl import threadpool_limits

    if OUT.exists():  # generated content only (expected.json is rewritten by its own script)
        for sub in ("mlp", "mlp-seed1", "lightgbm", "crafted"):
            shutil.rmtree(OUT / sub, ignore_errors=True)
    with threadpool_limits(limits=1):
        split = credit_split()
        mlp = run_mlp(split, seed=0)
        write_keras_csv(OUT / "mlp" / "keras.csv", mlp["loss"], mlp["val_loss"])
        write_lightning_csv(OUT / "mlp" / "lightning" / "metrics.csv", mlp)
        write_jsonl(OUT / "mlp" / "history.jsonl", mlp)
        write_json(OUT / "mlp" / "keras-history.json",
                   {"loss": mlp["loss"], "val_loss": mlp["val_loss"]})
        write_mlflow(OUT / "mlp" / "mlruns", mlp)

        twin = run_mlp(split, seed=1)
        write_keras_csv(OUT / "mlp-seed1" / "keras.csv", twin["loss"], twin["val_loss"])

        write_json(OUT / "lightgbm" / "evals_result.json", run_lightgbm(split))
        crafted()
    print(f"make_histories: wrote loss histories under {OUT.relative_to(ROOT)}/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
