/* SPDX-License-Identifier: MIT */
/*
 * The VMX side of multiprocessor guests: the controls a vCPU of a VM
 * needs (the virtual APIC's MSRs, HLT, PAUSE; EPT with unrestricted guest,
 * since INIT and SIPI start a processor in real mode), the state INIT
 * leaves (SDM vol. 3A §9.1.1 table 9-1), and the virtual APIC's fixed
 * interrupts, injected as external interrupts when the guest can take one
 * and otherwise waiting for an interrupt-window exit (SDM vol. 3C
 * §26.7.5, §27.6).
 */
#include "vx/arch.h"
#include "hv/lib.h"
#include "hv/vlapic.h"
#include "hv/vm.h"
#include "hv/vmx.h"
#include "vmx_backend.h"
#include "x86/apic.h"
#include "x86/cpu.h"
#include "x86/msr.h"

/* Real-mode access rights after INIT (table 9-1; §26.3.1.2 with unrestricted guest). */
#define AR_RM_CODE (VMX_AR_P | VMX_AR_S | 0xbu)
#define AR_RM_DATA (VMX_AR_P | VMX_AR_S | 0x3u)
#define AR_LDT (VMX_AR_P | 0x2u)
#define AR_TSS32_BUSY (VMX_AR_P | 0xbu)
#define DR7_INIT 0x400ull

void vmx_setup_mp(struct hv_vcpu *vcpu)
{
	struct hv_vm *vm = vcpu->vm;

	if (!vm->config.use_npt)
		(void)vmx_ept_identity(vm);
	vmx_load(vcpu);
	/*
	 * The virtual APIC: IA32_APIC_BASE, IA32_TSC_DEADLINE and every x2APIC
	 * register exit, so the guest never reaches the processor's own APIC;
	 * with use_npt its xAPIC page is not in the EPT tables, so every access
	 * to it is an EPT violation (hv/vm.h). HLT and PAUSE let the core wait
	 * and look at the mailbox; CPUID exits always (§26.1.2). A guest that
	 * owns the APIC (apic_passthrough) reaches all of it, and halts in the
	 * guest, where a physical INIT or SIPI finds it (§25.2).
	 */
	if (!vm->config.apic_passthrough) {
		hv_vmx_msr_intercept(vcpu, MSR_IA32_APIC_BASE, true, true);
		hv_vmx_msr_intercept(vcpu, MSR_IA32_TSC_DEADLINE, true, true);
		for (uint32_t msr = APIC_X2APIC_MSR_FIRST; msr <= APIC_X2APIC_MSR_LAST; msr++)
			hv_vmx_msr_intercept(vcpu, msr, true, true);
	}
	vmx_ctl(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_HLT_EXITING, !vm->config.apic_passthrough);
	vmx_ctl(CPU_BASED_VM_EXEC_CONTROL,
		CPU_BASED_PAUSE_EXITING | CPU_BASED_ACTIVATE_SECONDARY_CONTROLS, true);
	vmx_ctl(SECONDARY_VM_EXEC_CONTROL,
		SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST, true);
	vmx_w(EPT_POINTER, vmx_eptp(vm));
}

static void set_seg(uint32_t selector_field, uint16_t sel, uint64_t base, uint32_t ar)
{
	uint32_t idx = selector_field - GUEST_ES_SELECTOR;

	vmx_w(selector_field, sel);
	vmx_w(GUEST_ES_BASE + idx, base);
	vmx_w(GUEST_ES_LIMIT + idx, 0xffff);
	vmx_w(GUEST_ES_AR_BYTES + idx, ar);
}

