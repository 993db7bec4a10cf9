#!/bin/sh
# Fails when a page links to a .md page that does not exist.
set -eu
status=0
for page in "$1"/*.md; do
  for target in $(grep -oE '\]\([A-Za-z0-9_./-]+\.md\)' "$page" | sed 's/^](//; s/)$//'); do
    [ -f "$1/$target" ] || { echo "$page: broken link to $target"; status=1; }
  done
done
[ "$status" -eq 0 ] && echo "links ok"
exit "$status"
