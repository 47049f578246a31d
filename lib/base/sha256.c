/*
 * lib/base/sha256.c - SHA-256 over libcrypto's EVP interface.
 */
#include "base/common.h"

#include <errno.h>
#include <pthread.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "base/mem.h"
#include "base/sha256.h"
#include "base/banned.h"

struct sha256_ctx
{
	EVP_MD_CTX *md;
	unsigned long err;
};

static int
fail(sha256_ctx *ctx)
{
	ctx->err = ERR_get_error();
	if (ctx->err == 0)
		ctx->err = (unsigned long) -1;
	return -1;
}

sha256_ctx *
sha256_create(void)
{
	sha256_ctx *ctx = mem_calloc(1, sizeof(*ctx));

	ctx->md = EVP_MD_CTX_new();
	if (ctx->md == NULL || EVP_DigestInit_ex(ctx->md, EVP_sha256(), NULL) != 1)
		fail(ctx);
	return ctx;
}

int
sha256_update(sha256_ctx *ctx, const void *data, size_t len)
{
	if (ctx->err)
		return -1;
	if (EVP_DigestUpdate(ctx->md, data, len) != 1)
		return fail(ctx);
	return 0;
}

/* Writes the 32 bytes of md as 64 lowercase hex digits and a NUL. */
static void
to_hex(const unsigned char *md, char hex[SHA256_HEX_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < SHA256_LEN; i++)
	{
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 0xf];
	}
	hex[SHA256_HEX_LEN] = '\0';
}

int
sha256_final(sha256_ctx *ctx, char hex[SHA256_HEX_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	hex[0] = '\0';
	if (ctx->err)
		return -1;
	if (EVP_DigestFinal_ex(ctx->md, md, &mdlen) != 1 || mdlen != SHA256_LEN)
		return fail(ctx);
	to_hex(md, hex);
	return 0;
}

/*
 * One digest per record of a store: the algorithm is fetched and the
 * context made once, not on every call as EVP_Digest() does (a tenth of a
 * parity's client time went there).  Kept until exit.
 */
int
sha256_raw(const void *data, size_t len, unsigned char out[SHA256_LEN])
{
	static EVP_MD *md;
	static EVP_MD_CTX *ctx;
	unsigned int mdlen = 0;

	if (md == NULL && (md = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL)
		return -1;
	if (ctx == NULL && (ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	return EVP_DigestInit_ex2(ctx, md, NULL) == 1 && EVP_DigestUpdate(ctx, data, len) == 1 &&
		EVP_DigestFinal_ex(ctx, out, &mdlen) == 1 && mdlen == SHA256_LEN ? 0 : -1;
}

const char *
sha256_error(const sha256_ctx *ctx)
{
	const char *reason;

	if (ctx == NULL || ctx->err == 0)
		return "no error";
	if (ctx->err == (unsigned long) -1)
		return "out of memory";
	reason = ERR_reason_error_string(ctx->err);
	return reason ? reason : "unknown OpenSSL error";
}

void
sha256_free(sha256_ctx **ctx)
{
	if (*ctx == NULL)
		return;
	EVP_MD_CTX_free((*ctx)->md);
	mem_free(ctx);
}

int
sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1])
{
	unsigned char md[SHA256_LEN];

	hex[0] = '\0';
	if (sha256_raw(data, len, md) != 0)
		return -1;
	to_hex(md, hex);
	return 0;
}

/* --- a file beside its reader ------------------------------------------- */

#define SHA256_FD_BLOCK (1024 * 1024)

struct sha256_fd
{
	pthread_t	thread;
	int			fd;
	off_t		from;
	sha256_ctx *ctx;
	uint64_t	bytes;
	int			read_errno;		/* 0, or why a pread() failed */
	int			result;			/* of the hashing: 0 or -1 */
	char		hex[SHA256_HEX_LEN + 1];
};

static void *
hash_fd(void *arg)
{
	sha256_fd  *h = arg;
	char	   *buf = mem_malloc(SHA256_FD_BLOCK);

	h->result = 0;
	for (;;)
	{
		ssize_t		n = pread(h->fd, buf, SHA256_FD_BLOCK, h->from + (off_t) h->bytes);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
		{
			h->read_errno = errno;
			h->result = -1;
			break;
		}
		if (n == 0)
			break;
		if (sha256_update(h->ctx, buf, (size_t) n) != 0)
		{
			h->result = -1;
			break;
		}
		h->bytes += (uint64_t) n;
	}
	if (h->result == 0)
		h->result = sha256_final(h->ctx, h->hex);
	free(buf);
	return NULL;
}

sha256_fd *
sha256_fd_start(int fd)
{
	sha256_fd  *h;
	off_t		from = lseek(fd, 0, SEEK_CUR);

	if (from < 0)
		return NULL;
	h = mem_calloc(1, sizeof(*h));
	h->fd = fd;
	h->from = from;
	h->ctx = sha256_create();
	if (pthread_create(&h->thread, NULL, hash_fd, h) != 0)
	{
		sha256_free(&h->ctx);
		free(h);
		return NULL;
	}
	return h;
}

int
sha256_fd_finish(sha256_fd **hp, char hex[SHA256_HEX_LEN + 1], uint64_t *bytes)
{
	sha256_fd  *h = *hp;
	int			result;

	pthread_join(h->thread, NULL);
	result = h->result;
	memcpy(hex, h->hex, sizeof(h->hex));
	*bytes = h->bytes;
	if (h->read_errno)
		errno = h->read_errno;
	else if (result != 0)
		errno = EIO;
	sha256_free(&h->ctx);
	mem_free(hp);
	return result;
}
