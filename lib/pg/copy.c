/*
 * lib/pg/copy.c - buffered COPY FROM STDIN writer.
 */
#include "base/common.h"

#include "pg/copy.h"
#include "pg/db.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/banned.h"

#define COPY_FLUSH_AT (64 * 1024)

struct copy_writer
{
	PGconn	   *conn;
	sbuf		buf;
	bool		row_started;	/* a field has been written in this row */
	bool		failed;			/* a send failed; only copy_abort is useful */
	long long	rows;
};

copy_writer *
copy_begin(PGconn *conn, const char *sql)
{
	PGresult   *res = PQexec(conn, sql);
	copy_writer *w;

	if (res == NULL || PQresultStatus(res) != PGRES_COPY_IN)
	{
		db_log_result_error(res, conn);
		log_detail("Query was: %s", sql);
		PQclear(res);
		/* drain anything else (there should be nothing) */
		while ((res = PQgetResult(conn)) != NULL)
			PQclear(res);
		return NULL;
	}
	PQclear(res);
	w = mem_calloc(1, sizeof(*w));
	w->conn = conn;
	sbuf_init(&w->buf);
	sbuf_grow(&w->buf, COPY_FLUSH_AT + 4096);
	return w;
}

/* The bytes COPY's text format escapes, and NUL, which it cannot carry. */
static const unsigned char copy_special[256] = {
	['\0'] = 1, ['\\'] = '\\', ['\t'] = 't', ['\n'] = 'n', ['\r'] = 'r'
};

bool
copy_escape(sbuf *out, const char *s, size_t len)
{
	size_t		start = out->len;
	const unsigned char *p = (const unsigned char *) s;
	const unsigned char *end = p + len;
	const unsigned char *run = p;

	/* one pass: runs of ordinary bytes appended whole */
	sbuf_grow(out, len);
	for (; p < end; p++)
	{
		unsigned char esc = copy_special[*p];

		if (esc == 0)
			continue;
		if (esc == 1)
		{
			out->len = start;
			out->data[start] = '\0';
			return false;
		}
		sbuf_append(out, (const char *) run, (size_t) (p - run));
		sbuf_appendc(out, '\\');
		sbuf_appendc(out, (char) esc);
		run = p + 1;
	}
	sbuf_append(out, (const char *) run, (size_t) (end - run));
	return true;
}

static void
separator(copy_writer *w)
{
	if (w->row_started)
		sbuf_appendc(&w->buf, '\t');
	w->row_started = true;
}

bool
copy_field(copy_writer *w, const char *s, size_t len)
{
	size_t		mark = w->buf.len;
	bool		started = w->row_started;

	separator(w);
	if (!copy_escape(&w->buf, s, len))
	{
		w->buf.len = mark;
		w->buf.data[mark] = '\0';
		w->row_started = started;
		return false;
	}
	return true;
}

bool
copy_field_str(copy_writer *w, const char *s)
{
	return copy_field(w, s, strlen(s));
}

void
copy_field_null(copy_writer *w)
{
	separator(w);
	sbuf_append(&w->buf, "\\N", 2);
}

static bool
flush(copy_writer *w)
{
	if (w->failed)
		return false;
	if (w->buf.len == 0)
		return true;
	if (PQputCopyData(w->conn, w->buf.data, (int) w->buf.len) != 1)
	{
		char	   *msg = mem_strdup(PQerrorMessage(w->conn));
		size_t		n = strlen(msg);

		while (n > 0 && msg[n - 1] == '\n')
			msg[--n] = '\0';
		log_error("could not send data to server: %s", msg);
		free(msg);
		w->failed = true;
		return false;
	}
	sbuf_reset(&w->buf);
	return true;
}

bool
copy_row_end(copy_writer *w)
{
	sbuf_appendc(&w->buf, '\n');
	w->row_started = false;
	w->rows++;
	if (w->buf.len >= COPY_FLUSH_AT)
		return flush(w);
	return !w->failed;
}

