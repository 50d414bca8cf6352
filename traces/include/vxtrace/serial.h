/* SPDX-License-Identifier: MIT */
/*
 * The hardware image's serial output with `trace` (docs/hardware.md) as
 * traces: its "#platform" line fills the header, its "#ev" lines become
 * records, and its KTAP result lines ("ok N name", "not ok N name") close
 * each scenario's events.
 *
 * Who may include it: traces/, cli/, tests/, fuzz/.
 */
#ifndef VXTRACE_SERIAL_H
#define VXTRACE_SERIAL_H

#include <stddef.h>

#include "vxtrace/trace.h"

/* Header fields from the "#platform" line: 0 when found, -1 when there is none. */
int vxt_serial_platform(const char *text, size_t len, struct vxt_header *h);

/* Called once per KTAP result line with the "#ev" lines since the one before. */
typedef void (*vxt_serial_fn)(void *user, const char *name, size_t name_len, const char *events,
			      size_t events_len);
void vxt_serial_scenarios(const char *text, size_t len, vxt_serial_fn fn, void *user);

/*
 * Appends the records of the "#ev" lines in text; returns the lines it could
 * not read or that would make the trace invalid (a processor beyond the
 * header's ncpus, time going backwards on a processor).
 */
size_t vxt_serial_events(const char *text, size_t len, struct vxt_trace *t);

#endif
