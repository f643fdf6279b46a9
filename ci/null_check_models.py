#!/usr/bin/env python3
"""Trains the candidate's recipe with other seeds, for the regression null check.

Usage: null_check_models.py OUTDIR FIRST LAST
Writes OUTDIR/seed-K.pkl for K = FIRST..LAST: credit_boosted(X, seed=K) of ci/make_fixtures.py,
fitted on fixtures/credit/train.csv as make_fixtures.py fits candidate.pkl (seed 0). Each model
equals the candidate but for its seed, so a sound regression gate must pass it against the
candidate almost always (NullCheckTests: at least 19 of 20). Deterministic, single-threaded.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fixtures as fixtures  # noqa: E402  (sets single-threaded BLAS before numpy)
import pandas as pd  # noqa: E402


def main():
    out, first, last = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    train = pd.read_csv(fixtures.FIXTURES / "credit" / "train.csv",
                        dtype={fixtures.CREDIT_LABEL: str}, keep_default_na=False, na_values=[""])
    X = train[fixtures.CREDIT_COLUMNS]
    y = train[fixtures.CREDIT_LABEL].to_numpy(dtype=object)
    for seed in range(first, last + 1):
        model = fixtures.credit_boosted(X, seed=seed).fit(X, y)
        fixtures.save_model(out / f"seed-{seed}.pkl", model)
    print(f"null_check_models: seeds {first}..{last} in {out}")


if __name__ == "__main__":
    main()
