/* SPDX-License-Identifier: MIT */
/*
 * NMI virtualisation (APM vol. 2 §15.21.10), driven by a bare hypervisor:
 * each scenario writes int_ctl and runs the VMCB itself. V_NMI is a pending
 * virtual NMI; taking it clears V_NMI and sets V_NMI_MASK before the IDT is
 * read; IRET completion clears V_NMI_MASK; a #VMEXIT during delivery saves
 * V_NMI_MASK as 0 and reports the NMI in EXITINTINFO.
 */
#include "nmi_util.h"
#include "x86/cpu.h"

/*
 * V_NMI_ENABLE without the NMI intercept is the rule VNMI_NMI_INTERCEPT of
 * the VMRUN consistency checks: its scenario comes from that table
 * (vmrun_rules.h).
 */

/* V_NMI pending at VMRUN — Expect: taken through IDT vector 2 before the first instruction */
CONF_SCENARIO(svm_vnmi_pending_delivered, "svm vnmi",
	      "Expect: a pending V_NMI is taken through IDT vector 2 before the first guest "
	      "instruction, without #VMEXIT(NMI)",
	      "APM vol. 2 §15.21.10", conf_vnmi_unsupported)
{
	struct conf_svm s;

	if (!vnmi_setup(ctx, &s))
		return;
	s.vmcb->control.int_ctl |= V_NMI;
	if (!conf_svm_run_to_mark(ctx, &s, MARK_NMI, "VMRUN with V_NMI"))
		return;
	conf_check_u64(ctx, "NMI handler runs", nmi_count(&s), 1);
	conf_check_u64(ctx, "interrupted RIP", nmi_frame_rip(&s), s.guest.entry);
}

/* Taking the virtual NMI — Expect: V_NMI cleared, V_NMI_MASK set */
CONF_SCENARIO(svm_vnmi_delivery_sets_mask, "svm vnmi",
	      "Expect: inside the handler, int_ctl has V_NMI = 0 and V_NMI_MASK = 1",
	      "APM vol. 2 §15.21.10", conf_vnmi_unsupported)
{
	struct conf_svm s;

	if (!vnmi_setup(ctx, &s))
		return;
	s.vmcb->control.int_ctl |= V_NMI;
	if (!conf_svm_run_to_mark(ctx, &s, MARK_NMI, "VMRUN with V_NMI"))
		return;
	conf_check_bit(ctx, "int_ctl V_NMI", s.vmcb->control.int_ctl, V_NMI, false);
	conf_check_bit(ctx, "int_ctl V_NMI_MASK", s.vmcb->control.int_ctl, V_NMI_MASK, true);
}

/* The handler's IRET completes — Expect: V_NMI_MASK = 0 at the next #VMEXIT */
CONF_SCENARIO(svm_vnmi_iret_clears_mask, "svm vnmi",
	      "Expect: after the handler's IRET, V_NMI_MASK = 0 at the next #VMEXIT",
	      "APM vol. 2 §15.21.10", conf_vnmi_unsupported)
{
	struct conf_svm s;

	if (!vnmi_setup(ctx, &s))
		return;
	s.vmcb->control.int_ctl |= V_NMI;
	if (!conf_svm_run_to_mark(ctx, &s, MARK_NMI, "VMRUN with V_NMI") ||
	    !conf_svm_run_to_mark(ctx, &s, MARK_MAIN1, "VMRUN back into the handler"))
		return;
	conf_check_bit(ctx, "int_ctl V_NMI_MASK", s.vmcb->control.int_ctl, V_NMI_MASK, false);
	conf_check_bit(ctx, "int_ctl V_NMI", s.vmcb->control.int_ctl, V_NMI, false);
	conf_check_u64(ctx, "NMI handler runs", nmi_count(&s), 1);
}

/* V_NMI with V_NMI_MASK set — Expect: stays pending until the guest's next IRET */
CONF_SCENARIO(svm_vnmi_masked_stays_pending, "svm vnmi",
	      "Expect: with V_NMI_MASK = 1 a pending V_NMI is not taken; the guest's next IRET "
	      "unmasks it and it is taken right after that IRET",
	      "APM vol. 2 §15.21.10", conf_vnmi_unsupported)
{
	struct conf_svm s;

	if (!vnmi_setup(ctx, &s))
		return;
	s.vmcb->control.int_ctl |= V_NMI | V_NMI_MASK;
	if (!conf_svm_run_to_mark(ctx, &s, MARK_MAIN1, "VMRUN with V_NMI and V_NMI_MASK"))
		return;
	conf_check_u64(ctx, "NMI handler runs while masked", nmi_count(&s), 0);
	conf_check_bit(ctx, "int_ctl V_NMI (still pending)", s.vmcb->control.int_ctl, V_NMI, true);
	conf_check_bit(ctx, "int_ctl V_NMI_MASK", s.vmcb->control.int_ctl, V_NMI_MASK, true);
	if (!conf_svm_run_to_mark(ctx, &s, MARK_NMI, "VMRUN through the guest's IRET"))
		return;
	conf_check_u64(ctx, "interrupted RIP (just after the IRET)", nmi_frame_rip(&s),
		       conf_svm_addr(&s, nmi_guest_after_iret));
	conf_check_bit(ctx, "int_ctl V_NMI", s.vmcb->control.int_ctl, V_NMI, false);
}

