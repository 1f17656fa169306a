"""XGBoost on the benchmark's folds, for `npm run bench:model` (models/bench/cross-validate.ts).

Usage: python3 xgboost-folds.py <dir> <folds>
Reads <dir>/fold-<k>-train.csv and <dir>/fold-<k>-test.csv (header row of feature names then `label`; encoded
values as the glass-box model sees them, empty for missing), trains XGBoost (depth 4, 300 trees, learning rate 0.1,
histogram method, one thread, seed 42) on each training fold and writes the test fold's predicted probabilities to
<dir>/fold-<k>-pred.txt, one per line, so the caller scores every model with the same AUC code. Prints one JSON line
per fold: {"fold": k, "seconds": fit time}. Only Debian's python3-xgboost and python3-numpy are needed.
"""

import json
import sys
import time

import numpy as np
import xgboost as xgb


def read(path):
    data = np.genfromtxt(path, delimiter=",", skip_header=1, missing_values="", filling_values=np.nan)
    if data.ndim == 1:
        data = data.reshape(1, -1)
    return data[:, :-1], data[:, -1]


def main():
    folder, folds = sys.argv[1], int(sys.argv[2])
    for k in range(folds):
        x_train, y_train = read(f"{folder}/fold-{k}-train.csv")
        x_test, _ = read(f"{folder}/fold-{k}-test.csv")
        model = xgb.XGBClassifier(
            max_depth=4,
            n_estimators=300,
            learning_rate=0.1,
            tree_method="hist",
            n_jobs=1,
            random_state=42,
            eval_metric="logloss",
        )
        started = time.perf_counter()
        model.fit(x_train, y_train)
        seconds = time.perf_counter() - started
        predicted = model.predict_proba(x_test)[:, 1]
        np.savetxt(f"{folder}/fold-{k}-pred.txt", predicted, fmt="%.9f")
        print(json.dumps({"fold": k, "seconds": seconds}), flush=True)


if __name__ == "__main__":
    main()
