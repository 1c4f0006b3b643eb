#!/bin/sh
# textcorpus.sh builds the English text corpus used for analogy accuracy
# (defaults_text.sh) from documentation installed on this Debian machine,
# so that it can be rebuilt without downloads:
#
#   textcorpus.sh OUT            # writes OUT (one paragraph per line)
#
# Sources, in sorted path order: every regular file under /usr/share/doc
# whose name starts with changelog, NEWS, README or is copyright (gzip
# decompressed), and every English manual page under
# /usr/share/man/man*/ (localized trees /usr/share/man/xx/ are left out),
# decompressed with zcat, roff requests (lines starting with . or ')
# dropped and roff escapes (\fB, \(em, \-, ...) removed.
# Text is split into paragraphs at blank lines (awk paragraph mode), each
# paragraph joined to one line, lowercased, every byte that is not a-z
# turned into a space, spaces squeezed; lines of fewer than 3 words are
# dropped and repeated lines kept once (first occurrence), so that the
# boilerplate of licences and changelog trailers counts once; finally a
# line longer than 1000 words is cut into lines of 1000 words (gensim's
# corpus_file mode cuts at 10000 anyway).
# The token count depends on the installed packages; the run prints it.
set -eu
out=${1:?usage: textcorpus.sh OUT}
export LC_ALL=C
tmp=$out.tmp.$$
trap 'rm -f "$tmp"' EXIT
{
	find /usr/share/doc -type f \( -name 'changelog*' -o -name 'NEWS*' -o -name 'README*' -o -name copyright \) |
		sort | while IFS= read -r f; do zcat -f -- "$f" 2>/dev/null; echo; done
	find /usr/share/man -path '/usr/share/man/man*' -type f | sort | while IFS= read -r f; do
		zcat -f -- "$f" 2>/dev/null | sed -e "/^[.']/d" -e 's/\\f[A-Z1-4]//g; s/\\f([A-Z][A-Z]//g; s/\\([a-z][a-z]/ /g; s/\\-/-/g; s/\\.//g'
		echo
	done
} | awk 'BEGIN { RS = "" } { gsub(/\n/, " "); print }' |
	tr 'A-Z' 'a-z' | tr -c 'a-z\n' ' ' | tr -s ' ' |
	sed -e 's/^ //; s/ $//' |
	awk 'NF >= 3 && !seen[$0]++' |
	awk '{ for (i = 1; i <= NF; i++) printf "%s%s", $i, (i == NF || i % 1000 == 0) ? "\n" : " " }' >"$tmp"
mv "$tmp" "$out"
trap - EXIT
echo "$out: $(wc -l <"$out") lines, $(wc -w <"$out") tokens" >&2