/* int_vector = 2 with V_NMI clear — Expect: no NMI is injected */
CONF_SCENARIO(svm_vnmi_int_vector_2_not_injected, "svm vnmi",
	      "Expect: int_vector = 2 with V_NMI_ENABLE and V_NMI = 0 injects nothing",
	      "APM vol. 2 §15.21.10, §15.21.4", conf_vnmi_unsupported)
{
	struct conf_svm s;

	if (!vnmi_setup(ctx, &s))
		return;
	s.vmcb->control.int_vector = 2;
	if (!conf_svm_run_to_mark(ctx, &s, MARK_MAIN1, "VMRUN with int_vector = 2"))
		return;
	conf_check_u64(ctx, "NMI handler runs", nmi_count(&s), 0);
	conf_check_bit(ctx, "int_ctl V_NMI_MASK", s.vmcb->control.int_ctl, V_NMI_MASK, false);
}

/* #PF pushing the NMI frame (unmapped stack), #PF intercepted — Expect: V_NMI_MASK = 0, EXITINTINFO = NMI */
CONF_SCENARIO(svm_vnmi_exit_during_delivery_pf, "svm vnmi",
	      "Expect: an intercepted #PF while pushing the virtual NMI's frame gives "
	      "#VMEXIT(EXCP14), EXITINTINFO = 0x80000202, V_NMI_MASK = 0, V_NMI = 0",
	      "APM vol. 2 §15.21.10, §15.7.2", conf_vnmi_unsupported)
{
	struct conf_svm s;
	struct vmcb_control_area *c;

	if (!vnmi_setup(ctx, &s))
		return;
	c = &s.vmcb->control;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_EXC, 1u << X86_VEC_PF, true);
	s.vmcb->save.rsp = CONF_UNMAPPED_GVA;
	c->int_ctl |= V_NMI;
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_EXCP_BASE + X86_VEC_PF, "VMRUN with V_NMI"))
		return;
	conf_check_event(ctx, "EXITINTINFO", c->exit_int_info,
			 SVM_EXITINTINFO_VALID | SVM_EXITINTINFO_TYPE_NMI | X86_VEC_NMI);
	conf_check_bit(ctx, "int_ctl V_NMI_MASK", c->int_ctl, V_NMI_MASK, false);
	conf_check_bit(ctx, "int_ctl V_NMI", c->int_ctl, V_NMI, false);
	conf_check_masked(ctx, "#PF error code (P, W, U)", c->exit_info_1,
			  X86_PF_P | X86_PF_W | X86_PF_U, X86_PF_W);
	conf_check_range(ctx, "#PF address", c->exit_info_2, CONF_UNMAPPED_GVA - 6 * 8,
			 CONF_UNMAPPED_GVA - 1);
	conf_check_u64(ctx, "NMI handler runs", nmi_count(&s), 0);
}

/* IDT too short for vector 2, #GP intercepted — Expect: V_NMI_MASK = 0, EXITINTINFO = NMI */
CONF_SCENARIO(svm_vnmi_exit_during_delivery_idt, "svm vnmi",
	      "Expect: an intercepted #GP(0x12 | EXT) for a missing IDT gate 2 gives #VMEXIT(EXCP13), "
	      "EXITINTINFO = 0x80000202, V_NMI_MASK = 0",
	      "APM vol. 2 §15.21.10, §15.7.2", conf_vnmi_unsupported)
{
	struct conf_svm s;
	struct vmcb_control_area *c;

	if (!vnmi_setup(ctx, &s))
		return;
	c = &s.vmcb->control;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_EXC, 1u << X86_VEC_GP, true);
	s.vmcb->save.idtr.limit = 2 * 16 - 1; /* vectors 0 and 1 only */
	c->int_ctl |= V_NMI;
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_EXCP_BASE + X86_VEC_GP, "VMRUN with V_NMI"))
		return;
	/* Selector error code: gate 2, IDT; EXT (bit 0) is not what this is about. */
	conf_check_masked(ctx, "#GP error code (vector 2, IDT; EXT ignored)", c->exit_info_1,
			  0xfffe, (2u << 3) | 2u);
	conf_check_event(ctx, "EXITINTINFO", c->exit_int_info,
			 SVM_EXITINTINFO_VALID | SVM_EXITINTINFO_TYPE_NMI | X86_VEC_NMI);
	conf_check_bit(ctx, "int_ctl V_NMI_MASK", c->int_ctl, V_NMI_MASK, false);
	conf_check_u64(ctx, "RIP (nothing executed)", s.vmcb->save.rip, s.guest.entry);
}

