/* SPDX-License-Identifier: MIT */
/*
 * The trace reader (traces/src/format.c, docs/traces.md) on any bytes: a
 * refused file names the offset of the fault; an accepted one encodes back
 * to the very same bytes, agrees with itself under diff, and dumps as text
 * and JSON without a fault. The same bytes as text go through the reader of
 * the hardware image's event lines (traces/src/serial.c), whose records
 * must make a trace the reader accepts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "vxtrace/diff.h"
#include "vxtrace/dump.h"
#include "vxtrace/serial.h"
#include "vxtrace/trace.h"

static FILE *sink(void)
{
	static FILE *f;

	if (!f)
		f = fopen("/dev/null", "w");
	FZ_CHECK(f != NULL);
	return f;
}

static void serial(const uint8_t *data, size_t size)
{
	struct vxt_trace t;
	struct vxt_header h;

	struct vxt_trace back;
	uint8_t *image;
	size_t n;
	char err[256];

	memset(&h, 0, sizeof(h));
	vxt_init(&t);
	if (vxt_serial_platform((const char *)data, size, &h) == 0) {
		t.hdr.platform = h.platform;
		t.hdr.ncpus = h.ncpus;
		t.hdr.machine_flags = h.machine_flags;
	} else {
		t.hdr.platform = VXT_PLATFORM_METAL;
	}
	(void)vxt_serial_events((const char *)data, size, &t);
	FZ_CHECK(!t.oom);
	/* What the lines make is a trace the reader accepts. */
	image = vxt_encode(&t, &n);
	FZ_CHECK(image && vxt_decode(image, n, &back, err, sizeof(err)) == 0);
	vxt_free(&back);
	free(image);
	vxt_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vxt_trace t;
	struct vxt_diff d;
	char err[256];
	uint8_t *again;
	size_t n;

	serial(data, size);
	if (vxt_decode(data, size, &t, err, sizeof(err)) != 0) {
		FZ_CHECK(strncmp(err, "offset 0x", 9) == 0 || strncmp(err, "out of memory", 13) == 0);
		FZ_CHECK(t.rec == NULL && t.nrec == 0);
		return 0;
	}
	again = vxt_encode(&t, &n);
	FZ_CHECK(again && n == size && memcmp(again, data, size) == 0);
	free(again);
	FZ_CHECK(vxt_diff(&t, &t, &d, err, sizeof(err)) == 0 && d.same);
	FZ_CHECK(vxt_dump(sink(), &t, VXT_DUMP_TEXT) == 0);
	FZ_CHECK(vxt_dump(sink(), &t, VXT_DUMP_JSON) == 0);
	vxt_free(&t);
	return 0;
}
