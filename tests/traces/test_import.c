/* SPDX-License-Identifier: MIT */
/*
 * `vxemu trace import` (traces/include/vxtrace/import.h): the samples of
 * tests/traces/samples, whose expected records were worked out by hand from
 * their text, the same samples as a mail quotes them, every exit-reason
 * spelling, and hostile text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vxtrace/import.h"
#include "x86/svm.h"

/* A word the record must not know (no sample has this value). */
#define NO 0x4e4f4e4f4e4f4e4full

struct text {
	char *p;
	size_t n;
};

static struct text read_sample(const char *name)
{
	char path[512];
	struct text tx = { NULL, 0 };
	FILE *f;
	long size;

	snprintf(path, sizeof(path), "%s/%s", VX_TRACE_SAMPLES, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 0);
	rewind(f);
	tx.p = malloc((size_t)size);
	assert_non_null(tx.p);
	tx.n = fread(tx.p, 1, (size_t)size, f);
	assert_int_equal(tx.n, (size_t)size);
	fclose(f);
	return tx;
}

static int import(const char *p, size_t n, struct vxt_trace *t, struct vxt_import_stats *st)
{
	char err[256] = "";
	int rc;

	vxt_init(t);
	rc = vxt_import_text(p, n, t, st, err, sizeof(err));
	assert_true(rc == 0 || err[0]);
	return rc;
}

static int import_str(const char *s, struct vxt_trace *t, struct vxt_import_stats *st)
{
	return import(s, strlen(s), t, st);
}

static void import_sample(const char *name, struct vxt_trace *t, struct vxt_import_stats *st)
{
	struct text tx = read_sample(name);

	assert_int_equal(import(tx.p, tx.n, t, st), 0);
	free(tx.p);
}

/*
 * Record i is kind on cpu at time ns; w[j] is word j's value, NO for a word
 * the line does not give. The known mask follows from w.
 */
static void expect_rec(const struct vxt_trace *t, size_t i, unsigned kind, uint32_t cpu,
		       uint64_t time, const char *text, const uint64_t w[VXT_WORDS])
{
	const struct vxt_record *r;
	uint8_t known = 0;

	assert_true(i < t->nrec);
	r = &t->rec[i];
	assert_int_equal(r->kind, kind);
	assert_int_equal(r->cpu, cpu);
	assert_int_equal(r->time, time);
	assert_int_equal(r->source, VXT_SRC_IMPORT);
	for (unsigned j = 0; j < VXT_WORDS; j++) {
		if (w[j] == NO) {
			assert_int_equal(r->v[j], 0);
			continue;
		}
		known |= (uint8_t)(1u << j);
		assert_int_equal(r->v[j], w[j]);
	}
	assert_int_equal(r->known, known);
	if (text)
		assert_string_equal(vxt_string(t, r->text), text);
	else
		assert_int_equal(r->text, 0);
}

#define W(...) ((const uint64_t[VXT_WORDS]){ __VA_ARGS__ })
#define W_NONE W(NO, NO, NO, NO, NO, NO, NO, NO)

static void expect_stats(const struct vxt_import_stats *st, size_t lines, size_t events,
			 size_t skipped, size_t first_skipped)
{
	assert_int_equal(st->lines, lines);
	assert_int_equal(st->events, events);
	assert_int_equal(st->skipped, skipped);
	assert_int_equal(st->first_skipped_line, first_skipped);
	assert_int_equal(st->lines, st->events + st->skipped + st->joined);
}

/* ---- the samples ------------------------------------------------------------ */

