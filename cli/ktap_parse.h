/* SPDX-License-Identifier: MIT */
/*
 * Reading back the KTAP report that the hardware image prints on its serial
 * port, so `vxemu conformance --platform qemu` can print it in any format.
 *
 * Accepted (KTAP version 1, the kernel's "KTAP" document, and TAP 13):
 *   - anything before the "KTAP version N" / "TAP version N" line (firmware
 *     and boot messages) is ignored but a "Bail out!" line;
 *   - "1..N" is the plan;
 *   - "ok N name", "not ok N name", each optionally followed by
 *     " # SKIP reason" (skip), " # ERROR reason" or " # TIMEOUT reason"
 *     (error), or " # reason";
 *   - "# text" lines before a result are that result's diagnostics: the first
 *     one becomes the message of a failed result that carries none inline;
 *   - indented lines (subtests, YAML blocks) are ignored;
 *   - "N passed, N failed, N skipped", the line every vxemu report ends
 *     with, is the summary;
 *   - "Bail out! reason" (TAP's word) says why the run stopped.
 *
 * The text may come from anything on the serial line, so what the reader
 * keeps is bounded: at most VX_KTAP_RESULTS_MAX results and report lines of
 * at most VX_KTAP_LINE_MAX bytes (firmware noise before the header may be
 * any length: it is skipped, not kept). Beyond either the reader stops with
 * an error rather than keep a stream's worth of memory.
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_KTAP_PARSE_H
#define VX_CLI_KTAP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"

#define VX_KTAP_NAME_MAX 128
/* Far above the suite's size, far below what a runaway stream could hold. */
#define VX_KTAP_RESULTS_MAX 4096
/* A report line is a result with its message: a few hundred bytes. */
#define VX_KTAP_LINE_MAX 4096

struct vx_ktap_result {
	uint32_t number;
	char name[VX_KTAP_NAME_MAX];
	enum conf_status status;
	char message[CONF_MESSAGE_MAX];
};

struct vx_ktap {
	int version;    /* 0 when no version line was seen */
	long plan;      /* -1 when no plan line was seen */
	size_t count;
	struct vx_ktap_result *results; /* malloc'd, count entries */
	/* The summary line came after the last result, and its three counts are
	 * those of the results (errors counted as failed). */
	bool summary;
	char bail[CONF_MESSAGE_MAX]; /* the last "Bail out!" line of the run, or "" */
	char error[96]; /* why vx_ktap_parse returned -1 */
};

/*
 * 0, or -1 with out->error saying why (out of memory, too many results, a
 * line too long) and no results kept. Text need not be NUL-terminated.
 */
int vx_ktap_parse(const char *text, size_t len, struct vx_ktap *out);
void vx_ktap_free(struct vx_ktap *k);

#endif