long long
copy_rows(const copy_writer *w)
{
	return w->rows;
}

static bool
finish(copy_writer *w, const char *errmsg)
{
	PGresult   *res;
	bool		ok = true;

	if (PQputCopyEnd(w->conn, errmsg) != 1)
	{
		if (errmsg == NULL)
			log_error("could not send end-of-copy to server: %s", PQerrorMessage(w->conn));
		ok = false;
	}
	/* the first result tells how the COPY ended; then drain to NULL */
	res = PQgetResult(w->conn);
	if (errmsg == NULL && ok &&
		(res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK))
	{
		db_log_result_error(res, w->conn);
		ok = false;
	}
	/* the server's count of the rows it stored: the ones sent, no fewer */
	if (errmsg == NULL && ok && strtoll(PQcmdTuples(res), NULL, 10) != w->rows)
	{
		log_error("the server took %s rows of the %lld sent", PQcmdTuples(res), w->rows);
		ok = false;
	}
	PQclear(res);
	while ((res = PQgetResult(w->conn)) != NULL)
	{
		/* a connection still in COPY IN would loop here: end it */
		if (PQresultStatus(res) == PGRES_COPY_IN)
			PQputCopyEnd(w->conn, "COPY abandoned by client");
		PQclear(res);
	}
	return ok;
}

bool
copy_end(copy_writer **wp, long long *rows)
{
	copy_writer *w = *wp;
	bool		ok;

	if (!flush(w))
	{
		finish(w, "client could not send COPY data");
		ok = false;
	}
	else
		ok = finish(w, NULL);
	if (ok && rows)
		*rows = w->rows;
	sbuf_release(&w->buf);
	mem_free(wp);
	return ok;
}

void
copy_abort(copy_writer **wp, const char *reason)
{
	copy_writer *w = *wp;

	if (w == NULL)
		return;
	finish(w, reason ? reason : "aborted by client");
	sbuf_release(&w->buf);
	mem_free(wp);
}

/* --- COPY TO STDOUT ------------------------------------------------------- */

struct copy_reader
{
	PGconn	   *conn;
	char	   *row;			/* from PQgetCopyData, freed by the next call */
	bool		done;
};

copy_reader *
copy_out_begin(PGconn *conn, const char *sql)
{
	PGresult   *res = PQexec(conn, sql);
	copy_reader *r;

	if (PQresultStatus(res) != PGRES_COPY_OUT)
	{
		log_info("could not start reading rows from the server: %s",
				 res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
		PQclear(res);
		return NULL;
	}
	PQclear(res);
	r = mem_calloc(1, sizeof(*r));
	r->conn = conn;
	return r;
}

int
copy_out_next(copy_reader *r, const char **row)
{
	int			n;
	PGresult   *res;

	if (r->row)
		PQfreemem(r->row);
	r->row = NULL;
	if (r->done)
		return 0;
	n = PQgetCopyData(r->conn, &r->row, 0);
	if (n > 0)
	{
		if (r->row[n - 1] == '\n')
			r->row[--n] = '\0';
		*row = r->row;
		return n > 0 ? n : copy_out_next(r, row);
	}
	r->done = true;
	if (n == -2)
	{
		log_info("reading rows from the server failed: %s", PQerrorMessage(r->conn));
		return -1;
	}
	/* the end: the COPY's own result says whether all of it came */
	res = PQgetResult(r->conn);
	n = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
	if (n < 0)
		log_info("reading rows from the server failed: %s",
				 res ? PQresultErrorMessage(res) : PQerrorMessage(r->conn));
	PQclear(res);
	while ((res = PQgetResult(r->conn)) != NULL)
		PQclear(res);
	return n;
}

void
copy_out_end(copy_reader **rp)
{
	if (*rp == NULL)
		return;
	if ((*rp)->row)
		PQfreemem((*rp)->row);
	mem_free(rp);
}
