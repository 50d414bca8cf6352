/* SPDX-License-Identifier: MIT */
/* Child processes with captured output and a deadline (see proc.h). */
#define _POSIX_C_SOURCE 200809L
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "monotonic.h"

extern char **environ;

/* The signals by which a terminal, a session's end or a supervisor ends
 * vxemu; a child's group must not outlive any of them. */
static const int stop_signals[] = { SIGHUP, SIGINT, SIGTERM };
#define NSTOP (sizeof(stop_signals) / sizeof(stop_signals[0]))

/*
 * For the handler, while a child runs: its process group, and the write end
 * of a pipe the wait loop polls, so a signal that lands just before poll()
 * still wakes it. Written only with the stop signals blocked, so the handler
 * never sees half a write.
 */
static pid_t running_group;
static int wake_fd = -1;
static volatile sig_atomic_t stop_caught;

static void on_stop_signal(int sig)
{
	int e = errno;

	stop_caught = sig;
	if (running_group > 0)
		kill(-running_group, SIGTERM);
	if (wake_fd >= 0) {
		ssize_t n = write(wake_fd, "", 1);

		(void)n; /* a full pipe is awake already */
	}
	errno = e;
}

struct guard {
	sigset_t stops;     /* the stop signals */
	sigset_t old_mask;
	struct sigaction old[NSTOP];
	bool installed[NSTOP];
	int wake[2];
};

static int open_pipe(int fds[2], int flags)
{
	/* Close-on-exec: only the dup2'd copies reach the child, and no later
	 * child inherits a write end that would keep a capture open. */
	if (pipe(fds) != 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(fds[i], F_SETFD, FD_CLOEXEC);
		if (flags)
			fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | flags);
	}
	return 0;
}

static void close_pipe(int fds[2])
{
	close(fds[0]);
	close(fds[1]);
}

/* Blocks the stop signals and catches each one vxemu does not ignore. */
static int guard_install(struct guard *g)
{
	struct sigaction sa;

	if (open_pipe(g->wake, O_NONBLOCK) != 0)
		return -1;
	sigemptyset(&g->stops);
	for (size_t i = 0; i < NSTOP; i++)
		sigaddset(&g->stops, stop_signals[i]);
	sigprocmask(SIG_BLOCK, &g->stops, &g->old_mask);
	stop_caught = 0;
	wake_fd = g->wake[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sa.sa_mask = g->stops;
	for (size_t i = 0; i < NSTOP; i++) {
		struct sigaction *o = &g->old[i];

		g->installed[i] = false;
		if (sigaction(stop_signals[i], NULL, o) != 0 ||
		    (!(o->sa_flags & SA_SIGINFO) && o->sa_handler == SIG_IGN))
			continue;
		g->installed[i] = sigaction(stop_signals[i], &sa, NULL) == 0;
	}
	return 0;
}

/*
 * Puts back what guard_install changed. A stop signal caught meanwhile is
 * raised again under the old disposition, which for SIG_DFL ends vxemu.
 */
static void guard_remove(struct guard *g)
{
	int sig;

	sigprocmask(SIG_BLOCK, &g->stops, NULL);
	running_group = 0;
	wake_fd = -1;
	sig = stop_caught;
	for (size_t i = 0; i < NSTOP; i++) {
		if (g->installed[i])
			sigaction(stop_signals[i], &g->old[i], NULL);
	}
	close_pipe(g->wake);
	if (sig)
		raise(sig); /* pending until the mask below lets it in */
	sigprocmask(SIG_SETMASK, &g->old_mask, NULL);
}

struct sink {
	int fd;
	char *buf;
	size_t len, cap;
	bool full; /* output was dropped: the limit, or no memory for more */
};

static int sink_read(struct sink *s)
{
	char chunk[4096];
	ssize_t n = read(s->fd, chunk, sizeof(chunk));
	size_t keep;

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	if (n == 0)
		return -1; /* end of file */
	keep = (size_t)n;
	if (keep > VX_PROC_CAPTURE_MAX - s->len) {
		keep = VX_PROC_CAPTURE_MAX - s->len;
		s->full = true;
	}
	if (keep && s->len + keep + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 8192;
		char *more;

		while (cap < s->len + keep + 1)
			cap *= 2;
		if (cap > VX_PROC_CAPTURE_MAX + 1)
			cap = VX_PROC_CAPTURE_MAX + 1;
		more = realloc(s->buf, cap);
		if (!more) {
			s->full = true;
			return 0; /* keep draining; the capture stays as it is */
		}
		s->buf = more;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, chunk, keep);
	s->len += keep;
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

/* The child in a group of its own, stdin on /dev/null, stdout and stderr
 * into the pipes, the signal mask vxemu had before guard_install. */
static int spawn(char *const argv[], int out[2], int err[2], const sigset_t *mask, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int rc;

	if ((rc = posix_spawn_file_actions_init(&fa)) != 0)
		return rc;
	if ((rc = posix_spawnattr_init(&at)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return rc;
	}
	if (!(rc = posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0)) &&
	    !(rc = posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO)) &&
	    !(rc = posix_spawn_file_actions_adddup2(&fa, err[1], STDERR_FILENO)) &&
	    !(rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK)) &&
	    !(rc = posix_spawnattr_setpgroup(&at, 0)) &&
	    !(rc = posix_spawnattr_setsigmask(&at, mask)))
		rc = posix_spawn(pid, argv[0], &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

/* True once the child has ended (or cannot be waited for); it stays a zombie. */
static bool child_exited(pid_t pid)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) < 0) {
		if (errno != EINTR)
			return true;
	}
	return info.si_pid == pid;
}

