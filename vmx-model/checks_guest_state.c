/* SPDX-License-Identifier: MIT */
/*
 * VM-entry checks on the guest's non-register state and PDPTEs (SDM vol.
 * 3C §27.3.1.5, §27.3.1.6), and on each entry of the VM-entry MSR-load
 * list (§27.4).
 */
#include "vmx-model/checks_rules.h"
#include "x86/msr.h"

/* §27.3.1.5 */
bool cc_ACTIVITY_RANGE(const struct check_in *in)
{
	return in->g->activity_state <= GUEST_ACTIVITY_WAIT_SIPI;
}

bool cc_ACTIVITY_SUPPORTED(const struct check_in *in)
{
	switch (in->g->activity_state) {
	case GUEST_ACTIVITY_HLT: return in->caps->misc & VMX_MISC_ACTIVITY_HLT;
	case GUEST_ACTIVITY_SHUTDOWN: return in->caps->misc & VMX_MISC_ACTIVITY_SHUTDOWN;
	case GUEST_ACTIVITY_WAIT_SIPI: return in->caps->misc & VMX_MISC_ACTIVITY_WAIT_SIPI;
	default: return true;
	}
}

bool cc_ACTIVITY_HLT_SS_DPL(const struct check_in *in)
{
	return in->g->activity_state != GUEST_ACTIVITY_HLT || dpl(seg(in, VMX_SEG_SS)) == 0;
}

