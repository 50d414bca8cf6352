/* SPDX-License-Identifier: MIT */
/* Child processes with captured output and a deadline (see proc.h). */
#define _POSIX_C_SOURCE 200809L
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "monotonic.h"

/* Beyond this a child's output is dropped: enough for any report. */
#define CAPTURE_MAX (16u << 20)

struct sink {
	int fd;
	char *buf;
	size_t len, cap;
};

static int sink_read(struct sink *s)
{
	char chunk[4096];
	ssize_t n = read(s->fd, chunk, sizeof(chunk));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	if (n == 0)
		return -1; /* end of file */
	if (s->len + (size_t)n + 1 > s->cap && s->len + (size_t)n < CAPTURE_MAX) {
		size_t cap = s->cap ? s->cap : 8192;
		char *more;

		while (cap < s->len + (size_t)n + 1)
			cap *= 2;
		more = realloc(s->buf, cap);
		if (!more)
			return 0; /* keep draining; the capture stays as it is */
		s->buf = more;
		s->cap = cap;
	}
	if (s->len + (size_t)n + 1 <= s->cap) {
		memcpy(s->buf + s->len, chunk, (size_t)n);
		s->len += (size_t)n;
	}
	return 0;
}

static char *sink_take(struct sink *s, size_t *len)
{
	char *b = s->buf ? s->buf : malloc(1);

	if (b)
		b[s->len] = '\0';
	*len = b ? s->len : 0;
	return b;
}

int vx_proc_run(char *const argv[], double timeout_s, struct vx_proc_result *r)
{
	int out[2], err[2];
	struct sink sinks[2];
	pid_t pid;
	double start = vx_monotonic();
	int status = 0;

	memset(r, 0, sizeof(*r));
	if (pipe(out) != 0)
		return -1;
	if (pipe(err) != 0) {
		close(out[0]);
		close(out[1]);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(out[0]);
		close(out[1]);
		close(err[0]);
		close(err[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		/* Its own process group, so a deadline reaches its children too. */
		setpgid(0, 0);
		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		close(out[0]);
		close(err[0]);
		execv(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	close(out[1]);
	close(err[1]);
	memset(sinks, 0, sizeof(sinks));
	sinks[0].fd = out[0];
	sinks[1].fd = err[0];

	for (;;) {
		struct pollfd p[2];
		nfds_t np = 0;
		double left = timeout_s - (vx_monotonic() - start);
		int ms;

		for (int i = 0; i < 2; i++) {
			if (sinks[i].fd >= 0) {
				p[np].fd = sinks[i].fd;
				p[np].events = POLLIN;
				p[np].revents = 0;
				np++;
			}
		}
		if (np == 0)
			break;
		if (left <= 0) {
			kill(-pid, SIGKILL);
			r->timed_out = true;
			break;
		}
		ms = left > 60.0 ? 60000 : (int)(left * 1000.0) + 1;
		if (poll(p, np, ms) < 0 && errno != EINTR)
			break;
		for (nfds_t j = 0; j < np; j++) {
			if (!p[j].revents)
				continue;
			for (int i = 0; i < 2; i++) {
				if (sinks[i].fd == p[j].fd && sink_read(&sinks[i]) < 0) {
					close(sinks[i].fd);
					sinks[i].fd = -1;
				}
			}
		}
	}
	for (int i = 0; i < 2; i++) {
		if (sinks[i].fd >= 0)
			close(sinks[i].fd);
	}
	/*
	 * Wait for the child without reaping it, so its process group id cannot
	 * be reused yet; then end whatever it left behind in its group.
	 */
	{
		siginfo_t info;

		while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) < 0 && errno == EINTR)
			;
	}
	kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	r->seconds = vx_monotonic() - start;
	if (!r->timed_out) {
		if (WIFEXITED(status))
			r->exit_code = WEXITSTATUS(status);
		else
			r->signalled = true;
	}
	r->out = sink_take(&sinks[0], &r->out_len);
	r->err = sink_take(&sinks[1], &r->err_len);
	return 0;
}

void vx_proc_result_free(struct vx_proc_result *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

bool vx_find_in_path(const char *name, char *buf, size_t len)
{
	const char *path = getenv("PATH");

	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		const char *colon = strchr(path, ':');
		size_t dl = colon ? (size_t)(colon - path) : strlen(path);
		struct stat st;
		int n = snprintf(buf, len, "%.*s/%s", (int)dl, dl ? path : ".", name);

		if (n > 0 && (size_t)n < len && stat(buf, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(buf, X_OK) == 0)
			return true;
		path += dl + (colon ? 1 : 0);
	}
	return false;
}