/* trace-cmd report without plugins on v4.19: the kernel's own text. */
static void test_trace_cmd_4_19(void **state)
{
	struct vxt_trace t;
	struct vxt_import_stats st;

	(void)state;
	import_sample("trace-cmd-4.19.txt", &t, &st);
	/* Skipped: cpus=4, two "CPU n is empty", sched_switch, a blank line. */
	expect_stats(&st, 27, 22, 5, 1);
	assert_int_equal(st.other_events, 1);
	assert_int_equal(st.malformed, 0);
	assert_int_equal(st.partial, 0);
	assert_int_equal(st.unknown_reason, 0);
	assert_int_equal(st.vmx, 0);
	assert_int_equal(st.host_cpus, 4);
	/* The irq before thread 4243's first kvm_entry, and thread 4250's msr. */
	assert_int_equal(st.host_cpu, 2);
	assert_int_equal(st.ncpus, 4);
	assert_int_equal(t.hdr.platform, VXT_PLATFORM_IMPORT);

	/* "vcpu %u": the vCPU and nothing else. */
	expect_rec(&t, 0, VXT_KVM_ENTRY, 0, 5432100001000ull, NULL, W_NONE);
	/* "reason %s rip 0x%lx info %llx %llx"; the vCPU from thread 4242's entry. */
	expect_rec(&t, 1, VXT_KVM_EXIT, 0, 5432100004000ull, NULL,
		   W(SVM_EXIT_NPF, 0xffffffff8105a2b4ull, 0x100000006ull, 0xfee000b0, NO, NO, NO,
		     NO));
	expect_rec(&t, 2, VXT_KVM_MSR, 0, 5432100007000ull, NULL,
		   W(1, 0x830, 0x1000040ecull, 0, NO, NO, NO, NO));
	/* ICR: vector 236, fixed, physical, assert, edge, no shorthand. */
	expect_rec(&t, 3, VXT_KVM_APIC_IPI, 0, 5432100008000ull, NULL,
		   W(1, 0x40ec, NO, NO, NO, NO, NO, NO));
	expect_rec(&t, 4, VXT_KVM_APIC_ACCEPT_IRQ, 0, 5432100009000ull, NULL,
		   W(1, 0, 0, 236, NO, NO, NO, NO));
	/* No vCPU known for thread 4243 yet: host CPU 3. */
	expect_rec(&t, 6, VXT_KVM_INJ_VIRQ, 3, 5432100018000ull, NULL,
		   W(236, NO, NO, NO, NO, NO, NO, NO));
	expect_rec(&t, 8, VXT_KVM_EXIT, 1, 5432100031000ull, NULL,
		   W(SVM_EXIT_VMRUN, 0xffffffffa03c4d2eull, 0, 0, NO, NO, NO, NO));
	/* kvm_nested_vmrun: nrip is the nested rip; npt on. */
	expect_rec(&t, 9, VXT_KVM_NESTED_VMENTER, 1, 5432100035000ull, NULL,
		   W(0x401000, 0x112f40000ull, 0x01000000, 0, NO, 1, NO, NO));
	/* One 64-bit intercept: VMCB words 3 and 4. */
	expect_rec(&t, 10, VXT_KVM_NESTED_INTERCEPTS, 1, 5432100036000ull, NULL,
		   W(0x10, 0x10, NO, NO, 0x44000, 0x81e7801f, 0x3, NO));
	/* "PF excp" is two tokens. */
	expect_rec(&t, 12, VXT_KVM_EXIT, 1, 5432100052000ull, NULL,
		   W(SVM_EXIT_EXCP_BASE + 14, 0x401010, 2, 0x603000, NO, NO, NO, NO));
	expect_rec(&t, 13, VXT_KVM_NESTED_VMEXIT, 1, 5432100053000ull, NULL,
		   W(SVM_EXIT_EXCP_BASE + 14, 0x401010, 2, 0x603000, 0, 0, NO, NO));
	expect_rec(&t, 14, VXT_KVM_NESTED_VMEXIT_INJECT, 1, 5432100055000ull, NULL,
		   W(SVM_EXIT_EXCP_BASE + 14, NO, 2, 0x603000, 0, 0, NO, NO));
	/* A non-zero error code proves there is one. */
	expect_rec(&t, 15, VXT_KVM_INJ_EXCEPTION, 0, 5432100060000ull, NULL,
		   W(14, 1, 6, NO, NO, NO, NO, NO));
	expect_rec(&t, 17, VXT_KVM_EXIT, 1, 5432100074000ull, NULL,
		   W(SVM_EXIT_IOIO, 0xffffffff8103a1c6ull, 0x3f80220, 0xffffffff8103a1c8ull, NO, NO,
		     NO, NO));
	expect_rec(&t, 18, VXT_KVM_EXIT, 0, 5432100080000ull, NULL,
		   W(SVM_EXIT_INTR, 0xffffffff81a2c4e0ull, 0, 0, NO, NO, NO, NO));
	/* "(0x0)" in v4.19 may mean "no error code": has_error unknown. */
	expect_rec(&t, 19, VXT_KVM_INJ_EXCEPTION, 0, 5432100083000ull, NULL,
		   W(13, NO, 0, NO, NO, NO, NO, NO));
	expect_rec(&t, 20, VXT_KVM_MSR, 1, 5432100090000ull, NULL,
		   W(0, 0xc0011029, 0, 1, NO, NO, NO, NO));
	/* KVM's 32-bit field turns SVM_EXIT_ERR into 0xffffffff. */
	expect_rec(&t, 21, VXT_KVM_EXIT, 0, 5432100095000ull, NULL,
		   W(SVM_EXIT_ERR, 0xfff0, 0, 0, NO, NO, NO, NO));
	vxt_free(&t);
}

/* trace-cmd report with its kvm plugin on v5.15: EXIT_* names, "info %llx %llx". */
static void test_trace_cmd_5_15(void **state)
{
	struct vxt_trace t;
	struct vxt_import_stats st;

	(void)state;
	import_sample("trace-cmd-5.15.txt", &t, &st);
	/* cpus=8, four "CPU n is empty", sched_switch, blank, "[LOST 42 EVENTS]". */
	expect_stats(&st, 30, 22, 8, 1);
	assert_int_equal(st.other_events, 1);
	assert_int_equal(st.host_cpu, 0);
	assert_int_equal(st.host_cpus, 8);
	assert_int_equal(st.ncpus, 3);

	/* "CPU 0/KVM-9120": a comm with a space. */
	expect_rec(&t, 0, VXT_KVM_ENTRY, 0, 812440120000ull, NULL,
		   W(0xffffffff81a3c4f0ull, NO, NO, NO, NO, NO, NO, NO));
	expect_rec(&t, 1, VXT_KVM_EXIT, 0, 812440133000ull, NULL,
		   W(SVM_EXIT_MSR, 0xffffffff8106c9d8ull, 1, 0, NO, NO, NO, NO));
	expect_rec(&t, 2, VXT_KVM_MSR, 0, 812440135000ull, NULL,
		   W(1, 0x6e0, 0x1d2b3e8a4f0ull, 0, NO, NO, NO, NO));
	expect_rec(&t, 4, VXT_KVM_EXIT, 0, 812440201000ull, NULL,
		   W(SVM_EXIT_NPF, 0xffffffff8106d7b2ull, 0x100000004ull, 0xfee000b0, NO, NO, NO,
		     NO));
	expect_rec(&t, 7, VXT_KVM_NESTED_VMENTER, 1, 812440306000ull, NULL,
		   W(0x401000, 0x109c21000ull, 0x01000000, 0, NO, 0, NO, NO));
	/* "intercepts: %08x %08x %08x": words 3, 4, 5. */
	expect_rec(&t, 8, VXT_KVM_NESTED_INTERCEPTS, 1, 812440307000ull, NULL,
		   W(0x10, 0x10, NO, NO, 0x60000, 0x8e7fc01f, 0x3f, 0));
	expect_rec(&t, 10, VXT_KVM_EXIT, 1, 812440350000ull, NULL,
		   W(SVM_EXIT_VMMCALL, 0x401003, 0, 0, NO, NO, NO, NO));
	/* The plugin: "rip %llx reason %s info1 %llx ... int_info_err %llx". */
	expect_rec(&t, 11, VXT_KVM_NESTED_VMEXIT, 1, 812440351000ull, NULL,
		   W(SVM_EXIT_VMMCALL, 0x401003, 0, 0, 0, 0, NO, NO));
	expect_rec(&t, 12, VXT_KVM_NESTED_VMEXIT_INJECT, 1, 812440353000ull, NULL,
		   W(SVM_EXIT_VMMCALL, NO, 0, 0, 0, 0, NO, NO));
	expect_rec(&t, 14, VXT_KVM_EXIT, 1, 812440410000ull, NULL,
		   W(SVM_EXIT_EXCP_BASE + 6, 0xffffffff81002a10ull, 0, 0, NO, NO, NO, NO));
	expect_rec(&t, 15, VXT_KVM_INJ_EXCEPTION, 1, 812440412000ull, NULL,
		   W(6, NO, 0, NO, NO, NO, NO, NO));
	/* "UNKNOWN (162)": decimal, 0xa2 (INVPCID). */
	expect_rec(&t, 16, VXT_KVM_EXIT, 1, 812440430000ull, NULL,
		   W(0xa2, 0xffffffff81064b1eull, 0, 0, NO, NO, NO, NO));
	expect_rec(&t, 18, VXT_KVM_INJ_VIRQ, 0, 812440502000ull, NULL,
		   W(34, NO, NO, NO, NO, NO, NO, NO));
	expect_rec(&t, 19, VXT_KVM_EXIT, 0, 812440510000ull, NULL,
		   W(SVM_EXIT_HLT, 0xffffffff81a3c4f5ull, 0, 0, NO, NO, NO, NO));
	expect_rec(&t, 20, VXT_KVM_INJ_EXCEPTION, 0, 812440514000ull, NULL,
		   W(14, 1, 6, 1, NO, NO, NO, NO));
	/* After the blank and "[LOST 42 EVENTS]" lines. */
	expect_rec(&t, 21, VXT_KVM_ENTRY, 2, 812440600000ull, NULL,
		   W(0xffffffff81a3c4f0ull, NO, NO, NO, NO, NO, NO, NO));
	vxt_free(&t);
}

