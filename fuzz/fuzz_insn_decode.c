/* SPDX-License-Identifier: MIT */
/*
 * The core's instruction decoder (hv/src/core/insn_decode.c) on any bytes,
 * with Capstone as the oracle. Input: one byte that picks the code size
 * (16, 32 or 64 bits), then the instruction bytes, which the decoder gets
 * in a buffer of exactly their size so that a read past them is a
 * sanitizer report. When the decoder claims an instruction, Capstone must
 * decode the same bytes to a MOV of the same length, operand size,
 * direction, register or immediate, and memory operand (segment, base,
 * index, scale, displacement, address size); the decoder must give the
 * same answer when handed exactly those bytes and refuse them one byte
 * short. Refusing is always allowed.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <capstone/capstone.h>

#include "fuzz.h"
#include "inputs.h"
#include "insn.h"

static const unsigned modes[3] = { 16, 32, 64 };
static csh cs[3];

/* GPRs in instruction-encoding order, by width. */
static const x86_reg gpr64[16] = {
	X86_REG_RAX, X86_REG_RCX, X86_REG_RDX, X86_REG_RBX, X86_REG_RSP, X86_REG_RBP,
	X86_REG_RSI, X86_REG_RDI, X86_REG_R8,  X86_REG_R9,  X86_REG_R10, X86_REG_R11,
	X86_REG_R12, X86_REG_R13, X86_REG_R14, X86_REG_R15,
};
static const x86_reg gpr32[16] = {
	X86_REG_EAX,  X86_REG_ECX,  X86_REG_EDX,  X86_REG_EBX,  X86_REG_ESP,  X86_REG_EBP,
	X86_REG_ESI,  X86_REG_EDI,  X86_REG_R8D,  X86_REG_R9D,  X86_REG_R10D, X86_REG_R11D,
	X86_REG_R12D, X86_REG_R13D, X86_REG_R14D, X86_REG_R15D,
};
static const x86_reg gpr16[16] = {
	X86_REG_AX,   X86_REG_CX,   X86_REG_DX,   X86_REG_BX,   X86_REG_SP,   X86_REG_BP,
	X86_REG_SI,   X86_REG_DI,   X86_REG_R8W,  X86_REG_R9W,  X86_REG_R10W, X86_REG_R11W,
	X86_REG_R12W, X86_REG_R13W, X86_REG_R14W, X86_REG_R15W,
};

/* Capstone's register r as the decoder numbers it, of width bytes; -1 if another. */
static int gpr_num(x86_reg r, unsigned width)
{
	const x86_reg *t = width == 8 ? gpr64 : width == 4 ? gpr32 : width == 2 ? gpr16 : NULL;

	for (int i = 0; t && i < 16; i++)
		if (t[i] == r)
			return i;
	return -1;
}

static int seg_num(x86_reg r)
{
	switch (r) {
	case X86_REG_ES: return HV_SEG_ES;
	case X86_REG_CS: return HV_SEG_CS;
	case X86_REG_SS: return HV_SEG_SS;
	case X86_REG_DS: return HV_SEG_DS;
	case X86_REG_FS: return HV_SEG_FS;
	case X86_REG_GS: return HV_SEG_GS;
	default: return -1;
	}
}

static uint64_t mask_of(unsigned bytes)
{
	return bytes >= 8 ? ~0ull : (1ull << (8 * bytes)) - 1;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const cs_mode cs_modes[3] = { CS_MODE_16, CS_MODE_32, CS_MODE_64 };

	(void)argc, (void)argv;
	for (int i = 0; i < 3; i++) {
		FZ_CHECK(cs_open(CS_ARCH_X86, cs_modes[i], &cs[i]) == CS_ERR_OK);
		cs_option(cs[i], CS_OPT_DETAIL, CS_OPT_ON);
	}
	return 0;
}

static bool same(const struct hv_insn *a, const struct hv_insn *b)
{
	return a->len == b->len && a->size == b->size && a->write == b->write &&
	       a->has_imm == b->has_imm && a->reg == b->reg && a->imm == b->imm &&
	       a->seg == b->seg && a->addr_size == b->addr_size && a->base == b->base &&
	       a->index == b->index && (a->index == HV_INSN_NO_REG || a->scale == b->scale) &&
	       a->disp == b->disp;
}

/*
 * The last FS or GS prefix of the instruction at b, or -1. In 64-bit mode
 * the CS, DS, ES and SS prefixes are null prefixes, not overrides, and do
 * not displace an FS or GS one (APM vol. 3 §1.2.4); Capstone 4 reports the
 * last segment prefix of any kind (capstone-engine/capstone#2818), so the
 * segment of a 64-bit instruction is taken from the bytes.
 */
