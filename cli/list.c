/* SPDX-License-Identifier: MIT */
/* `vxemu conformance --list`. */
#include "conformance_cmd.h"

#include <string.h>

void vx_list_print(FILE *f, const struct conf_scenario *const *sel, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct conf_scenario *sc = sel[i];
		const char *expect = sc->expect ? sc->expect : "";

		fprintf(f, "%s [%s]\n", sc->name, sc->groups ? sc->groups : "");
		/* The scenarios write "Expect: ..."; keep the word when one does not. */
		fprintf(f, "    %s%s\n", strncmp(expect, "Expect:", 7) == 0 ? "" : "Expect: ", expect);
	}
}
