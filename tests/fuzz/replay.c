/*
 * tests/fuzz/replay.c - runs a fuzz harness over files, outside libFuzzer:
 * the kept findings (tests/fuzz/regressions) and the samples, under make
 * check (and make check-asan).  Prints TAP, one test per file.
 */
#include "base/common.h"

#include <dirent.h>
#include <sys/stat.h>

#include "base/mem.h"
#include "base/sbuf.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int	n;

static void
run_file(const char *path)
{
	FILE	   *fp = fopen(path, "rb");
	sbuf		buf;
	char		chunk[65536];
	size_t		got;

	if (fp == NULL)
		return;
	sbuf_init(&buf);
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		sbuf_append(&buf, chunk, got);
	fclose(fp);
	LLVMFuzzerTestOneInput((const uint8_t *) (buf.data ? buf.data : ""), buf.len);
	sbuf_release(&buf);
	printf("ok %d - %s\n", ++n, path);
}

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
	{
		struct stat st;
		DIR		   *d;
		struct dirent *e;

		if (stat(argv[i], &st) != 0)
			continue;
		if (!S_ISDIR(st.st_mode))
		{
			run_file(argv[i]);
			continue;
		}
		if ((d = opendir(argv[i])) == NULL)
			continue;
		while ((e = readdir(d)) != NULL)
		{
			char	   *p;

			if (e->d_name[0] == '.')
				continue;
			p = mem_asprintf("%s/%s", argv[i], e->d_name);
			run_file(p);
			free(p);
		}
		closedir(d);
	}
	printf("1..%d\n", n);
	return 0;
}