/* v6.8's text: vcpu in kvm_exit, kvm_nested_vmenter, the new injection formats, SEV-ES. */
static void test_trace_cmd_6_8(void **state)
{
	struct vxt_trace t;
	struct vxt_import_stats st;

	(void)state;
	import_sample("trace-cmd-6.8.txt", &t, &st);
	expect_stats(&st, 29, 26, 3, 1);
	assert_int_equal(st.other_events, 1);
	assert_int_equal(st.host_cpu, 0);
	assert_int_equal(st.ncpus, 3);

	expect_rec(&t, 1, VXT_KVM_EXIT, 0, 1520000140000ull, NULL,
		   W(SVM_EXIT_NPF, 0xffffffff8107e0f5ull, 0x100000004ull, 0xfee000b0, 0, 0, NO,
		     NO));
	/* INIT to all but self, level, assert: 0x500 | 1 << 14 | 1 << 15 | 3 << 18. */
	expect_rec(&t, 4, VXT_KVM_APIC_IPI, 0, 1520000150000ull, NULL,
		   W(0xff, 0xcc500, NO, NO, NO, NO, NO, NO));
	expect_rec(&t, 5, VXT_KVM_MSR, 0, 1520000158000ull, NULL,
		   W(0, 0x1b, 0xfee00d00, 0, NO, NO, NO, NO));
	/* "IRQ 0x%x": hex, not soft, not reinjected. */
	expect_rec(&t, 6, VXT_KVM_INJ_VIRQ, 0, 1520000160000ull, NULL,
		   W(0xec, 0, 0, NO, NO, NO, NO, NO));
	expect_rec(&t, 9, VXT_KVM_EXIT, 1, 1520000185000ull, NULL,
		   W(SVM_EXIT_EXCP_BASE + 14, 0x401a2c, 6, 0x603008, 0, 0, NO, NO));
	/* No parentheses: v6.8 says there is no error code. */
	expect_rec(&t, 11, VXT_KVM_INJ_EXCEPTION, 1, 1520000190000ull, NULL,
		   W(6, 0, 0, 0, NO, NO, NO, NO));
	/* A code the kernel has no name for, printed in hex. */
	expect_rec(&t, 12, VXT_KVM_EXIT, 1, 1520000196000ull, NULL,
		   W(0x4f, 0x401a40, 0, 0, 0, 0, NO, NO));
	/* nested_npt=y; the nested_cr3 has no word. */
	expect_rec(&t, 14, VXT_KVM_NESTED_VMENTER, 1, 1520000204000ull, NULL,
		   W(0x401000, 0x112f40000ull, 0x01000000, 0, NO, 1, NO, NO));
	expect_rec(&t, 15, VXT_KVM_NESTED_INTERCEPTS, 1, 1520000205000ull, NULL,
		   W(0x10, 0x10, NO, NO, 0x40000, 0x8e7fc01f, 0x3f, 0x10));
	expect_rec(&t, 18, VXT_KVM_NESTED_VMEXIT, 1, 1520000230000ull, NULL,
		   W(SVM_EXIT_VMMCALL, 0x401003, 0, 0, 0, 0, NO, NO));
	expect_rec(&t, 19, VXT_KVM_NESTED_VMEXIT_INJECT, 1, 1520000232000ull, NULL,
		   W(SVM_EXIT_VMMCALL, NO, 0, 0, 0, 0, NO, NO));
	expect_rec(&t, 20, VXT_KVM_INJ_VIRQ, 1, 1520000236000ull, NULL,
		   W(0x80, 1, 1, NO, NO, NO, NO, NO));
	expect_rec(&t, 21, VXT_KVM_INJ_EXCEPTION, 1, 1520000237000ull, NULL,
		   W(13, NO, 0, 1, NO, NO, NO, NO));
	expect_rec(&t, 22, VXT_KVM_VMGEXIT_ENTER, 2, 1520000300000ull, NULL,
		   W(SVM_EXIT_CPUID, 0, 0, NO, NO, NO, NO, NO));
	expect_rec(&t, 23, VXT_KVM_VMGEXIT_EXIT, 2, 1520000304000ull, NULL,
		   W(SVM_EXIT_CPUID, 0, 0, NO, NO, NO, NO, NO));
	expect_rec(&t, 24, VXT_KVM_VMGEXIT_MSR_PROTOCOL_ENTER, 2, 1520000310000ull, NULL,
		   W(0x80000004, NO, NO, NO, NO, NO, NO, NO));
	expect_rec(&t, 25, VXT_KVM_VMGEXIT_MSR_PROTOCOL_EXIT, 2, 1520000311000ull, NULL,
		   W(0x80000004, 1, NO, NO, NO, NO, NO, NO));
	vxt_free(&t);
}

