/* SPDX-License-Identifier: MIT */
/*
 * The virtual APIC's TSC-deadline timer (hv/vlapic.h) on the backend's
 * guest timer (hv/ops.h set_timer). The guest's TSC is the processor's
 * (no TSC offset), so the deadline is compared with arch_rdtsc. The TSC
 * is read only while a deadline is armed.
 */
#include "vx/arch.h"
#include "hv/vcpu.h"
#include "hv/vlapic.h"
#include "timer.h"

void hv_timer_poll(struct hv_vcpu *vcpu)
{
	if (hv_vlapic_timer_deadline(&vcpu->apic))
		(void)hv_vlapic_timer_expire(&vcpu->apic, arch_rdtsc());
}

void hv_timer_prepare_entry(struct hv_vcpu *vcpu)
{
	if (!vcpu->apic.tsc_deadline_timer)
		return;
	hv_timer_poll(vcpu);
	vcpu->ops->set_timer(vcpu, hv_vlapic_timer_deadline(&vcpu->apic));
}
