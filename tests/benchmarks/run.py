"""`make bench`: every benchmark, each printing BENCH lines and adding to bench-results.json."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = ["bench_registry.py", "bench_hours.py", "bench_documents.py", "bench_statistics.py"]

if __name__ == "__main__":
    (HERE.parents[1] / "bench-results.json").unlink(missing_ok=True)
    for bench in BENCHES:
        print(f"== {bench}", flush=True)
        subprocess.run([sys.executable, str(HERE / bench)], cwd=HERE, check=True)