/* perf script on an Intel host: VMX names keep the VMX number and say "vmx". */
static void test_perf_script_vmx(void **state)
{
	struct vxt_trace t;
	struct vxt_import_stats st;

	(void)state;
	import_sample("perf-script-6.8-vmx.txt", &t, &st);
	/* Five "#" header lines, sched:sched_switch, a blank line. */
	expect_stats(&st, 24, 17, 7, 1);
	assert_int_equal(st.other_events, 1);
	assert_int_equal(st.vmx, 9);
	assert_int_equal(st.host_cpus, 0);

	expect_rec(&t, 0, VXT_KVM_ENTRY, 0, 8812204511000ull, NULL,
		   W(0xffffffff81e7a8c4ull, NO, NO, NO, NO, NO, NO, NO));
	expect_rec(&t, 1, VXT_KVM_EXIT, 0, 8812204519000ull, "vmx",
		   W(1, 0xffffffff81e7a8c4ull, 0, 0, 0x800000ec, 0, NO, NO));
	expect_rec(&t, 3, VXT_KVM_EXIT, 0, 8812204601000ull, "vmx",
		   W(48, 0xffffffff8107e0f5ull, 0x181, 0, 0, 0, NO, NO));
	expect_rec(&t, 4, VXT_KVM_EXIT, 0, 8812204610000ull, "vmx",
		   W(32, 0xffffffff8106c9d8ull, 0, 0, 0, 0, NO, NO));
	expect_rec(&t, 5, VXT_KVM_MSR, 0, 8812204611000ull, NULL,
		   W(1, 0x6e0, 0x1e2b7a4c1a0ull, 0, NO, NO, NO, NO));
	/* The basic reason, the flag in the text. */
	expect_rec(&t, 7, VXT_KVM_EXIT, 1, 8812204652000ull, "vmx FAILED_VMENTRY",
		   W(33, 0xfff0, 0, 0, 0, 0, NO, NO));
	expect_rec(&t, 9, VXT_KVM_EXIT, 2, 8812204730000ull, "vmx",
		   W(24, 0xffffffffc0a1b2c3ull, 0, 0, 0, 0, NO, NO));
	/* vmcs: and nested_ept=y. */
	expect_rec(&t, 10, VXT_KVM_NESTED_VMENTER, 2, 8812204734000ull, "vmx",
		   W(0x401000, 0x109e3a000ull, 0, 0, NO, 1, NO, NO));
	expect_rec(&t, 13, VXT_KVM_NESTED_VMEXIT, 2, 8812204761000ull, "vmx",
		   W(18, 0x401003, 0, 0, 0, 0, NO, NO));
	expect_rec(&t, 14, VXT_KVM_NESTED_VMEXIT_INJECT, 2, 8812204763000ull, "vmx",
		   W(18, NO, 0, 0, 0, 0, NO, NO));
	expect_rec(&t, 15, VXT_KVM_APIC_ACCEPT_IRQ, 1, 8812204790000ull, NULL,
		   W(0, 0, 0, 236, NO, NO, NO, NO));
	expect_rec(&t, 16, VXT_KVM_INJ_VIRQ, 0, 8812204800000ull, NULL,
		   W(0xec, 0, 0, NO, NO, NO, NO, NO));
	vxt_free(&t);
}

/* perf script --ns with "pid/tid" and the plugin's text. */
static void test_perf_script_ns(void **state)
{
	struct vxt_trace t;
	struct vxt_import_stats st;

	(void)state;
	import_sample("perf-script-5.15-ns.txt", &t, &st);
	/* kvmmmu:kvm_mmu_get_page, sched:sched_switch. */
	expect_stats(&st, 16, 14, 2, 5);
	assert_int_equal(st.other_events, 2);
	assert_int_equal(st.ncpus, 2);

	/* Nanoseconds as printed. */
	expect_rec(&t, 0, VXT_KVM_ENTRY, 0, 4321000001234ull, NULL,
		   W(0xffffffff81a3c4f0ull, NO, NO, NO, NO, NO, NO, NO));
	expect_rec(&t, 1, VXT_KVM_EXIT, 0, 4321000020512ull, NULL,
		   W(SVM_EXIT_IOIO, 0xffffffff8103a1c6ull, 0x3f80220, 0xffffffff8103a1c8ull, NO, NO,
		     NO, NO));
	/* Exit code 0 is a value like any other. */
	expect_rec(&t, 3, VXT_KVM_EXIT, 0, 4321000030999ull, NULL,
		   W(SVM_EXIT_READ_CR0, 0xffffffff81002b40ull, 0x8000000000000000ull, 0, NO, NO, NO,
		     NO));
	expect_rec(&t, 4, VXT_KVM_EXIT, 0, 4321000040000ull, NULL,
		   W(SVM_EXIT_EXCP_BASE + 1, 0xffffffff81002b44ull, 0, 0, NO, NO, NO, NO));
	expect_rec(&t, 5, VXT_KVM_APIC_IPI, 0, 4321000041000ull, NULL,
		   W(1, 0x40fb, NO, NO, NO, NO, NO, NO));
	/* Thread 3108 ran vCPU 1. */
	expect_rec(&t, 9, VXT_KVM_INJ_VIRQ, 1, 4321000041300ull, NULL,
		   W(251, NO, NO, NO, NO, NO, NO, NO));
	expect_rec(&t, 10, VXT_KVM_EXIT, 1, 4321000050000ull, NULL,
		   W(SVM_EXIT_XSETBV, 0xffffffff8100f2a6ull, 0, 0, NO, NO, NO, NO));
	expect_rec(&t, 11, VXT_KVM_EXIT, 1, 4321000060000ull, NULL,
		   W(SVM_EXIT_AVIC_INCOMPLETE_IPI, 0xffffffff8106b3c2ull, 0x10000000000fbull, 1, NO,
		     NO, NO, NO));
	expect_rec(&t, 12, VXT_KVM_EXIT, 0, 4321000070000ull, NULL,
		   W(SVM_EXIT_ERR, 0xfff0, 0, 0, NO, NO, NO, NO));
	expect_rec(&t, 13, VXT_KVM_EXIT, 1, 4321000080000ull, NULL,
		   W(SVM_EXIT_SHUTDOWN, 0x1e2c, 0, 0, NO, NO, NO, NO));
	vxt_free(&t);
}

/* ---- a sample through a mailer ---------------------------------------------- */

/* "> " before each line, broken at a space before column width, CRLF after. */
static struct text mail(const struct text *in, size_t width)
{
	struct text out = { malloc(in->n * 2 + 64), 0 };
	size_t pos = 0;

