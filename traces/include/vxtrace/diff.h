/* SPDX-License-Identifier: MIT */
/*
 * Two traces of one scenario side by side: aligned by scenario step (the
 * checks evaluated so far), then per processor by the order of events, never
 * by time, since a machine's TSC and the model's clock differ. Only what
 * both sides can observe is compared (docs/traces.md "Comparing traces").
 *
 * Who may include it: traces/, cli/, tests/.
 */
#ifndef VXTRACE_DIFF_H
#define VXTRACE_DIFF_H

#include <stdio.h>

#include "vxtrace/trace.h"

#define VXT_NONE ((size_t)-1)

struct vxt_diff {
	bool same;
	/* The first divergent records (indices into a->rec and b->rec); VXT_NONE
	 * where that side has no event there. */
	size_t a, b;
	uint32_t step, cpu;
	uint8_t fields;        /* words that differ, when both records exist */
	bool kind_differs;
	bool text_differs;
	size_t compared;       /* events compared before the divergence, or in all */
};

/* Compares a and b into *d. -1 (with err) when they are not two runs of one scenario. */
int vxt_diff(const struct vxt_trace *a, const struct vxt_trace *b, struct vxt_diff *d, char *err,
	     size_t errlen);

/*
 * The report of a divergence: both records, the words that differ, up to
 * context events before it on each side, and the guest code at the exits
 * involved. name_a and name_b label the sides.
 */
void vxt_diff_report(FILE *f, const struct vxt_trace *a, const char *name_a,
		     const struct vxt_trace *b, const char *name_b, const struct vxt_diff *d,
		     unsigned context);

#endif
