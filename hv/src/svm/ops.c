/* SPDX-License-Identifier: MIT */
/*
 * The SVM backend's operations table, and the operations that are not about
 * NMIs or exits: set-up, the world switch, RIP, event injection, SIPI.
 */
#include "vx/arch.h"
#include "vx/event.h"
#include "hv/lib.h"
#include "hv/svm.h"
#include "svm_backend.h"

#define SVM_OP_FILL(ret, name, args) .name = svm_##name,
const struct hv_vcpu_ops svm_vcpu_ops = {
	.name = "svm",
	HV_VCPU_OPS(SVM_OP_FILL, SVM_OP_FILL)
};
#undef SVM_OP_FILL

int svm_vcpu_setup(struct hv_vcpu *vcpu)
{
	struct hv_svm_caps caps;
	int rc;

	hv_svm_caps(&caps);
	if (!caps.svm)
		return HV_ENOSVM;
	rc = hv_vmcb_init(vcpu->vmcb, vcpu->guest);
	if (rc)
		return rc;
	if (vcpu->config.asid)
		vcpu->vmcb->control.asid = vcpu->config.asid;
	vcpu->svm.nrips = caps.nrips;
	vcpu->svm.decode_assists = caps.decode_assists;
	/*
	 * vNMI needs the NMI intercept as well (APM §15.21.10); hv_vmcb_init
	 * sets it. With vNMI the processor tracks NMI blocking itself, so the
	 * IRET intercept is never used.
	 */
	vcpu->svm.vnmi = caps.vnmi && vcpu->config.use_vnmi;
	if (vcpu->svm.vnmi)
		vcpu->vmcb->control.int_ctl |= V_NMI_ENABLE;
	return HV_OK;
}

arch_fault_t svm_vcpu_enter(struct hv_vcpu *vcpu)
{
	arch_fault_t f;

	/* The core edits the VMCB between runs; let nothing be cached (APM §15.15). */
	vcpu->vmcb->control.clean = 0;
	if (!vcpu->vm)
		return arch_vmrun(vcpu->vmcb_pa, &vcpu->gprs);
	/*
	 * A vCPU of a VM can be kicked (hv/vm.h): GIF clear, then the host's IF
	 * set for VMRUN, so that a kick IPI, held by GIF until then, makes the
	 * guest exit (§15.21.1). After the exit STGI lets the host take it
	 * (the platform's handler EOIs it); CLI leaves the host as it was.
	 */
	(void)arch_clgi();
	arch_irq_enable();
	f = arch_vmrun(vcpu->vmcb_pa, &vcpu->gprs);
	(void)arch_stgi();
	arch_irq_disable();
	return f;
}

uint64_t svm_get_rip(struct hv_vcpu *vcpu)
{
	return vcpu->vmcb->save.rip;
}

void svm_set_rip(struct hv_vcpu *vcpu, uint64_t rip)
{
	vcpu->vmcb->save.rip = rip;
}

void svm_skip_instruction(struct hv_vcpu *vcpu, unsigned len)
{
	struct vmcb *vmcb = vcpu->vmcb;

	if (vcpu->svm.nrips && vmcb->control.next_rip)
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

void svm_inject_event(struct hv_vcpu *vcpu, uint32_t info, uint32_t error_code)
{
	vcpu->vmcb->control.event_inj = info | SVM_EVTINJ_VALID;
	vcpu->vmcb->control.event_inj_err = error_code;
	vcpu->last_event_inj = info | SVM_EVTINJ_VALID;
	svm_event_inject(HV_EV_INJECT, info | SVM_EVTINJ_VALID, error_code);
}

/* CS.selector = vector << 8, CS.base = vector << 12, IP = 0 (facts §(e), SDM §8.4.4). */
void svm_deliver_sipi_vector(struct hv_vcpu *vcpu, uint8_t vector)
{
	struct vmcb_save_area *s = &vcpu->vmcb->save;

	s->cs.selector = (uint16_t)(vector << 8);
	s->cs.base = (uint64_t)vector << 12;
	s->rip = 0;
}