int vx_proc_run(char *const argv[], double timeout_s, struct vx_proc_result *r)
{
	int out[2], err[2];
	struct sink sinks[2];
	struct guard g;
	pid_t pid;
	double start = vx_monotonic();
	double kill_at = -1.0; /* once stopping: when SIGKILL follows SIGTERM */
	int status = 0, rc;

	memset(r, 0, sizeof(*r));
	if (open_pipe(out, 0) != 0)
		return -1;
	if (open_pipe(err, 0) != 0) {
		int e = errno;

		close_pipe(out);
		errno = e;
		return -1;
	}
	if (guard_install(&g) != 0) {
		int e = errno;

		close_pipe(out);
		close_pipe(err);
		errno = e;
		return -1;
	}
	rc = spawn(argv, out, err, &g.old_mask, &pid);
	if (rc != 0) {
		guard_remove(&g);
		close_pipe(out);
		close_pipe(err);
		errno = rc;
		return -1;
	}
	running_group = pid;
	/* A stop signal that came during the spawn is delivered here. */
	sigprocmask(SIG_SETMASK, &g.old_mask, NULL);
	close(out[1]);
	close(err[1]);
	memset(sinks, 0, sizeof(sinks));
	sinks[0].fd = out[0];
	sinks[1].fd = err[0];

	for (;;) {
		struct pollfd p[3];
		nfds_t np = 0;
		double now = vx_monotonic(), until;
		int ms;

		for (int i = 0; i < 2; i++) {
			if (sinks[i].fd >= 0) {
				p[np].fd = sinks[i].fd;
				p[np].events = POLLIN;
				p[np].revents = 0;
				np++;
			}
		}
		/* Both pipes closed: done once the child has exited (left unreaped,
		 * see below); one that closed them and runs on still has a deadline. */
		if (np == 0 && child_exited(pid))
			break;
		p[np].fd = g.wake[0];
		p[np].events = POLLIN;
		p[np].revents = 0;
		np++;
		if (kill_at < 0) {
			if (now - start >= timeout_s)
				r->timed_out = true;
			else if (sinks[0].full || sinks[1].full)
				r->overflowed = true;
			if (r->timed_out || r->overflowed || stop_caught) {
				kill(-pid, SIGTERM);
				kill_at = now + VX_PROC_GRACE_S;
			}
		} else if (now >= kill_at) {
			/* Whatever still holds the pipes open ignored SIGTERM. */
			kill(-pid, SIGKILL);
			break;
		}
		until = kill_at >= 0 ? kill_at : start + timeout_s;
		if (sinks[0].fd < 0 && sinks[1].fd < 0 && until > now + 0.05)
			until = now + 0.05;
		ms = until - now > 60.0 ? 60000 : (int)((until - now) * 1000.0) + 1;
		if (poll(p, np, ms) < 0 && errno != EINTR)
			break;
		for (nfds_t j = 0; j < np; j++) {
			char drain[64];

			if (!p[j].revents)
				continue;
			if (p[j].fd == g.wake[0]) {
				while (read(g.wake[0], drain, sizeof(drain)) > 0)
					;
				continue;
			}
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
	sigprocmask(SIG_BLOCK, &g.stops, NULL);
	running_group = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	r->seconds = vx_monotonic() - start;
	if (!r->timed_out && !r->overflowed) {
		if (WIFEXITED(status))
			r->exit_code = WEXITSTATUS(status);
		else
			r->signalled = true;
	}
	r->out = sink_take(&sinks[0], &r->out_len);
	r->err = sink_take(&sinks[1], &r->err_len);
	guard_remove(&g);
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
