/* SPDX-License-Identifier: MIT */
/*
 * VMRUN consistency checks (APM vol. 2 §15.5.1 "Basic Operation", the list of
 * illegal guest state that makes VMRUN exit with VMEXIT_INVALID), plus the
 * EVENTINJ and vNMI checks of §15.20 and §15.21.10.
 */
#include "svm-model/svm_model.h"
#include "x86/cpu.h"
#include "x86/svm.h"

#define MAXPHYADDR 40

/* CR4 bits this model implements; any other bit is reserved (MBZ). */
#define CR4_DEFINED (X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | X86_CR4_DE | X86_CR4_PSE | \
		     X86_CR4_PAE | X86_CR4_MCE | X86_CR4_PGE | X86_CR4_PCE | X86_CR4_OSFXSR | \
		     X86_CR4_OSXMMEXCPT | X86_CR4_UMIP | X86_CR4_FSGSBASE | X86_CR4_PCIDE | \
		     X86_CR4_OSXSAVE | X86_CR4_SMEP | X86_CR4_SMAP | X86_CR4_PKE)
/* EFER bits that may be set (the rest, including bit 9, are MBZ). */
#define EFER_DEFINED (X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE | \
		      X86_EFER_SVME | X86_EFER_LMSLE | X86_EFER_FFXSR | X86_EFER_TCE)

/*
 * EVENTINJ (§15.20): defined types only; an exception may not use vector 2
 * (NMI), must name a vector that is an exception, and must be possible in the
 * guest's mode: the APM's own example of an illegal injection is #BR into a
 * 64-bit guest.
 */
bool svm_eventinj_valid(uint32_t ev, bool mode64)
{
	uint32_t type = ev & SVM_EVTINJ_TYPE_MASK;
	uint8_t vec = ev & SVM_EVTINJ_VEC_MASK;

	if (!(ev & SVM_EVTINJ_VALID))
		return true;
	if (ev & SVM_EVTINJ_RESERVED_BITS)
		return false;
	switch (type) {
	case SVM_EVTINJ_TYPE_INTR:
	case SVM_EVTINJ_TYPE_NMI:
	case SVM_EVTINJ_TYPE_SOFT:
		return true;
	case SVM_EVTINJ_TYPE_EXEPT:
		if (vec == 2 || vec == 9 || vec == 15 || vec == 20 || (vec >= 22 && vec <= 27) ||
		    vec == 31 || vec >= 32)
			return false;
		return !(mode64 && vec == X86_VEC_BR);
	default:
		return false;
	}
}

/*
 * The extent of each permission map that VMRUN checks: the MSRPM's two
 * pages (§15.11) and the IOPM's 64K + 3 bits, two pages and one byte of a
 * third (§15.10.1), not the 12 KiB allocated for it (SVM_IOPM_SIZE).
 */
#define MSRPM_EXTENT (8u * 1024u)
#define IOPM_EXTENT (8u * 1024u + 1u)

/*
 * §15.5.1: a map is illegal when it extends to a physical address at or
 * above the maximum supported one, 2^MAXPHYADDR - 1; bits 11:0 of its base
 * are ignored. Its last byte is below that address exactly when the
 * page-aligned base is below 2^MAXPHYADDR - extent, a form that cannot wrap.
 */
static bool map_below_maxphyaddr(uint64_t base, uint64_t extent)
{
	return (base & ~0xfffull) < (1ull << MAXPHYADDR) - extent;
}

bool svm_vmcb_valid(struct emu_cpu *cpu, const struct vmcb *vmcb)
{
	const struct vmcb_control_area *c = &vmcb->control;
	const struct vmcb_save_area *s = &vmcb->save;
	bool lme = (s->efer & X86_EFER_LME) != 0, pg = (s->cr0 & X86_CR0_PG) != 0;

	if (!(c->intercepts[VMCB_INTERCEPT_MISC2] & INTERCEPT_VMRUN))
		return false;
	if (c->asid == 0)
		return false;
	if (!(s->efer & X86_EFER_SVME))
		return false;
	if (s->efer & ~EFER_DEFINED)
		return false;
	if (!(s->cr0 & X86_CR0_CD) && (s->cr0 & X86_CR0_NW))
		return false;
	if (s->cr0 >> 32)
		return false;
	if (s->cr4 & ~CR4_DEFINED)
		return false;
	if (lme && pg && (s->cr3 >> 52))
		return false;
	if ((s->dr6 >> 32) || (s->dr7 >> 32))
		return false;
	if (lme && pg && !(s->cr4 & X86_CR4_PAE))
		return false;
	if (lme && pg && !(s->cr0 & X86_CR0_PE))
		return false;
	if (lme && pg && (s->cr4 & X86_CR4_PAE) && (s->cs.attrib & X86_SEG_L) &&
	    (s->cs.attrib & X86_SEG_DB))
		return false;
	/* The list names no intercept bit: both maps are checked whether used or not. */
	if (!map_below_maxphyaddr(c->msrpm_base_pa, MSRPM_EXTENT) ||
	    !map_below_maxphyaddr(c->iopm_base_pa, IOPM_EXTENT))
		return false;
	/* SEV is not modelled: asking for it is illegal, like NP where NP is off. */
	if (c->nested_ctl & (SVM_NESTED_CTL_SEV_ENABLE | SVM_NESTED_CTL_SEV_ES_ENABLE))
		return false;
	if (c->nested_ctl & SVM_NESTED_CTL_NP_ENABLE) {
		if (!cpu->svm->has_np)
			return false;
		/* nested_cr3 must name memory below MAXPHYADDR, and g_pat hold
		 * only defined memory types (§15.25.4, §15.25.8). */
		if (c->nested_cr3 >> MAXPHYADDR)
			return false;
		for (int i = 0; i < 8; i++) {
			uint8_t t = (uint8_t)(s->g_pat >> (8 * i));

			if (t == 2 || t == 3 || t > 7)
				return false;
		}
	}
	if (cpu->svm->has_vnmi && (c->int_ctl & V_NMI_ENABLE_MASK) &&
	    !(c->intercepts[VMCB_INTERCEPT_MISC1] & INTERCEPT_NMI))
		return false;
	if (!svm_eventinj_valid(c->event_inj, (s->efer & X86_EFER_LMA) && (s->cs.attrib & X86_SEG_L)))
		return false;
	return true;
}
