/* SPDX-License-Identifier: MIT */
/*
 * Private to the suite's runner: what a scenario's struct conf_ctx holds.
 * Scenarios see it only as an opaque pointer (conf/conf.h).
 */
#ifndef CONF_SRC_CTX_H
#define CONF_SRC_CTX_H

#include "conf/conf.h"

struct conf_ctx {
	struct conf_result *result;
};

/* Which values a check's event carries (HV_EV_CHECK v3). */
#define CONF_EV_GOT (1u << 1)
#define CONF_EV_WANT (1u << 2)

/* Counts a check and puts it on the event stream with the values it compared. */
void conf_count_check_values(struct conf_ctx *ctx, const char *what, bool pass, uint64_t got,
			     uint64_t want, unsigned which);

#endif
