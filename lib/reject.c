/*
 * lib/reject.c - the rejects file (NDJSON).
 */
#include "common.h"

#include <yajl/yajl_gen.h>

#include "log.h"
#include "mem.h"
#include "reject.h"
#include "sbuf.h"
#include "banned.h"

struct reject_file
{
	FILE	   *fp;
	char	   *path;
	sbuf		line;
};

reject_file *
reject_open(const char *path)
{
	FILE	   *fp = fopen(path, "w");
	reject_file *rf;

	if (fp == NULL)
	{
		log_error("could not open rejects file \"%s\": %m", path);
		return NULL;
	}
	rf = mem_calloc(1, sizeof(*rf));
	rf->fp = fp;
	rf->path = mem_strdup(path);
	sbuf_init(&rf->line);
	return rf;
}

static void
gen_print(void *ctx, const char *s, size_t len)
{
	sbuf_append(ctx, s, len);
}

static void
gen_key(yajl_gen g, const char *k)
{
	yajl_gen_string(g, (const unsigned char *) k, strlen(k));
}

static void
gen_str(yajl_gen g, const char *k, const char *v)
{
	gen_key(g, k);
	yajl_gen_string(g, (const unsigned char *) v, strlen(v));
}

static void
gen_int(yajl_gen g, const char *k, long long v)
{
	gen_key(g, k);
	yajl_gen_integer(g, v);
}

bool
reject_write(reject_file *rf, const reject_info *ri)
{
	yajl_gen	g = yajl_gen_alloc(NULL);

	if (g == NULL)
		log_fatal(AUSDASH_EXIT_SOFTWARE, "out of memory");
	sbuf_reset(&rf->line);
	yajl_gen_config(g, yajl_gen_print_callback, gen_print, &rf->line);
	yajl_gen_map_open(g);
	gen_str(g, "entity", ri->entity);
	gen_int(g, "index", ri->index);
	gen_int(g, "line", ri->line);
	gen_int(g, "offset", ri->offset);
	gen_str(g, "path", ri->path);
	gen_str(g, "reason", ri->reason);
	if (ri->key)
		gen_str(g, "key", ri->key);
	if (ri->record)
	{
		/* already JSON text: yajl_gen_number inserts it unchanged */
		gen_key(g, "record");
		yajl_gen_number(g, ri->record, strlen(ri->record));
	}
	yajl_gen_map_close(g);
	yajl_gen_free(g);
	sbuf_appendc(&rf->line, '\n');
	if (fwrite(rf->line.data, 1, rf->line.len, rf->fp) != rf->line.len)
	{
		log_error("could not write to rejects file \"%s\": %m", rf->path);
		return false;
	}
	return true;
}

bool
reject_close(reject_file **rfp)
{
	reject_file *rf = *rfp;
	bool		ok = true;

	if (rf == NULL)
		return true;
	if (fflush(rf->fp) != 0 || ferror(rf->fp))
	{
		log_error("could not write to rejects file \"%s\": %m", rf->path);
		ok = false;
	}
	if (fclose(rf->fp) != 0 && ok)
	{
		log_error("could not close rejects file \"%s\": %m", rf->path);
		ok = false;
	}
	sbuf_release(&rf->line);
	free(rf->path);
	free(rf);
	*rfp = NULL;
	return ok;
}
