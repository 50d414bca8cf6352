/* SPDX-License-Identifier: MIT */
/*
 * What emulating one guest instruction needs from the VMCS: the guest's
 * general-purpose registers (RSP lives in the guest-state area, RAX and
 * the others in struct arch_gprs), and its paging state and code segment.
 * VMX stores no instruction bytes with an exit: the core fetches them.
 */
#include "hv/lib.h"
#include "hv/vmx.h"
#include "vmx_backend.h"
#include "x86/cpu.h"

static uint64_t *gpr_slot(struct hv_vcpu *vcpu, unsigned n)
{
	struct arch_gprs *g = &vcpu->gprs;
	uint64_t *slots[16] = { &g->rax, &g->rcx, &g->rdx, &g->rbx, NULL,    &g->rbp,
				&g->rsi, &g->rdi, &g->r8,  &g->r9,  &g->r10, &g->r11,
				&g->r12, &g->r13, &g->r14, &g->r15 };

	return slots[n & 15u];
}

uint64_t vmx_get_gpr(struct hv_vcpu *vcpu, unsigned n)
{
	if ((n & 15u) == HV_GPR_RSP) {
		vmx_load(vcpu);
		return vmx_r(GUEST_RSP);
	}
	return *gpr_slot(vcpu, n);
}

void vmx_set_gpr(struct hv_vcpu *vcpu, unsigned n, uint64_t value)
{
	if ((n & 15u) == HV_GPR_RSP) {
		vmx_load(vcpu);
		vmx_w(GUEST_RSP, value);
		return;
	}
	*gpr_slot(vcpu, n) = value;
}

/* Access rights (§25.4.1) in the packed 12-bit form: bits 7:0, then 15:12 as 11:8. */
static uint16_t packed_attrib(uint64_t ar)
{
	return (uint16_t)((ar & 0xffu) | ((ar >> 4) & 0xf00u));
}

void vmx_get_insn_state(struct hv_vcpu *vcpu, struct hv_insn_state *st)
{
	static const uint32_t bases[4] = { GUEST_ES_BASE, GUEST_CS_BASE, GUEST_SS_BASE,
					   GUEST_DS_BASE };

	vmx_load(vcpu);
	st->rip = vmx_r(GUEST_RIP);
	st->cs_limit = (uint32_t)vmx_r(GUEST_CS_LIMIT);
	st->cs_attrib = packed_attrib(vmx_r(GUEST_CS_AR_BYTES));
	for (unsigned i = 0; i < 4; i++)
		st->seg_base[i] = vmx_r(bases[i]);
	st->cr0 = vmx_r(GUEST_CR0);
	st->cr3 = vmx_r(GUEST_CR3);
	st->cr4 = vmx_r(GUEST_CR4);
	/* The backend loads and saves EFER with every entry and exit (vmcs.c). */
	st->efer = vmx_r(GUEST_IA32_EFER);
}

unsigned vmx_get_insn_bytes(struct hv_vcpu *vcpu, uint8_t *buf, unsigned size)
{
	(void)vcpu, (void)buf, (void)size;
	return 0;
}
