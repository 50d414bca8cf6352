/* SPDX-License-Identifier: MIT */
/* vxemu: picks a command by its name. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "output.h"

static const struct {
	const char *name;
	int (*run)(int argc, char *argv[]);
} commands[] = {
	{ "conformance", vx_cmd_conformance },
	{ "bench", vx_cmd_bench },
	{ "trace", vx_cmd_trace },
};

static int run(int argc, char *argv[])
{
	char msg[VX_OPTS_ERR_MAX];

	if (argc < 2)
		return vx_usage_error(vx_usage_main, "no command given");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--version") == 0) {
		if (argc > 2) {
			snprintf(msg, sizeof(msg), "unexpected argument '%s' after %s", argv[2],
				 argv[1]);
			return vx_usage_error(vx_usage_main, msg);
		}
		if (strcmp(argv[1], "--version") == 0)
			printf("vxemu %s\n", vx_version());
		else
			vx_usage_main(stdout);
		return VX_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	}
	snprintf(msg, sizeof(msg), "%s '%s'", argv[1][0] == '-' ? "unknown option" : "unknown command",
		 argv[1]);
	return vx_usage_error(vx_usage_main, msg);
}

int main(int argc, char *argv[])
{
	vx_output_open();
	return vx_output_close(run(argc, argv));
}
