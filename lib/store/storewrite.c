/*
 * lib/store/storewrite.c - live-store.json out, as the dashboard writes it, and
 * atomically.
 */
#include "base/common.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <libgen.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "base/jsonparse.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/sbuf.h"
#include "store/storewrite.h"
#include "base/timeutil.h"
#include "base/banned.h"

struct storewrite
{
	char	   *path;			/* NULL: standard output */
	char	   *tmp;
	char	   *dir;
	int			lockfd;
	FILE	   *out;
	yajl_gen	g;				/* encodes strings */
	bool		first_key;
	long long	in_array;		/* records so far in the open array, or -1 */
	bool		failed;
};

/* --- a signal while the temporary file exists ------------------------------ */

/*
 * SIGINT, SIGTERM or SIGHUP while a temporary file exists removes it
 * (unlink is async-signal-safe), says so, and then does what the signal
 * did before: a handler of the caller's (the database cancel) runs and
 * the run ends through its own path; the default ends the process.
 */
static char cleanup_path[4096];
static char cleanup_msg[512];
static volatile sig_atomic_t cleanup_armed;
static struct sigaction cleanup_old[3];
static const int cleanup_signals[3] = {SIGINT, SIGTERM, SIGHUP};

static void
on_cleanup_signal(int signo)
{
	int			saved = errno;

	if (cleanup_armed)
	{
		cleanup_armed = 0;
		unlink(cleanup_path);
		ssize_t		w = write(STDERR_FILENO, cleanup_msg, strlen(cleanup_msg));

		(void) w;				/* nothing to be done about a failure here */
	}
	for (int i = 0; i < 3; i++)
		if (cleanup_signals[i] == signo)
		{
			if (cleanup_old[i].sa_handler != SIG_DFL && cleanup_old[i].sa_handler != SIG_IGN &&
				!(cleanup_old[i].sa_flags & SA_SIGINFO))
				cleanup_old[i].sa_handler(signo);
			else if (cleanup_old[i].sa_handler == SIG_DFL)
			{
				sigaction(signo, &cleanup_old[i], NULL);
				raise(signo);
			}
		}
	errno = saved;
}

static void
cleanup_arm(const char *tmp)
{
	struct sigaction sa;

	snprintf(cleanup_path, sizeof(cleanup_path), "%s", tmp);
	snprintf(cleanup_msg, sizeof(cleanup_msg), "%s: error: interrupted by a signal; the "
			 "temporary file \"%s\" is removed and the store is unchanged\n",
			 log_progname(), tmp);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_cleanup_signal;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(cleanup_signals[i], &sa, &cleanup_old[i]);
	cleanup_armed = 1;
}

static void
cleanup_disarm(void)
{
	if (!cleanup_armed && cleanup_path[0] == '\0')
		return;
	cleanup_armed = 0;
	for (int i = 0; i < 3; i++)
		sigaction(cleanup_signals[i], &cleanup_old[i], NULL);
	cleanup_path[0] = '\0';
}

/* --- locking and files ----------------------------------------------------- */

