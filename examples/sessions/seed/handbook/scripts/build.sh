#!/bin/sh
# Renders every Markdown page of $1 into $2 (one HTML file per page).
set -eu
mkdir -p "$2"
for page in "$1"/*.md; do
  name=$(basename "$page" .md)
  { echo "<!doctype html><title>$name</title><pre>"; cat "$page"; echo "</pre>"; } > "$2/$name.html"
done
echo "built $(ls "$2" | wc -l) page(s) into $2/"
