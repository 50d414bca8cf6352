/* SPDX-License-Identifier: MIT */
/*
 * VM-entry checks on the host-state area (SDM vol. 3C §27.2.2-27.2.4): a
 * broken one is VMfailValid(8).
 */
#include "vmx-model/checks_rules.h"

/* §27.2.2 */
bool cc_HOST_CR0_FIXED(const struct check_in *in)
{
	return fixed_ok(in->h->cr0, in->caps->cr0_fixed0, in->caps->cr0_fixed1);
}

bool cc_HOST_CR4_FIXED(const struct check_in *in)
{
	return fixed_ok(in->h->cr4, in->caps->cr4_fixed0, in->caps->cr4_fixed1);
}

bool cc_HOST_CR3_WIDTH(const struct check_in *in)
{
	return within_width(in, in->h->cr3);
}

bool cc_HOST_SYSENTER_ESP_CANONICAL(const struct check_in *in)
{
	return canonical(in->h->ia32_sysenter_esp);
}

bool cc_HOST_SYSENTER_EIP_CANONICAL(const struct check_in *in)
{
	return canonical(in->h->ia32_sysenter_eip);
}

bool cc_HOST_PAT(const struct check_in *in)
{
	return !(in->c->exit_controls & VM_EXIT_LOAD_IA32_PAT) || pat_ok(in->h->ia32_pat);
}

bool cc_HOST_EFER_RESERVED(const struct check_in *in)
{
	return !(in->c->exit_controls & VM_EXIT_LOAD_IA32_EFER) || !(in->h->ia32_efer & ~EFER_DEFINED);
}

bool cc_HOST_EFER_LMA_LME(const struct check_in *in)
{
	return !(in->c->exit_controls & VM_EXIT_LOAD_IA32_EFER) ||
	       (!!(in->h->ia32_efer & X86_EFER_LMA) == in->host64 &&
		!!(in->h->ia32_efer & X86_EFER_LME) == in->host64);
}

/* §27.2.3 */
bool cc_HOST_SEL_RPL_TI(const struct check_in *in)
{
	const struct vmx_host_state *h = in->h;

	return !((h->es_selector | h->cs_selector | h->ss_selector | h->ds_selector |
		  h->fs_selector | h->gs_selector | h->tr_selector) & 7);
}

bool cc_HOST_CS_NONZERO(const struct check_in *in)
{
	return in->h->cs_selector != 0;
}

bool cc_HOST_TR_NONZERO(const struct check_in *in)
{
	return in->h->tr_selector != 0;
}

bool cc_HOST_SS_NONZERO(const struct check_in *in)
{
	return in->host64 || in->h->ss_selector != 0;
}

bool cc_HOST_BASE_CANONICAL(const struct check_in *in)
{
	const struct vmx_host_state *h = in->h;

	return canonical(h->fs_base) && canonical(h->gs_base) && canonical(h->tr_base) &&
	       canonical(h->gdtr_base) && canonical(h->idtr_base);
}

/* §27.2.4 */
bool cc_HOST_ADDR_SIZE_LMA(const struct check_in *in)
{
	return !in->env->lma || in->host64;
}

bool cc_NO_LMA_NO_IA32E_GUEST(const struct check_in *in)
{
	return in->env->lma || !in->ia32e_guest;
}

bool cc_NO_LMA_NO_HOST_64(const struct check_in *in)
{
	return in->env->lma || !in->host64;
}

bool cc_HOST_32_PCIDE(const struct check_in *in)
{
	return in->host64 || !(in->h->cr4 & X86_CR4_PCIDE);
}

bool cc_HOST_32_RIP(const struct check_in *in)
{
	return in->host64 || !(in->h->rip >> 32);
}

bool cc_HOST_64_PAE(const struct check_in *in)
{
	return !in->host64 || (in->h->cr4 & X86_CR4_PAE);
}

bool cc_HOST_64_RIP(const struct check_in *in)
{
	return !in->host64 || canonical(in->h->rip);
}
