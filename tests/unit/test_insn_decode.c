/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor core's decoder of memory-operand MOVs
 * (hv/src/core/insn_decode.c): hand-assembled instructions, and the segment
 * and linear address of their memory operand as the manuals give them.
 * Segments: AMD APM vol. 3 §1.2.4 and Intel SDM vol. 2 §2.1.1 and table
 * 3-5 (the last segment override prefix wins; without one, SS for an rSP or
 * rBP base, DS otherwise; 64-bit mode ignores CS, DS, ES and SS overrides
 * and uses base 0 but for FS and GS). ModRM and SIB: APM vol. 3 §1.4,
 * tables 1-10 to 1-12.
 *
 * Every expected address below is worked out by hand from the register
 * values and segment bases given here, each segment base in its own top
 * nibble so that the segment shows in the address.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "insn.h"
#include "x86/cpu.h"

/* GPRs in encoding order; their low 16 bits serve 16-bit addressing. */
static const uint64_t gpr[16] = {
	0x00010100, /* rAX */
	0x00020200, /* rCX */
	0x00030300, /* rDX */
	0x00040400, /* rBX: BX 0400h */
	0x00050500, /* rSP: SP 0500h */
	0x00060600, /* rBP: BP 0600h */
	0x00070700, /* rSI: SI 0700h */
	0x00080800, /* rDI: DI 0800h */
	0x00090900, 0x000a0a00, 0x000b0b00, 0x000c0c00,
	0x000d0d00, /* r12 */
	0x000e0e00, /* r13 */
	0x000f0f00, 0x00101000,
};

static uint64_t get_gpr(struct hv_vcpu *vcpu, unsigned n)
{
	(void)vcpu;
	return gpr[n & 15];
}

static const struct hv_vcpu_ops ops = { .name = "test", .get_gpr = get_gpr };
static struct hv_vcpu vcpu = { .ops = &ops };

#define CODE_ATTRIB (X86_SEG_P | X86_SEG_S | 0xbu)
#define BASES { 0x10000000, 0x20000000, 0x30000000, 0x40000000 } /* ES CS SS DS */

/* Protected mode, CS.D = 1: 32-bit code. */
static const struct hv_insn_state st32 = {
	.rip = 0x401000, .cs_limit = 0xffffffff, .cs_attrib = CODE_ATTRIB | X86_SEG_DB,
	.seg_base = BASES, .cr0 = X86_CR0_PE,
};
/* Protected mode, CS.D = 0: 16-bit code. */
static const struct hv_insn_state st16 = {
	.rip = 0x1000, .cs_limit = 0xffff, .cs_attrib = CODE_ATTRIB,
	.seg_base = BASES, .cr0 = X86_CR0_PE,
};
/* Long mode, CS.L = 0, CS.D = 1: compatibility mode, where bases apply. */
static const struct hv_insn_state stcompat = {
	.rip = 0x401000, .cs_limit = 0xffffffff, .cs_attrib = CODE_ATTRIB | X86_SEG_DB,
	.seg_base = BASES, .cr0 = X86_CR0_PE | X86_CR0_PG, .cr4 = X86_CR4_PAE,
	.efer = X86_EFER_LME | X86_EFER_LMA,
};
/* Long mode, CS.L = 1: 64-bit mode. */
static const struct hv_insn_state st64 = {
	.rip = 0x401000, .cs_limit = 0xffffffff, .cs_attrib = CODE_ATTRIB | X86_SEG_L,
	.seg_base = BASES, .cr0 = X86_CR0_PE | X86_CR0_PG, .cr4 = X86_CR4_PAE,
	.efer = X86_EFER_LME | X86_EFER_LMA,
};

