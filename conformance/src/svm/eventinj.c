/* SPDX-License-Identifier: MIT */
/*
 * Event injection through EVENTINJ (APM vol. 2 §15.20): legal events are
 * taken before the first guest instruction, whatever RFLAGS.IF says, and
 * without intercept checks; illegal ones make VMRUN fail with
 * VMEXIT_INVALID. The guest's default IDT stubs report what arrived
 * (hv/guest.h).
 */
#include "svm_util.h"
#include "x86/cpu.h"

CONF_PAYLOAD_DECLARE(icpt_guest);

static bool setup(struct conf_ctx *ctx, struct conf_svm *s)
{
	return conf_svm_setup(ctx, s, CONF_PAYLOAD(icpt_guest), false);
}

static void inject(struct conf_svm *s, uint32_t event, uint32_t err)
{
	s->vmcb->control.event_inj = event;
	s->vmcb->control.event_inj_err = err;
}

/*
 * Run and expect the stub of `vector` to report, interrupting the first
 * instruction: the frame's RIP is the entry point and the CPU's own frame
 * (5 quadwords, plus the error code when it pushes one) starts at the
 * initial RSP.
 */
static void expect_delivered(struct conf_ctx *ctx, struct conf_svm *s, uint8_t vector,
			     uint64_t err, const char *what)
{
	struct hv_guest_frame f;
	uint8_t got;

	if (!conf_svm_run_expect(ctx, s, SVM_EXIT_VMMCALL, what))
		return;
	if (!conf_check_true(ctx, "a default IDT stub ran", conf_svm_stub_frame(s, &got, &f)))
		return;
	conf_check_u64(ctx, "vector delivered", got, vector);
	conf_check_u64(ctx, "error code on the stack", f.error_code, err);
	conf_check_u64(ctx, "interrupted RIP", f.rip, s->guest.entry);
	conf_check_u64(ctx, "interrupted RSP", f.rsp, s->guest.stack_top);
	conf_check_bit(ctx, "EXITINTINFO.V", s->vmcb->control.exit_int_info,
		       SVM_EXITINTINFO_VALID, false);
}

/* #GP with an error code — Expect: handler 13 runs with that error code pushed */
CONF_SCENARIO(svm_eventinj_exception_error_code, "svm eventinj",
	      "Expect: EVENTINJ = 0x80000B0D, error 0xbeef is delivered through IDT vector 13 "
	      "with 0xbeef pushed, before the first instruction",
	      "APM vol. 2 §15.20", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	inject(&s, SVM_EVTINJ_VALID | SVM_EVTINJ_VALID_ERR | SVM_EVTINJ_TYPE_EXEPT | X86_VEC_GP,
	       0xbeef);
	expect_delivered(ctx, &s, X86_VEC_GP, 0xbeef, "VMRUN injecting #GP(0xbeef)");
}

/* An injected #GP while #GP is intercepted — Expect: delivered, not intercepted */
CONF_SCENARIO(svm_eventinj_not_intercepted, "svm eventinj",
	      "Expect: an injected #GP reaches the guest's handler although #GP is intercepted",
	      "APM vol. 2 §15.20 (injected events are not subject to intercept checks)",
	      conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_EXC, 1u << X86_VEC_GP, true);
	inject(&s, SVM_EVTINJ_VALID | SVM_EVTINJ_VALID_ERR | SVM_EVTINJ_TYPE_EXEPT | X86_VEC_GP,
	       0x10);
	expect_delivered(ctx, &s, X86_VEC_GP, 0x10, "VMRUN injecting #GP with #GP intercepted");
}

/* External interrupt 0x40 with RFLAGS.IF = 0 — Expect: delivered, no error code */
CONF_SCENARIO(svm_eventinj_intr, "svm eventinj",
	      "Expect: TYPE = INTR vector 0x40 is delivered through IDT vector 0x40 even with "
	      "RFLAGS.IF = 0, no error code pushed",
	      "APM vol. 2 §15.20", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	s.vmcb->save.rflags &= ~X86_RFLAGS_IF;
	inject(&s, SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_INTR | 0x40, 0);
	expect_delivered(ctx, &s, 0x40, 0, "VMRUN injecting INTR 0x40");
}

