/* SPDX-License-Identifier: MIT */
/* Scenario selection (see select.h). */
#include "select.h"

#include <stdlib.h>
#include <string.h>

bool vx_selected(const struct conf_scenario *sc, const char *filter, const char *group)
{
	if (filter && !conf_glob_match(filter, sc->name))
		return false;
	if (group && !conf_in_group(sc, group))
		return false;
	return true;
}

const struct conf_scenario **vx_select(const char *filter, const char *group, size_t *count)
{
	/* One extra slot so an empty selection still gets a non-NULL array. */
	const struct conf_scenario **list = calloc(conf_suite_len + 1, sizeof(*list));
	size_t n = 0;

	*count = 0;
	if (!list)
		return NULL;
	for (size_t i = 0; i < conf_suite_len; i++) {
		if (vx_selected(conf_suite[i], filter, group))
			list[n++] = conf_suite[i];
	}
	*count = n;
	return list;
}

const struct conf_scenario *vx_scenario_by_name(const char *name, size_t len)
{
	for (size_t i = 0; i < conf_suite_len; i++) {
		const char *s = conf_suite[i]->name;

		if (strlen(s) == len && memcmp(s, name, len) == 0)
			return conf_suite[i];
	}
	return NULL;
}