/* The instruction decodes whole, names segment want_seg and linear address want_la. */
#define EXPECT_LA(st, want_seg, want_la, ...)                                           \
	do {                                                                            \
		static const uint8_t b_[] = { __VA_ARGS__ };                            \
		struct hv_insn i_;                                                      \
		uint64_t la_ = 0;                                                       \
		assert_int_equal(hv_insn_decode(b_, sizeof(b_), hv_insn_mode(st), &i_), 0); \
		assert_int_equal(i_.len, sizeof(b_));                                   \
		assert_int_equal(i_.seg, (want_seg));                                   \
		assert_true(hv_insn_linear(&vcpu, (st), &i_, &la_));                    \
		assert_int_equal(la_, (want_la));                                       \
	} while (0)

/* The instruction decodes whole with an FS or GS operand, whose base the core lacks. */
#define EXPECT_NO_LA(st, want_seg, ...)                                                 \
	do {                                                                            \
		static const uint8_t b_[] = { __VA_ARGS__ };                            \
		struct hv_insn i_;                                                      \
		uint64_t la_ = 0;                                                       \
		assert_int_equal(hv_insn_decode(b_, sizeof(b_), hv_insn_mode(st), &i_), 0); \
		assert_int_equal(i_.len, sizeof(b_));                                   \
		assert_int_equal(i_.seg, (want_seg));                                   \
		assert_false(hv_insn_linear(&vcpu, (st), &i_, &la_));                   \
	} while (0)

/* An explicit DS prefix keeps DS with an rBP base: SS is the default only without one. */
static void test_ds_override_on_rbp_base(void **state)
{
	(void)state;
	/* mov eax, ds:[ebp] */
	EXPECT_LA(&st32, HV_SEG_DS, 0x40060600, 0x3e, 0x8b, 0x45, 0x00);
	/* mov eax, ds:[ebp-10h] */
	EXPECT_LA(&st32, HV_SEG_DS, 0x400605f0, 0x3e, 0x8b, 0x45, 0xf0);
	/* mov eax, ds:[ebp+100h] */
	EXPECT_LA(&st32, HV_SEG_DS, 0x40060700, 0x3e, 0x8b, 0x85, 0x00, 0x01, 0x00, 0x00);
	/* mov ds:[ebp], eax and mov dword ds:[ebp], 12345678h */
	EXPECT_LA(&st32, HV_SEG_DS, 0x40060600, 0x3e, 0x89, 0x45, 0x00);
	EXPECT_LA(&st32, HV_SEG_DS, 0x40060600, 0x3e, 0xc7, 0x45, 0x00, 0x78, 0x56, 0x34,
		  0x12);
	/* Compatibility mode applies segment bases as 32-bit mode does. */
	EXPECT_LA(&stcompat, HV_SEG_DS, 0x40060600, 0x3e, 0x8b, 0x45, 0x00);
	/* 16-bit: mov ax, ds:[bp+2]; ds:[bp+si]; ds:[bp+di] */
	EXPECT_LA(&st16, HV_SEG_DS, 0x40000602, 0x3e, 0x8b, 0x46, 0x02);
	EXPECT_LA(&st16, HV_SEG_DS, 0x40000d00, 0x3e, 0x8b, 0x02);
	EXPECT_LA(&st16, HV_SEG_DS, 0x40000e00, 0x3e, 0x8b, 0x03);
}

/* The same through a SIB byte whose base is rSP or rBP. */
static void test_ds_override_on_sib_stack_base(void **state)
{
	(void)state;
	/* mov eax, ds:[esp] (SIB 24h) and ds:[esp+8] */
	EXPECT_LA(&st32, HV_SEG_DS, 0x40050500, 0x3e, 0x8b, 0x04, 0x24);
	EXPECT_LA(&st32, HV_SEG_DS, 0x40050508, 0x3e, 0x8b, 0x44, 0x24, 0x08);
	/* mov eax, ds:[ebp+4] with SIB 25h: base EBP, no index */
	EXPECT_LA(&st32, HV_SEG_DS, 0x40060604, 0x3e, 0x8b, 0x44, 0x25, 0x04);
	/* mov eax, ds:[esp+ebp+4] (SIB 2Ch: base ESP, index EBP) */
	EXPECT_LA(&st32, HV_SEG_DS, 0x400b0b04, 0x3e, 0x8b, 0x44, 0x2c, 0x04);
}

