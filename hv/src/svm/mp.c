/* SPDX-License-Identifier: MIT */
/*
 * The SVM side of multiprocessor guests: a VM's nested tables
 * (hv/svm_npt.h, APM vol. 2 §15.25) as the core's second-level tables, the
 * intercepts a vCPU of a VM needs and its nested paging, the state INIT
 * leaves (SDM vol. 3 §9.1.1 table 9-1; APM vol. 2 §14.1.3), and V_IRQ as
 * the delivery path of the virtual APIC's fixed interrupts (APM vol. 2
 * §15.21.4).
 */
#include "vx/arch.h"
#include "hv/lib.h"
#include "hv/svm.h"
#include "hv/vlapic.h"
#include "hv/vm.h"
#include "svm_backend.h"
#include "x86/apic.h"
#include "x86/cpu.h"
#include "x86/msr.h"

/* Real-mode segment attributes after INIT: present, accessed (table 9-1). */
#define ATTR_RM_CODE (X86_SEG_TYPE_CODE_RX_A | X86_SEG_S | X86_SEG_P)
#define ATTR_RM_DATA (X86_SEG_TYPE_DATA_RW_A | X86_SEG_S | X86_SEG_P)
#define ATTR_LDT (X86_SEG_TYPE_LDT | X86_SEG_P)
#define ATTR_TSS32_BUSY (0xbu | X86_SEG_P)
#define DR6_INIT 0xffff0ff0ull
#define DR7_INIT 0x400ull

int svm_vm_memory_init(struct hv_vm *vm, uint64_t hole)
{
	return hv_npt_init(&vm->backend.svm.npt, hole);
}

int svm_vm_memory_map(struct hv_vm *vm, uint64_t gpa, uint64_t spa, uint64_t size)
{
	return hv_npt_map(&vm->backend.svm.npt, gpa, spa, size);
}

bool svm_vm_memory_translate(const struct hv_vm *vm, uint64_t gpa, uint64_t *spa)
{
	return hv_npt_translate(&vm->backend.svm.npt, gpa, spa);
}

void svm_setup_mp(struct hv_vcpu *vcpu)
{
	struct vmcb *vmcb = svm_vmcb(vcpu);

	/*
	 * The virtual APIC: every x2APIC register, IA32_APIC_BASE and
	 * IA32_TSC_DEADLINE is intercepted, so the guest never reaches the
	 * processor's own APIC;
	 * with nested paging its xAPIC page is not present in the nested
	 * tables, so every access to it exits with #NPF (hv/vm.h). CPUID
	 * reports the APIC; HLT and PAUSE let the core wait and look at the
	 * mailbox.
	 */
	if (vcpu->vm && vcpu->vm->config.use_npt) {
		/* g_pat keeps hv_vmcb_init's PAT reset value, which VMRUN checks (§15.25.8). */
		vmcb->control.nested_ctl |= SVM_NESTED_CTL_NP_ENABLE;
		vmcb->control.nested_cr3 = vcpu->vm->backend.svm.npt.root;
	}
	hv_msrpm_set(vmcb, MSR_IA32_APIC_BASE, true, true);
	hv_msrpm_set(vmcb, MSR_IA32_TSC_DEADLINE, true, true);
	/* EFER too, as KVM does: SVME must stay set whatever the guest writes. */
	hv_msrpm_set(vmcb, MSR_EFER, true, true);
	for (uint32_t msr = APIC_X2APIC_MSR_FIRST; msr <= APIC_X2APIC_MSR_LAST; msr++)
		hv_msrpm_set(vmcb, msr, true, true);
	hv_vmcb_intercept(vmcb, VMCB_INTERCEPT_MISC1,
			  INTERCEPT_MSR_PROT | INTERCEPT_CPUID | INTERCEPT_HLT | INTERCEPT_PAUSE |
			  INTERCEPT_INTR, true);
	/* Physical interrupts follow the host's IF, virtual ones the guest's
	 * (§15.21.1): a kick IPI exits (hv/vm.h). */
	vmcb->control.int_ctl |= V_INTR_MASKING_MASK;
}

