/*
 * lib/model/reject.c - the rejects file (NDJSON).
 */
#include "base/common.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "base/jsonw.h"
#include "base/log.h"
#include "base/mem.h"
#include "model/reject.h"
#include "base/sbuf.h"
#include "base/banned.h"

struct reject_file
{
	FILE	   *fp;
	char	   *path;
	sbuf		line;
};

reject_file *
reject_open(const char *path)
{
	/* a link planted at the path is not followed: its target is not ours to write */
	int			fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
	FILE	   *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
	reject_file *rf;

	if (fp == NULL)
	{
		if (errno == ELOOP)
			log_error("rejects file \"%s\" is a symbolic link; ausdash does not follow it",
					  path);
		else
			log_error("could not open rejects file \"%s\": %m", path);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	rf = mem_calloc(1, sizeof(*rf));
	rf->fp = fp;
	rf->path = mem_strdup(path);
	sbuf_init(&rf->line);
	return rf;
}

bool
reject_write(reject_file *rf, const reject_info *ri)
{
	yajl_gen	g;

	sbuf_reset(&rf->line);
	g = jsonw_new(&rf->line, false);
	yajl_gen_map_open(g);
	jsonw_str(g, "entity", ri->entity);
	jsonw_int(g, "index", ri->index);
	jsonw_int(g, "line", ri->line);
	jsonw_int(g, "offset", ri->offset);
	jsonw_str(g, "path", ri->path);
	jsonw_str(g, "reason", ri->reason);
	if (ri->key)
		jsonw_str(g, "key", ri->key);
	if (ri->record)
	{
		jsonw_key(g, "record");
		jsonw_raw(g, ri->record, strlen(ri->record));
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

bool
reject_take(reject_budget *b, const char *where, const reject_info *ri)
{
	if (b->taken >= b->max_errors)
	{
		b->exit_code = AUSDASH_EXIT_DATAERR;
		return false;
	}
	b->taken++;
	log_warning("%s: %s (record rejected)", where, ri->reason);
	if (b->file && !reject_write(b->file, ri))
	{
		b->exit_code = AUSDASH_EXIT_IOERR;
		return false;
	}
	return true;
}