/* Several segment prefixes: the last one counts, in every mode but 64-bit. */
static void test_last_segment_prefix_wins(void **state)
{
	(void)state;
	/* es ds mov eax, [ebp]: DS */
	EXPECT_LA(&st32, HV_SEG_DS, 0x40060600, 0x26, 0x3e, 0x8b, 0x45, 0x00);
	/* ds es mov eax, [ebp]: ES */
	EXPECT_LA(&st32, HV_SEG_ES, 0x10060600, 0x3e, 0x26, 0x8b, 0x45, 0x00);
	/* ss cs mov eax, [ebx]: CS */
	EXPECT_LA(&st32, HV_SEG_CS, 0x20040400, 0x36, 0x2e, 0x8b, 0x03);
	/* ss mov eax, [ebx]: SS with a base that is not rSP or rBP */
	EXPECT_LA(&st32, HV_SEG_SS, 0x30040400, 0x36, 0x8b, 0x03);
	/* fs ds mov eax, [ebx]: DS, outside 64-bit mode DS displaces FS */
	EXPECT_LA(&st32, HV_SEG_DS, 0x40040400, 0x64, 0x3e, 0x8b, 0x03);
	/* ds fs mov eax, [ebx]: FS */
	EXPECT_NO_LA(&st32, HV_SEG_FS, 0x3e, 0x64, 0x8b, 0x03);
}

/*
 * 64-bit mode: CS, DS, ES and SS overrides are ignored, so they leave the
 * default segment and do not displace an FS or GS prefix before them; every
 * base but FS's and GS's is 0.
 */
static void test_64bit_ignores_cs_ds_es_ss(void **state)
{
	(void)state;
	/* fs ds mov eax, [rbx]: FS */
	EXPECT_NO_LA(&st64, HV_SEG_FS, 0x64, 0x3e, 0x8b, 0x03);
	/* gs es mov eax, [rbx]: GS */
	EXPECT_NO_LA(&st64, HV_SEG_GS, 0x65, 0x26, 0x8b, 0x03);
	/* fs ss mov eax, [rbp]: FS */
	EXPECT_NO_LA(&st64, HV_SEG_FS, 0x64, 0x36, 0x8b, 0x45, 0x00);
	/* gs cs mov eax, [rbx]: GS, also when a REX prefix follows */
	EXPECT_NO_LA(&st64, HV_SEG_GS, 0x65, 0x2e, 0x48, 0x8b, 0x03);
	/* ds mov eax, [rbp]: the default SS, base 0 */
	EXPECT_LA(&st64, HV_SEG_SS, 0x60600, 0x3e, 0x8b, 0x45, 0x00);
	/* ss mov eax, [rbx]: the default DS, base 0 */
	EXPECT_LA(&st64, HV_SEG_DS, 0x40400, 0x36, 0x8b, 0x03);
	/* ds mov eax, [rip+10h]: RIP of the next instruction (401007h) + 10h */
	EXPECT_LA(&st64, HV_SEG_DS, 0x401017, 0x3e, 0x8b, 0x05, 0x10, 0x00, 0x00, 0x00);
}

