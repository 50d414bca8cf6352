/* SPDX-License-Identifier: MIT */
/* Choosing scenarios: glob over names, membership in a group. */
#include "conf/conf.h"

/*
 * Whole-name glob: '*' is any run of characters (including none), '?' is
 * exactly one. On a mismatch, back up to the last '*' and let it swallow one
 * more character; one saved position is enough because a later '*' can only
 * make the earlier one's choice matter less.
 */
bool conf_glob_match(const char *pattern, const char *name)
{
	const char *star = NULL, *resume = NULL;

	while (*name) {
		if (*pattern == '*') {
			star = pattern++;
			resume = name;
		} else if (*pattern == '?' || *pattern == *name) {
			pattern++;
			name++;
		} else if (star) {
			pattern = star + 1;
			name = ++resume;
		} else {
			return false;
		}
	}
	while (*pattern == '*')
		pattern++;
	return *pattern == '\0';
}

/* A group is a whole space-separated word of sc->groups. */
bool conf_in_group(const struct conf_scenario *sc, const char *group)
{
	const char *g = sc->groups;

	if (!g || !group || !*group)
		return false;
	while (*g) {
		const char *a = g, *b = group;

		while (*a && *a != ' ' && *b && *a == *b) {
			a++;
			b++;
		}
		if ((*a == '\0' || *a == ' ') && *b == '\0')
			return true;
		while (*g && *g != ' ')
			g++;
		while (*g == ' ')
			g++;
	}
	return false;
}
