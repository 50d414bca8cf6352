/* SPDX-License-Identifier: MIT */
/*
 * The import of trace-cmd and perf text (traces/src/import.c,
 * docs/traces-import.md) on any text: every line is counted once (an
 * event, skipped, or joined to the one before), the records it makes are
 * ones the trace reader accepts, and an import that found nothing says so.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "vxtrace/import.h"
#include "vxtrace/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vxt_trace t, back;
	struct vxt_import_stats st;
	char err[256];
	uint8_t *image;
	size_t n;
	int rc;

	vxt_init(&t);
	t.hdr.platform = VXT_PLATFORM_IMPORT;
	rc = vxt_import_text((const char *)data, size, &t, &st, err, sizeof(err));
	FZ_CHECK(rc == 0 || rc == -1);
	FZ_CHECK(st.lines == st.events + st.skipped + st.joined);
	FZ_CHECK(rc == -1 || st.events == t.nrec);
	if (rc == 0) {
		image = vxt_encode(&t, &n);
		FZ_CHECK(image != NULL);
		FZ_CHECK(vxt_decode(image, n, &back, err, sizeof(err)) == 0);
		FZ_CHECK(back.nrec == t.nrec);
		vxt_free(&back);
		free(image);
	}
	vxt_free(&t);
	return 0;
}
