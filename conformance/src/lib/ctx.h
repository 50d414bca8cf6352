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

#endif
