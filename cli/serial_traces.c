/* SPDX-License-Identifier: MIT */
/* The image's serial output as one trace per scenario (see serial_traces.h). */
#include "serial_traces.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ktap_parse.h"
#include "qemu.h"
#include "trace_dir.h"
#include "vxtrace/serial.h"
#include "vxtrace/trace.h"

bool vx_serial_is_traced(const char *text, size_t len)
{
	static const char *const marks[] = { "#platform ", "#ev " };

	for (size_t m = 0; m < sizeof(marks) / sizeof(marks[0]); m++) {
		size_t k = strlen(marks[m]);

		for (size_t i = 0; i + k <= len; i++) {
			if ((i == 0 || text[i - 1] == '\n') && memcmp(text + i, marks[m], k) == 0)
				return true;
		}
	}
	return false;
}

/* Where each result's events are in the output. */
struct segments {
	const struct vx_ktap *k;
	const char **begin;
	size_t *len;
};

static void note_segment(void *user, const char *name, size_t name_len, const char *events,
			 size_t events_len)
{
	struct segments *s = user;

	for (size_t i = 0; i < s->k->count; i++) {
		if (strlen(s->k->results[i].name) == name_len &&
		    memcmp(s->k->results[i].name, name, name_len) == 0) {
			s->begin[i] = events;
			s->len[i] = events_len;
			return;
		}
	}
}

int vx_serial_traces(const char *dir, const char *origin, const char *out, size_t out_len,
		     const struct vx_ktap *k)
{
	size_t n = k->count ? k->count : 1;
	struct segments s = { k, calloc(n, sizeof(char *)), calloc(n, sizeof(size_t)) };
	struct vxt_trace t;
	struct vxt_header h;
	char err[VX_PATH_MAX + 128];
	int rc = 0;

	if (!s.begin || !s.len) {
		free(s.begin);
		free(s.len);
		fprintf(stderr, "vxemu: out of memory\n");
		return -1;
	}
	memset(&h, 0, sizeof(h));
	if (vxt_serial_platform(out, out_len, &h) != 0)
		fprintf(stderr, "vxemu: the image printed no #platform line: the traces' headers "
				"name no machine\n");
	/* Without the line there is no telling where it ran. */
	if (!h.platform)
		h.platform = VXT_PLATFORM_METAL;
	vxt_serial_scenarios(out, out_len, note_segment, &s);
	vxt_init(&t);
	for (size_t i = 0; i < k->count; i++) {
		const struct vx_ktap_result *r = &k->results[i];
		size_t bad;

		vxt_reset(&t);
		h.format_version = t.hdr.format_version;
		h.header_size = t.hdr.header_size;
		h.record_size = t.hdr.record_size;
		t.hdr = h;
		t.hdr.vxemu_version = vxt_intern(&t, vx_version());
		t.hdr.origin = vxt_intern(&t, origin);
		t.hdr.scenario = vxt_intern(&t, r->name);
		t.hdr.status = (uint32_t)r->status;
		t.hdr.message = vxt_intern(&t, r->message[0] ? r->message : NULL);
		if (s.begin[i] && (bad = vxt_serial_events(s.begin[i], s.len[i], &t)) != 0)
			fprintf(stderr, "vxemu: %s: %zu #ev lines could not be read\n", r->name, bad);
		t.hdr.checks = t.next_step;
		if (vx_trace_dir_save(dir, r->name, &t, err, sizeof(err)) != 0) {
			fprintf(stderr, "vxemu: %s\n", err);
			rc = -1;
		}
	}
	vxt_free(&t);
	free(s.begin);
	free(s.len);
	return rc;
}
