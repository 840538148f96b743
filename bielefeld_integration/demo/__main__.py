"""``python -m bielefeld_integration.demo [OUT_DIR]``: regenerate the demo deliveries."""

import sys

from tqdm import tqdm

from bielefeld_integration.demo import YEARS, generate

out = sys.argv[1] if len(sys.argv) > 1 else "data/raw"
for year in tqdm(YEARS, desc="Demodaten", unit="Jahr"):
    generate(out, [year])
print(f"Demodaten für {YEARS[0]}–{YEARS[-1]} geschrieben nach {out}/")