static int last_fs_gs(const uint8_t *b, size_t len)
{
	int seg = -1;

	for (size_t i = 0; i < len; i++) {
		switch (b[i]) {
		case 0x64: seg = HV_SEG_FS; continue;
		case 0x65: seg = HV_SEG_GS; continue;
		case 0x26: case 0x2e: case 0x36: case 0x3e:
		case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
			continue;
		}
		if ((b[i] & 0xf0) == 0x40)
			continue;
		break;
	}
	return seg;
}

/* The memory operand m as Capstone sees it against the decoder's. */
static void check_mem(const struct hv_insn *d, const cs_x86_op *m, unsigned mode, int fs_gs)
{
	int seg = seg_num(m->mem.segment), def;

	FZ_CHECK(m->size == d->size);
	if (d->base == HV_INSN_RIP)
		FZ_CHECK(m->mem.base == X86_REG_RIP || m->mem.base == X86_REG_EIP);
	else if (d->base == HV_INSN_NO_REG)
		FZ_CHECK(m->mem.base == X86_REG_INVALID);
	else
		FZ_CHECK(gpr_num(m->mem.base, d->addr_size) == d->base);
	if (d->index == HV_INSN_NO_REG) {
		FZ_CHECK(m->mem.index == X86_REG_INVALID);
	} else {
		FZ_CHECK(gpr_num(m->mem.index, d->addr_size) == d->index);
		FZ_CHECK(m->mem.scale == d->scale);
	}
	/* Only the address-size bits of the displacement reach the address. */
	FZ_CHECK((((uint64_t)m->mem.disp ^ d->disp) & mask_of(d->addr_size)) == 0);
	/* Without an override: SS for an rSP or rBP base, else DS (APM vol. 3 §1.2.4). */
	def = d->base == 4 || d->base == 5 ? HV_SEG_SS : HV_SEG_DS;
	if (mode == 64)
		FZ_CHECK(d->seg == (fs_gs >= 0 ? fs_gs : def));
	else
		FZ_CHECK(d->seg == (seg >= 0 ? seg : def));
}

static void check_against_capstone(const uint8_t *b, size_t n, unsigned m,
				   const struct hv_insn *d)
{
	const cs_x86_op *mem, *other;
	cs_insn *ci;
	size_t count = cs_disasm(cs[m], b, n < HV_INSN_MAX ? n : HV_INSN_MAX, 0, 1, &ci);
	const cs_x86 *x;

	FZ_CHECK(count == 1);
	x = &ci->detail->x86;
	FZ_CHECK(ci->size == d->len);
	FZ_CHECK(ci->id == X86_INS_MOV || ci->id == X86_INS_MOVABS);
	FZ_CHECK(x->op_count == 2);
	FZ_CHECK(x->addr_size == d->addr_size);
	/* The memory operand is the destination exactly when the MOV stores. */
	FZ_CHECK((x->operands[0].type == X86_OP_MEM) == d->write);
	mem = &x->operands[d->write ? 0 : 1];
	other = &x->operands[d->write ? 1 : 0];
	FZ_CHECK(mem->type == X86_OP_MEM);
	check_mem(d, mem, modes[m], last_fs_gs(b, d->len));
	if (d->has_imm) {
		FZ_CHECK(other->type == X86_OP_IMM);
		FZ_CHECK((((uint64_t)other->imm ^ d->imm) & mask_of(d->size)) == 0);
		/* A 64-bit store takes imm32 sign-extended (APM vol. 3, MOV). */
		if (d->size == 8)
			FZ_CHECK((uint64_t)other->imm == d->imm);
	} else {
		FZ_CHECK(other->type == X86_OP_REG);
		FZ_CHECK(gpr_num(other->reg, d->size) == d->reg);
	}
	cs_free(ci, count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hv_insn d, again;
	unsigned m;
	uint8_t *b;
	size_t n;

	if (size < 1)
		return 0;
	m = data[0] % FZ_DECODE_MODES;
	n = size - 1;
	/* Exactly n bytes on the heap: one more read is a sanitizer report. */
	b = malloc(n ? n : 1);
	FZ_CHECK(b != NULL);
	memcpy(b, data + 1, n);
	memset(&d, 0, sizeof(d));
	if (hv_insn_decode(b, n, modes[m], &d) == 0) {
		FZ_CHECK(d.len >= 1 && d.len <= HV_INSN_MAX && d.len <= n);
		FZ_CHECK(d.size == 2 || d.size == 4 || d.size == 8);
		FZ_CHECK(d.addr_size == 2 || d.addr_size == 4 || d.addr_size == 8);
		FZ_CHECK(d.reg < 16 && d.seg <= HV_SEG_GS);
		check_against_capstone(b, n, m, &d);
		/* The bytes after the instruction play no part; one byte short is too short. */
		memset(&again, 0, sizeof(again));
		FZ_CHECK(hv_insn_decode(b, d.len, modes[m], &again) == 0 && same(&d, &again));
		FZ_CHECK(hv_insn_decode(b, d.len - 1u, modes[m], &again) != 0);
	}
	free(b);
	return 0;
}
