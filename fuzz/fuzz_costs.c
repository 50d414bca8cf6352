/* SPDX-License-Identifier: MIT */
/*
 * The cost file parser (emu_costs_parse in emu/src/costs.c,
 * docs/cycle-costs.md) on any text: the input is the file, NUL-terminated
 * as emu_costs_load hands it over, and the error buffer is exactly as long
 * as the input's length picks (1-128 bytes), so a write past it is a
 * sanitizer report. A refused file says which line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emu/emu.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t errlen = 1 + size % 128;
	char *text = malloc(size + 1), *err = malloc(errlen);
	struct emu_costs *c = emu_costs_new();
	int rc;

	FZ_CHECK(text && err && c);
	memcpy(text, data, size);
	text[size] = '\0';
	memset(err, 0x55, errlen);
	rc = emu_costs_parse(c, text, err, errlen);
	FZ_CHECK(rc == 0 || rc == -1);
	if (rc == -1) {
		FZ_CHECK(memchr(err, '\0', errlen) != NULL);
		/* Every refusal of the text names its line (docs/cycle-costs.md). */
		if (errlen > 5)
			FZ_CHECK(strncmp(err, "line ", 5) == 0);
	}
	emu_costs_free(c);
	free(err);
	free(text);
	return 0;
}
