/* SPDX-License-Identifier: MIT */
/*
 * The trace file format (traces/src/format.c, docs/traces.md): a trace
 * survives encode and decode unchanged, the bytes are where the document
 * says, and every kind of bad file is refused with the offset of the fault.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vxtrace/dump.h"
#include "vxtrace/trace.h"

static void sample(struct vxt_trace *t)
{
	struct hv_event run = { .type = HV_EV_VMRUN, .source = HV_SRC_SEAM, .cycle = 100,
				.v = { 0x1000, 0x5000, 0x100, 0, 0, 1, 0, 1 } };
	struct hv_event exit = { .type = HV_EV_VMEXIT, .source = HV_SRC_SEAM, .cycle = 900,
				 .v = { 0x81, 0x1000, 0, 0, 0, 0, 0x1003 } };
	struct hv_event chk = { .type = HV_EV_CHECK, .source = HV_SRC_SCENARIO, .cycle = 950,
				.v = { 1, 0x81, 0x81, 6 }, .text = "exit_code" };
	struct hv_event inj = { .type = HV_EV_INJECT, .source = HV_SRC_CORE, .cycle = 960,
				.v = { 0x80000b0d, 0x18 } };

	vxt_init(t);
	t->hdr.platform = VXT_PLATFORM_MODEL;
	t->hdr.ncpus = 4;
	t->hdr.ram_size = 64ull << 20;
	t->hdr.machine_flags = VXT_MACHINE_NPT | VXT_MACHINE_NRIPS;
	memcpy(t->hdr.cpuid_vendor, "AuthenticAMD", 12);
	t->hdr.scenario = vxt_intern(t, "svm_sample");
	t->hdr.costs = vxt_intern(t, "vmrun 1000\n");
	vxt_add_event(t, &run);
	vxt_add_event(t, &exit);
	vxt_add_event(t, &chk);
	vxt_add_event(t, &inj);
}

static uint8_t *encoded(size_t *n)
{
	struct vxt_trace t;
	uint8_t *buf;

	sample(&t);
	buf = vxt_encode(&t, n);
	assert_non_null(buf);
	vxt_free(&t);
	return buf;
}

static void test_round_trip(void **state)
{
	struct vxt_trace a, b;
	size_t n;
	uint8_t *buf;
	char err[256];

	(void)state;
	sample(&a);
	buf = vxt_encode(&a, &n);
	assert_non_null(buf);
	assert_int_equal(n, VXT_HEADER_SIZE + 4 * VXT_RECORD_SIZE + a.nstr);
	assert_int_equal(vxt_decode(buf, n, &b, err, sizeof(err)), 0);
	assert_int_equal(b.nrec, 4);
	assert_memory_equal(a.rec, b.rec, 4 * sizeof(*a.rec));
	assert_string_equal(vxt_string(&b, b.hdr.scenario), "svm_sample");
	assert_string_equal(vxt_string(&b, b.rec[2].text), "exit_code");
	assert_int_equal(b.hdr.ram_size, 64ull << 20);
	assert_memory_equal(b.hdr.cpuid_vendor, "AuthenticAMD", 12);
	/* The check ends step 0: the injection after it is in step 1. */
	assert_int_equal(b.rec[2].step, 0);
	assert_int_equal(b.rec[3].step, 1);
	/* An exception injection with its error code, as KVM names it. */
	assert_int_equal(b.rec[3].kind, VXT_KVM_INJ_EXCEPTION);
	assert_int_equal(b.rec[3].v[0], 13);
	assert_int_equal(b.rec[3].v[2], 0x18);
	assert_int_equal(b.rec[2].known, 0x07);
	free(buf);
	vxt_free(&a);
	vxt_free(&b);
}

/* The byte offsets docs/traces.md gives. */
static void test_layout(void **state)
{
	size_t n;
	uint8_t *buf = encoded(&n);
	const uint8_t *r1 = buf + VXT_HEADER_SIZE + VXT_RECORD_SIZE;

	(void)state;
	assert_memory_equal(buf, "VXTRACE\0", 8);
	assert_int_equal(buf[0x08], VXT_FORMAT_VERSION);
	assert_int_equal(buf[0x10], 4);                 /* record_count */
	assert_int_equal(buf[0x28], VXT_PLATFORM_MODEL);
	assert_int_equal(buf[0x58], 4);                 /* ncpus */
	assert_int_equal(buf[0x5c], VXT_MACHINE_NPT | VXT_MACHINE_NRIPS);
	assert_int_equal(buf[0x63], 0x04);              /* ram_size 64 MiB, little-endian */
	assert_int_equal(r1[0x00], 0x84);               /* time 900 = 0x384 */
	assert_int_equal(r1[0x01], 0x03);
	assert_int_equal(r1[0x0c], VXT_KVM_EXIT);
	assert_int_equal(r1[0x0e], HV_SRC_SEAM);
	assert_int_equal(r1[0x18], 0x81);               /* v0: reason */
	assert_int_equal(r1[0x18 + 1 * 8 + 1], 0x10);   /* v1: rip 0x1000 */
	assert_int_equal(r1[0x18 + 6 * 8], 0x03);       /* v6: next_rip 0x1003 */
	free(buf);
}

