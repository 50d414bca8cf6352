/* SPDX-License-Identifier: MIT */
/*
 * A trace as text: one line per record, KVM's event and field names, and the
 * guest code the trace carries at each exit disassembled beneath it
 * (docs/traces.md "Reading a trace").
 *
 * Who may include it: traces/, cli/, tests/.
 */
#ifndef VXTRACE_DUMP_H
#define VXTRACE_DUMP_H

#include <stdio.h>

#include "vxtrace/trace.h"

enum vxt_dump_format { VXT_DUMP_TEXT, VXT_DUMP_JSON };

/* The whole trace: the header, then the records. -1 when a write failed. */
int vxt_dump(FILE *f, const struct vxt_trace *t, enum vxt_dump_format fmt);

/* One record on one line, without a newline: "time cpu step source kind: fields". */
void vxt_format_record(const struct vxt_trace *t, const struct vxt_record *r, char *buf,
		       size_t size);

/*
 * The instructions of a vxemu_guest_code record, one line each into f,
 * prefixed with indent; the exit's instruction marked. Returns the number of
 * lines written.
 */
int vxt_print_code(FILE *f, const struct vxt_record *code, const char *indent);

/* An SVM exit code's name as KVM prints it ("vmmcall", "npf"), or NULL. */
const char *vxt_svm_exit_name(uint64_t code);
/* The code of such a name; false when it is not one. */
bool vxt_svm_exit_code(const char *name, uint64_t *code);

#endif
