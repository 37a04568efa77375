#!/usr/bin/env bash
# Splits PolNeAR train into the two parts the attribution choices are made on: every fifth
# article in name order (index 4, 9, 14, …; 168 of 840) held out, the other 672 to train on.
# An optional third argument, 0 to 4, holds out another fifth (index r, r + 5, …): a change
# chosen on the usual fifth can be checked on fifths no choice touched.
# Both parts are directories of symbolic links in PolNeAR's layout (text/, attributions/),
# which `claimlens train attribution --polnear` and `claimlens eval attribution --polnear` read.
#
#   scripts/polnear-heldout-fifth.sh ../shared/data/polnear/train /tmp/polnear-fifth
#   claimlens train attribution --polnear /tmp/polnear-fifth/fit --out /tmp/fit.bin
#   claimlens eval attribution --polnear /tmp/polnear-fifth/held --model /tmp/fit.bin
#   scripts/polnear-heldout-fifth.sh ../shared/data/polnear/train /tmp/polnear-fifth-2 2
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 <polnear train dir> <output dir> [held-out remainder 0-4, default 4]" >&2
    exit 2
fi
remainder=${3:-4}
case $remainder in
    [0-4]) ;;
    *) echo "the held-out remainder is 0 to 4, not $remainder" >&2; exit 2 ;;
esac
train=$(cd "$1" && pwd)
out=$2
if [ -e "$out" ]; then
    echo "$out exists; give a new directory" >&2
    exit 1
fi
for part in fit held; do
    mkdir -p "$out/$part/text" "$out/$part/attributions"
done
i=0
while IFS= read -r name; do
    stem=${name%.txt}
    part=fit
    if [ $((i % 5)) -eq "$remainder" ]; then
        part=held
    fi
    ln -s "$train/text/$name" "$out/$part/text/$name"
    # An article's annotation files are its name, "_", four characters, ".ann".
    for ann in "$train/attributions/${stem}"_????.ann; do
        [ -e "$ann" ] && ln -s "$ann" "$out/$part/attributions/"
    done
    i=$((i + 1))
done < <(cd "$train/text" && LC_ALL=C ls -1 | grep '\.txt$')
echo "$out/fit: $(ls "$out/fit/text" | wc -l) articles; $out/held: $(ls "$out/held/text" | wc -l)"