	assert_non_null(out.p);
	while (pos < in->n) {
		const char *nl = memchr(in->p + pos, '\n', in->n - pos);
		size_t len = nl ? (size_t)(nl - (in->p + pos)) : in->n - pos;
		const char *s = in->p + pos;

		pos += len + 1;
		do {
			size_t take = len;

			if (len + 2 > width) {
				take = width - 2;
				while (take > 0 && s[take] != ' ')
					take--;
				if (take == 0)
					take = len;
			}
			memcpy(out.p + out.n, "> ", 2);
			memcpy(out.p + out.n + 2, s, take);
			memcpy(out.p + out.n + 2 + take, "\r\n", 2);
			out.n += take + 4;
			if (take < len)
				take++; /* the space the break replaced */
			s += take;
			len -= take;
		} while (len);
	}
	return out;
}

static void same_records(const struct vxt_trace *a, const struct vxt_trace *b)
{
	assert_int_equal(a->nrec, b->nrec);
	for (size_t i = 0; i < a->nrec; i++) {
		const struct vxt_record *x = &a->rec[i], *y = &b->rec[i];

		assert_int_equal(x->kind, y->kind);
		assert_int_equal(x->cpu, y->cpu);
		assert_int_equal(x->time, y->time);
		assert_int_equal(x->known, y->known);
		assert_memory_equal(x->v, y->v, sizeof(x->v));
		if (x->text || y->text)
			assert_string_equal(vxt_string(a, x->text), vxt_string(b, y->text));
	}
}

static void test_mailed_samples(void **state)
{
	static const char *const names[] = {
		"trace-cmd-4.19.txt",	   "trace-cmd-5.15.txt",  "trace-cmd-6.8.txt",
		"perf-script-6.8-vmx.txt", "perf-script-5.15-ns.txt",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct text plain = read_sample(names[i]);
		struct vxt_trace a, b;
		struct vxt_import_stats sa, sb;

		assert_int_equal(import(plain.p, plain.n, &a, &sa), 0);
		for (size_t width = 40; width <= 80; width += 10) {
			struct text quoted = mail(&plain, width);

			assert_int_equal(import(quoted.p, quoted.n, &b, &sb), 0);
			/* Every sample has lines longer than these widths. */
			assert_true(sb.joined > 0);
			assert_int_equal(sb.partial, 0);
			assert_int_equal(sb.events, sa.events);
			same_records(&a, &b);
			vxt_free(&b);
			free(quoted.p);
		}
		vxt_free(&a);
		free(plain.p);
	}
}

/* ---- exit reasons ----------------------------------------------------------- */

struct reason_case {
	const char *printed;
	uint64_t code;
	const char *text; /* NULL for SVM */
};

static void test_reason_spellings(void **state)
{
	static const struct reason_case cases[] = {
		/* The kernel's SVM_EXIT_REASONS. */
		{ "read_cr0", SVM_EXIT_READ_CR0, NULL },
		{ "write_cr8", SVM_EXIT_WRITE_CR8, NULL },
		{ "read_dr7", SVM_EXIT_READ_DR7, NULL },
		{ "write_dr0", SVM_EXIT_WRITE_DR0, NULL },
		{ "DE excp", SVM_EXIT_EXCP_BASE + 0, NULL },
		{ "XF excp", SVM_EXIT_EXCP_BASE + 19, NULL },
		{ "interrupt", SVM_EXIT_INTR, NULL },
		{ "cr0_sel_write", SVM_EXIT_CR0_SEL_WRITE, NULL },
		{ "read_rt", SVM_EXIT_TR_READ, NULL },
		{ "write_idtr", SVM_EXIT_IDTR_WRITE, NULL },
		{ "io", SVM_EXIT_IOIO, NULL },
		{ "hypercall", SVM_EXIT_VMMCALL, NULL },
		{ "write_efer_trap", SVM_EXIT_EFER_WRITE_TRAP, NULL },
		{ "write_cr4_trap", SVM_EXIT_CR0_WRITE_TRAP + 4, NULL },
		{ "invpcid", 0x0a2, NULL },
		{ "avic_unaccelerated_access", SVM_EXIT_AVIC_UNACCELERATED_ACCESS, NULL },
		{ "vmgexit", SVM_EXIT_VMGEXIT, NULL },
		{ "vmgexit_page_state_change", 0x80000010, NULL },
		{ "invalid_guest_state", SVM_EXIT_ERR, NULL },
		/* The plugin's. */
		{ "EXIT_READ_CR3", SVM_EXIT_READ_CR3, NULL },
		{ "EXIT_EXCP_PF", SVM_EXIT_EXCP_BASE + 14, NULL },
		{ "EXIT_INTR", SVM_EXIT_INTR, NULL },
		{ "EXIT_TR_WRITE", SVM_EXIT_TR_WRITE, NULL },
		{ "EXIT_IOIO", SVM_EXIT_IOIO, NULL },
		{ "EXIT_MWAIT_COND", SVM_EXIT_MWAIT_COND, NULL },
		{ "EXIT_NPF", SVM_EXIT_NPF, NULL },
		{ "EXIT_ERR", SVM_EXIT_ERR, NULL },
		{ "UNKNOWN (1027)", SVM_EXIT_VMGEXIT, NULL },
		/* The APM's and others'. */
		{ "vmmcall", SVM_EXIT_VMMCALL, NULL },
		{ "VMEXIT_NPF", SVM_EXIT_NPF, NULL },
		{ "CR4_WRITE", SVM_EXIT_WRITE_CR4, NULL },
		{ "EXCP14", SVM_EXIT_EXCP_BASE + 14, NULL },
		{ "PF_excp", SVM_EXIT_EXCP_BASE + 14, NULL },
		{ "npf", SVM_EXIT_NPF, NULL },
		{ "hlt", SVM_EXIT_HLT, NULL },
		/* Numbers. */
		{ "0x4f", 0x4f, NULL },
		{ "0xffffffff", SVM_EXIT_ERR, NULL },
		/* VMX_EXIT_REASONS: capitals. */
		{ "EXCEPTION_NMI", 0, "vmx" },
		{ "HLT", 12, "vmx" },
		{ "PENDING_INTERRUPT", 7, "vmx" },
		{ "INTERRUPT_WINDOW", 7, "vmx" },
		{ "EPT_MISCONFIG", 49, "vmx" },
		{ "NOTIFY", 75, "vmx" },
		{ "MSR_LOAD_FAIL FAILED_VMENTRY", 34, "vmx FAILED_VMENTRY" },
	};
	char line[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vxt_trace t;
		struct vxt_import_stats st;

		snprintf(line, sizeof(line),
			 "x-1 [000] 1.000000: kvm_exit: reason %s rip 0x10 info 1 2\n",
			 cases[i].printed);
		assert_int_equal(import_str(line, &t, &st), 0);
		assert_int_equal(st.unknown_reason, 0);
		expect_rec(&t, 0, VXT_KVM_EXIT, 0, 1000000000ull, cases[i].text,
			   W(cases[i].code, 0x10, 1, 2, NO, NO, NO, NO));
		vxt_free(&t);
	}
}

