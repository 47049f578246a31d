/*
 * lib/base/sha256.h - incremental SHA-256 behind an opaque handle.
 *
 * OpenSSL (libcrypto) stays inside lib/base/sha256.c.  Functions returning int
 * return 0 on success and -1 on failure; sha256_error() then says why.
 */
#ifndef AUSDASH_SHA256_H
#define AUSDASH_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_HEX_LEN 64
#define SHA256_LEN 32

typedef struct sha256_ctx sha256_ctx;

/* Returns a new context; the caller frees it with sha256_free(). */
sha256_ctx *sha256_create(void);
int			sha256_update(sha256_ctx *ctx, const void *data, size_t len);
/* Writes 64 lowercase hex digits and a NUL into hex (65 bytes). */
int			sha256_final(sha256_ctx *ctx, char hex[SHA256_HEX_LEN + 1]);
/* The reason for the last failure (static storage), or "no error". */
const char *sha256_error(const sha256_ctx *ctx);
/* Frees *ctx and sets it to NULL; *ctx may be NULL. */
void		sha256_free(sha256_ctx **ctx);
/* One-shot digest of a buffer; returns 0 or -1. */
int			sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1]);
/* The same, as 32 raw bytes; one call, no context to allocate. */
int			sha256_raw(const void *data, size_t len, unsigned char out[SHA256_LEN]);

/*
 * A file's digest computed beside its reader: sha256_fd_start() hashes
 * fd's bytes from its current offset to its end in a thread of its own,
 * with pread() (fd's offset is left to the reader).  NULL when it cannot
 * start one (the caller then hashes as it reads).  sha256_fd_finish()
 * waits for it, writes the digest into hex and how many bytes it hashed
 * into *bytes, frees *h and sets it NULL; it returns 0, or -1 with errno
 * set when a read failed.
 */
typedef struct sha256_fd sha256_fd;

sha256_fd  *sha256_fd_start(int fd);
int			sha256_fd_finish(sha256_fd **h, char hex[SHA256_HEX_LEN + 1], uint64_t *bytes);

#endif