/* V_NMI pending in an interrupt shadow — Expect: taken after one instruction */
CONF_SCENARIO(svm_vnmi_interrupt_shadow, "svm vnmi",
	      "Expect: with INTERRUPT_SHADOW = 1 the pending V_NMI is taken after the first "
	      "instruction, not before it",
	      "APM vol. 2 §15.21.10, §15.21.5", conf_vnmi_unsupported)
{
	struct conf_svm s;

	if (!vnmi_setup(ctx, &s))
		return;
	s.vmcb->control.int_ctl |= V_NMI;
	s.vmcb->control.int_state |= SVM_INTERRUPT_SHADOW_MASK;
	if (!conf_svm_run_to_mark(ctx, &s, MARK_NMI, "VMRUN with V_NMI in an interrupt shadow"))
		return;
	conf_check_u64(ctx, "interrupted RIP (after the NOP)", nmi_frame_rip(&s),
		       conf_svm_addr(&s, nmi_guest_main1));
}

/* A second V_NMI set inside the handler — Expect: taken right after the handler's IRET */
CONF_SCENARIO(svm_vnmi_second_waits_for_iret, "svm vnmi",
	      "Expect: V_NMI set while the handler runs (V_NMI_MASK = 1) is held, then taken "
	      "right after the handler's IRET, before the interrupted code resumes",
	      "APM vol. 2 §15.21.10", conf_vnmi_unsupported)
{
	struct conf_svm s;

	if (!vnmi_setup(ctx, &s))
		return;
	s.vmcb->control.int_ctl |= V_NMI;
	if (!conf_svm_run_to_mark(ctx, &s, MARK_NMI, "VMRUN with V_NMI"))
		return;
	s.vmcb->control.int_ctl |= V_NMI;
	if (!conf_svm_run_to_mark(ctx, &s, MARK_NMI, "VMRUN with a second V_NMI inside the handler"))
		return;
	conf_check_u64(ctx, "NMI handler runs", nmi_count(&s), 2);
	conf_check_u64(ctx, "second NMI interrupted RIP", nmi_frame_rip(&s), s.guest.entry);
	conf_check_bit(ctx, "int_ctl V_NMI", s.vmcb->control.int_ctl, V_NMI, false);
	conf_check_bit(ctx, "int_ctl V_NMI_MASK", s.vmcb->control.int_ctl, V_NMI_MASK, true);
	if (!conf_svm_run_to_mark(ctx, &s, MARK_MAIN1, "VMRUN to the main code"))
		return;
	conf_check_bit(ctx, "int_ctl V_NMI_MASK", s.vmcb->control.int_ctl, V_NMI_MASK, false);
}

/* EVENTINJ NMI with vNMI enabled — Expect: VMRUN sets V_NMI_MASK, IRET clears it */
CONF_SCENARIO(svm_vnmi_eventinj_sets_mask, "svm vnmi",
	      "Expect: an NMI injected through EVENTINJ with V_NMI_ENABLE sets V_NMI_MASK; the "
	      "handler's IRET clears it",
	      "APM vol. 2 §15.21.10", conf_vnmi_unsupported)
{
	struct conf_svm s;

	if (!vnmi_setup(ctx, &s))
		return;
	s.vmcb->control.event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_NMI;
	if (!conf_svm_run_to_mark(ctx, &s, MARK_NMI, "VMRUN with EVENTINJ = 0x80000200"))
		return;
	conf_check_bit(ctx, "int_ctl V_NMI_MASK", s.vmcb->control.int_ctl, V_NMI_MASK, true);
	if (!conf_svm_run_to_mark(ctx, &s, MARK_MAIN1, "VMRUN back into the handler"))
		return;
	conf_check_bit(ctx, "int_ctl V_NMI_MASK", s.vmcb->control.int_ctl, V_NMI_MASK, false);
}

/* V_NMI pending, host GIF = 0 before VMRUN — Expect: taken, since VMRUN sets GIF */
CONF_SCENARIO(svm_vnmi_vmrun_sets_gif, "svm vnmi gif",
	      "Expect: a pending V_NMI is taken right after a VMRUN issued with GIF = 0 (VMRUN "
	      "sets GIF); after the #VMEXIT GIF is clear again",
	      "APM vol. 2 §15.17, §15.21.10", conf_vnmi_unsupported)
{
	struct conf_svm s;

	if (!vnmi_setup(ctx, &s))
		return;
	if (!conf_check_u64(ctx, "CLGI", arch_clgi(), ARCH_OK))
		return;
	s.vmcb->control.int_ctl |= V_NMI;
	if (conf_svm_run_to_mark(ctx, &s, MARK_NMI, "VMRUN with V_NMI and GIF = 0"))
		conf_check_u64(ctx, "NMI handler runs", nmi_count(&s), 1);
	conf_check_u64(ctx, "STGI", arch_stgi(), ARCH_OK);
}
