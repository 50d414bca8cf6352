/* SPDX-License-Identifier: MIT */
/*
 * The hardware image's serial output with `trace` as one trace file per
 * scenario (docs/traces.md): under QEMU (`vxemu conformance --platform qemu
 * --trace DIR`) and from the log of a real machine (`vxemu trace import`).
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_SERIAL_TRACES_H
#define VX_CLI_SERIAL_TRACES_H

#include <stdbool.h>
#include <stddef.h>

struct vx_ktap;

/* True when text holds the image's trace lines ("#platform", "#ev"). */
bool vx_serial_is_traced(const char *text, size_t len);

/*
 * Writes dir/SCENARIO.vxt for each result of k (the KTAP of the same
 * output), its records the "#ev" lines before that result, its header from
 * the "#platform" line and the result. origin says what wrote them. -1
 * when a file could not be written (after writing the others); messages on
 * stderr.
 */
int vx_serial_traces(const char *dir, const char *origin, const char *out, size_t out_len,
		     const struct vx_ktap *k);

#endif