/* Without a prefix, an rSP or rBP base means SS (APM vol. 3 §1.2.4, SDM table 3-5). */
static void test_default_ss_for_stack_bases(void **state)
{
	(void)state;
	/* mov eax, [ebp], [ebp+100h] */
	EXPECT_LA(&st32, HV_SEG_SS, 0x30060600, 0x8b, 0x45, 0x00);
	EXPECT_LA(&st32, HV_SEG_SS, 0x30060700, 0x8b, 0x85, 0x00, 0x01, 0x00, 0x00);
	/* mov eax, [esp+8], [ebp+4] (SIB base EBP), [esp+ebp+4] */
	EXPECT_LA(&st32, HV_SEG_SS, 0x30050508, 0x8b, 0x44, 0x24, 0x08);
	EXPECT_LA(&st32, HV_SEG_SS, 0x30060604, 0x8b, 0x44, 0x25, 0x04);
	EXPECT_LA(&st32, HV_SEG_SS, 0x300b0b04, 0x8b, 0x44, 0x2c, 0x04);
	EXPECT_LA(&stcompat, HV_SEG_SS, 0x30060600, 0x8b, 0x45, 0x00);
	/* 16-bit: mov ax, [bp+2], [bp+si], [bp+di] */
	EXPECT_LA(&st16, HV_SEG_SS, 0x30000602, 0x8b, 0x46, 0x02);
	EXPECT_LA(&st16, HV_SEG_SS, 0x30000d00, 0x8b, 0x02);
	EXPECT_LA(&st16, HV_SEG_SS, 0x30000e00, 0x8b, 0x03);
}

/* Without a prefix and without an rSP or rBP base, DS, whatever the index. */
static void test_default_ds_otherwise(void **state)
{
	(void)state;
	/* mov eax, [ebx] */
	EXPECT_LA(&st32, HV_SEG_DS, 0x40040400, 0x8b, 0x03);
	/* mov eax, [ebp*1+1000h]: SIB 2Dh with mod 00 has no base, EBP only indexes */
	EXPECT_LA(&st32, HV_SEG_DS, 0x40061600, 0x8b, 0x04, 0x2d, 0x00, 0x10, 0x00, 0x00);
	/* mov eax, [1000h] through SIB 25h (no base, no index) and through ModRM 05h */
	EXPECT_LA(&st32, HV_SEG_DS, 0x40001000, 0x8b, 0x04, 0x25, 0x00, 0x10, 0x00, 0x00);
	EXPECT_LA(&st32, HV_SEG_DS, 0x40001000, 0x8b, 0x05, 0x00, 0x10, 0x00, 0x00);
	/* mov eax, [ebx+ebp] (SIB 2Bh: base EBX, index EBP) */
	EXPECT_LA(&st32, HV_SEG_DS, 0x400a0a00, 0x8b, 0x04, 0x2b);
	/* mov eax, [1000h] as moffs32 (A1) */
	EXPECT_LA(&st32, HV_SEG_DS, 0x40001000, 0xa1, 0x00, 0x10, 0x00, 0x00);
	/* 16-bit: mov ax, [1234h] (mod 00, rm 110: no BP), [bx+si] */
	EXPECT_LA(&st16, HV_SEG_DS, 0x40001234, 0x8b, 0x06, 0x34, 0x12);
	EXPECT_LA(&st16, HV_SEG_DS, 0x40000b00, 0x8b, 0x00);
	/* 64-bit, REX.B: [r13], [r12+8] (SIB), and SIB base 101 with mod 00 = no base */
	EXPECT_LA(&st64, HV_SEG_DS, 0xe0e00, 0x41, 0x8b, 0x45, 0x00);
	EXPECT_LA(&st64, HV_SEG_DS, 0xd0d08, 0x41, 0x8b, 0x44, 0x24, 0x08);
	EXPECT_LA(&st64, HV_SEG_DS, 0x1000, 0x41, 0x8b, 0x04, 0x25, 0x00, 0x10, 0x00, 0x00);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ds_override_on_rbp_base),
		cmocka_unit_test(test_ds_override_on_sib_stack_base),
		cmocka_unit_test(test_last_segment_prefix_wins),
		cmocka_unit_test(test_64bit_ignores_cs_ds_es_ss),
		cmocka_unit_test(test_default_ss_for_stack_bases),
		cmocka_unit_test(test_default_ds_otherwise),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