/* isa= settles what a number or a name means. */
static void test_reason_isa(void **state)
{
	static const char text[] =
		"x-1 [000] 1.000000: kvm_exit: reason 0x80000021 rip 0x1 isa=VMX\n"
		"x-1 [000] 1.000001: kvm_exit: reason HLT rip 0x1 isa=2\n"
		"x-1 [000] 1.000002: kvm_exit: reason 0x1e rip 0x1 isa=1\n";
	struct vxt_trace t;
	struct vxt_import_stats st;

	(void)state;
	assert_int_equal(import_str(text, &t, &st), 0);
	assert_int_equal(st.vmx, 2);
	expect_rec(&t, 0, VXT_KVM_EXIT, 0, 1000000000ull, "vmx FAILED_VMENTRY",
		   W(33, 1, NO, NO, NO, NO, NO, NO));
	expect_rec(&t, 1, VXT_KVM_EXIT, 0, 1000001000ull, NULL,
		   W(SVM_EXIT_HLT, 1, NO, NO, NO, NO, NO, NO));
	expect_rec(&t, 2, VXT_KVM_EXIT, 0, 1000002000ull, "vmx", W(30, 1, NO, NO, NO, NO, NO, NO));
	vxt_free(&t);
}

/* An unknown name: the record stays, without its reason. */
static void test_reason_unknown(void **state)
{
	static const char text[] =
		"x-1 [000] 1.000000: kvm_exit: vcpu 0 reason frobnicate rip 0x10 "
		"info1 0x1 info2 0x2 intr_info 0x3 error_code 0x4\n"
		"x-1 [000] 1.000001: kvm_exit: vcpu 0 reason a b c d e f rip 0x10 "
		"info1 0x1 info2 0x2 intr_info 0x3 error_code 0x4\n"
		"x-1 [000] 1.000002: kvm_exit: vcpu 0 reason rip 0x10 "
		"info1 0x1 info2 0x2 intr_info 0x3 error_code 0x4\n";
	struct vxt_trace t;
	struct vxt_import_stats st;

	(void)state;
	assert_int_equal(import_str(text, &t, &st), 0);
	assert_int_equal(st.events, 3);
	assert_int_equal(st.unknown_reason, 3);
	for (size_t i = 0; i < 3; i++)
		expect_rec(&t, i, VXT_KVM_EXIT, 0, 1000000000ull + 1000 * i, NULL,
			   W(NO, 0x10, 1, 2, 3, 4, NO, NO));
	vxt_free(&t);
}

/* ---- other event texts ------------------------------------------------------ */

static void test_entry_variants(void **state)
{
	static const char text[] =
		/* Later kernels' flag, glued to the number. */
		"CPU 3/KVM-77 [005] 2.000000: kvm_entry: vcpu 3, "
		"rip 0xffffffff81000010[immediate exit]\n"
		/* The 2022 plugin's, with a guest function name. */
		"CPU 3/KVM-77 [005] 2.000001: kvm_entry:  vcpu 3 "
		"rip 0xffffffff81000020 default_idle+0x4\n"
		/* ftrace's latency flags between CPU and time. */
		"CPU 3/KVM-77 [005] d..2. 2.000002: kvm_msr: msr_write 6e0 = 0x5 (#GP)\n";
	struct vxt_trace t;
	struct vxt_import_stats st;

	(void)state;
	assert_int_equal(import_str(text, &t, &st), 0);
	assert_int_equal(st.events, 3);
	assert_int_equal(st.partial, 0);
	expect_rec(&t, 0, VXT_KVM_ENTRY, 3, 2000000000ull, NULL,
		   W(0xffffffff81000010ull, NO, NO, NO, NO, NO, NO, NO));
	expect_rec(&t, 1, VXT_KVM_ENTRY, 3, 2000001000ull, NULL,
		   W(0xffffffff81000020ull, NO, NO, NO, NO, NO, NO, NO));
	expect_rec(&t, 2, VXT_KVM_MSR, 3, 2000002000ull, NULL, W(1, 0x6e0, 5, 1, NO, NO, NO, NO));
	vxt_free(&t);
}

static void test_vmgexit_result(void **state)
{
	struct vxt_trace t;
	struct vxt_import_stats st;

	(void)state;
	assert_int_equal(import_str("q-9 [001] 3.5: kvm_vmgexit_msr_protocol_exit: vcpu 4, "
				    "ghcb_gpa 0000000000001006, result -22\n",
				    &t, &st),
			 0);
	/* "3.5": tenths of a second are fine too. */
	expect_rec(&t, 0, VXT_KVM_VMGEXIT_MSR_PROTOCOL_EXIT, 4, 3500000000ull, NULL,
		   W(0x1006, (uint64_t)-22, NO, NO, NO, NO, NO, NO));
	vxt_free(&t);
}

/* A line the mailer broke inside the line start, and one it broke twice. */
static void test_join(void **state)
{
	struct vxt_trace t;
	struct vxt_import_stats st;

	(void)state;
	assert_int_equal(import_str("> qemu-9 [001] 7.000001:\n"
				    ">      kvm:kvm_exit: vcpu 1 reason npf rip 0x10 info1\n"
				    "> 0x0000000000000006 info2 0x0000000000001000 intr_info\n"
				    "> 0x00000000 error_code 0x00000000\n",
				    &t, &st),
			 0);
	assert_int_equal(st.lines, 4);
	assert_int_equal(st.joined, 3);
	assert_int_equal(st.skipped, 0);
	expect_rec(&t, 0, VXT_KVM_EXIT, 1, 7000001000ull, NULL,
		   W(SVM_EXIT_NPF, 0x10, 6, 0x1000, 0, 0, NO, NO));
	vxt_free(&t);
}

