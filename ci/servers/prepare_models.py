#!/usr/bin/env python3
"""Write the fixture models in the layouts real model servers load.

Usage:  prepare_models.py DIR [--only mlserver|mlflow] [--port N] [--grpc-port N]

DIR is a scratch folder (never committed). It receives:

  DIR/mlserver/settings.json                   MLServer server settings: host 127.0.0.1,
                                               http_port --port, grpc_port --grpc-port
                                               (default --port + 1), parallel_workers 0,
                                               metrics server off
  DIR/mlserver/<name>/model-settings.json      implementation mlserver_sklearn.SKLearnModel,
                                               uri ./model.joblib, version v1, inputs declared
  DIR/mlserver/<name>/model.joblib             byte copy of the fixture pickle
  DIR/mlflow/<name>/                           mlflow.sklearn.save_model(...) folder with a
                                               signature from test.csv and
                                               pyfunc_predict_fn="predict_proba" (skops format)

for <name> in credit, breast-cancer. The MLServer part needs only the standard
library (any python3); the MLflow part must run with a python that has mlflow
and scikit-learn (.venvs/mlflow/bin/python).

Idempotent: each model folder holds a .source.sha256 stamp (fixture pickle +
test.csv + this script + library versions); an up-to-date folder is left
alone. settings.json is rewritten on every MLServer run (the port may change).
Prints one line per model folder written or kept.
"""
import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"

# name -> (pickle, test data, label column)
MODELS = {
    "credit": (FIXTURES / "credit" / "candidate.pkl", FIXTURES / "credit" / "test.csv", "Risk"),
    "breast-cancer": (
        FIXTURES / "breast_cancer" / "model.pkl",
        FIXTURES / "breast_cancer" / "test.csv",
        "diagnosis",
    ),
}


def log(msg):
    print(f"prepare_models: {msg}", flush=True)


def sha256_files(paths, extra=""):
    h = hashlib.sha256()
    for p in paths:
        h.update(Path(p).read_bytes())
        h.update(b"\0")
    h.update(extra.encode())
    return h.hexdigest()


def read_header(csv_path):
    import csv

    with open(csv_path, newline="") as f:
        return next(csv.reader(f))


def first_row(csv_path):
    import csv

    with open(csv_path, newline="") as f:
        reader = csv.reader(f)
        next(reader)
        return next(reader)


def v2_datatype(value):
    """Datatype of a CSV cell as the fixtures write it: int, float or string."""
    try:
        int(value)
        return "INT64"
    except ValueError:
        pass
    try:
        float(value)
        return "FP64"
    except ValueError:
        return "BYTES"


def write_atomic(path, text):
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def prepare_mlserver(out, port, grpc_port):
    base = Path(out) / "mlserver"
    base.mkdir(parents=True, exist_ok=True)
    settings = {
        "host": "127.0.0.1",
        "http_port": port,
        "grpc_port": grpc_port,
        # No separate Prometheus server (it would need a third port).
        "metrics_endpoint": None,
        # 0 = inference in the main process: one PID, no worker pool.
        "parallel_workers": 0,
        "debug": False,
        "load_models_at_startup": True,
    }
    write_atomic(base / "settings.json", json.dumps(settings, indent=2) + "\n")
    script = Path(__file__).read_bytes().decode()
    for name, (pkl, csv_path, label) in MODELS.items():
        folder = base / name
        stamp = sha256_files([pkl, csv_path], script)
        stamp_file = folder / ".source.sha256"
        if stamp_file.is_file() and stamp_file.read_text().strip() == stamp:
            log(f"kept {folder}")
            continue
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".model.joblib.{os.getpid()}.tmp"
        shutil.copyfile(pkl, tmp)
        os.replace(tmp, folder / "model.joblib")
        header = read_header(csv_path)
        row = first_row(csv_path)
        inputs = [
            {"name": col, "datatype": v2_datatype(val), "shape": [-1]}
            for col, val in zip(header, row)
            if col != label
        ]
        model_settings = {
            "name": name,
            "implementation": "mlserver_sklearn.SKLearnModel",
            # Metadata only (GET /v2/models/<name>); decoding is driven by the request.
            "inputs": inputs,
            "parameters": {"uri": "./model.joblib", "version": "v1"},
        }
        write_atomic(folder / "model-settings.json", json.dumps(model_settings, indent=2) + "\n")
        write_atomic(stamp_file, stamp + "\n")
        log(f"wrote {folder}")