void vmx_reset_init(struct hv_vcpu *vcpu)
{
	struct hv_vmx_vcpu *v = to_vmx(vcpu);
	static const uint32_t data_sel[] = { GUEST_ES_SELECTOR, GUEST_SS_SELECTOR,
					     GUEST_DS_SELECTOR, GUEST_FS_SELECTOR,
					     GUEST_GS_SELECTOR };
	struct arch_cpuid id;

	vmx_load(vcpu);
	set_seg(GUEST_CS_SELECTOR, 0xf000, 0xffff0000ull, AR_RM_CODE);
	for (unsigned i = 0; i < sizeof(data_sel) / sizeof(data_sel[0]); i++)
		set_seg(data_sel[i], 0, 0, AR_RM_DATA);
	set_seg(GUEST_LDTR_SELECTOR, 0, 0, AR_LDT);
	set_seg(GUEST_TR_SELECTOR, 0, 0, AR_TSS32_BUSY);
	vmx_w(GUEST_GDTR_BASE, 0);
	vmx_w(GUEST_GDTR_LIMIT, 0xffff);
	vmx_w(GUEST_IDTR_BASE, 0);
	vmx_w(GUEST_IDTR_LIMIT, 0xffff);
	/* INIT keeps CR0.CD and CR0.NW; ET is fixed at 1 (table 9-1). */
	vmx_write_cr(vcpu, 0, X86_CR0_ET | (vmx_r(CR0_READ_SHADOW) & (X86_CR0_CD | X86_CR0_NW)));
	vmx_write_cr(vcpu, 4, 0);
	vmx_w(GUEST_CR3, 0);
	vmx_w(GUEST_IA32_EFER, 0);
	vmx_ctl(VM_ENTRY_CONTROLS, VM_ENTRY_IA32E_MODE_GUEST, false);
	vmx_w(GUEST_RFLAGS, X86_RFLAGS_FIXED);
	vmx_w(GUEST_RIP, 0xfff0);
	vmx_w(GUEST_RSP, 0);
	vmx_w(GUEST_DR7, DR7_INIT);
	vmx_w(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmx_w(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmx_w(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmx_w(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmx_ctl(CPU_BASED_VM_EXEC_CONTROL,
		CPU_BASED_INTERRUPT_WINDOW_EXITING | CPU_BASED_NMI_WINDOW_EXITING, false);
	hv_memset(&vcpu->gprs, 0, sizeof(vcpu->gprs));
	/* EDX holds the processor signature, CPUID.01H:EAX (table 9-1). */
	arch_cpuid(1, 0, &id);
	vcpu->gprs.rdx = id.eax;
	v->entry_intr_info = 0;
	v->irq_vector = -1;
	v->irq_injected = -1;
}

/*
 * A guest that owns the APIC waits in the guest (hv/vm.h): halted until
 * INIT, then in wait-for-SIPI, which only a SIPI ends (§26.7.4: the VM
 * entry leaves the processor in that activity state).
 */
void vmx_set_wait_state(struct hv_vcpu *vcpu, uint32_t mp_state)
{
	uint64_t activity = GUEST_ACTIVITY_ACTIVE;

	if (mp_state == HV_MP_STATE_UNINITIALIZED)
		activity = GUEST_ACTIVITY_HLT;
	else if (mp_state == HV_MP_STATE_INIT_RECEIVED)
		activity = GUEST_ACTIVITY_WAIT_SIPI;
	vmx_load(vcpu);
	vmx_w(GUEST_ACTIVITY_STATE, activity);
}

/* RFLAGS.IF set, no STI or MOV-SS blocking, active (§26.7.5). */
static bool interruptible(void)
{
	return (vmx_r(GUEST_RFLAGS) & X86_RFLAGS_IF) &&
	       !(vmx_r(GUEST_INTERRUPTIBILITY_INFO) &
		 (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)) &&
	       vmx_r(GUEST_ACTIVITY_STATE) == GUEST_ACTIVITY_ACTIVE;
}

/*
 * The core calls this after choosing what else the entry injects: the
 * vector goes in now when nothing else does and the guest can take it,
 * else an interrupt-window exit brings the core back for it.
 */
void vmx_set_irq_request(struct hv_vcpu *vcpu, int vector)
{
	struct hv_vmx_vcpu *v = to_vmx(vcpu);
	bool now;

	v->irq_vector = vector;
	v->irq_injected = -1;
	vmx_load(vcpu);
	if (vector < 0) {
		vmx_ctl(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_INTERRUPT_WINDOW_EXITING, false);
		return;
	}
	now = !(v->entry_intr_info & INTR_INFO_VALID) && interruptible();
	vmx_ctl(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_INTERRUPT_WINDOW_EXITING, !now);
	if (!now)
		return;
	vmx_write_injection(vcpu, INTR_INFO_VALID | (INTR_TYPE_EXTERNAL_INTERRUPT << INTR_INFO_TYPE_SHIFT) |
					  (uint32_t)vector, 0, 0);
	v->irq_injected = vector;
}

/*
 * Called right after the exit: an injected vector was taken unless the
 * exit cut its delivery short (IDT-vectoring information, §28.2.4) or the
 * entry failed; one waiting for its window was not taken.
 */
bool vmx_irq_request_pending(struct hv_vcpu *vcpu)
{
	struct hv_vmx_vcpu *v = to_vmx(vcpu);

	if (v->irq_vector < 0)
		return false;
	if (v->irq_injected < 0 || (v->exit_reason & VMX_EXIT_REASON_FAILED_VMENTRY))
		return true;
	return (v->idt_info & INTR_INFO_VALID) &&
	       ((v->idt_info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT) ==
		       INTR_TYPE_EXTERNAL_INTERRUPT;
}

bool vmx_interrupts_enabled(struct hv_vcpu *vcpu)
{
	vmx_load(vcpu);
	return (vmx_r(GUEST_RFLAGS) & X86_RFLAGS_IF) != 0;
}

/* The guest's EFER is its own (loaded and saved by every entry and exit). */
enum hv_msr_result vmx_emulate_msr(struct hv_vcpu *vcpu, uint32_t msr, bool write,
				   uint64_t *value)
{
	(void)vcpu, (void)msr, (void)write, (void)value;
	return HV_MSR_UNHANDLED;
}
