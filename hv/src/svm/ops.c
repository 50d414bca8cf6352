/* SPDX-License-Identifier: MIT */
/*
 * The SVM backend's operations table, and the operations that are not about
 * NMIs or exits: the probe and per-processor enablement, set-up, the world
 * switch, RIP, event injection, SIPI.
 */
#include "vx/arch.h"
#include "vx/event.h"
#include "hv/lib.h"
#include "hv/svm.h"
#include "svm_backend.h"
#include "x86/cpu.h"
#include "x86/msr.h"

/*
 * Every mandatory operation, and the optional ones SVM has: no vcpu_put
 * (VMRUN reads the VMCB from memory with clean bits 0, svm_vcpu_enter, so
 * any processor may run it next) and no set_timer (SVM has no guest timer).
 */
#define SVM_OP_FILL(ret, name, args) .name = svm_##name,
#define SVM_OP_OPTIONAL(ret, name, args)
const struct hv_vcpu_ops svm_vcpu_ops = {
	.name = "svm",
	HV_VCPU_OPS(SVM_OP_FILL, SVM_OP_OPTIONAL)
	.emulate_msr = svm_emulate_msr,
	.deliver_sipi_vector = svm_deliver_sipi_vector,
};
#undef SVM_OP_OPTIONAL
#undef SVM_OP_FILL

bool svm_probe(struct hv_backend_caps *caps)
{
	struct hv_svm_caps svm;

	hv_svm_caps(&svm);
	if (caps)
		caps->slat = svm.np;
	return svm.svm;
}

int svm_cpu_enable(void)
{
	uint64_t vm_cr = 0, efer, hsave = 0;

	/* Firmware may have disabled SVM; EFER.SVME would then #GP (APM §15.4). */
	if (arch_rdmsr(MSR_VM_CR, &vm_cr) != ARCH_OK)
		return HV_EFAULT;
	if (vm_cr & MSR_VM_CR_SVMDIS)
		return HV_ESVMDIS;
	if (arch_rdmsr(MSR_EFER, &efer) != ARCH_OK)
		return HV_EFAULT;
	if (!(efer & X86_EFER_SVME) && arch_wrmsr(MSR_EFER, efer | X86_EFER_SVME) != ARCH_OK)
		return HV_EFAULT;
	/*
	 * VMRUN saves host state at VM_HSAVE_PA. Keep a page the processor
	 * already has, so that enabling twice costs nothing and state lives in
	 * the processor, not in this library.
	 */
	if (arch_rdmsr(MSR_VM_HSAVE_PA, &hsave) != ARCH_OK)
		return HV_EFAULT;
	if (hsave == 0) {
		hsave = arch_page_alloc();
		if (hsave == 0)
			return HV_ENOMEM;
		if (arch_wrmsr(MSR_VM_HSAVE_PA, hsave) != ARCH_OK)
			return HV_EFAULT;
	}
	return HV_OK;
}

int svm_vcpu_setup(struct hv_vcpu *vcpu)
{
	struct hv_svm_vcpu *svm = to_svm(vcpu);
	struct hv_svm_caps caps;
	int rc;

	svm->vmcb_pa = arch_page_alloc();
	if (!svm->vmcb_pa)
		return HV_ENOMEM;
	svm->vmcb = arch_phys_to_virt(svm->vmcb_pa);
	hv_svm_caps(&caps);
	if (!caps.svm)
		return HV_ENOSVM;
	rc = hv_vmcb_init(svm->vmcb, vcpu->guest);
	if (rc)
		return rc;
	if (vcpu->config.asid)
		svm->vmcb->control.asid = vcpu->config.asid;
	svm->nrips = caps.nrips;
	svm->decode_assists = caps.decode_assists;
	/*
	 * vNMI needs the NMI intercept as well (APM §15.21.10); hv_vmcb_init
	 * sets it. With vNMI the processor tracks NMI blocking itself, so the
	 * IRET intercept is never used.
	 */
	svm->vnmi = caps.vnmi && vcpu->config.use_vnmi;
	if (svm->vnmi)
		svm->vmcb->control.int_ctl |= V_NMI_ENABLE;
	return HV_OK;
}

arch_fault_t svm_vcpu_enter(struct hv_vcpu *vcpu)
{
	struct hv_svm_vcpu *svm = to_svm(vcpu);
	arch_fault_t f;

	/* The core edits the VMCB between runs; let nothing be cached (APM §15.15). */
	svm->vmcb->control.clean = 0;
	if (!vcpu->vm)
		return arch_vmrun(svm->vmcb_pa, &vcpu->gprs);
	/*
	 * A vCPU of a VM can be kicked (hv/vm.h): GIF clear, then the host's IF
	 * set for VMRUN, so that a kick IPI, held by GIF until then, makes the
	 * guest exit (§15.21.1). After the exit STGI lets the host take it
	 * (the platform's handler EOIs it); CLI leaves the host as it was.
	 */
	(void)arch_clgi();
	arch_irq_enable();
	f = arch_vmrun(svm->vmcb_pa, &vcpu->gprs);
	(void)arch_stgi();
	arch_irq_disable();
	return f;
}

uint64_t svm_get_rip(struct hv_vcpu *vcpu)
{
	return svm_vmcb(vcpu)->save.rip;
}

void svm_set_rip(struct hv_vcpu *vcpu, uint64_t rip)
{
	svm_vmcb(vcpu)->save.rip = rip;
}

void svm_skip_instruction(struct hv_vcpu *vcpu, unsigned len)
{
	struct vmcb *vmcb = svm_vmcb(vcpu);

	/* For IOIO, EXITINFO2 is the next RIP, with or without NRIPS (§15.10.2). */
	if (vmcb->control.exit_code == SVM_EXIT_IOIO)
		vmcb->save.rip = vmcb->control.exit_info_2;
	else if (to_svm(vcpu)->nrips && vmcb->control.next_rip)
		vmcb->save.rip = vmcb->control.next_rip;
	else
		vmcb->save.rip += len;
	/* A retired instruction ends any STI/MOV SS shadow (APM §15.21.5). */
	vmcb->control.int_state &= ~SVM_INTERRUPT_SHADOW_MASK;
}

void svm_event_inject(uint32_t type, uint64_t a, uint64_t b)
{
	struct hv_event ev = { .type = (uint16_t)type, .source = HV_SRC_CORE, .v = { a, b } };

	arch_event(&ev);
}

void svm_write_eventinj(struct hv_vcpu *vcpu, uint32_t event_inj, uint32_t error_code)
{
	struct vmcb_control_area *c = &svm_vmcb(vcpu)->control;

	c->event_inj = event_inj | SVM_EVTINJ_VALID;
	c->event_inj_err = error_code;
	to_svm(vcpu)->last_event_inj = event_inj | SVM_EVTINJ_VALID;
	svm_event_inject(HV_EV_INJECT, event_inj | SVM_EVTINJ_VALID, error_code);
}

void svm_inject_event(struct hv_vcpu *vcpu, const struct hv_vcpu_event *ev)
{
	svm_write_eventinj(vcpu, svm_eventinj(ev), ev->error_code);
}

/* CS.selector = vector << 8, CS.base = vector << 12, IP = 0 (facts §(e), SDM §8.4.4). */
void svm_deliver_sipi_vector(struct hv_vcpu *vcpu, uint8_t vector)
{
	struct vmcb_save_area *s = &svm_vmcb(vcpu)->save;

	s->cs.selector = (uint16_t)(vector << 8);
	s->cs.base = (uint64_t)vector << 12;
	s->rip = 0;
}
