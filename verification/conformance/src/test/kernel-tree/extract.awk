# extract.awk: cuts one definition out of a C source file by name, with a #line marker, so a
# compiler message or a disagreement points at the tree's own file:line.
#   awk -v kind=func|struct|define -v name=NAME [-v rename=NEW] -v path=PATH -f extract.awk FILE
# func: a definition at column 0 (return type on the same line or the lines above), not a
# prototype, up to its closing brace (braces in comments and literals are skipped). struct: the
# definition `struct NAME {` up to its `};`. define: `#define NAME` with its continuation lines.
# rename: the definition's name becomes NEW (two trees' functions of one name in one unit).
# Prints nothing and exits 1 when the file has no such definition.
{ line[NR] = $0 }

function is_ident(c) { return c ~ /[A-Za-z0-9_]/ }

# Counts braces (and parens) in line k, skipping comments and literals; updates depth/pdepth.
function scan(k,    s, n, i, c, d) {
	s = line[k]; n = length(s)
	for (i = 1; i <= n; i++) {
		c = substr(s, i, 1); d = substr(s, i, 2)
		if (incomment) { if (d == "*/") { incomment = 0; i++ } continue }
		if (d == "/*") { incomment = 1; i++; continue }
		if (d == "//") break
		if (c == "\"" || c == "'") {
			for (i++; i <= n && substr(s, i, 1) != c; i++) if (substr(s, i, 1) == "\\") i++
			continue
		}
		if (c == "{") { depth++; if (first_brace == 0) first_brace = k }
		else if (c == "}") { depth--; if (depth == 0 && first_brace) return 1 }
		else if (c == "(") pdepth++
		else if (c == ")") { pdepth--; if (pdepth == 0 && header_done == 0) header_done = k }
		else if (c == ";" && pdepth == 0 && depth == 0 && first_brace == 0) return -1
	}
	return 0
}

function emit(from, to, hdr,    k, s) {
	printf "#line %d \"%s\"\n", from, path
	for (k = from; k <= to; k++) {
		s = line[k]
		if (k == hdr && rename != "") sub(name "\\(", rename "(", s)
		print s
	}
	found = 1
}

END {
	found = 0
	for (i = 1; i <= NR && !found; i++) {
		s = line[i]
		if (kind == "define") {
			if (s ~ ("^#[ \t]*define[ \t]+" name "([ \t(]|$)")) {
				for (j = i; line[j] ~ /\\$/ && j < NR; j++) ;
				emit(i, j, 0)
			}
			continue
		}
		if (kind == "struct") {
			if (s ~ ("^struct[ \t]+" name "[ \t]*\\{")) {
				depth = 0; first_brace = 0; incomment = 0; pdepth = 0; header_done = 1
				for (j = i; j <= NR && scan(j) != 1; j++) ;
				if (j <= NR) emit(i, j, 0)
			}
			continue
		}
		# func: NAME( at column 0 after a type, or at the start of the line
		if (s ~ /^[ \t#\/*]/ || s ~ /^extern/) continue
		p = index(s, name "(")
		if (p == 0 || (p > 1 && is_ident(substr(s, p - 1, 1)))) continue
		depth = 0; first_brace = 0; incomment = 0; pdepth = 0; header_done = 0
		for (j = i; j <= NR; j++) { r = scan(j); if (r != 0) break }
		if (r != 1) continue            # a prototype or a declaration
		start = i
		while (start > 1 && line[start - 1] ~ /^[A-Za-z_]/ && line[start - 1] !~ /[;}]\s*$/ \
		       && line[start - 1] !~ /\*\/\s*$/ && line[start - 1] !~ /^#/) start--
		emit(start, j, i)
	}
	exit found ? 0 : 1
}
