/* SPDX-License-Identifier: MIT */
/*
 * The layouts of the binary fuzz inputs, shared by the targets that read
 * them and make_seeds.c, which writes the seed corpora. Fields are
 * little-endian and follow one another with no padding (fuzz.h).
 */
#ifndef VX_FUZZ_INPUTS_H
#define VX_FUZZ_INPUTS_H

#include <stdio.h>

#include "fuzz.h"
#include "hv/ops.h"

/* insn_decode: one byte, then the instruction bytes. */
#define FZ_DECODE_MODES 3 /* byte % 3: 16-, 32-, 64-bit code */

/*
 * insn_fetch: flags (u8), the hole (u64), bytes to fetch (u8), the guest
 * state (fz_insn_state), a linear address to translate (u64), then RAM
 * contents up to the end of the input, as pieces: offset (u16), n (u8), n
 * bytes. RAM is zero elsewhere.
 */
#define FZ_FETCH_NPT 1u /* flags: a VM with nested paging, the hole where the input says */

/*
 * vlapic: the configuration byte, then operations: FZ_OP_* (u8, modulo
 * FZ_OP_COUNT), a vCPU (u8, modulo the count) and the arguments below.
 */
#define FZ_VLAPIC_CPUS 3u /* configuration: vCPUs - 1 */
#define FZ_VLAPIC_NPT 4u  /* configuration: nested paging, so an xAPIC page */
enum {
	FZ_OP_REG_READ,  /* offset u32 */
	FZ_OP_REG_WRITE, /* offset u32, value u64 */
	FZ_OP_RDMSR,     /* MSR u32 */
	FZ_OP_WRMSR,     /* MSR u32, value u64 */
	FZ_OP_NPF,       /* gpa u64, access u8 (HV_GPA_*), fz_insn_state, n u8 (mod 16), n bytes */
	FZ_OP_POKE,      /* RAM offset u16, n u8, n bytes */
	FZ_OP_ENTRY,     /* bit 0: the guest has not taken V_IRQ by the exit */
	FZ_OP_RESET,     /* bit 0: power-on rather than INIT */
	FZ_OP_GPR,       /* register u8 (modulo 16), value u64 */
	FZ_OP_COUNT
};

/*
 * vmrun: flags (u8), the VMCB's control and state save areas (FZ_VMCB_SIZE
 * bytes: the rest of its page is reserved, APM vol. 2 appendix B), guest
 * code (up to FZ_CODE_MAX).
 */
#define FZ_VMRUN_NPT 1u
#define FZ_VMRUN_VNMI 2u
#define FZ_VMRUN_NRIPS 4u
#define FZ_VMRUN_RUNS_SHIFT 3 /* bits 3-4: VMRUNs in a row - 1 */
#define FZ_VMCB_SIZE 0x6e8u
#define FZ_CODE_MAX 4096u

/* The guest state of an instruction (hv/ops.h), field by field. */
static inline void fz_insn_state(struct fz_in *in, struct hv_insn_state *st)
{
	st->rip = fz_u64(in);
	st->cs_limit = fz_u32(in);
	st->cs_attrib = fz_u16(in);
	for (int i = 0; i < 4; i++)
		st->seg_base[i] = fz_u64(in);
	st->cr0 = fz_u64(in);
	st->cr3 = fz_u64(in);
	st->cr4 = fz_u64(in);
	st->efer = fz_u64(in);
}

static inline void fz_put_insn_state(FILE *f, const struct hv_insn_state *st)
{
	fz_put(f, st->rip, 8);
	fz_put(f, st->cs_limit, 4);
	fz_put(f, st->cs_attrib, 2);
	for (int i = 0; i < 4; i++)
		fz_put(f, st->seg_base[i], 8);
	fz_put(f, st->cr0, 8);
	fz_put(f, st->cr3, 8);
	fz_put(f, st->cr4, 8);
	fz_put(f, st->efer, 8);
}

#endif