def prepare_mlflow(out):
    from importlib.metadata import PackageNotFoundError, version

    try:
        versions = " ".join(f"{d}={version(d)}" for d in ("mlflow", "scikit-learn", "skops", "numpy"))
    except PackageNotFoundError as e:
        sys.exit(f"prepare_models: error: the MLflow models need mlflow, skops and scikit-learn "
                 f"(missing {e}); run with .venvs/mlflow/bin/python")
    base = Path(out) / "mlflow"
    base.mkdir(parents=True, exist_ok=True)
    script = Path(__file__).read_bytes().decode()
    todo = []
    for name, (pkl, csv_path, label) in MODELS.items():
        folder = base / name
        stamp = sha256_files([pkl, csv_path], script + versions)
        stamp_file = folder / ".source.sha256"
        if stamp_file.is_file() and stamp_file.read_text().strip() == stamp:
            log(f"kept {folder}")
        else:
            todo.append((name, pkl, csv_path, label, folder, stamp))
    if not todo:
        return
    # The integer columns are long in the signature; MLflow warns that ints cannot
    # hold missing values. That is the point of some endpoint tests: keep quiet.
    warnings.filterwarnings("ignore", message=".*[Ii]nteger column", category=UserWarning)
    try:
        import joblib
        import mlflow.sklearn
        import pandas as pd
        from mlflow.models import infer_signature
        from skops.io import dumps, get_untrusted_types
    except ImportError as e:
        sys.exit(f"prepare_models: error: the MLflow models need mlflow, skops and scikit-learn ({e}); "
                 f"run with .venvs/mlflow/bin/python")
    for name, pkl, csv_path, label, folder, stamp in todo:
        model = joblib.load(pkl)
        X = pd.read_csv(csv_path).drop(columns=[label])
        X = X[list(model.feature_names_in_)]
        signature = infer_signature(X, model.predict_proba(X.iloc[:5]))
        # MLflow 3.17 saves with skops by default and refuses types skops does not
        # trust (credit's HistGradientBoosting TreePredictor, breast-cancer's
        # sklearn.tree._tree.Tree): trust exactly the types this fixture needs, all
        # from scikit-learn / numpy.
        untrusted = get_untrusted_types(data=dumps(model))
        bad = [t for t in untrusted if not t.startswith(("sklearn.", "numpy."))]
        if bad:
            sys.exit(f"prepare_models: error: {name}: unexpected untrusted types {bad}")
        tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=base))
        shutil.rmtree(tmp)  # save_model wants a missing or empty folder
        mlflow.sklearn.save_model(
            model,
            str(tmp),
            signature=signature,
            input_example=X.iloc[:2],
            pyfunc_predict_fn="predict_proba",
            serialization_format="skops",
            skops_trusted_types=untrusted,
        )
        write_atomic(tmp / ".source.sha256", stamp + "\n")
        old = None
        if folder.exists():
            old = base / f".{name}.old.{os.getpid()}"
            os.replace(folder, old)
        os.replace(tmp, folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        log(f"wrote {folder} (skops, trusted {untrusted})")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("dir", help="scratch folder that receives mlserver/ and mlflow/")
    p.add_argument("--only", choices=["mlserver", "mlflow"])
    p.add_argument("--port", type=int, default=18080, help="MLServer HTTP port (default 18080)")
    p.add_argument("--grpc-port", type=int, help="MLServer gRPC port (default --port + 1)")
    a = p.parse_args()
    for prt in (a.port, a.grpc_port):
        if prt is not None and not 1 <= prt <= 65535:
            p.error(f"port out of range: {prt}")
    grpc_port = a.grpc_port if a.grpc_port is not None else a.port + 1
    if grpc_port > 65535 or grpc_port == a.port:
        p.error("choose a --grpc-port different from --port and <= 65535")
    out = Path(a.dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if a.only in (None, "mlserver"):
        prepare_mlserver(out, a.port, grpc_port)
    if a.only in (None, "mlflow"):
        os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
        os.environ.setdefault("DO_NOT_TRACK", "true")
        prepare_mlflow(out)


if __name__ == "__main__":
    main()
