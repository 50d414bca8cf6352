/* SPDX-License-Identifier: MIT */
/*
 * What emulating one guest instruction needs from the VMCB: the guest's
 * general-purpose registers (RAX and RSP live in the state-save area, the
 * others in struct arch_gprs), its paging state and code segment, and the
 * instruction bytes the processor stores with #NPF and an intercepted #PF
 * when it has decode assists (APM vol. 2 §15.8.4).
 */
#include "hv/lib.h"
#include "hv/svm.h"
#include "svm_backend.h"
#include "x86/cpu.h"

static uint64_t *gpr_slot(struct hv_vcpu *vcpu, unsigned n)
{
	struct arch_gprs *g = &vcpu->gprs;
	struct vmcb_save_area *s = &svm_vmcb(vcpu)->save;

	switch (n & 15u) {
	case 0:
		return &s->rax;
	case 1:
		return &g->rcx;
	case 2:
		return &g->rdx;
	case 3:
		return &g->rbx;
	case 4:
		return &s->rsp;
	case 5:
		return &g->rbp;
	case 6:
		return &g->rsi;
	case 7:
		return &g->rdi;
	case 8:
		return &g->r8;
	case 9:
		return &g->r9;
	case 10:
		return &g->r10;
	case 11:
		return &g->r11;
	case 12:
		return &g->r12;
	case 13:
		return &g->r13;
	case 14:
		return &g->r14;
	default:
		return &g->r15;
	}
}

uint64_t svm_get_gpr(struct hv_vcpu *vcpu, unsigned n)
{
	return *gpr_slot(vcpu, n);
}

void svm_set_gpr(struct hv_vcpu *vcpu, unsigned n, uint64_t value)
{
	*gpr_slot(vcpu, n) = value;
}

void svm_get_insn_state(struct hv_vcpu *vcpu, struct hv_insn_state *st)
{
	const struct vmcb_save_area *s = &svm_vmcb(vcpu)->save;

	st->rip = s->rip;
	st->cs_limit = s->cs.limit;
	st->cs_attrib = s->cs.attrib;
	st->seg_base[0] = s->es.base;
	st->seg_base[1] = s->cs.base;
	st->seg_base[2] = s->ss.base;
	st->seg_base[3] = s->ds.base;
	st->cr0 = s->cr0;
	st->cr3 = s->cr3;
	st->cr4 = s->cr4;
	st->efer = s->efer;
}

/*
 * The processor fills the field only on #NPF and an intercepted #PF
 * (§15.8.4); its count is bits 3:0 of byte 0, at most 15.
 */
unsigned svm_get_insn_bytes(struct hv_vcpu *vcpu, uint8_t *buf, unsigned size)
{
	const struct vmcb_control_area *c = &svm_vmcb(vcpu)->control;
	unsigned n = c->insn_len & SVM_INSN_LEN_MASK;

	if (!to_svm(vcpu)->decode_assists ||
	    (c->exit_code != SVM_EXIT_NPF && c->exit_code != SVM_EXIT_EXCP_BASE + X86_VEC_PF))
		return 0;
	if (n > SVM_INSN_BYTES_MAX)
		n = SVM_INSN_BYTES_MAX;
	if (n > size)
		n = size;
	hv_memcpy(buf, c->insn_bytes, n);
	return n;
}
