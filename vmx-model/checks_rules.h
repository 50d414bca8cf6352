/* SPDX-License-Identifier: MIT */
/*
 * What the VM-entry rule predicates share (vmx-model/checks*.c): the
 * state an entry is checked on, the helpers several sections use, and one
 * declaration per row of include/x86/vmx_checks.h.
 *
 * Who may include it: vmx-model/checks*.c.
 */
#ifndef VMX_MODEL_CHECKS_RULES_H
#define VMX_MODEL_CHECKS_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx-model/checks.h"
#include "x86/cpu.h"
#include "x86/vmx.h"
#include "x86/vmx_checks.h"

/* Linear addresses have 48 bits: the model has no 5-level paging (CR4.LA57 is not in CR4_FIXED1). */
#define LINEAR_WIDTH 48
/* IA32_EFER bits Intel 64 defines: SCE, LME, LMA, NXE; the rest are reserved. */
#define EFER_DEFINED (X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE)
/* IA32_DEBUGCTL bits the model implements: LBR (0) and BTF (1). */
#define DEBUGCTL_BTF (1ull << 1)
#define DEBUGCTL_DEFINED (1ull << 0 | DEBUGCTL_BTF)
/* RFLAGS bits 63:22, 15, 5 and 3 (§27.3.1.4). */
#define RFLAGS_RESERVED_BITS (~0x3fffffull | 1ull << 15 | 1ull << 5 | 1ull << 3)
/* Pending debug exceptions bits 11:4, 13, 15, 63:17 (§27.3.1.5). */
#define PDE_RESERVED_BITS (0xff0ull | 1ull << 13 | 1ull << 15 | ~0x1ffffull)
#define VMCS_LINK_NONE (~0ull)

struct check_in {
	const struct vmx_controls *c;
	const struct vmx_guest_state *g;
	const struct vmx_host_state *h;
	const struct vmx_caps *caps;
	const struct vmx_entry_env *env;
	uint32_t proc2; /* as the processor sees them: 0 without 'activate secondary controls' */
	bool ia32e_guest, host64, ug, ept, v86;
	uint32_t inj_type, inj_vector; /* of a valid VM-entry interruption information */
	bool inj;
};

static inline bool canonical(uint64_t a)
{
	return (uint64_t)((int64_t)(a << (64 - LINEAR_WIDTH)) >> (64 - LINEAR_WIDTH)) == a;
}

static inline bool within_width(const struct check_in *in, uint64_t pa)
{
	return !(pa >> in->caps->maxphyaddr);
}

/* Control-word capability: the TRUE MSR where IA32_VMX_BASIC bit 55 says there is one (appendix A.2). */
static inline uint64_t cap_ctls(const struct check_in *in, uint64_t plain, uint64_t true_msr)
{
	return (in->caps->basic & VMX_BASIC_TRUE_CTLS) ? true_msr : plain;
}

/* A page-aligned structure that lies within the physical-address width. */
static inline bool page_ok(const struct check_in *in, uint64_t pa)
{
	return !(pa & 0xfff) && within_width(in, pa);
}

/* An MSR list: 16-byte aligned, its last byte within the physical-address width (§27.2.1.2). */
static inline bool msr_list_ok(const struct check_in *in, uint64_t pa, uint32_t count)
{
	return !count ||
	       (!(pa & 0xf) && within_width(in, pa) && within_width(in, pa + (uint64_t)count * 16 - 1));
}

static inline bool pat_ok(uint64_t pat)
{
	for (int i = 0; i < 8; i++) {
		uint8_t t = (uint8_t)(pat >> (8 * i));

		if (t == 2 || t == 3 || t > 7)
			return false;
	}
	return true;
}

static inline bool fixed_ok(uint64_t v, uint64_t fixed0, uint64_t fixed1)
{
	return (v & fixed0) == fixed0 && !(v & ~fixed1);
}

static inline const struct vmx_segment *seg(const struct check_in *in, enum vmx_seg s)
{
	return &in->g->seg[s];
}

static inline bool usable(const struct vmx_segment *s)
{
	return !(s->ar_bytes & VMX_AR_UNUSABLE);
}

static inline uint32_t seg_type(const struct vmx_segment *s)
{
	return s->ar_bytes & VMX_AR_TYPE_MASK;
}

static inline uint32_t dpl(const struct vmx_segment *s)
{
	return (s->ar_bytes & VMX_AR_DPL_MASK) >> VMX_AR_DPL_SHIFT;
}

#define CC_DECL_CTL(id) bool cc_##id(const struct check_in *in);
#define CC_DECL_HOST(id) bool cc_##id(const struct check_in *in);
#define CC_DECL_GUEST(id) bool cc_##id(const struct check_in *in);
#define CC_DECL_PDPTE(id) bool cc_##id(const struct check_in *in);
#define CC_DECL_NMI(id) bool cc_##id(const struct check_in *in);
#define CC_DECL_LINK(id) bool cc_##id(const struct check_in *in);
#define CC_DECL_MSR(id) bool mc_##id(const struct vmx_msr_entry *e);
#define CC_DECL(id, cls, section, rule) CC_DECL_##cls(id)
VMX_ENTRY_CHECKS(CC_DECL)
#undef CC_DECL

#endif