static void expect_bad(uint8_t *buf, size_t n, const char *offset_text)
{
	struct vxt_trace t;
	char err[256] = "";

	if (vxt_decode(buf, n, &t, err, sizeof(err)) != -1)
		fail_msg("decoded a file that should name \"%s\"", offset_text);
	if (!strstr(err, offset_text))
		fail_msg("message \"%s\" does not name \"%s\"", err, offset_text);
	assert_int_equal(t.nrec, 0);
	assert_null(t.rec);
}

static void test_bad_files(void **state)
{
	size_t n;
	uint8_t *buf = encoded(&n), *b = malloc(n);
	const size_t r0 = VXT_HEADER_SIZE, r1 = r0 + VXT_RECORD_SIZE;

	(void)state;
	assert_non_null(b);
#define FRESH() memcpy(b, buf, n)
	FRESH();
	expect_bad(b, 100, "offset 0x64: file ends inside");
	FRESH();
	b[0] = 'X';
	expect_bad(b, n, "offset 0x0: not a vxemu trace");
	FRESH();
	b[0x08] = 2;
	expect_bad(b, n, "offset 0x8: format version 2");
	FRESH();
	b[0x10] = 0xff; /* more records than the file has */
	expect_bad(b, n, "offset 0x10");
	FRESH();
	b[0x17] = 0x7f; /* a huge count: refused before any allocation */
	expect_bad(b, n, "offset 0x10");
	FRESH();
	b[0x20] ^= 1;
	expect_bad(b, n, "offset 0x20");
	FRESH();
	b[0x80] = 1;
	expect_bad(b, n, "offset 0x80: reserved");
	FRESH();
	b[0x28] = 9;
	expect_bad(b, n, "offset 0x28: unknown platform");
	FRESH();
	b[0x6c] = 0xff; /* scenario string beyond the table */
	expect_bad(b, n, "offset 0x6c: string reference");
	FRESH();
	b[r1 + 0x0c] = 0xee;
	expect_bad(b, n, "offset 0x158: record 1: unknown record kind");
	FRESH();
	b[r1 + 0x08] = 4; /* processor 4 of 4 */
	expect_bad(b, n, "record 1: processor number");
	FRESH();
	b[r1 + 0x14] = 0xff;
	expect_bad(b, n, "record 1: string reference");
	FRESH();
	b[r1 + 0x10] = 1; /* step 1 before any check */
	expect_bad(b, n, "record 1: step out of order");
	FRESH();
	b[r1 + 0x00] = 0x10; /* 16 after 100: time goes backwards on cpu 0 */
	b[r1 + 0x01] = 0;
	expect_bad(b, n, "record 1: time goes backwards");
	FRESH();
	b[r0 + 0x0e] = 9;
	expect_bad(b, n, "record 0: unknown source");
	FRESH();
	b[n - 1] = 'x';
	expect_bad(b, n, "does not end with a NUL");
	/* Every truncation is refused, none crashes. */
	for (size_t len = 0; len < n; len++) {
		struct vxt_trace t;
		char err[128];

		FRESH();
		assert_int_equal(vxt_decode(b, len, &t, err, sizeof(err)), -1);
	}
	free(b);
	free(buf);
}

/* Guest code a hostile file describes as all "before" the exit, or longer
 * than a record holds: dump disassembles within the record's 48 bytes. */
static void test_dump_hostile_code(void **state)
{
	struct vxt_trace t;
	struct vxt_record r = { .kind = VXT_GUEST_CODE, .known = 0xff };
	FILE *f = fopen("/dev/null", "w");

	(void)state;
	assert_non_null(f);
	vxt_init(&t);
	t.hdr.platform = VXT_PLATFORM_METAL;
	memset(&r.v[2], 0x90, 48);
	r.v[1] = 48 | 48 << 8 | 64 << 16;
	vxt_push(&t, &r);
	r.v[1] = 47 | 48 << 8 | 16 << 16;
	vxt_push(&t, &r);
	r.v[1] = 0 | 200 << 8 | 32 << 16;
	vxt_push(&t, &r);
	/* All NOPs: every start lands, so only the last byte before RIP is a
	 * boundary they all agree on; nothing is recorded from RIP on. */
	assert_int_equal(vxt_print_code(f, &t.rec[0], ""), 1);
	assert_int_equal(vxt_print_code(f, &t.rec[1], ""), 2);
	assert_int_equal(vxt_print_code(f, &t.rec[2], ""), 0);
	assert_int_equal(vxt_dump(f, &t, VXT_DUMP_TEXT), 0);
	fclose(f);
	vxt_free(&t);
}

static void test_load_missing(void **state)
{
	struct vxt_trace t;
	char err[256];

	(void)state;
	assert_int_equal(vxt_load("/nonexistent/trace.vxt", &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/trace.vxt"));
}

/* Interned strings are stored once and found again. */
static void test_intern(void **state)
{
	struct vxt_trace t;
	uint32_t a, b;
	char name[32];

	(void)state;
	vxt_init(&t);
	a = vxt_intern(&t, "alpha");
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		assert_int_not_equal(vxt_intern(&t, name), 0);
	}
	b = vxt_intern(&t, "alpha");
	assert_int_equal(a, b);
	assert_string_equal(vxt_string(&t, vxt_intern(&t, "s999")), "s999");
	assert_int_equal(vxt_intern(&t, NULL), 0);
	vxt_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_dump_hostile_code),
		cmocka_unit_test(test_load_missing),
		cmocka_unit_test(test_intern),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
