/* SPDX-License-Identifier: MIT */
/*
 * `vxemu trace import`: the text `trace-cmd report` and `perf script` print
 * for KVM's x86 tracepoints, turned into records (docs/traces-import.md).
 *
 * Events read, with KVM's names: kvm_entry, kvm_exit, kvm_nested_vmexit,
 * kvm_nested_vmexit_inject, kvm_nested_vmenter (and its older name
 * kvm_nested_vmrun), kvm_nested_intercepts, kvm_inj_virq, kvm_inj_exception,
 * kvm_apic_ipi, kvm_apic_accept_irq, kvm_msr and the four kvm_vmgexit_*
 * events. The payloads are read as Linux v4.19, v5.15 and v6.8 print them
 * (arch/x86/kvm/trace.h), as the kvm plugin of trace-cmd's libtraceevent
 * prints them, and with the "[immediate exit]" later kernels append to
 * kvm_entry. Fields are keyed by the names the formats print, so a line may
 * carry them in any order and leave some out.
 *
 * Each event becomes one record: kind, time (the line's timestamp in
 * nanoseconds), cpu, source VXT_SRC_IMPORT, and the words of the kind table
 * (kinds.c) the line gave, with their bits set in known. The cpu is the vCPU
 * the line prints; else the vCPU the same host thread last printed (QEMU
 * runs each vCPU on a thread of its own); else, counted in host_cpu, the
 * host CPU of the line's [NNN] column.
 *
 * Exit reasons are printed as names: SVM names (KVM's "npf", "PF excp",
 * "hypercall", the plugin's "EXIT_NPF", the APM's "VMMCALL") become the SVM
 * exit code (APM vol. 2 appendix C); 32-bit -1 becomes SVM_EXIT_ERR (all
 * ones). VMX names ("EPT_VIOLATION") and lines with isa=VMX keep the VMX
 * basic exit reason (SDM vol. 3 appendix C) in v0 and get the text "vmx"
 * ("vmx FAILED_VMENTRY" when KVM printed that flag). A name that is neither
 * leaves v0 unknown; the record is still imported and unknown_reason counted.
 *
 * Lines that are not one of these events (headers, other tracepoints, blank
 * lines, garbage) are skipped and counted. So is an event line with a value
 * that is not a number of the field's width (an overflow included), one
 * that gives no field at all, and one with neither a vCPU nor a [NNN]
 * column or with a processor above VXT_MAX_CPU. A line that ends before its
 * format does is imported with the fields it gave (partial). Carriage
 * returns and leading "> " quote marks are ignored, and lines a mailer broke
 * at a space are joined again: an event line that ended early, or a line
 * holding a broken line start, with the lines that continue it, and a whole
 * event line with following lines that start with a bracket ("(0x6)",
 * "[reinjected]").
 */
#ifndef VXTRACE_IMPORT_H
#define VXTRACE_IMPORT_H

#include <stddef.h>

#include "vxtrace/trace.h"

/* lines = events + skipped + joined */
struct vxt_import_stats {
	size_t lines;              /* lines of text */
	size_t events;             /* records added */
	size_t skipped;            /* lines that added no record */
	size_t first_skipped_line; /* 1-based; 0 when none was skipped */
	size_t other_events;       /* of skipped: lines of other tracepoints */
	size_t malformed;          /* of skipped: event lines with a bad value, no field, no cpu,
				    * or a time before the vCPU's last */
	size_t partial;            /* of events: the line ended early */
	size_t joined;             /* lines read as the continuation of the one before */
	size_t unknown_reason;     /* of events: exit reason not recognised */
	size_t vmx;                /* of events: VMX exits and entries */
	size_t host_cpu;           /* of events: cpu is the host CPU, no vCPU known */
	unsigned ncpus;            /* highest record cpu + 1 */
	unsigned host_cpus;        /* trace-cmd's "cpus=N" header; 0 without */
};

/*
 * Appends the events of text[0..len) to t (initialised by the caller) and
 * sets t->hdr.platform to VXT_PLATFORM_IMPORT when it is 0; the rest of the
 * header is the caller's. st may be NULL. Returns 0, or -1 with a message
 * when no event was found or an allocation failed (t->oom). The records
 * depend on the text alone.
 */
int vxt_import_text(const char *text, size_t len, struct vxt_trace *t,
		    struct vxt_import_stats *st, char *err, size_t errlen);

#endif