static void set_seg(struct vmcb_seg *seg, uint16_t attrib)
{
	seg->selector = 0;
	seg->base = 0;
	seg->limit = 0xffff;
	seg->attrib = attrib;
}

void svm_reset_init(struct hv_vcpu *vcpu)
{
	struct vmcb_control_area *c = &svm_vmcb(vcpu)->control;
	struct vmcb_save_area *s = &svm_vmcb(vcpu)->save;
	struct arch_cpuid id;

	set_seg(&s->cs, ATTR_RM_CODE);
	s->cs.selector = 0xf000;
	s->cs.base = 0xffff0000ull;
	set_seg(&s->ds, ATTR_RM_DATA);
	set_seg(&s->es, ATTR_RM_DATA);
	set_seg(&s->ss, ATTR_RM_DATA);
	set_seg(&s->fs, ATTR_RM_DATA);
	set_seg(&s->gs, ATTR_RM_DATA);
	set_seg(&s->gdtr, 0);
	set_seg(&s->idtr, 0);
	set_seg(&s->ldtr, ATTR_LDT);
	set_seg(&s->tr, ATTR_TSS32_BUSY);
	s->cpl = 0;
	/* INIT keeps CR0.CD and CR0.NW; ET is fixed at 1 (table 9-1). */
	s->cr0 = X86_CR0_ET | (s->cr0 & (X86_CR0_CD | X86_CR0_NW));
	s->cr2 = 0;
	s->cr3 = 0;
	s->cr4 = 0;
	/* EFER.SVME stays set: VMRUN refuses a guest without it (APM §15.5.1). */
	s->efer = X86_EFER_SVME;
	s->rflags = X86_RFLAGS_FIXED;
	s->rip = 0xfff0;
	s->rsp = 0;
	s->rax = 0;
	s->dr6 = DR6_INIT;
	s->dr7 = DR7_INIT;
	hv_memset(&vcpu->gprs, 0, sizeof(vcpu->gprs));
	/* EDX holds the processor signature, CPUID Fn0000_0001 EAX (table 9-1). */
	arch_cpuid(1, 0, &id);
	vcpu->gprs.rdx = id.eax;

	c->event_inj = 0;
	c->event_inj_err = 0;
	c->int_state = 0;
	c->int_ctl &= ~(V_TPR_MASK | V_IRQ_MASK | V_INTR_PRIO_MASK | V_IGN_TPR_MASK |
			V_NMI_PENDING_MASK | V_NMI_BLOCKING_MASK);
	c->int_vector = 0;
	/*
	 * No NMI is in service any more: drop the core's own tracking. (The
	 * NMI-window single-step never outlives the #VMEXIT that ends it.)
	 */
	to_svm(vcpu)->nmi_masked = false;
	to_svm(vcpu)->awaiting_iret_completion = false;
	svm_clr_iret_intercept(vcpu);
}

void svm_set_irq_request(struct hv_vcpu *vcpu, int vector)
{
	struct vmcb_control_area *c = &svm_vmcb(vcpu)->control;

	c->int_ctl &= ~(V_IRQ_MASK | V_INTR_PRIO_MASK);
	if (vector < 0)
		return;
	/* The core applied the virtual TPR already (§10.8.3.1): V_IGN_TPR. */
	c->int_vector = (uint32_t)vector;
	c->int_ctl |= V_IRQ_MASK | V_IGN_TPR_MASK |
		      (((uint32_t)vector >> 4) << V_INTR_PRIO_SHIFT);
}

bool svm_irq_request_pending(struct hv_vcpu *vcpu)
{
	return (svm_vmcb(vcpu)->control.int_ctl & V_IRQ_MASK) != 0;
}

bool svm_interrupts_enabled(struct hv_vcpu *vcpu)
{
	return (svm_vmcb(vcpu)->save.rflags & X86_RFLAGS_IF) != 0;
}
