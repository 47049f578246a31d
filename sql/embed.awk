# sql/embed.awk - turns sql/merge/*.sql into lib/pg/sqlset_data.c.
#
# Each "-- name: NAME" line starts a statement named NAME in the file's
# set (the file name without .sql); it runs to the next such line.
BEGIN {
	print "/*"
	print " * lib/pg/sqlset_data.c - generated from sql/merge/NAME.sql by sql/embed.awk;"
	print " * do not edit."
	print " */"
	print "#include \"base/common.h\""
	print ""
	print "#include \"pg/sqlset.h\""
	print "#include \"base/banned.h\""
	print ""
	print "const sqlset_entry sqlset_data_entries[] = {"
	open = 0
}
FNR == 1 {
	if (open)
		print "\t},"
	open = 0
	set = FILENAME
	sub(/.*\//, "", set)
	sub(/\.sql$/, "", set)
}
/^-- name: / {
	if (open)
		print "\t},"
	printf "\t{\"%s\", \"%s\",\n", set, $3
	open = 1
	next
}
open && !/^--/ && !/^[ \t]*$/ {
	gsub(/\\/, "\\\\")
	gsub(/"/, "\\\"")
	printf "\t\t\"%s\\n\"\n", $0
}
END {
	if (open)
		print "\t},"
	print "\t{NULL, NULL, NULL}"
	print "};"
}
