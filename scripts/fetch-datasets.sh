#!/usr/bin/env bash
# Fetches the small real datasets of the examples from Debian's python3-sklearn package (downloaded
# with apt-get download and unpacked with dpkg -x: nothing is installed, no PyPI):
#   data/digits.csv    1797 rows: 64 pixel intensities (0..16) of 8x8 digit images, then the label 0..9
#   data/diabetes.csv  442 rows with a header: 10 raw features, then the disease-progression target
# Idempotent: exits at once when both files exist. Usage: scripts/fetch-datasets.sh [DIR] (default data)
set -euo pipefail
dest="${1:-data}"
if [[ -f "$dest/digits.csv" && -f "$dest/diabetes.csv" ]]; then
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
if ! (cd "$tmp" && apt-get download -qq python3-sklearn >/dev/null 2>&1); then
  apt-get update -qq
  (cd "$tmp" && apt-get download -qq python3-sklearn)
fi
dpkg -x "$tmp"/python3-sklearn_*.deb "$tmp/x"
src="$tmp/x/usr/lib/python3/dist-packages/sklearn/datasets/data"
mkdir -p "$dest"
gzip -dc "$src/digits.csv.gz" > "$tmp/digits.csv"
{
  echo "age,sex,bmi,bp,s1,s2,s3,s4,s5,s6,target"
  paste -d' ' <(gzip -dc "$src/diabetes_data_raw.csv.gz") <(gzip -dc "$src/diabetes_target.csv.gz") | awk '{$1=$1; gsub(/ /, ","); print}'
} > "$tmp/diabetes.csv"
[[ $(wc -l < "$tmp/digits.csv") -eq 1797 && $(wc -l < "$tmp/diabetes.csv") -eq 443 ]] || {
  echo "fetch-datasets.sh: unexpected row counts in python3-sklearn's data" >&2
  exit 1
}
mv "$tmp/digits.csv" "$dest/digits.csv"
mv "$tmp/diabetes.csv" "$dest/diabetes.csv"
echo "fetch-datasets.sh: wrote $dest/digits.csv and $dest/diabetes.csv (from python3-sklearn)"
