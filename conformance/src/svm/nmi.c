/* SPDX-License-Identifier: MIT */
/*
 * NMIs through the hv core without vNMI (use_vnmi = false), on any SVM
 * processor: injection with EVENTINJ (TYPE = NMI), blocking tracked in
 * software and ended by intercepting the handler's IRET; the mask is dropped
 * only once RIP has moved past that IRET, because the intercept fires before
 * the IRET executes. At most one NMI waits while another is in service.
 */
#include "nmi_util.h"
#include "x86/cpu.h"

static bool iret_intercepted(const struct conf_svm *s)
{
	return hv_vmcb_intercepted(s->vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_IRET);
}

/* hv_vcpu_queue_nmi without vNMI — Expect: EVENTINJ = 0x80000200, taken through IDT vector 2 */
CONF_SCENARIO(svm_nmi_inject_eventinj, "svm nmi",
	      "Expect: a queued NMI is injected as EVENTINJ = 0x80000200 and taken through IDT "
	      "vector 2 before the first guest instruction",
	      "APM vol. 2 §15.20", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!nmi_setup(ctx, &s, false, nmi_guest_nmi_handler))
		return;
	hv_vcpu_queue_nmi(&s.vcpu);
	if (!conf_svm_core_run_to(ctx, &s, MARK_NMI, "first stop"))
		return;
	conf_check_event(ctx, "EVENTINJ written", hv_svm_vcpu(&s.vcpu)->last_event_inj,
			 SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_NMI);
	conf_check_u64(ctx, "NMI handler runs", nmi_count(&s), 1);
	conf_check_u64(ctx, "interrupted RIP", nmi_frame_rip(&s), s.guest.entry);
}

/* After injecting — Expect: NMIs masked in software and the IRET intercept set */
CONF_SCENARIO(svm_nmi_iret_intercept_armed, "svm nmi",
	      "Expect: while the handler runs, the core reports the NMI mask set and has the "
	      "IRET intercept on",
	      "APM vol. 2 §15.20 (an injected NMI does not block NMIs), §15.9", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!nmi_setup(ctx, &s, false, nmi_guest_nmi_handler))
		return;
	hv_vcpu_queue_nmi(&s.vcpu);
	if (!conf_svm_core_run_to(ctx, &s, MARK_NMI, "first stop"))
		return;
	conf_check_true(ctx, "NMI mask", hv_vcpu_get_nmi_mask(&s.vcpu));
	conf_check_true(ctx, "IRET intercept", iret_intercepted(&s));
	conf_check_true(ctx, "vNMI not in use", !(s.vmcb->control.int_ctl & V_NMI_ENABLE));
}

/* The handler's IRET retires — Expect: mask cleared, IRET intercept off, one IRET exit */
CONF_SCENARIO(svm_nmi_unmasked_after_iret, "svm nmi",
	      "Expect: once the handler's IRET has retired the mask is clear, the IRET "
	      "intercept is off, and exactly one #VMEXIT(IRET) was taken",
	      "APM vol. 2 §15.9 (IRET intercept precedes the IRET)", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!nmi_setup(ctx, &s, false, nmi_guest_nmi_handler))
		return;
	hv_vcpu_queue_nmi(&s.vcpu);
	if (!conf_svm_core_run_to(ctx, &s, MARK_NMI, "first stop") || !conf_svm_core_run_to(ctx, &s, MARK_MAIN1, "second stop"))
		return;
	conf_check_true(ctx, "NMI mask clear", !hv_vcpu_get_nmi_mask(&s.vcpu));
	conf_check_true(ctx, "IRET intercept off", !iret_intercepted(&s));
	conf_check_u64(ctx, "IRET exits", s.vcpu.stats.iret_exits, 1);
	conf_check_u64(ctx, "NMI handler runs", nmi_count(&s), 1);
}

/* The handler's IRET faults (#GP, intercepted) — Expect: RIP still at the IRET, mask still set */
CONF_SCENARIO(svm_nmi_mask_held_until_iret_retires, "svm nmi",
	      "Expect: when the intercepted IRET then faults, the #VMEXIT has RIP = the IRET's "
	      "and the core keeps NMIs masked",
	      "APM vol. 2 §15.9, §15.12.14", conf_svm_unsupported)
{
	struct conf_svm s;
	struct hv_exit exit;

	if (!nmi_setup(ctx, &s, false, nmi_guest_bad_handler))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_EXC, 1u << X86_VEC_GP, true);
	hv_vcpu_queue_nmi(&s.vcpu);
	if (hv_vcpu_run(&s.vcpu, &exit) != HV_OK) {
		conf_error(ctx, "hv_vcpu_run refused the vCPU");
		return;
	}
	if (!conf_check_u64(ctx, "exit reason (EXCEPTION)", exit.reason, HV_EXIT_EXCEPTION) ||
	    !conf_check_exit(ctx, "exit_code", exit.raw.reason, SVM_EXIT_EXCP_BASE + X86_VEC_GP))
		return;
	conf_check_u64(ctx, "#GP error code", exit.exception.error_code, NMI_GUEST_BAD_SELECTOR);
	conf_check_u64(ctx, "RIP (the faulting IRET)", exit.exception.rip,
		       conf_svm_addr(&s, nmi_guest_bad_iret));
	conf_check_u64(ctx, "IRET exits", s.vcpu.stats.iret_exits, 1);
	conf_check_true(ctx, "NMI mask still set", hv_vcpu_get_nmi_mask(&s.vcpu));
	conf_check_true(ctx, "awaiting IRET completion",
			hv_svm_vcpu(&s.vcpu)->awaiting_iret_completion);
}