/* ---- hostile text ----------------------------------------------------------- */

static void test_empty(void **state)
{
	static const char headers[] = "cpus=2\n\nCPU 0 is empty\n";
	struct vxt_trace t;
	struct vxt_import_stats st;
	char err[128] = "";

	(void)state;
	vxt_init(&t);
	assert_int_equal(vxt_import_text("", 0, &t, &st, err, sizeof(err)), -1);
	assert_true(err[0] != '\0');
	assert_int_equal(st.lines, 0);
	assert_int_equal(t.nrec, 0);
	assert_int_equal(vxt_import_text(NULL, 0, &t, NULL, NULL, 0), -1);
	/* Only lines without events. */
	err[0] = '\0';
	assert_int_equal(vxt_import_text(headers, strlen(headers), &t, &st, err, sizeof(err)), -1);
	assert_true(err[0] != '\0');
	expect_stats(&st, 3, 0, 3, 1);
	assert_int_equal(st.host_cpus, 2);
	vxt_free(&t);
}

/* The caller's platform stays. */
static void test_platform_kept(void **state)
{
	static const char entry[] = "x-1 [000] 1.0: kvm_entry: vcpu 0\n";
	struct vxt_trace t;

	(void)state;
	vxt_init(&t);
	t.hdr.platform = VXT_PLATFORM_QEMU_KVM;
	assert_int_equal(vxt_import_text(entry, strlen(entry), &t, NULL, NULL, 0), 0);
	assert_int_equal(t.hdr.platform, VXT_PLATFORM_QEMU_KVM);
	vxt_free(&t);
}

static const char good_exit[] = "x-1 [000] 1.000000: kvm_exit: reason npf rip 0x10 info 6 1000\n";

/* A megabyte of garbage on one line, with no line feed inside. */
static void test_huge_line(void **state)
{
	size_t big = 1u << 20, n;
	char *buf = malloc(big + 4 * sizeof(good_exit));
	struct vxt_trace t;
	struct vxt_import_stats st;
	uint32_t x = 12345;

	(void)state;
	assert_non_null(buf);
	/* Printable bytes, colons and digits among them, no '\n'. */
	for (size_t i = 0; i < big; i++) {
		static const char set[] = "0123456789.:[] abcxyz#>=()|kvm_exit:";

		x = x * 1103515245u + 12345u;
		buf[i] = set[(x >> 16) % (sizeof(set) - 1)];
	}
	buf[big] = '\n';
	n = big + 1;
	memcpy(buf + n, good_exit, sizeof(good_exit) - 1);
	n += sizeof(good_exit) - 1;
	assert_int_equal(import(buf, n, &t, &st), 0);
	expect_stats(&st, 2, 1, 1, 1);
	expect_rec(&t, 0, VXT_KVM_EXIT, 0, 1000000000ull, NULL,
		   W(SVM_EXIT_NPF, 0x10, 6, 0x1000, NO, NO, NO, NO));
	vxt_free(&t);

	/* The same garbage as an event's payload: nothing read, skipped. */
	memcpy(buf, "x-1 [000] 1.0: kvm_exit: ", 25);
	assert_int_equal(import(buf, n, &t, &st), 0);
	expect_stats(&st, 2, 1, 1, 1);
	assert_int_equal(st.malformed, 1);
	vxt_free(&t);
	free(buf);
}

/* Values past 64 bits, or past the field's width, skip their line. */
static void test_overflow(void **state)
{
	static const char *const bad[] = {
		"x-1 [000] 1.0: kvm_exit: reason npf rip 0x10000000000000000 info 0 0\n",
		"x-1 [000] 1.0: kvm_exit: reason npf rip 0x10 info 1ffffffffffffffff 0\n",
		"x-1 [000] 1.0: kvm_exit: vcpu 99999999999999999999 reason npf rip 0x10 info 0 0\n",
		"x-1 [000] 1.0: kvm_exit: vcpu 4294967296 reason npf rip 0x10 info 0 0\n",
		"x-1 [000] 1.0: kvm_exit: vcpu 0 reason npf rip 0x10 info1 0x0 info2 0x0 "
		"intr_info 0x100000000 error_code 0x0\n",
		"x-1 [000] 1.0: kvm_inj_virq: irq 18446744073709551616\n",
		"x-1 [000] 1.0: kvm_msr: msr_write 100000000 = 0x0\n",
		"x-1 [000] 1.0: kvm_nested_intercepts: cr_read: 10000 cr_write: 0 excp: 0 "
		"intercept: 0\n",
		"x-1 [000] 1.0: kvm_vmgexit_msr_protocol_exit: vcpu 0, ghcb_gpa 1, "
		"result 2147483648\n",
		"x-1 [000] 1.0: kvm_apic_accept_irq: apicid 0 vec 256 (Fixed|edge)\n",
		/* Not numbers at all. */
		"x-1 [000] 1.0: kvm_exit: reason npf rip 0xZZ info 0 0\n",
		"x-1 [000] 1.0: kvm_exit: reason npf rip 0x info 0 0\n",
		"x-1 [000] 1.0: kvm_apic_ipi: dst 1 vec 2 (Fixed|sideways|assert|edge|dst)\n",
		"x-1 [000] 1.0: kvm_inj_exception: #QQ (0x0)\n",
		/* A vCPU a reader would refuse (VXT_MAX_CPU). */
		"x-1 [000] 1.0: kvm_entry: vcpu 4096\n",
	};
	char buf[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vxt_trace t;
		struct vxt_import_stats st;

		/* A good line after the bad one: the import goes on. */
		snprintf(buf, sizeof(buf), "%s%s", bad[i], good_exit);
		assert_int_equal(import_str(buf, &t, &st), 0);
		expect_stats(&st, 2, 1, 1, 1);
		assert_int_equal(st.malformed, 1);
		assert_int_equal(t.rec[0].time, 1000000000ull);
		vxt_free(&t);
	}
}

/* Timestamps that do not fit: no event start at all. */
static void test_bad_time(void **state)
{
	struct vxt_trace t;
	struct vxt_import_stats st;

	(void)state;
	assert_int_equal(import_str("x-1 [000] 18446744074.000000: kvm_entry: vcpu 0\n"
				    "x-1 [000] 1.0000000001: kvm_entry: vcpu 0\n"
				    "x-1 [000] .5: kvm_entry: vcpu 0\n"
				    "x-1 [000] 18446744073.709551615: kvm_entry: vcpu 1\n",
				    &t, &st),
			 0);
	expect_stats(&st, 4, 1, 3, 1);
	assert_int_equal(st.malformed, 0);
	/* The largest time there is. */
	expect_rec(&t, 0, VXT_KVM_ENTRY, 1, UINT64_MAX, NULL, W_NONE);
	vxt_free(&t);
}

