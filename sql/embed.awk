# sql/embed.awk - turns the statement files under sql/ into C, at build time.
#
#   awk -v out=data  -f sql/embed.awk sql/rules.sql sql/*/*.sql > lib/pg/sqlset_data.c
#   awk -v out=names -f sql/embed.awk sql/rules.sql sql/*/*.sql > lib/pg/sqlset_names.h
#
# Each "-- name: NAME" line starts a statement named NAME in the file's set
# (the file name without .sql); it runs to the next such line.  Its id is
# SQLSET_<SET>_<NAME>, upper-cased: C code names a statement by that id, so
# a misspelt name is a build error.
#
# sql/rules.sql comes first: its statements are the domain's rules, written
# once; "{{NAME}}" in any later statement is replaced by the rule NAME (its
# lines joined by spaces).  An unknown rule or a set name used twice stops
# the build.  Single braces ({table}) are left for lib/load/stage.c.
function fail(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	failed = 1
	exit 1
}
function close_statement() {
	if (!open)
		return
	if (body == "")
		fail("statement " cur_set "/" cur_name " is empty")
	if (cur_set == "rules")
		rule[cur_name] = rule_text
	n++
	open = 0
}
function c_escape(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	return s
}
function expand(line,    out, name, start, end) {
	out = ""
	while ((start = index(line, "{{")) > 0) {
		end = index(substr(line, start + 2), "}}")
		if (end == 0)
			fail("unclosed {{ in " cur_set "/" cur_name)
		name = substr(line, start + 2, end - 1)
		if (!(name in rule))
			fail("no rule \"" name "\" in sql/rules.sql (used by " cur_set "/" cur_name ")")
		out = out substr(line, 1, start - 1) rule[name]
		line = substr(line, start + end + 3)
	}
	return out line
}
BEGIN {
	if (out != "data" && out != "names") {
		print "sql/embed.awk: set out=data or out=names" > "/dev/stderr"
		failed = 1
		exit 1
	}
	if (out == "data") {
		print "/*"
		print " * lib/pg/sqlset_data.c - generated from sql/ by sql/embed.awk; do not edit."
		print " */"
		print "#include \"base/common.h\""
		print ""
		print "#include \"pg/sqlset.h\""
		print "#include \"base/banned.h\""
		print ""
		print "const sqlset_entry sqlset_data_entries[SQLSET_COUNT] = {"
	} else {
		print "/*"
		print " * lib/pg/sqlset_names.h - generated from sql/ by sql/embed.awk; do not edit."
		print " * One id per statement: SQLSET_<SET>_<NAME>."
		print " */"
		print "#ifndef AUSDASH_SQLSET_NAMES_H"
		print "#define AUSDASH_SQLSET_NAMES_H"
		print ""
		print "typedef enum sqlset_id"
		print "{"
	}
	open = 0
	n = 0
}
FNR == 1 {
	close_statement()
	set = FILENAME
	sub(/.*\//, "", set)
	sub(/\.sql$/, "", set)
	if (set in seen_set)
		fail("two statement files are named " set ".sql")
	seen_set[set] = 1
}
/^-- name: / {
	close_statement()
	cur_set = set
	cur_name = $3
	id = toupper("SQLSET_" set "_" cur_name)
	if (id in seen_id)
		fail("statement " set "/" cur_name " is defined twice")
	seen_id[id] = 1
	if (out == "data") {
		if (n > 0)
			print "\t},"
		printf "\t[%s] = {\"%s\", \"%s\",\n", id, set, cur_name
	} else
		printf "\t%s,\n", id
	open = 1
	body = ""
	rule_text = ""
	next
}
open && !/^--/ && !/^[ \t]*$/ {
	line = expand($0)
	body = body line "\n"
	rule_text = rule_text (rule_text == "" ? "" : " ") line
	if (out == "data")
		printf "\t\t\"%s\\n\"\n", c_escape(line)
}
END {
	if (failed)
		exit 1
	close_statement()
	if (out == "data") {
		if (n > 0)
			print "\t},"
		print "};"
	} else {
		print "\tSQLSET_COUNT"
		print "} sqlset_id;"
		print ""
		print "#endif"
	}
}
