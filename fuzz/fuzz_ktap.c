/* SPDX-License-Identifier: MIT */
/*
 * The KTAP reader (cli/ktap_parse.c) on any serial output: the input is
 * the text, in a buffer of exactly its length with no terminating NUL (as
 * the reader's contract allows), so a read past it is a sanitizer report.
 * Every result comes from a line of its own and carries a status of the
 * four, a number the line spelled and NUL-terminated name and message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ktap_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	size_t lines = 1;
	struct vx_ktap k;

	FZ_CHECK(text != NULL);
	memcpy(text, data, size);
	for (size_t i = 0; i < size; i++)
		lines += text[i] == '\n';
	FZ_CHECK(vx_ktap_parse(text, size, &k) == 0);
	FZ_CHECK(k.count <= lines);
	FZ_CHECK(k.plan >= -1 && k.version >= 0);
	for (size_t i = 0; i < k.count; i++) {
		const struct vx_ktap_result *r = &k.results[i];

		FZ_CHECK(memchr(r->name, '\0', sizeof(r->name)) != NULL);
		FZ_CHECK(memchr(r->message, '\0', sizeof(r->message)) != NULL);
		FZ_CHECK(r->status == CONF_PASS || r->status == CONF_SKIP ||
			 r->status == CONF_FAIL || r->status == CONF_ERROR);
		/* At most nine digits are a number (ktap_parse.c). */
		FZ_CHECK(r->number <= 999999999u);
	}
	vx_ktap_free(&k);
	free(text);
	return 0;
}
