/* SPDX-License-Identifier: MIT */
/*
 * Private to the core: what it needs to emulate one guest memory access
 * (the xAPIC page, mmio.c): the guest's page walk and fetching the
 * instruction at CS:RIP through it (insn_fetch.c), decoding the MOV forms
 * software uses for memory-mapped registers and the address of their
 * memory operand (insn_decode.c).
 */
#ifndef HV_SRC_CORE_INSN_H
#define HV_SRC_CORE_INSN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/ops.h"
#include "hv/vcpu.h"

/* The longest x86 instruction (APM vol. 3 §1.1). */
#define HV_INSN_MAX 15u

/* Segment registers, numbered as in ModRM and the VMCB (ES, CS, SS, DS, FS, GS). */
enum hv_seg { HV_SEG_ES, HV_SEG_CS, HV_SEG_SS, HV_SEG_DS, HV_SEG_FS, HV_SEG_GS };
/* hv_insn.base / .index: no register; .base: RIP-relative. */
#define HV_INSN_NO_REG (-1)
#define HV_INSN_RIP (-2)

/* A decoded MOV between a register (or an immediate) and memory. */
struct hv_insn {
	uint8_t len;      /* bytes, prefixes included */
	uint8_t size;     /* operand size in bytes: 2, 4 or 8 */
	bool write;       /* stores to memory (89, C7, A3) */
	bool has_imm;     /* stores imm (C7), not a register */
	uint8_t reg;      /* the register operand, REX.R included (encoding order) */
	uint64_t imm;     /* C7: the immediate (imm32 sign-extended for 64 bits) */
	/* The memory operand: seg:[base + index * scale + disp], addr_size bytes wide. */
	uint8_t seg;      /* enum hv_seg */
	uint8_t addr_size;/* 2, 4 or 8 */
	int8_t base;      /* a GPR, HV_INSN_NO_REG or HV_INSN_RIP */
	int8_t index;     /* a GPR or HV_INSN_NO_REG */
	uint8_t scale;    /* 1, 2, 4 or 8 */
	uint64_t disp;    /* sign-extended; for A1/A3 the offset itself */
};

/* The code size of the guest's state: 64 (long mode, CS.L), 32 (CS.D) or 16. */
unsigned hv_insn_mode(const struct hv_insn_state *st);

/*
 * The linear address of insn's memory operand, for the guest state st and
 * its GPRs (APM vol. 2 §4.5: segment bases are 0 in 64-bit mode but for FS
 * and GS). False for an FS or GS operand: their bases are VMLOAD/VMSAVE
 * state, which the core does not read.
 */
bool hv_insn_linear(struct hv_vcpu *vcpu, const struct hv_insn_state *st,
		    const struct hv_insn *insn, uint64_t *la);

/*
 * The guest-physical address of linear address la under the guest's
 * paging (st), or false when a level is not present.
 */
bool hv_insn_translate(struct hv_vcpu *vcpu, const struct hv_insn_state *st, uint64_t la,
		       uint64_t *gpa);

/*
 * Decodes the instruction in bytes[0..n) in a code segment of mode bits
 * (16, 32, 64). Understood: MOV r/m, r (89), MOV r, r/m (8B), MOV r/m, imm
 * (C7 /0) with a memory operand, and MOV between rAX and a memory offset
 * (A1, A3); operand-size, address-size and segment prefixes, REX, and
 * every ModRM/SIB/displacement form of 16-, 32- and 64-bit addressing.
 * Returns 0 and *out, or -1 for anything else: another opcode, a register
 * operand, LOCK/REP/REPNE, an instruction longer than n or 15 bytes.
 */
int hv_insn_decode(const uint8_t *bytes, size_t n, unsigned mode, struct hv_insn *out);

/*
 * Reads up to size bytes from the guest's CS:RIP, through its page tables
 * (from st) and, for a VM with nested paging, the VM's second-level
 * tables. Stops early at a page that is not present at either level, at
 * memory the platform does not have, at the CS limit or at a non-canonical
 * address.
 * Returns the number of bytes read.
 */
unsigned hv_insn_fetch(struct hv_vcpu *vcpu, const struct hv_insn_state *st, uint8_t *buf,
		       unsigned size);

#endif
