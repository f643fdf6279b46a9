#!/usr/bin/env python3
"""Pipeline step 3 of 3: train a scikit-learn pipeline and score it on the validation set.

Usage:
    train_model.py --train DIR/train.csv --valid DIR/valid.csv --model OUT.pkl --outputs OUT.env
                   [--label Risk] [--positive Risk]

Trains the production recipe of ci/make_fixtures.py (one-hot encoding of the text
columns, standard scaling of the numeric ones, LogisticRegression), saves it with
joblib (ci/serve_model.py serves it) and writes OUT.env:

    training_done=true
    auc_roc=0.xxxxxx          (validation ROC AUC, positive class --positive, 6 decimals)
    model_path=OUT.pkl        (the path as given)

Deterministic: single-threaded BLAS, a seeded solver; two runs on the same files
write the same pickle bytes. No network; only the paths given.
"""
import os

# Before numpy is imported: single-threaded BLAS/OpenMP, as in ci/make_fixtures.py, so
# that floating point reductions (and the pickle) do not depend on the number of cores.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

PROG = "train_model"
MAX_DATA_BYTES = 50 * 1024 * 1024


def log(msg):
    print(f"{PROG}: {msg}", file=sys.stderr, flush=True)


def read_csv(path, label):
    import pandas as pd

    # Read as ci/make_fixtures.py does: the label as text, only empty cells missing.
    frame = pd.read_csv(path, dtype={label: str}, keep_default_na=False, na_values=[""])
    if label not in frame.columns:
        raise KeyError(f"{path}: no label column '{label}'")
    return frame


def build_pipeline(frame, label):
    from pandas.api.types import is_numeric_dtype
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    features = [c for c in frame.columns if c != label]
    numeric = [c for c in features if is_numeric_dtype(frame[c])]
    categorical = [c for c in features if c not in numeric]
    prep = ColumnTransformer([
        ("categorical", OneHotEncoder(handle_unknown="ignore", sparse_output=False), categorical),
        ("numeric", StandardScaler(), numeric),
    ])
    model = Pipeline([("preprocess", prep),
                      ("classifier", LogisticRegression(max_iter=1000, random_state=0))])
    return model, features, categorical, numeric


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="train_model.py",
        description="Pipeline step 3/3: train one-hot + LogisticRegression, save it with joblib, "
                    "write training_done / auc_roc / model_path as key=value lines.")
    parser.add_argument("--train", required=True, metavar="CSV", help="the training set")
    parser.add_argument("--valid", required=True, metavar="CSV", help="the validation set")
    parser.add_argument("--model", required=True, metavar="OUT.pkl", help="where to save the model (joblib)")
    parser.add_argument("--outputs", required=True, metavar="OUT.env", help="where to write the output parameters")
    parser.add_argument("--label", default="Risk", help="the label column (default: Risk)")
    parser.add_argument("--positive", default="Risk", help="the positive class for the AUC (default: Risk)")
    args = parser.parse_args(argv)
    for path in (args.train, args.valid):
        if not os.path.isfile(path):
            parser.error(f"{path}: no such file")
        if os.path.getsize(path) > MAX_DATA_BYTES:
            parser.error(f"{path}: larger than the 50 MB this step reads")

    started = time.monotonic()
    import joblib
    from sklearn.metrics import roc_auc_score

    train = read_csv(args.train, args.label)
    valid = read_csv(args.valid, args.label)
    model, features, categorical, numeric = build_pipeline(train, args.label)
    print(f"[train] {len(train)} training rows, {len(valid)} validation rows; "
          f"{len(categorical)} categorical + {len(numeric)} numeric features", flush=True)
    X, y = train[features], train[args.label].to_numpy(dtype=object)
    model.fit(X, y)
    classes = [str(c) for c in model.classes_]
    if args.positive not in classes:
        log(f"error: the positive class '{args.positive}' is not one of {classes}")
        return 2
    scores = model.predict_proba(valid[features])[:, classes.index(args.positive)]
    truth = (valid[args.label].to_numpy(dtype=object) == args.positive).astype(int)
    auc = float(roc_auc_score(truth, scores))
    print(f"[train] fitted {type(model.named_steps['classifier']).__name__}; "
          f"validation auc_roc={auc:.6f}", flush=True)

    for path in (args.model, args.outputs):
        parent = os.path.dirname(path)
        if parent:
            os.makedirs(parent, exist_ok=True)
    joblib.dump(model, args.model, protocol=4)
    with open(args.outputs, "w", encoding="utf-8") as f:
        f.write(f"training_done=true\nauc_roc={auc:.6f}\nmodel_path={args.model}\n")
    print(f"[train] saved {args.model}; wrote {args.outputs}", flush=True)
    log(f"done in {time.monotonic() - started:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
