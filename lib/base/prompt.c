/*
 * lib/base/prompt.c - a password prompt on the controlling terminal.
 */
#include "base/common.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include "base/prompt.h"
#include "base/mem.h"
#include "base/banned.h"

#define PROMPT_MAX 1024

char *
prompt_password(const char *prompt)
{
	struct termios saved;
	struct termios quiet;
	char		buf[PROMPT_MAX];
	size_t		len = 0;
	bool		echo_off;
	char	   *answer = NULL;
	int			fd;

	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		return NULL;
	echo_off = tcgetattr(fd, &saved) == 0;
	if (echo_off)
	{
		quiet = saved;
		quiet.c_lflag &= ~(tcflag_t) ECHO;
		quiet.c_lflag |= ECHONL;
		echo_off = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
	}
	if (write(fd, prompt, strlen(prompt)) >= 0)
	{
		/* one line, a byte at a time: nothing after it is consumed */
		for (;;)
		{
			char		c;
			ssize_t		n = read(fd, &c, 1);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			if (c == '\n' || c == '\r')
			{
				buf[len] = '\0';
				answer = mem_strdup(buf);
				break;
			}
			if (len < sizeof(buf) - 1)
				buf[len++] = c;
		}
	}
	if (echo_off)
		(void) tcsetattr(fd, TCSAFLUSH, &saved);
	explicit_bzero(buf, sizeof(buf));
	close(fd);
	return answer;
}

void
prompt_free(char *answer)
{
	if (answer)
	{
		explicit_bzero(answer, strlen(answer));
		free(answer);
	}
}
