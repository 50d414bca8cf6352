/* SPDX-License-Identifier: MIT */
/*
 * The world-switch events read from a VMCB, one definition for both
 * platforms: the model's processor reports them from svm-model/, the
 * hardware image from its arch_vmrun, so a trace from a machine and one from
 * the model carry the same words (hv/event.h).
 *
 * Who may include it: svm-model/, hw/.
 */
#ifndef VX_VMCB_EVENT_H
#define VX_VMCB_EVENT_H

#include "vx/event.h"
#include "x86/vmcb.h"

/* VMRUN of the VMCB at vmcb_pa, with the control state that decides its outcome. */
static inline struct hv_event hv_event_vmrun(uint64_t vmcb_pa, const struct vmcb *v)
{
	return (struct hv_event){
		.type = HV_EV_VMRUN, .source = HV_SRC_SEAM,
		.v = { v->save.rip, vmcb_pa, v->control.int_ctl, v->control.event_inj,
		       v->control.event_inj_err, v->control.nested_ctl, v->control.tlb_ctl,
		       v->control.asid },
	};
}

/* Which of cr/dr reads and writes, exceptions and instructions exit. */
static inline struct hv_event hv_event_intercepts(const struct vmcb *v)
{
	const uint32_t *w = v->control.intercepts;

	return (struct hv_event){
		.type = HV_EV_VMRUN_INTERCEPTS, .source = HV_SRC_SEAM,
		.v = { w[VMCB_INTERCEPT_CR] & 0xffff, w[VMCB_INTERCEPT_CR] >> 16,
		       w[VMCB_INTERCEPT_DR] & 0xffff, w[VMCB_INTERCEPT_DR] >> 16,
		       w[VMCB_INTERCEPT_EXC], w[VMCB_INTERCEPT_MISC1], w[VMCB_INTERCEPT_MISC2],
		       w[VMCB_INTERCEPT_MISC3] },
	};
}

/* The #VMEXIT (or VMEXIT_INVALID) the VMCB holds. */
static inline struct hv_event hv_event_vmexit(const struct vmcb *v)
{
	return (struct hv_event){
		.type = HV_EV_VMEXIT, .source = HV_SRC_SEAM,
		.v = { v->control.exit_code, v->save.rip, v->control.exit_info_1,
		       v->control.exit_info_2, v->control.exit_int_info,
		       v->control.exit_int_info_err, v->control.next_rip },
	};
}

#endif
