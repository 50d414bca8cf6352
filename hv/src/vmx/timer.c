/* SPDX-License-Identifier: MIT */
/*
 * The guest timer of the VMX backend: the VMX-preemption timer (SDM vol.
 * 3C §26.5.1), for the virtual APIC's TSC-deadline timer (hv/vlapic.h).
 * It counts down from the value VM entry loads, by one each time bit X of
 * the TSC changes (X = IA32_VMX_MISC[4:0]), and exits with reason 52 when
 * it reaches 0. The value is loaded afresh before every entry, since the
 * backend does not have the exit save it.
 */
#include "vx/arch.h"
#include "hv/vmx.h"
#include "vmx_backend.h"

void vmx_set_timer(struct hv_vcpu *vcpu, uint64_t deadline)
{
	struct hv_vmx_vcpu *v = to_vmx(vcpu);
	uint64_t now, ticks;
	bool on = deadline != 0;

	/* Before every entry: nothing to touch while the timer stays off. */
	if (!v->has_timer || (!on && !v->timer_on))
		return;
	vmx_load(vcpu);
	if (on != v->timer_on) {
		vmx_ctl(PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_VMX_PREEMPTION_TIMER, on);
		v->timer_on = on;
	}
	if (!on)
		return;
	now = arch_rdtsc();
	/*
	 * The first tick comes at the next change of bit X, possibly one TSC
	 * cycle away: one tick more than the distance in whole periods, so the
	 * exit never comes before the deadline (rounded up).
	 */
	ticks = 0;
	if (deadline > now)
		ticks = ((deadline - now + (1ull << v->timer_rate) - 1) >> v->timer_rate) + 1;
	vmx_w(VMX_PREEMPTION_TIMER_VALUE, ticks > 0xffffffffu ? 0xffffffffu : ticks);
}
