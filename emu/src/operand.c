/* SPDX-License-Identifier: MIT */
/*
 * The linear address of an instruction's memory operand, worked out from
 * its decoding and the registers: the address INVLPG names, and the exact
 * address of a data access that faulted without running the instruction
 * again (vtlb.c's probe does that for the rest). For a fault only
 * instructions whose one memory access is their one explicit memory operand
 * qualify: no stack, string or other implicit accesses.
 */
#include <capstone/x86.h>

#include "emu_internal.h"

/*
 * Instructions whose only memory access is their explicit operand, as a
 * whole, at its effective address: the data moves and integer arithmetic
 * that make up most data accesses. Anything else (stack, string, bit-string
 * and descriptor-table accesses among them) is left to the probe.
 */
static bool operand_is_access(unsigned id)
{
	switch (id) {
	case X86_INS_MOV: case X86_INS_MOVZX: case X86_INS_MOVSX: case X86_INS_MOVSXD:
	case X86_INS_MOVBE: case X86_INS_MOVNTI:
	case X86_INS_ADD: case X86_INS_ADC: case X86_INS_SUB: case X86_INS_SBB:
	case X86_INS_AND: case X86_INS_OR: case X86_INS_XOR: case X86_INS_CMP:
	case X86_INS_TEST: case X86_INS_INC: case X86_INS_DEC: case X86_INS_NEG:
	case X86_INS_NOT: case X86_INS_XCHG: case X86_INS_CMPXCHG: case X86_INS_XADD:
	case X86_INS_MOVD: case X86_INS_MOVQ: case X86_INS_MOVAPS: case X86_INS_MOVUPS:
	case X86_INS_MOVAPD: case X86_INS_MOVUPD: case X86_INS_MOVDQA: case X86_INS_MOVDQU:
		return true;
	default:
		return false;
	}
}

/* Capstone's general registers by width: each is one of the sixteen, masked. */
static const int gpr64[16] = {
	X86_REG_RAX, X86_REG_RCX, X86_REG_RDX, X86_REG_RBX, X86_REG_RSP, X86_REG_RBP,
	X86_REG_RSI, X86_REG_RDI, X86_REG_R8, X86_REG_R9, X86_REG_R10, X86_REG_R11,
	X86_REG_R12, X86_REG_R13, X86_REG_R14, X86_REG_R15,
};
static const int gpr32[16] = {
	X86_REG_EAX, X86_REG_ECX, X86_REG_EDX, X86_REG_EBX, X86_REG_ESP, X86_REG_EBP,
	X86_REG_ESI, X86_REG_EDI, X86_REG_R8D, X86_REG_R9D, X86_REG_R10D, X86_REG_R11D,
	X86_REG_R12D, X86_REG_R13D, X86_REG_R14D, X86_REG_R15D,
};
static const int gpr16[8] = {
	X86_REG_AX, X86_REG_CX, X86_REG_DX, X86_REG_BX, X86_REG_SP, X86_REG_BP,
	X86_REG_SI, X86_REG_DI,
};

/* An address register's value; none is 0. False for what is not one (RIP aside). */
static bool reg_value(struct emu_cpu *cpu, int cs, uint64_t *v)
{
	if (cs == X86_REG_INVALID) {
		*v = 0;
		return true;
	}
	for (int i = 0; i < 16; i++) {
		if (gpr64[i] == cs) {
			*v = emu_reg_get(cpu, emu_uc_gpr[i]);
			return true;
		}
		if (gpr32[i] == cs) {
			*v = emu_reg_get(cpu, emu_uc_gpr[i]) & 0xffffffffull;
			return true;
		}
		if (i < 8 && gpr16[i] == cs) {
			*v = emu_reg_get(cpu, emu_uc_gpr[i]) & 0xffffull;
			return true;
		}
	}
	return false;
}

bool emu_insn_linear(struct emu_cpu *cpu, const struct emu_insn *in, uint64_t lin, uint64_t *la)
{
	uint64_t base, index, ea, seg_base = 0;
	bool stack = in->mem_base == X86_REG_RBP || in->mem_base == X86_REG_RSP ||
		     in->mem_base == X86_REG_EBP || in->mem_base == X86_REG_ESP ||
		     in->mem_base == X86_REG_BP || in->mem_base == X86_REG_SP;

	if (in->mem_base == X86_REG_RIP || in->mem_base == X86_REG_EIP)
		base = lin + in->len; /* only in 64-bit mode, where linear is RIP */
	else if (!reg_value(cpu, in->mem_base, &base))
		return false;
	if (!reg_value(cpu, in->mem_index, &index))
		return false;
	ea = base + index * (uint64_t)in->mem_scale + (uint64_t)in->mem_disp;
	if (in->addr_size == 4)
		ea &= 0xffffffffull;
	else if (in->addr_size == 2)
		ea &= 0xffffull;
	if (cpu->mode == 64) {
		/* §4.12.2: only FS and GS keep a base in 64-bit mode. */
		if (in->mem_seg == X86_REG_FS)
			seg_base = emu_reg_get(cpu, UC_X86_REG_FS_BASE);
		else if (in->mem_seg == X86_REG_GS)
			seg_base = emu_reg_get(cpu, UC_X86_REG_GS_BASE);
		*la = seg_base + ea;
		return true;
	}
	struct emu_regs r;

	emu_cpustate_store(cpu, &r);
	switch (in->mem_seg) {
	case X86_REG_ES: seg_base = r.es.base; break;
	case X86_REG_CS: seg_base = r.cs.base; break;
	case X86_REG_SS: seg_base = r.ss.base; break;
	case X86_REG_FS: seg_base = r.fs.base; break;
	case X86_REG_GS: seg_base = r.gs.base; break;
	case X86_REG_DS: seg_base = r.ds.base; break;
	/* §2.5.3: rBP and rSP address the stack segment unless overridden. */
	default: seg_base = stack ? r.ss.base : r.ds.base; break;
	}
	*la = (seg_base + ea) & 0xffffffffull;
	return true;
}

bool emu_operand_address(struct emu_cpu *cpu, uint64_t lin, uint64_t *la, uint8_t *size)
{
	struct emu_insn in;

	/* MOV to a segment register loads a descriptor too. */
	if (emu_decode_insn(cpu, lin, &in) != 0 || in.mem_count != 1 || in.mem_size == 0 ||
	    in.sreg_operand || !operand_is_access(in.id))
		return false;
	*size = in.mem_size;
	return emu_insn_linear(cpu, &in, lin, la);
}
