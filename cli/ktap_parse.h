/* SPDX-License-Identifier: MIT */
/*
 * Reading back the KTAP report that the hardware image prints on its serial
 * port, so `vxemu conformance --platform qemu` can print it in any format.
 *
 * Accepted (KTAP version 1, the kernel's "KTAP" document, and TAP 13):
 *   - anything before the "KTAP version N" / "TAP version N" line (firmware
 *     and boot messages) is ignored;
 *   - "1..N" is the plan;
 *   - "ok N name", "not ok N name", each optionally followed by
 *     " # SKIP reason" (skip), " # ERROR reason" or " # TIMEOUT reason"
 *     (error), or " # reason";
 *   - "# text" lines before a result are that result's diagnostics: the first
 *     one becomes the message of a failed result that carries none inline;
 *   - indented lines (subtests, YAML blocks) are ignored.
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_KTAP_PARSE_H
#define VX_CLI_KTAP_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"

#define VX_KTAP_NAME_MAX 128

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
};

/* 0, or -1 when out of memory. Text need not be NUL-terminated. */
int vx_ktap_parse(const char *text, size_t len, struct vx_ktap *out);
void vx_ktap_free(struct vx_ktap *k);

#endif
