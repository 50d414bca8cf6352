/* SPDX-License-Identifier: MIT */
/*
 * vNMI through the hv core (use_vnmi = true): the core's NMI-mask accessors
 * read and write V_NMI_MASK, and its NMI queue keeps at most one NMI in
 * V_NMI plus one in software, never touching the IRET intercept
 * (APM vol. 2 §15.21.10; facts §(f)).
 */
#include "nmi_util.h"
#include "x86/cpu.h"

/* set/get NMI mask with vNMI — Expect: they write and read int_ctl V_NMI_MASK */
CONF_SCENARIO(svm_vnmi_core_mask_roundtrip, "svm vnmi",
	      "Expect: the core's set_nmi_mask writes V_NMI_MASK, get_nmi_mask reads it back, "
	      "no IRET intercept; a queued NMI waits in V_NMI until the guest's IRET",
	      "APM vol. 2 §15.21.10", conf_vnmi_unsupported)
{
	struct conf_svm s;
	const struct vmcb_control_area *c;

	if (!nmi_setup(ctx, &s, true, nmi_guest_nmi_handler))
		return;
	c = &s.vmcb->control;
	hv_vcpu_set_nmi_mask(&s.vcpu, true);
	conf_check_bit(ctx, "int_ctl V_NMI_MASK after set(true)", c->int_ctl, V_NMI_MASK, true);
	conf_check_true(ctx, "get_nmi_mask after set(true)", hv_vcpu_get_nmi_mask(&s.vcpu));
	hv_vcpu_set_nmi_mask(&s.vcpu, false);
	conf_check_bit(ctx, "int_ctl V_NMI_MASK after set(false)", c->int_ctl, V_NMI_MASK, false);
	conf_check_true(ctx, "get_nmi_mask after set(false)", !hv_vcpu_get_nmi_mask(&s.vcpu));
	hv_vcpu_set_nmi_mask(&s.vcpu, true);
	conf_check_true(ctx, "no IRET intercept with vNMI",
			!hv_vmcb_intercepted(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_IRET));
	hv_vcpu_queue_nmi(&s.vcpu);
	if (!conf_svm_core_run_to(ctx, &s, MARK_MAIN1, "first stop"))
		return;
	conf_check_u64(ctx, "NMI handler runs while masked", nmi_count(&s), 0);
	conf_check_bit(ctx, "int_ctl V_NMI (pending in hardware)", c->int_ctl, V_NMI, true);
	if (!conf_svm_core_run_to(ctx, &s, MARK_NMI, "second stop"))
		return;
	conf_check_u64(ctx, "interrupted RIP (just after the IRET)", nmi_frame_rip(&s),
		       conf_svm_addr(&s, nmi_guest_after_iret));
	conf_check_u64(ctx, "IRET exits", s.vcpu.stats.iret_exits, 0);
}

/* Three NMIs queued with vNMI — Expect: EVENTINJ one + V_NMI one delivered, one dropped */
CONF_SCENARIO(svm_vnmi_core_queue_limit, "svm vnmi",
	      "Expect: of three NMIs queued together one goes to V_NMI, one is injected "
	      "(VMRUN sets V_NMI_MASK), one is dropped; two handler runs, no IRET exits",
	      "APM vol. 2 §15.21.10; facts §(f)", conf_vnmi_unsupported)
{
	struct conf_svm s;
	const struct vmcb_control_area *c;

	if (!nmi_setup(ctx, &s, true, nmi_guest_nmi_handler))
		return;
	c = &s.vmcb->control;
	for (int i = 0; i < 3; i++)
		hv_vcpu_queue_nmi(&s.vcpu);
	if (!conf_svm_core_run_to(ctx, &s, MARK_NMI, "first stop"))
		return;
	conf_check_bit(ctx, "int_ctl V_NMI (second one pending)", c->int_ctl, V_NMI, true);
	conf_check_bit(ctx, "int_ctl V_NMI_MASK", c->int_ctl, V_NMI_MASK, true);
	conf_check_u64(ctx, "NMIs dropped", s.vcpu.stats.nmis_dropped, 1);
	if (!conf_svm_core_run_to(ctx, &s, MARK_NMI, "second stop"))
		return;
	conf_check_bit(ctx, "int_ctl V_NMI", c->int_ctl, V_NMI, false);
	if (!conf_svm_core_run_to(ctx, &s, MARK_MAIN1, "third stop"))
		return;
	conf_check_u64(ctx, "NMI handler runs", nmi_count(&s), 2);
	conf_check_u64(ctx, "IRET exits", s.vcpu.stats.iret_exits, 0);
	conf_check_bit(ctx, "int_ctl V_NMI_MASK", c->int_ctl, V_NMI_MASK, false);
}