/* Two NMIs queued — Expect: the second is injected right after the first handler's IRET */
CONF_SCENARIO(svm_nmi_second_after_iret, "svm nmi",
	      "Expect: of two queued NMIs the second waits in software and is taken right after "
	      "the first handler's IRET, before the interrupted code resumes",
	      "APM vol. 2 §15.20, §8.2.2 (NMI blocked until IRET)", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!nmi_setup(ctx, &s, false, nmi_guest_nmi_handler))
		return;
	hv_vcpu_queue_nmi(&s.vcpu);
	hv_vcpu_queue_nmi(&s.vcpu);
	if (!conf_svm_core_run_to(ctx, &s, MARK_NMI, "first stop"))
		return;
	conf_check_u64(ctx, "NMIs waiting in software", s.vcpu.nmi.pending, 1);
	if (!conf_svm_core_run_to(ctx, &s, MARK_NMI, "second stop"))
		return;
	conf_check_u64(ctx, "NMI handler runs", nmi_count(&s), 2);
	conf_check_u64(ctx, "second NMI interrupted RIP", nmi_frame_rip(&s), s.guest.entry);
	if (!conf_svm_core_run_to(ctx, &s, MARK_MAIN1, "third stop"))
		return;
	conf_check_u64(ctx, "NMIs waiting in software", s.vcpu.nmi.pending, 0);
	conf_check_true(ctx, "NMI mask clear", !hv_vcpu_get_nmi_mask(&s.vcpu));
}

/* Three NMIs queued at once — Expect: two delivered, one dropped */
CONF_SCENARIO(svm_nmi_one_plus_one, "svm nmi",
	      "Expect: of three NMIs queued together, two are delivered (one in service, one "
	      "pending) and one is dropped",
	      "APM vol. 2 §8.2.2; facts §(f)", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!nmi_setup(ctx, &s, false, nmi_guest_nmi_handler))
		return;
	for (int i = 0; i < 3; i++)
		hv_vcpu_queue_nmi(&s.vcpu);
	if (!conf_svm_core_run_to(ctx, &s, MARK_NMI, "first stop") || !conf_svm_core_run_to(ctx, &s, MARK_NMI, "second stop") ||
	    !conf_svm_core_run_to(ctx, &s, MARK_MAIN1, "third stop"))
		return;
	conf_check_u64(ctx, "NMI handler runs", nmi_count(&s), 2);
	conf_check_u64(ctx, "NMIs dropped", s.vcpu.stats.nmis_dropped, 1);
}

/* NMI queued in an interrupt shadow — Expect: injected after one instruction */
CONF_SCENARIO(svm_nmi_interrupt_shadow, "svm nmi",
	      "Expect: with INTERRUPT_SHADOW = 1 the core holds the NMI for one instruction "
	      "(single-step window) and injects it after the first instruction",
	      "APM vol. 2 §15.21.5, §15.13.2", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!nmi_setup(ctx, &s, false, nmi_guest_nmi_handler))
		return;
	s.vmcb->control.int_state |= SVM_INTERRUPT_SHADOW_MASK;
	hv_vcpu_queue_nmi(&s.vcpu);
	if (!conf_svm_core_run_to(ctx, &s, MARK_NMI, "first stop"))
		return;
	conf_check_u64(ctx, "interrupted RIP (after the NOP)", nmi_frame_rip(&s),
		       conf_svm_addr(&s, nmi_guest_main1));
	conf_check_bit(ctx, "guest RFLAGS.TF (single-step undone)", s.vmcb->save.rflags,
		       X86_RFLAGS_TF, false);
	conf_check_true(ctx, "#DB intercept removed",
			!hv_vmcb_intercepted(s.vmcb, VMCB_INTERCEPT_EXC, 1u << X86_VEC_DB));
}

/* NMI queued while the mask is set by hv_vcpu_set_nmi_mask — Expect: held until the guest's IRET */
CONF_SCENARIO(svm_nmi_set_mask_defers, "svm nmi",
	      "Expect: with the mask set through the core, a queued NMI is held, and taken "
	      "right after the guest's next IRET",
	      "APM vol. 2 §8.2.2; facts §(f)", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!nmi_setup(ctx, &s, false, nmi_guest_nmi_handler))
		return;
	hv_vcpu_set_nmi_mask(&s.vcpu, true);
	conf_check_true(ctx, "IRET intercept after set_nmi_mask(true)", iret_intercepted(&s));
	hv_vcpu_queue_nmi(&s.vcpu);
	if (!conf_svm_core_run_to(ctx, &s, MARK_MAIN1, "first stop"))
		return;
	conf_check_u64(ctx, "NMI handler runs while masked", nmi_count(&s), 0);
	conf_check_u64(ctx, "NMIs waiting in software", s.vcpu.nmi.pending, 1);
	if (!conf_svm_core_run_to(ctx, &s, MARK_NMI, "second stop"))
		return;
	conf_check_u64(ctx, "interrupted RIP (just after the IRET)", nmi_frame_rip(&s),
		       conf_svm_addr(&s, nmi_guest_after_iret));
}
