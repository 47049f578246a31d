/*
 * lib/base/prompt.h - asking the person at the terminal, as PostgreSQL's
 * simple_prompt() does: on /dev/tty, never on standard input or output
 * (they may carry data), with echo off for a secret.
 */
#ifndef AUSDASH_PROMPT_H
#define AUSDASH_PROMPT_H

/*
 * Writes prompt to the controlling terminal and reads one line from it
 * with echo off.  Returns the line without its newline (malloc'd; the
 * caller clears and frees it with prompt_free()), or NULL when there is
 * no controlling terminal (cron, setsid) or the read failed or hit EOF.
 */
char	   *prompt_password(const char *prompt);

/* Overwrites a prompt_password() answer with zeros and frees it; NULL is fine. */
void		prompt_free(char *answer);

#endif
