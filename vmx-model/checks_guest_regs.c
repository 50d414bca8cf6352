/* SPDX-License-Identifier: MIT */
/*
 * VM-entry checks on the guest's control and debug registers, MSRs,
 * descriptor-table registers, RIP and RFLAGS (SDM vol. 3C §27.3.1.1,
 * §27.3.1.3, §27.3.1.4).
 */
#include "vmx-model/checks_rules.h"

/* §27.3.1.1 */
bool cc_GUEST_CR0_FIXED(const struct check_in *in)
{
	uint64_t fixed0 = in->caps->cr0_fixed0;

	if (in->ug)
		fixed0 &= ~(X86_CR0_PE | X86_CR0_PG);
	return fixed_ok(in->g->cr0, fixed0, in->caps->cr0_fixed1);
}

bool cc_GUEST_CR0_PG_PE(const struct check_in *in)
{
	return !(in->g->cr0 & X86_CR0_PG) || (in->g->cr0 & X86_CR0_PE);
}

bool cc_GUEST_CR4_FIXED(const struct check_in *in)
{
	return fixed_ok(in->g->cr4, in->caps->cr4_fixed0, in->caps->cr4_fixed1);
}

static bool load_debug(const struct check_in *in)
{
	return in->c->entry_controls & VM_ENTRY_LOAD_DEBUG_CONTROLS;
}

bool cc_GUEST_DEBUGCTL(const struct check_in *in)
{
	return !load_debug(in) || !(in->g->ia32_debugctl & ~DEBUGCTL_DEFINED);
}

bool cc_GUEST_IA32E_PG(const struct check_in *in)
{
	return !in->ia32e_guest || (in->g->cr0 & X86_CR0_PG);
}

bool cc_GUEST_IA32E_PAE(const struct check_in *in)
{
	return !in->ia32e_guest || (in->g->cr4 & X86_CR4_PAE);
}

bool cc_GUEST_PCIDE(const struct check_in *in)
{
	return in->ia32e_guest || !(in->g->cr4 & X86_CR4_PCIDE);
}

bool cc_GUEST_CR3_WIDTH(const struct check_in *in)
{
	return within_width(in, in->g->cr3);
}

bool cc_GUEST_DR7_HIGH(const struct check_in *in)
{
	return !load_debug(in) || !(in->g->dr7 >> 32);
}

bool cc_GUEST_SYSENTER_ESP_CANONICAL(const struct check_in *in)
{
	return canonical(in->g->sysenter_esp);
}

bool cc_GUEST_SYSENTER_EIP_CANONICAL(const struct check_in *in)
{
	return canonical(in->g->sysenter_eip);
}

bool cc_GUEST_PAT(const struct check_in *in)
{
	return !(in->c->entry_controls & VM_ENTRY_LOAD_IA32_PAT) || pat_ok(in->g->ia32_pat);
}

static bool load_efer(const struct check_in *in)
{
	return in->c->entry_controls & VM_ENTRY_LOAD_IA32_EFER;
}

bool cc_GUEST_EFER_RESERVED(const struct check_in *in)
{
	return !load_efer(in) || !(in->g->ia32_efer & ~EFER_DEFINED);
}

bool cc_GUEST_EFER_LMA(const struct check_in *in)
{
	return !load_efer(in) || !!(in->g->ia32_efer & X86_EFER_LMA) == in->ia32e_guest;
}

bool cc_GUEST_EFER_LME(const struct check_in *in)
{
	return !load_efer(in) || !(in->g->cr0 & X86_CR0_PG) ||
	       !!(in->g->ia32_efer & X86_EFER_LME) == in->ia32e_guest;
}

/* §27.3.1.3 */
bool cc_GDTR_IDTR_BASE_CANONICAL(const struct check_in *in)
{
	return canonical(in->g->gdtr_base) && canonical(in->g->idtr_base);
}

bool cc_GDTR_IDTR_LIMIT(const struct check_in *in)
{
	return !(in->g->gdtr_limit >> 16) && !(in->g->idtr_limit >> 16);
}

/* §27.3.1.4 */
static bool long_cs(const struct check_in *in)
{
	return in->ia32e_guest && (seg(in, VMX_SEG_CS)->ar_bytes & VMX_AR_L);
}

bool cc_RIP_HIGH(const struct check_in *in)
{
	return long_cs(in) || !(in->g->rip >> 32);
}

bool cc_RIP_CANONICAL(const struct check_in *in)
{
	return !long_cs(in) || canonical(in->g->rip);
}

bool cc_RFLAGS_RESERVED(const struct check_in *in)
{
	return !(in->g->rflags & RFLAGS_RESERVED_BITS);
}

bool cc_RFLAGS_FIXED(const struct check_in *in)
{
	return in->g->rflags & X86_RFLAGS_FIXED;
}

bool cc_RFLAGS_VM(const struct check_in *in)
{
	return !(in->g->rflags & X86_RFLAGS_VM) || (!in->ia32e_guest && (in->g->cr0 & X86_CR0_PE));
}

bool cc_RFLAGS_IF_EXTINT(const struct check_in *in)
{
	return !in->inj || in->inj_type != INTR_TYPE_EXTERNAL_INTERRUPT ||
	       (in->g->rflags & X86_RFLAGS_IF);
}
