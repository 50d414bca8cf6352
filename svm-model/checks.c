/* SPDX-License-Identifier: MIT */
/*
 * VMRUN consistency checks (APM vol. 2 §15.5.1 "Basic Operation", the list of
 * illegal guest state that makes VMRUN exit with VMEXIT_INVALID), plus the
 * EVENTINJ and vNMI checks of §15.20 and §15.21.10.
 */
#include "svm-model/svm_model.h"
#include "x86/cpu.h"
#include "x86/svm.h"
#include "x86/svm_checks.h"

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

/* What each rule looks at. */
struct check_in {
	const struct emu_cpu *cpu;
	const struct vmcb_control_area *c;
	const struct vmcb_save_area *s;
	bool long_pg; /* EFER.LME and CR0.PG */
};

static bool cc_VMRUN_INTERCEPT(const struct check_in *in)
{
	return in->c->intercepts[VMCB_INTERCEPT_MISC2] & INTERCEPT_VMRUN;
}

static bool cc_ASID_NONZERO(const struct check_in *in)
{
	return in->c->asid != 0;
}

static bool cc_EFER_SVME(const struct check_in *in)
{
	return in->s->efer & X86_EFER_SVME;
}

static bool cc_EFER_MBZ(const struct check_in *in)
{
	return !(in->s->efer & ~EFER_DEFINED);
}

static bool cc_CR0_CD_NW(const struct check_in *in)
{
	return (in->s->cr0 & X86_CR0_CD) || !(in->s->cr0 & X86_CR0_NW);
}

static bool cc_CR0_HIGH(const struct check_in *in)
{
	return !(in->s->cr0 >> 32);
}

static bool cc_CR4_MBZ(const struct check_in *in)
{
	return !(in->s->cr4 & ~CR4_DEFINED);
}

static bool cc_CR3_MBZ_LONG(const struct check_in *in)
{
	return !in->long_pg || !(in->s->cr3 >> 52);
}

static bool cc_DR6_DR7_HIGH(const struct check_in *in)
{
	return !(in->s->dr6 >> 32) && !(in->s->dr7 >> 32);
}

static bool cc_LONG_PAE(const struct check_in *in)
{
	return !in->long_pg || (in->s->cr4 & X86_CR4_PAE);
}

static bool cc_LONG_PE(const struct check_in *in)
{
	return !in->long_pg || (in->s->cr0 & X86_CR0_PE);
}

static bool cc_CS_L_D(const struct check_in *in)
{
	return !(in->long_pg && (in->s->cr4 & X86_CR4_PAE) && (in->s->cs.attrib & X86_SEG_L) &&
		 (in->s->cs.attrib & X86_SEG_DB));
}

/* The list names no intercept bit: both maps are checked whether used or not. */
static bool cc_MSRPM_MAXPHYADDR(const struct check_in *in)
{
	return map_below_maxphyaddr(in->c->msrpm_base_pa, MSRPM_EXTENT);
}

static bool cc_IOPM_MAXPHYADDR(const struct check_in *in)
{
	return map_below_maxphyaddr(in->c->iopm_base_pa, IOPM_EXTENT);
}

/* SEV is not modelled: asking for it is illegal, like NP where NP is off. */
static bool cc_SEV_OFF(const struct check_in *in)
{
	return !(in->c->nested_ctl & (SVM_NESTED_CTL_SEV_ENABLE | SVM_NESTED_CTL_SEV_ES_ENABLE));
}

static bool np(const struct check_in *in)
{
	return in->c->nested_ctl & SVM_NESTED_CTL_NP_ENABLE;
}

static bool cc_NP_SUPPORTED(const struct check_in *in)
{
	return !np(in) || svm_of(in->cpu)->has_np;
}

static bool cc_NCR3_MAXPHYADDR(const struct check_in *in)
{
	return !np(in) || !(in->c->nested_cr3 >> MAXPHYADDR);
}

static bool cc_G_PAT_TYPES(const struct check_in *in)
{
	for (int i = 0; np(in) && i < 8; i++) {
		uint8_t t = (uint8_t)(in->s->g_pat >> (8 * i));

		if (t == 2 || t == 3 || t > 7)
			return false;
	}
	return true;
}

static bool cc_VNMI_NMI_INTERCEPT(const struct check_in *in)
{
	return !svm_of(in->cpu)->has_vnmi || !(in->c->int_ctl & V_NMI_ENABLE_MASK) ||
	       (in->c->intercepts[VMCB_INTERCEPT_MISC1] & INTERCEPT_NMI);
}

static bool cc_EVENTINJ(const struct check_in *in)
{
	return svm_eventinj_valid(in->c->event_inj,
				  (in->s->efer & X86_EFER_LMA) && (in->s->cs.attrib & X86_SEG_L));
}

/* The rule table of include/x86/svm_checks.h with the model's predicate for each row. */
static const struct {
	const char *id, *section, *rule;
	bool (*legal)(const struct check_in *in);
} checks[SVM_CC_COUNT] = {
#define ROW(id, section, rule) [SVM_CC_##id] = { #id, section, rule, cc_##id },
	SVM_VMRUN_CHECKS(ROW)
#undef ROW
};

int svm_vmcb_check(struct emu_cpu *cpu, const struct vmcb *vmcb)
{
	struct check_in in = { cpu, &vmcb->control, &vmcb->save, false };

	in.long_pg = (in.s->efer & X86_EFER_LME) && (in.s->cr0 & X86_CR0_PG);
	for (int i = 0; i < SVM_CC_COUNT; i++) {
		if (!checks[i].legal(&in)) {
			/* KVM's CC(): the broken rule names itself on the event stream. */
			emu_emit(cpu, HV_EV_CONSISTENCY, (uint64_t)i, 0, 0, 0, checks[i].id);
			return i;
		}
	}
	return -1;
}