/* Software interrupt 0x80 — Expect: delivered through vector 0x80, return RIP = next_rip */
CONF_SCENARIO(svm_eventinj_soft_int, "svm eventinj",
	      "Expect: TYPE = SOFT INT vector 0x80 is delivered through IDT vector 0x80; with "
	      "next_rip = RIP the pushed return address is the entry point",
	      "APM vol. 2 §15.20", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	/* Where NRIPS exists the processor pushes next_rip; make both agree. */
	s.vmcb->control.next_rip = s.guest.entry;
	inject(&s, SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_SOFT | 0x80, 0);
	expect_delivered(ctx, &s, 0x80, 0, "VMRUN injecting INT 0x80");
}

/* TYPE = NMI with vector 0x40 — Expect: the vector is ignored, IDT entry 2 is used */
CONF_SCENARIO(svm_eventinj_nmi_ignores_vector, "svm eventinj",
	      "Expect: EVENTINJ TYPE = NMI with VECTOR = 0x40 is delivered through IDT vector 2",
	      "APM vol. 2 §15.20 (VECTOR ignored for NMI)", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	inject(&s, SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_NMI | 0x40, 0);
	expect_delivered(ctx, &s, X86_VEC_NMI, 0, "VMRUN injecting NMI (vector field 0x40)");
}

/* #GP injected while the IDT cannot hold vector 13 — Expect: #VMEXIT(EXCP13), EXITINTINFO = the injected #GP */
CONF_SCENARIO(svm_eventinj_delivery_fault_exitintinfo, "svm eventinj",
	      "Expect: a #GP during delivery of an injected #GP (IDT limit too small) is "
	      "intercepted: #VMEXIT(EXCP13), EXITINFO1 = 0x6a (| EXT), EXITINTINFO = 0x80000B0D with "
	      "its error code",
	      "APM vol. 2 §15.7.2, §15.20", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_EXC, 1u << X86_VEC_GP, true);
	/* Vectors 0-12 only: the gate of vector 13 lies beyond the limit. */
	s.vmcb->save.idtr.limit = 13 * 16 - 1;
	inject(&s, SVM_EVTINJ_VALID | SVM_EVTINJ_VALID_ERR | SVM_EVTINJ_TYPE_EXEPT | X86_VEC_GP,
	       0xbeef);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_EXCP_BASE + X86_VEC_GP, "VMRUN injecting #GP"))
		return;
	/*
	 * Error code of a #GP on an IDT gate: vector << 3 | IDT (bit 1). EXT
	 * (bit 0) depends on whether the processor counts an injected event as
	 * external; it is not what this scenario is about.
	 */
	conf_check_masked(ctx, "EXITINFO1 (#GP error code, EXT ignored)",
			  s.vmcb->control.exit_info_1, 0xfffe, (X86_VEC_GP << 3) | 2);
	conf_check_event(ctx, "EXITINTINFO", s.vmcb->control.exit_int_info,
			 SVM_EVTINJ_VALID | SVM_EVTINJ_VALID_ERR | SVM_EVTINJ_TYPE_EXEPT |
				 X86_VEC_GP);
	conf_check_u64(ctx, "EXITINTINFO error code", s.vmcb->control.exit_int_info_err, 0xbeef);
	conf_check_u64(ctx, "RIP", s.vmcb->save.rip, s.guest.entry);
}

/*
 * The illegal injections (exception vector 2 or 32, #BR into a 64-bit
 * guest, the reserved TYPEs) are the rule EVENTINJ of the VMRUN
 * consistency checks: their scenarios come from that table
 * (vmrun_rules.h).
 */