bool cc_ACTIVITY_BLOCKING(const struct check_in *in)
{
	return in->g->activity_state == GUEST_ACTIVITY_ACTIVE ||
	       !(in->g->interruptibility_info & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
}

bool cc_ACTIVITY_HLT_INJECT(const struct check_in *in)
{
	if (in->g->activity_state != GUEST_ACTIVITY_HLT || !in->inj)
		return true;
	switch (in->inj_type) {
	case INTR_TYPE_EXTERNAL_INTERRUPT:
	case INTR_TYPE_NMI:
		return true;
	case INTR_TYPE_HARDWARE_EXCEPTION:
		return in->inj_vector == X86_VEC_DB || in->inj_vector == X86_VEC_MC;
	case INTR_TYPE_OTHER_EVENT:
		return in->inj_vector == 0;
	default:
		return false;
	}
}

bool cc_ACTIVITY_SHUTDOWN_INJECT(const struct check_in *in)
{
	return in->g->activity_state != GUEST_ACTIVITY_SHUTDOWN || !in->inj ||
	       in->inj_type == INTR_TYPE_NMI ||
	       (in->inj_type == INTR_TYPE_HARDWARE_EXCEPTION && in->inj_vector == X86_VEC_MC);
}

bool cc_ACTIVITY_WAIT_SIPI_INJECT(const struct check_in *in)
{
	return in->g->activity_state != GUEST_ACTIVITY_WAIT_SIPI || !in->inj;
}

bool cc_INTR_RESERVED(const struct check_in *in)
{
	return !(in->g->interruptibility_info >> 5);
}

bool cc_INTR_ENCLAVE(const struct check_in *in)
{
	return !(in->g->interruptibility_info & GUEST_INTR_STATE_ENCLAVE);
}

bool cc_INTR_STI_MOV_SS(const struct check_in *in)
{
	uint32_t both = GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS;

	return (in->g->interruptibility_info & both) != both;
}

bool cc_INTR_STI_IF(const struct check_in *in)
{
	return !(in->g->interruptibility_info & GUEST_INTR_STATE_STI) ||
	       (in->g->rflags & X86_RFLAGS_IF);
}

bool cc_INTR_EXTINT(const struct check_in *in)
{
	return !in->inj || in->inj_type != INTR_TYPE_EXTERNAL_INTERRUPT ||
	       !(in->g->interruptibility_info & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
}

static bool injects_nmi(const struct check_in *in)
{
	return in->inj && in->inj_type == INTR_TYPE_NMI;
}

bool cc_INTR_NMI_MOV_SS(const struct check_in *in)
{
	return !injects_nmi(in) || !(in->g->interruptibility_info & GUEST_INTR_STATE_MOV_SS);
}

/* The model is never in SMM. */
bool cc_INTR_SMI(const struct check_in *in)
{
	return !(in->g->interruptibility_info & GUEST_INTR_STATE_SMI);
}

bool cc_INTR_VNMI(const struct check_in *in)
{
	return !injects_nmi(in) || !(in->c->pin_based & PIN_BASED_VIRTUAL_NMIS) ||
	       !(in->g->interruptibility_info & GUEST_INTR_STATE_NMI);
}

/* §27.3.1.5 lets a processor refuse this; the model does, as current processors. */
bool cc_INTR_NMI_STI(const struct check_in *in)
{
	return !injects_nmi(in) || !(in->g->interruptibility_info & GUEST_INTR_STATE_STI);
}

bool cc_PDE_RESERVED(const struct check_in *in)
{
	return !(in->g->pending_dbg_exceptions & PDE_RESERVED_BITS);
}

bool cc_PDE_RTM(const struct check_in *in)
{
	return !(in->g->pending_dbg_exceptions & GUEST_PENDING_DBG_RTM);
}

static bool pde_bs_applies(const struct check_in *in)
{
	return (in->g->interruptibility_info & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)) ||
	       in->g->activity_state == GUEST_ACTIVITY_HLT;
}

static bool single_step(const struct check_in *in)
{
	return (in->g->rflags & X86_RFLAGS_TF) && !(in->g->ia32_debugctl & DEBUGCTL_BTF);
}

bool cc_PDE_BS_SET(const struct check_in *in)
{
	return !pde_bs_applies(in) || !single_step(in) ||
	       (in->g->pending_dbg_exceptions & GUEST_PENDING_DBG_BS);
}

bool cc_PDE_BS_CLEAR(const struct check_in *in)
{
	return !pde_bs_applies(in) || single_step(in) ||
	       !(in->g->pending_dbg_exceptions & GUEST_PENDING_DBG_BS);
}

bool cc_LINK_ALIGN(const struct check_in *in)
{
	return in->g->vmcs_link_pointer == VMCS_LINK_NONE || !(in->g->vmcs_link_pointer & 0xfff);
}

bool cc_LINK_WIDTH(const struct check_in *in)
{
	return in->g->vmcs_link_pointer == VMCS_LINK_NONE ||
	       within_width(in, in->g->vmcs_link_pointer);
}

/* Without VMCS shadowing (not modelled) the region must be an ordinary VMCS. */
bool cc_LINK_REVISION(const struct check_in *in)
{
	return in->g->vmcs_link_pointer == VMCS_LINK_NONE ||
	       in->env->link_vmcs_word == (uint32_t)(in->caps->basic & VMX_BASIC_REVISION_MASK);
}

/* §27.3.1.6 */
bool cc_PDPTE_RESERVED(const struct check_in *in)
{
	const uint64_t *pdpte = in->ept ? in->g->pdpte : in->env->pdpte;
	uint64_t reserved = 0x1e6ull | ~((1ull << in->caps->maxphyaddr) - 1);

	if (!(in->g->cr0 & X86_CR0_PG) || !(in->g->cr4 & X86_CR4_PAE) || in->ia32e_guest || !pdpte)
		return true;
	for (int i = 0; i < 4; i++)
		if ((pdpte[i] & X86_PTE_P) && (pdpte[i] & reserved))
			return false;
	return true;
}

/* §27.4, on one entry of the list */
bool mc_MSR_LOAD_RESERVED(const struct vmx_msr_entry *e)
{
	return e->reserved == 0;
}

bool mc_MSR_LOAD_FS_GS_BASE(const struct vmx_msr_entry *e)
{
	return e->index != MSR_FS_BASE && e->index != MSR_GS_BASE;
}

bool mc_MSR_LOAD_X2APIC(const struct vmx_msr_entry *e)
{
	return (e->index >> 8) != (MSR_IA32_X2APIC_BASE >> 8);
}

bool mc_MSR_LOAD_SMM_MONITOR(const struct vmx_msr_entry *e)
{
	return e->index != MSR_IA32_SMM_MONITOR_CTL;
}
