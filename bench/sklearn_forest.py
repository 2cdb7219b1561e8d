"""scikit-learn's IsolationForest on the bench's forest data, for `pnpm bench`.

Reads the rows (float64, little-endian, row-major) and labels (uint8, 1 = outlier) that
bench/forest.ts wrote, fits with the same settings as ours (100 trees, 256 rows per tree),
single-threaded, and prints one JSON object: fit time, scoring rate and AUC. Run by the bench
with OMP/OPENBLAS/MKL threads set to 1; n_jobs=1 here.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score


def main() -> None:
    rows_path, labels_path, dims, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    rows = np.fromfile(rows_path, dtype="<f8").reshape(-1, dims)
    labels = np.fromfile(labels_path, dtype=np.uint8)
    fit_ms = []
    score_s = []
    for _ in range(repeats):
        forest = IsolationForest(n_estimators=100, max_samples=256, random_state=0, n_jobs=1)
        start = time.perf_counter()
        forest.fit(rows)
        fit_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        # score_samples: higher is more normal, so its negation ranks outliers first.
        scores = -forest.score_samples(rows)
        score_s.append(time.perf_counter() - start)
    print(json.dumps({
        "rows": int(rows.shape[0]),
        "dims": dims,
        "fit_ms": min(fit_ms),
        "score_per_s": rows.shape[0] / min(score_s),
        "auc": float(roc_auc_score(labels, scores)),
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
    }))


if __name__ == "__main__":
    main()
