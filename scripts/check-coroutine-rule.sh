#!/usr/bin/env bash
# Checks the GCC 12 coroutine rule (docs/ARCHITECTURE.md): no brace-initialised temporary and no
# lambda inside a co_await statement, i.e. no `{` between `co_await` and the `;` that ends it.
# GCC 12.2 destroys the members of such a temporary twice (aggregate / designated init, lambdas
# with a non-trivial capture: double free) or rejects the code (std::initializer_list: "array
# used as initializer"); see tests/compiler/gcc12_coroutine_repro.cpp for what does and does not
# miscompile. Usage: scripts/check-coroutine-rule.sh [files...]   (default: src/ and tests/)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -eq 0 ]; then
  mapfile -t files < <(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' | grep -v '^tests/compiler/')
else
  files=("$@")
fi
perl -0777 -ne '
  my $text = $_;
  # Blank out comments and string/char literals (keeping newlines) so that braces in them do not count.
  $text =~ s{//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\x27(?:\\.|[^\x27\\\n])*\x27}{ (my $m = $&) =~ s/[^\n]/ /g; $m }gse;
  # The co_await expression ends at the `;` of its statement or at the `)` that closes a condition
  # it sits in (`if (co_await x) {`), whichever comes first; a `{` before that is a finding.
  while ($text =~ /\bco_await\b/g) {
    my ($start, $pos, $depth, $brace) = ($-[0], pos($text), 0, 0);
    for (; $pos < length($text); ++$pos) {
      my $c = substr($text, $pos, 1);
      if ($c eq "(" || $c eq "[") { ++$depth } elsif ($c eq ")" || $c eq "]") { last if --$depth < 0 }
      elsif ($c eq ";" && $depth == 0) { last } elsif ($c eq "{") { $brace = 1 }
    }
    next unless $brace;
    my $line = 1 + (substr($text, 0, $start) =~ tr/\n//);
    (my $shown = substr($_, $start, $pos - $start + 1)) =~ s/\s+/ /g;
    print "$ARGV:$line: brace or lambda inside co_await: $shown\n";
    $found = 1;
  }
  END { exit($found ? 1 : 0) }
' "${files[@]}" && echo "check-coroutine-rule: ok (${#files[@]} files)"
