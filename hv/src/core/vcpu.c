/* SPDX-License-Identifier: MIT */
/*
 * vCPU life cycle and the small vendor-neutral calls around it. Everything
 * vendor-specific goes through vcpu->ops (hv/ops.h).
 */
#include "vx/arch.h"
#include "vx/event.h"
#include "hv/lib.h"
#include "hv/svm.h"
#include "hv/vcpu.h"
#include "hv/vm.h"

const struct hv_vcpu_ops *hv_backend_probe(void)
{
	struct hv_svm_caps caps;

	hv_svm_caps(&caps);
	return caps.svm ? &svm_vcpu_ops : NULL;
}

int hv_vcpu_create(struct hv_vcpu *vcpu, const struct hv_vcpu_config *cfg,
		   const struct hv_guest *guest)
{
	const struct hv_vcpu_ops *ops = cfg->ops ? cfg->ops : hv_backend_probe();

	hv_memset(vcpu, 0, sizeof(*vcpu));
	if (!ops)
		return HV_ENOSVM;
	vcpu->id = cfg->id;
	vcpu->config = *cfg;
	vcpu->ops = ops;
	vcpu->guest = guest;
	vcpu->mp_state = HV_MP_STATE_RUNNABLE;
	vcpu->vmcb_pa = arch_page_alloc();
	if (!vcpu->vmcb_pa)
		return HV_ENOMEM;
	vcpu->vmcb = arch_phys_to_virt(vcpu->vmcb_pa);
	hv_vlapic_reset(vcpu, true);
	return ops->vcpu_setup(vcpu);
}

uint32_t hv_vcpu_get_mp_state(const struct hv_vcpu *vcpu)
{
	return __atomic_load_n(&vcpu->mp_state, __ATOMIC_ACQUIRE);
}

int hv_vcpu_set_mp_state(struct hv_vcpu *vcpu, uint32_t mp_state)
{
	uint32_t old = vcpu->mp_state;
	struct hv_event ev = { .type = HV_EV_MP_STATE, .source = HV_SRC_CORE,
			       .v = { vcpu->id, mp_state, old } };

	switch (mp_state) {
	case HV_MP_STATE_RUNNABLE:
	case HV_MP_STATE_UNINITIALIZED:
	case HV_MP_STATE_INIT_RECEIVED:
	case HV_MP_STATE_HALTED:
		break;
	default:
		return HV_EINVAL;
	}
	if (old == mp_state)
		return HV_OK;
	/* Release: what the vCPU did before is visible to whoever reads the new state. */
	__atomic_store_n(&vcpu->mp_state, mp_state, __ATOMIC_RELEASE);
	arch_event(&ev);
	if (vcpu->vm && vcpu->vm->config.on_mp_state)
		vcpu->vm->config.on_mp_state(vcpu, old, mp_state, vcpu->vm->config.arg);
	return HV_OK;
}

void hv_vcpu_queue_nmi(struct hv_vcpu *vcpu)
{
	vcpu->nmi.queued++;
}

bool hv_vcpu_get_nmi_mask(struct hv_vcpu *vcpu)
{
	return vcpu->ops->get_nmi_mask(vcpu);
}

void hv_vcpu_set_nmi_mask(struct hv_vcpu *vcpu, bool masked)
{
	vcpu->ops->set_nmi_mask(vcpu, masked);
}

void hv_vcpu_complete_io_in(struct hv_vcpu *vcpu, const struct hv_exit *exit, uint32_t data)
{
	uint64_t mask;

	if (exit->reason != HV_EXIT_IO || !exit->io.in)
		return;
	mask = exit->io.size == 4 ? 0xffffffffull : (1ull << (8 * exit->io.size)) - 1;
	/* A 32-bit IN zero-extends into RAX; 8/16-bit ones merge (APM vol. 3 "IN"). */
	if (exit->io.size == 4)
		vcpu->vmcb->save.rax = data;
	else
		vcpu->vmcb->save.rax = (vcpu->vmcb->save.rax & ~mask) | (data & mask);
}

int hv_vcpu_deliver_sipi(struct hv_vcpu *vcpu, uint8_t vector)
{
	if (!vcpu->ops->deliver_sipi_vector)
		return HV_ENOTSUP;
	vcpu->ops->deliver_sipi_vector(vcpu, vector);
	hv_vcpu_set_mp_state(vcpu, HV_MP_STATE_RUNNABLE);
	return HV_OK;
}

const char *hv_exit_reason_name(uint32_t reason)
{
	switch (reason) {
	case HV_EXIT_UNKNOWN:
		return "UNKNOWN";
	case HV_EXIT_EXCEPTION:
		return "EXCEPTION";
	case HV_EXIT_IO:
		return "IO";
	case HV_EXIT_HYPERCALL:
		return "HYPERCALL";
	case HV_EXIT_HLT:
		return "HLT";
	case HV_EXIT_SHUTDOWN:
		return "SHUTDOWN";
	case HV_EXIT_FAIL_ENTRY:
		return "FAIL_ENTRY";
	case HV_EXIT_INTERNAL_ERROR:
		return "INTERNAL_ERROR";
	}
	return "unknown";
}