/* A detail line naming the process that holds the flock on fd (Linux's /proc/locks). */
static void
log_flock_holder(int fd)
{
	struct stat st;
	FILE	   *fp;
	char		line[256];

	if (fstat(fd, &st) != 0 || (fp = fopen("/proc/locks", "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp))
	{
		char		kind[16];
		int			pid;
		unsigned	maj,
					min;
		unsigned long ino;
		char		path[64];
		char		comm[64] = "";
		FILE	   *c;

		if (strstr(line, "->") ||
			sscanf(line, "%*d: %15s %*s %*s %d %x:%x:%lu", kind, &pid, &maj, &min, &ino) != 5 ||
			strcmp(kind, "FLOCK") != 0 || ino != (unsigned long) st.st_ino ||
			maj != major(st.st_dev) || min != minor(st.st_dev))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		if ((c = fopen(path, "r")) != NULL)
		{
			if (fgets(comm, sizeof(comm), c))
				comm[strcspn(comm, "\n")] = '\0';
			fclose(c);
		}
		log_detail("Held by PID %d (%s).", pid, comm[0] ? comm : "its name cannot be read");
		break;
	}
	fclose(fp);
}

/*
 * FILE.lock beside the store: never followed if it is a link (a planted
 * link would make us create or truncate its target), opened read-only so
 * that the store's owner can lock a lock file root created, and given the
 * store's owner and group when created by root.
 */
static bool
take_lock(storewrite *sw, long wait_ms, bool *locked, const struct stat *store)
{
	char	   *lockpath = mem_asprintf("%s.lock", sw->path);
	long		start = timeutil_now_ms();
	struct stat st;

	sw->lockfd = open(lockpath, O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (sw->lockfd < 0)
	{
		if (errno == ELOOP)
			log_error("lock file \"%s\" is a symbolic link; ausdash does not follow it", lockpath);
		else
			log_error("could not open lock file \"%s\": %m", lockpath);
		log_hint("Remove it if no ausdash writer is running.");
		free(lockpath);
		return false;
	}
	if (fstat(sw->lockfd, &st) == 0 && !S_ISREG(st.st_mode))
	{
		log_error("lock file \"%s\" is not a regular file", lockpath);
		free(lockpath);
		return false;
	}
	if (store && geteuid() == 0 && st.st_uid == 0 && store->st_uid != 0 &&
		fchown(sw->lockfd, store->st_uid, store->st_gid) != 0)
		log_warning("could not give lock file \"%s\" the store's owner: %m", lockpath);
	for (;;)
	{
		if (flock(sw->lockfd, LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno != EWOULDBLOCK && errno != EINTR)
		{
			log_error("could not lock \"%s\": %m", lockpath);
			free(lockpath);
			return false;
		}
		if (wait_ms >= 0 && timeutil_now_ms() - start >= wait_ms)
		{
			log_error("another writer holds the store's lock \"%s\"", lockpath);
			log_flock_holder(sw->lockfd);
			*locked = true;
			free(lockpath);
			return false;
		}
		timeutil_sleep_ms(20);
	}
	free(lockpath);
	return true;
}

/*
 * Where to write for path: the file itself, or the file a symbolic link
 * leads to (written through, as pg_dump -f and the dashboard's writer do).
 * NULL (logged) for what cannot be replaced by a rename: a FIFO, a device,
 * a directory, a socket.  *exists and *st describe the target.
 */
static char *
resolve_target(const char *path, bool *exists, struct stat *st)
{
	char	   *target;

	*exists = false;
	if (lstat(path, st) != 0)
	{
		if (errno == ENOENT)
			return mem_strdup(path);
		log_error("could not stat \"%s\": %m", path);
		return NULL;
	}
	target = S_ISLNK(st->st_mode) ? realpath(path, NULL) : mem_strdup(path);
	if (target == NULL)
	{
		log_error("could not resolve symbolic link \"%s\": %m", path);
		return NULL;
	}
	if (stat(target, st) != 0)
	{
		log_error("could not stat \"%s\": %m", target);
		free(target);
		return NULL;
	}
	if (!S_ISREG(st->st_mode))
	{
		log_error("\"%s\" is not a regular file (%s); a store is replaced by a rename",
				  target, S_ISFIFO(st->st_mode) ? "a FIFO" : S_ISDIR(st->st_mode) ? "a directory" :
				  S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode) ? "a device" :
				  S_ISSOCK(st->st_mode) ? "a socket" : "not a plain file");
		log_hint("Write to standard output (-o -) and redirect it there instead.");
		free(target);
		return NULL;
	}
	*exists = true;
	return target;
}

/* The new file gets the old one's owner, group and mode, or 0666 less the umask. */
static void
take_over_attributes(int fd, const char *target, bool exists, const struct stat *st)
{
	mode_t		mask;

	if (!exists)
	{
		mask = umask(0);
		umask(mask);
		fchmod(fd, 0666 & ~mask);
		return;
	}
	if ((st->st_uid != geteuid() || st->st_gid != getegid()) &&
		fchown(fd, st->st_uid, st->st_gid) != 0 && fchown(fd, (uid_t) -1, st->st_gid) != 0)
		log_info("\"%s\" will belong to the writer: %m", target);
	fchmod(fd, st->st_mode & 07777);
}

storewrite *
storewrite_open(const char *path, long wait_ms, bool *locked)
{
	storewrite *sw = mem_calloc(1, sizeof(storewrite));
	char	   *copy;
	char	   *base;
	int			fd;
	struct stat st;
	bool		exists;

	*locked = false;
	sw->lockfd = -1;
	sw->in_array = -1;
	sw->first_key = true;
	sw->g = yajl_gen_alloc(NULL);
	yajl_gen_config(sw->g, yajl_gen_validate_utf8, 1);
	if (path == NULL || strcmp(path, "-") == 0)
	{
		sw->out = stdout;
		return sw;
	}
	if ((sw->path = resolve_target(path, &exists, &st)) == NULL)
	{
		storewrite_abort(&sw);
		return NULL;
	}
	if (strcmp(sw->path, path) != 0)
		log_info("\"%s\" is a link: writing through to \"%s\"", path, sw->path);
	copy = mem_strdup(sw->path);
	sw->dir = mem_strdup(dirname(copy));
	free(copy);
	copy = mem_strdup(sw->path);
	base = basename(copy);
	sw->tmp = mem_asprintf("%s/.%s.XXXXXX", sw->dir, base);
	free(copy);
	if (!take_lock(sw, wait_ms, locked, exists ? &st : NULL))
	{
		storewrite_abort(&sw);
		return NULL;
	}
	fd = mkostemp(sw->tmp, O_CLOEXEC);
	if (fd < 0)
	{
		log_error("could not create a temporary file beside \"%s\": %m", path);
		free(sw->tmp);
		sw->tmp = NULL;
		storewrite_abort(&sw);
		return NULL;
	}
	cleanup_arm(sw->tmp);
	take_over_attributes(fd, sw->path, exists, &st);
	sw->out = fdopen(fd, "w");
	if (sw->out == NULL)
		log_fatal(AUSDASH_EXIT_SOFTWARE, "fdopen: %m");
	return sw;
}

static bool
fsync_dir(const char *dir)
{
	int			fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	bool		ok;

	if (fd < 0)
		return false;
	ok = fsync(fd) == 0;
	close(fd);
	return ok;
}

static void
release(storewrite *sw)
{
	cleanup_disarm();
	if (sw->lockfd >= 0)
		close(sw->lockfd);		/* drops the flock */
	yajl_gen_free(sw->g);
	free(sw->path);
	free(sw->tmp);
	free(sw->dir);
	free(sw);
}

void
storewrite_abort(storewrite **swp)
{
	storewrite *sw = *swp;

	*swp = NULL;
	if (sw->out && sw->out != stdout)
		fclose(sw->out);
	if (sw->tmp && sw->out)
		unlink(sw->tmp);
	release(sw);
}

bool
storewrite_commit(storewrite **swp)
{
	storewrite *sw = *swp;
	bool		ok = !sw->failed;

	*swp = NULL;
	fputs("\n}", sw->out);
	if (sw->out == stdout)
	{
		ok = ok && fflush(stdout) == 0 && !ferror(stdout);
		if (!ok)
			log_error("could not write the store to standard output: %m");
		release(sw);
		return ok;
	}
	if (ok && (fflush(sw->out) != 0 || ferror(sw->out) || fsync(fileno(sw->out)) != 0))
	{
		log_error("could not write \"%s\": %m", sw->tmp);
		ok = false;
	}
	if (fclose(sw->out) != 0 && ok)
	{
		log_error("could not write \"%s\": %m", sw->tmp);
		ok = false;
	}
	sw->out = NULL;
	if (ok && rename(sw->tmp, sw->path) != 0)
	{
		log_error("could not rename \"%s\" to \"%s\": %m", sw->tmp, sw->path);
		ok = false;
	}
	if (!ok)
		unlink(sw->tmp);
	else if (!fsync_dir(sw->dir))
		log_warning("could not fsync directory \"%s\": %m", sw->dir);
	release(sw);
	return ok;
}

/* --- JSON ---------------------------------------------------------------------- */

/* A JSON string as JSON.stringify writes it. */
static void
put_string(storewrite *sw, const char *s, size_t len)
{
	const unsigned char *buf;
	size_t		n;

	yajl_gen_reset(sw->g, NULL);
	if (yajl_gen_string(sw->g, (const unsigned char *) s, len) != yajl_gen_status_ok)
	{
		log_error("a string to write is not valid UTF-8: \"%.40s\"", s);
		sw->failed = true;
		yajl_gen_clear(sw->g);
		return;
	}
	yajl_gen_get_buf(sw->g, &buf, &n);
	/* yajl writes \u001F; JavaScript \u001f */
	for (size_t i = 0; i < n; i++)
	{
		if (buf[i] == '\\' && i + 1 < n)
		{
			char		e = (char) buf[++i];

			fputc('\\', sw->out);
			fputc(e, sw->out);
			for (int k = 0; e == 'u' && k < 4 && i + 1 < n; k++)
				fputc(tolower(buf[++i]), sw->out);
			continue;
		}
		fputc(buf[i], sw->out);
	}
	yajl_gen_clear(sw->g);
}

static void
indent(storewrite *sw, int depth)
{
	fputc('\n', sw->out);
	for (int i = 0; i < depth; i++)
		fputs("  ", sw->out);
}

/* A nested value (a parsed container), pretty at depth. */
static void
put_tree(storewrite *sw, yajl_val v, int depth)
{
	if (YAJL_IS_OBJECT(v))
	{
		if (v->u.object.len == 0)
		{
			fputs("{}", sw->out);
			return;
		}
		fputc('{', sw->out);
		for (size_t i = 0; i < v->u.object.len; i++)
		{
			if (i > 0)
				fputc(',', sw->out);
			indent(sw, depth + 1);
			put_string(sw, v->u.object.keys[i], strlen(v->u.object.keys[i]));
			fputs(": ", sw->out);
			put_tree(sw, v->u.object.values[i], depth + 1);
		}
		indent(sw, depth);
		fputc('}', sw->out);
	}
	else if (YAJL_IS_ARRAY(v))
	{
		if (v->u.array.len == 0)
		{
			fputs("[]", sw->out);
			return;
		}
		fputc('[', sw->out);
		for (size_t i = 0; i < v->u.array.len; i++)
		{
			if (i > 0)
				fputc(',', sw->out);
			indent(sw, depth + 1);
			put_tree(sw, v->u.array.values[i], depth + 1);
		}
		indent(sw, depth);
		fputc(']', sw->out);
	}
	else if (YAJL_IS_STRING(v))
		put_string(sw, v->u.string, strlen(v->u.string));
	else if (YAJL_IS_NUMBER(v))
		fputs(v->u.number.r, sw->out);
	else if (YAJL_IS_TRUE(v))
		fputs("true", sw->out);
	else if (YAJL_IS_FALSE(v))
		fputs("false", sw->out);
	else
		fputs("null", sw->out);
}

static void
key(storewrite *sw, const char *name, int depth, bool *first)
{
	if (!*first)
		fputc(',', sw->out);
	*first = false;
	indent(sw, depth);
	put_string(sw, name, strlen(name));
	fputs(": ", sw->out);
}

void
storewrite_meta(storewrite *sw, const char *version, const char *updated_at)
{
	fputc('{', sw->out);
	key(sw, "version", 1, &sw->first_key);
	fputs(version, sw->out);
	key(sw, "updatedAt", 1, &sw->first_key);
	put_string(sw, updated_at, strlen(updated_at));
}

void
storewrite_array_begin(storewrite *sw, const char *name)
{
	key(sw, name, 1, &sw->first_key);
	fputc('[', sw->out);
	sw->in_array = 0;
}

void
storewrite_record(storewrite *sw, const entity_record *rec)
{
	bool		first = true;

	if (sw->in_array++ > 0)
		fputc(',', sw->out);
	indent(sw, 2);
	if (rec->nfields == 0)
	{
		fputs("{}", sw->out);
		return;
	}
	fputc('{', sw->out);
	for (int i = 0; i < rec->nfields; i++)
	{
		const entity_field *f = &rec->fields[i];

		key(sw, f->name, 3, &first);
		switch (f->type)
		{
			case ENTITY_JSON_STRING:
				put_string(sw, f->val, f->len);
				break;
			case ENTITY_JSON_NUMBER:
				if (!jsonparse_number_ok(f->val, f->len))
				{
					/* "inf", "NaN", 1e400: the dashboard could not read the store */
					log_error("%s[%lld].%s: %.*s is not a finite JSON number; the store "
							  "is left as it was", rec->entity ? rec->entity : "record",
							  rec->index, f->name, (int) (f->len > 40 ? 40 : f->len), f->val);
					sw->failed = true;
					fputs("null", sw->out);
					break;
				}
				fwrite(f->val, 1, f->len, sw->out);
				break;
			case ENTITY_JSON_BOOL:
				fwrite(f->val, 1, f->len, sw->out);
				break;
			case ENTITY_JSON_NULL:
				fputs("null", sw->out);
				break;
			case ENTITY_JSON_CONTAINER:
				{
					jsonparse_error err;
					yajl_val	v = jsonparse_tree(f->val, f->len, 0, &err);

					if (v == NULL)
					{
						log_error("field %s: invalid JSON at byte %zu: %s", f->name, err.byte,
								  err.truncated ? "it ends early" : err.msg);
						sw->failed = true;
						fputs("null", sw->out);
						break;
					}
					put_tree(sw, v, 3);
					yajl_tree_free(v);
				}
				break;
		}
	}
	indent(sw, 2);
	fputc('}', sw->out);
}

void
storewrite_array_end(storewrite *sw)
{
	if (sw->in_array > 0)
		indent(sw, 1);
	fputc(']', sw->out);
	sw->in_array = -1;
}