/* Time never goes backwards on a vCPU in a trace: a line that would is
 * refused and counted; another vCPU keeps its own clock. */
static void test_time_backwards(void **state)
{
	struct vxt_trace t, back;
	struct vxt_import_stats st;
	char err[128];
	size_t n;
	uint8_t *image;

	(void)state;
	assert_int_equal(import_str("x-1 [000] 5.000002: kvm_entry: vcpu 0, rip 0x10\n"
				    "x-1 [000] 5.000001: kvm_entry: vcpu 0, rip 0x20\n"
				    "x-1 [000] 5.000001: kvm_entry: vcpu 1, rip 0x30\n"
				    "x-1 [000] 5.000002: kvm_entry: vcpu 0, rip 0x40\n",
				    &t, &st),
			 0);
	assert_int_equal(st.events, 3);
	assert_int_equal(st.malformed, 1);
	assert_int_equal(t.rec[1].v[0], 0x30);
	assert_int_equal(t.rec[2].v[0], 0x40);
	image = vxt_encode(&t, &n);
	assert_non_null(image);
	assert_int_equal(vxt_decode(image, n, &back, err, sizeof(err)), 0);
	free(image);
	vxt_free(&back);
	vxt_free(&t);
}

/* A text cut short: what the last line gave is kept and counted. */
static void test_truncated(void **state)
{
	static const char text[] = "x-1 [000] 1.000000: kvm_exit: vcpu 2 reason npf rip 0x10 info1 "
				   "0x0000000000000006 info2 0x000000000000";
	struct vxt_trace t;
	struct vxt_import_stats st;

	(void)state;
	assert_int_equal(import(text, sizeof(text) - 1, &t, &st), 0);
	expect_stats(&st, 1, 1, 0, 0);
	assert_int_equal(st.partial, 1);
	expect_rec(&t, 0, VXT_KVM_EXIT, 2, 1000000000ull, NULL,
		   W(SVM_EXIT_NPF, 0x10, 6, 0, NO, NO, NO, NO));
	vxt_free(&t);

	/* Cut inside the line start, or right after the event's name. */
	assert_int_equal(import_str("x-1 [000] 1.0: kvm_exit:\nx-1 [000] 1.00", &t, &st), -1);
	expect_stats(&st, 2, 0, 2, 1);
	assert_int_equal(st.malformed, 1);
	vxt_free(&t);
	/* Cut after a key: the key's word stays unknown. */
	assert_int_equal(import_str("x-1 [000] 1.0: kvm_msr: msr_read c0000080 =", &t, &st), 0);
	assert_int_equal(st.partial, 1);
	expect_rec(&t, 0, VXT_KVM_MSR, 0, 1000000000ull, NULL,
		   W(0, 0xc0000080, NO, NO, NO, NO, NO, NO));
	vxt_free(&t);
}

/* Bytes the text should not have: a NUL inside a value, a CR in the middle. */
static void test_odd_bytes(void **state)
{
	static const char text[] = "x-1 [000] 1.0: kvm_exit: reason npf rip 0x1\0000 info 0 0\n"
				   "x-1 [000] 2.0: kvm_exit: reason\rnpf rip 0x20 info 0 0\r\r\n";
	struct vxt_trace t;
	struct vxt_import_stats st;

	(void)state;
	assert_int_equal(import(text, sizeof(text) - 1, &t, &st), 0);
	expect_stats(&st, 2, 1, 1, 1);
	assert_int_equal(st.malformed, 1);
	expect_rec(&t, 0, VXT_KVM_EXIT, 0, 2000000000ull, NULL,
		   W(SVM_EXIT_NPF, 0x20, 0, 0, NO, NO, NO, NO));
	vxt_free(&t);
}

/* Without [NNN] and without a vCPU there is no processor to give the record. */
static void test_no_cpu(void **state)
{
	static const char text[] = "qemu 1.0: kvm_exit: reason npf rip 0x1 info 0 0\n"
				   "qemu 1.0: kvm_exit: vcpu 5 reason npf rip 0x1 info1 0x0 "
				   "info2 0x0 intr_info 0x0 error_code 0x0\n";
	struct vxt_trace t;
	struct vxt_import_stats st;

	(void)state;
	assert_int_equal(import_str(text, &t, &st), 0);
	expect_stats(&st, 2, 1, 1, 1);
	assert_int_equal(t.rec[0].cpu, 5);
	vxt_free(&t);
}

/* The same text gives the same bytes. */
static void test_deterministic(void **state)
{
	struct text tx = read_sample("trace-cmd-6.8.txt");
	struct vxt_trace a, b;
	struct vxt_import_stats sa, sb;

	(void)state;
	assert_int_equal(import(tx.p, tx.n, &a, &sa), 0);
	assert_int_equal(import(tx.p, tx.n, &b, &sb), 0);
	assert_int_equal(a.nrec, b.nrec);
	assert_memory_equal(a.rec, b.rec, a.nrec * sizeof(a.rec[0]));
	assert_memory_equal(&sa, &sb, sizeof(sa));
	vxt_free(&a);
	vxt_free(&b);
	free(tx.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_cmd_4_19),
		cmocka_unit_test(test_trace_cmd_5_15),
		cmocka_unit_test(test_trace_cmd_6_8),
		cmocka_unit_test(test_perf_script_vmx),
		cmocka_unit_test(test_perf_script_ns),
		cmocka_unit_test(test_mailed_samples),
		cmocka_unit_test(test_reason_spellings),
		cmocka_unit_test(test_reason_isa),
		cmocka_unit_test(test_reason_unknown),
		cmocka_unit_test(test_entry_variants),
		cmocka_unit_test(test_vmgexit_result),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_platform_kept),
		cmocka_unit_test(test_huge_line),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_bad_time),
		cmocka_unit_test(test_time_backwards),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_odd_bytes),
		cmocka_unit_test(test_no_cpu),
		cmocka_unit_test(test_deterministic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
