/* SPDX-License-Identifier: MIT */
/*
 * Runs a sweep in child processes, so that an encoding that aborts or
 * crashes the process, makes a sanitizer stop it, or stalls it, is named
 * and the sweep goes on past it. The parent only waits and watches: the
 * children write their progress and results into shared memory. The one
 * use of wall-clock time is the stall watchdog, which no result depends
 * on unless a child stalls.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, kill(), nanosleep() */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sweep.h"

#define MAX_WORKERS 8
#define TICK_MS 10u

void *sweep_shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void sweep_shared_free(void *p, size_t size)
{
	if (p)
		munmap(p, size);
}

struct worker {
	pid_t pid;
	uint64_t to;
	volatile uint64_t *next;
	uint64_t seen;
	unsigned idle_ticks;
};

static pid_t spawn(struct worker *w, sweep_body_fn body, void *user)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGSYS };
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid != 0)
		return pid;
	/* The test framework's handlers would carry the child on as a test. */
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		signal(fatal[i], SIG_DFL);
	_exit(body(user, w->to, w->next));
}

static void describe(int status, char *how, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(how, len, "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(how, len, "exit status %d", WEXITSTATUS(status));
}

/* One look at a running child: false once it is finished for good. */
static bool watch(struct worker *w, sweep_body_fn body, sweep_died_fn died, void *user)
{
	char how[96];
	int status;
	pid_t r = waitpid(w->pid, &status, WNOHANG);

	if (r == 0) {
		if (*w->next != w->seen) {
			w->seen = *w->next;
			w->idle_ticks = 0;
			return true;
		}
		if (++w->idle_ticks * TICK_MS < SWEEP_STALL_SECONDS * 1000u)
			return true;
		kill(w->pid, SIGKILL);
		waitpid(w->pid, &status, 0);
		snprintf(how, sizeof(how), "no progress for %u s", SWEEP_STALL_SECONDS);
	} else if (r < 0) {
		snprintf(how, sizeof(how), "lost the child process");
	} else if (WIFEXITED(status) &&
		   (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == SWEEP_GAVE_UP)) {
		return false;
	} else {
		describe(status, how, sizeof(how));
	}
	died(user, *w->next, how);
	++*w->next;
	if (*w->next >= w->to)
		return false;
	w->seen = *w->next;
	w->idle_ticks = 0;
	w->pid = spawn(w, body, user);
	return w->pid > 0;
}

void sweep_isolated(unsigned nworkers, uint64_t from, uint64_t to, sweep_body_fn body,
		    sweep_died_fn died, void *const user[])
{
	struct worker w[MAX_WORKERS];
	volatile uint64_t *next = sweep_shared_alloc(sizeof(uint64_t) * MAX_WORKERS);
	uint64_t part;
	unsigned live = 0;
	bool running[MAX_WORKERS] = { false };

	if (nworkers > MAX_WORKERS)
		nworkers = MAX_WORKERS;
	if (!next || nworkers == 0)
		return;
	part = (to - from + nworkers - 1) / nworkers;
	for (unsigned i = 0; i < nworkers; i++) {
		uint64_t a = from + part * i, b = a + part < to ? a + part : to;

		next[i] = a;
		w[i] = (struct worker){ .to = b, .next = &next[i], .seen = a };
		if (a >= b)
			continue;
		w[i].pid = spawn(&w[i], body, user[i]);
		running[i] = w[i].pid > 0;
		live += running[i];
	}
	while (live) {
		struct timespec tick = { 0, TICK_MS * 1000000l };

		nanosleep(&tick, NULL);
		for (unsigned i = 0; i < nworkers; i++) {
			if (running[i] && !watch(&w[i], body, died, user[i])) {
				running[i] = false;
				live--;
			}
		}
	}
	sweep_shared_free((void *)next, sizeof(uint64_t) * MAX_WORKERS);
}
