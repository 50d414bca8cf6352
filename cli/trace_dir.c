/* SPDX-License-Identifier: MIT */
/* The folder of a run's traces (see trace_dir.h). */
#define _POSIX_C_SOURCE 200809L
#include "trace_dir.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "qemu.h"
#include "vxtrace/trace.h"

int vx_trace_dir_prepare(const char *dir, char *err, size_t errlen)
{
	struct stat st;

	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "--trace %s: %s", dir, strerror(errno));
		return -1;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "--trace %s: not a folder", dir);
		return -1;
	}
	return 0;
}

int vx_trace_dir_save(const char *dir, const char *scenario, const struct vxt_trace *t, char *err,
		      size_t errlen)
{
	char path[VX_PATH_MAX];

	/* Scenario names are identifiers; anything else must not pick the path. */
	if (!*scenario || strpbrk(scenario, "/\\") || scenario[0] == '.' ||
	    snprintf(path, sizeof(path), "%s/%s.vxt", dir, scenario) >= (int)sizeof(path)) {
		snprintf(err, errlen, "--trace: no file name for scenario '%s'", scenario);
		return -1;
	}
	return vxt_save(t, path, err, errlen);
}
