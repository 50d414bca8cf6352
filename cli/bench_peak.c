/* SPDX-License-Identifier: MIT */
/*
 * Peak memory of a model machine: each scenario of the suite on a fresh
 * machine configured as `vxemu conformance` configures it, in a child
 * process of its own, so each peak belongs to one scenario alone.
 *
 * Method: the child marks where it starts and reports its high-water mark
 * above that. /proc/self/status gives VmRSS (resident now) and VmHWM (the
 * most ever resident); writing 5 to /proc/self/clear_refs sets VmHWM to
 * VmRSS (proc(5)). So the child clears the mark, reads VmRSS, runs the
 * scenario, reads VmHWM, and the difference is the scenario's peak.
 *
 * Before the mark the child hands the C library's free memory back to the
 * kernel (glibc's malloc_trim): a fork inherits every heap page the parent
 * freed but kept resident, and allocations landing on those would not show
 * as growth. With that, the figure errs high rather than low: it counts
 * pages of the shared libraries' code that the child first touches, which a
 * fork does not map ahead though they are the parent's pages too.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "bench.h"
#include "cli.h"
#include "model_run.h"

/* What a child hands back through its pipe. */
struct peak_report {
	uint64_t start, hwm; /* KiB */
	uint32_t status;     /* the scenario's conf_status */
};

/* A "Name:   N kB" field of /proc/self/status, or 0 when it cannot be read. */
static uint64_t status_kib(const char *name)
{
	char line[256];
	size_t len = strlen(name);
	unsigned long long kib = 0;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, name, len) == 0 && line[len] == ':') {
			if (sscanf(line + len + 1, "%llu", &kib) != 1)
				kib = 0;
			break;
		}
	}
	fclose(f);
	return kib;
}

static bool reset_high_water_mark(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY);
	bool done;

	if (fd < 0)
		return false;
	done = write(fd, "5", 1) == 1;
	close(fd);
	return done;
}

_Noreturn static void child(const struct emu_config *cfg, const struct conf_scenario *sc, int fd)
{
	struct peak_report rep = { 0 };
	struct conf_result r;

#ifdef __GLIBC__
	malloc_trim(0);
#endif
	if (!reset_high_water_mark())
		_exit(2);
	rep.start = status_kib("VmRSS");
	vx_model_run_scenario(cfg, sc, &r);
	rep.hwm = status_kib("VmHWM");
	rep.status = (uint32_t)r.status;
	/* Far below PIPE_BUF: one write, whole or not at all. */
	_exit(write(fd, &rep, sizeof(rep)) == (ssize_t)sizeof(rep) ? 0 : 1);
}

/* One scenario in a child; 0 with *rep filled, or -1 with why set. */
static int measure(const struct emu_config *cfg, const struct conf_scenario *sc,
		   struct peak_report *rep, char *why, size_t whylen)
{
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe(fds) != 0) {
		snprintf(why, whylen, "pipe: %s", strerror(errno));
		return -1;
	}
	/* The child must not write out what the parent has buffered. */
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(why, whylen, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		child(cfg, sc, fds[1]);
	}
	close(fds[1]);
	do
		n = read(fds[0], rep, sizeof(*rep));
	while (n < 0 && errno == EINTR);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(why, whylen, "waitpid: %s", strerror(errno));
			return -1;
		}
	}
	if (n == (ssize_t)sizeof(*rep) && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		if (rep->start && rep->hwm)
			return 0;
		snprintf(why, whylen, "/proc/self/status has no VmRSS or VmHWM");
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
		snprintf(why, whylen,
			 "the high-water mark cannot be reset (/proc/self/clear_refs)");
	} else if (WIFSIGNALED(status)) {
		snprintf(why, whylen, "%s: the measuring process ended by signal %d", sc->name,
			 WTERMSIG(status));
	} else {
		snprintf(why, whylen, "%s: the measuring process reported nothing", sc->name);
	}
	return -1;
}

void vx_bench_peak_memory(struct vx_bench_peak *out)
{
	struct emu_config cfg;

	memset(out, 0, sizeof(*out));
	emu_config_default(&cfg);
	cfg.ncpus = VX_CONFORMANCE_CPUS;
	out->ncpus = cfg.ncpus;
	out->ram_size = cfg.ram_size;
	for (size_t i = 0; i < conf_suite_len; i++) {
		struct peak_report rep;
		uint64_t peak;

		if (measure(&cfg, conf_suite[i], &rep, out->why, sizeof(out->why)) != 0)
			return;
		peak = rep.hwm > rep.start ? (rep.hwm - rep.start) << 10 : 0;
		if (i == 0 || peak > out->peak) {
			out->peak = peak;
			snprintf(out->scenario, sizeof(out->scenario), "%s", conf_suite[i]->name);
		}
		out->scenarios++;
	}
	out->ok = true;
}
