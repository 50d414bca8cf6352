/* SPDX-License-Identifier: MIT */
/*
 * vCPU life cycle and the small vendor-neutral calls around it. Everything
 * vendor-specific goes through vcpu->ops (hv/ops.h).
 */
#include "vx/arch.h"
#include "vx/event.h"
#include "hv/backend.h"
#include "hv/lib.h"
#include "hv/vcpu.h"
#include "hv/vm.h"

#define HV_BACKEND_ENTRY(name) &name##_vcpu_ops,
static const struct hv_vcpu_ops *const backends[] = { HV_BACKENDS(HV_BACKEND_ENTRY) };
#undef HV_BACKEND_ENTRY

const struct hv_vcpu_ops *hv_backend_probe(struct hv_backend_caps *caps)
{
	struct hv_backend_caps none;

	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		hv_memset(caps ? caps : &none, 0, sizeof(none));
		if (backends[i]->probe(caps ? caps : &none))
			return backends[i];
	}
	return NULL;
}

int hv_cpu_enable(void)
{
	const struct hv_vcpu_ops *ops = hv_backend_probe(NULL);

	return ops ? ops->cpu_enable() : HV_ENOSVM;
}

int hv_vcpu_create(struct hv_vcpu *vcpu, const struct hv_vcpu_config *cfg,
		   const struct hv_guest *guest)
{
	const struct hv_vcpu_ops *ops = cfg->ops ? cfg->ops : hv_backend_probe(NULL);

	hv_memset(vcpu, 0, sizeof(*vcpu));
	if (!ops)
		return HV_ENOSVM;
	vcpu->id = cfg->id;
	vcpu->config = *cfg;
	vcpu->ops = ops;
	vcpu->guest = guest;
	vcpu->mp_state = HV_MP_STATE_RUNNABLE;
	/* Alone, without the xAPIC page; hv_vm_create attaches it to its VM's bus. */
	hv_vlapic_init(&vcpu->apic, vcpu->id, false, NULL, NULL);
	return ops->vcpu_setup(vcpu);
}

uint64_t hv_vcpu_get_rip(struct hv_vcpu *vcpu)
{
	return vcpu->ops->get_rip(vcpu);
}

void hv_vcpu_set_rip(struct hv_vcpu *vcpu, uint64_t rip)
{
	vcpu->ops->set_rip(vcpu, rip);
}

uint64_t hv_vcpu_get_gpr(struct hv_vcpu *vcpu, unsigned n)
{
	return vcpu->ops->get_gpr(vcpu, n);
}

void hv_vcpu_set_gpr(struct hv_vcpu *vcpu, unsigned n, uint64_t value)
{
	vcpu->ops->set_gpr(vcpu, n, value);
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
	uint64_t mask, rax;

	if (exit->reason != HV_EXIT_IO || !exit->io.in)
		return;
	mask = exit->io.size == 4 ? 0xffffffffull : (1ull << (8 * exit->io.size)) - 1;
	rax = vcpu->ops->get_gpr(vcpu, HV_GPR_RAX);
	/* A 32-bit IN zero-extends into RAX; 8/16-bit ones merge (APM vol. 3 "IN"). */
	if (exit->io.size == 4)
		rax = data;
	else
		rax = (rax & ~mask) | (data & mask);
	vcpu->ops->set_gpr(vcpu, HV_GPR_RAX, rax);
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

const char *hv_exit_kind_name(uint32_t kind)
{
	static const char *const names[] = {
		[HV_EXIT_KIND_OTHER] = "OTHER",
		[HV_EXIT_KIND_ENTRY_FAILED] = "ENTRY_FAILED",
		[HV_EXIT_KIND_EXCEPTION] = "EXCEPTION",
		[HV_EXIT_KIND_NMI] = "NMI",
		[HV_EXIT_KIND_INTR] = "INTR",
		[HV_EXIT_KIND_INIT] = "INIT",
		[HV_EXIT_KIND_SIPI] = "SIPI",
		[HV_EXIT_KIND_HYPERCALL] = "HYPERCALL",
		[HV_EXIT_KIND_HLT] = "HLT",
		[HV_EXIT_KIND_PAUSE] = "PAUSE",
		[HV_EXIT_KIND_CPUID] = "CPUID",
		[HV_EXIT_KIND_MSR] = "MSR",
		[HV_EXIT_KIND_IO] = "IO",
		[HV_EXIT_KIND_GPA_FAULT] = "GPA_FAULT",
		[HV_EXIT_KIND_TIMER] = "TIMER",
		[HV_EXIT_KIND_SHUTDOWN] = "SHUTDOWN",
	};

	return kind < sizeof(names) / sizeof(names[0]) && names[kind] ? names[kind] : "unknown";
}
