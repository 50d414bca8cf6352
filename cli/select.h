/* SPDX-License-Identifier: MIT */
/*
 * Which scenarios a run covers: --filter and --group over conf_suite[], in
 * suite order. Both platforms select the same way, so their reports list the
 * same scenarios in the same order.
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_SELECT_H
#define VX_CLI_SELECT_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/conf.h"

/* filter and group may be NULL (no restriction). */
bool vx_selected(const struct conf_scenario *sc, const char *filter, const char *group);

/*
 * The selected scenarios of conf_suite[], in order, in a malloc'd array the
 * caller frees; *count receives their number. NULL only when out of memory.
 */
const struct conf_scenario **vx_select(const char *filter, const char *group, size_t *count);

/* The suite's scenario with this name, or NULL. */
const struct conf_scenario *vx_scenario_by_name(const char *name, size_t len);

#endif
