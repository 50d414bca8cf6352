/* SPDX-License-Identifier: MIT */
/*
 * Exception intercepts (APM vol. 2 §15.12): checked before the exception is
 * delivered, with the state it would have pushed; for INT3 the saved RIP is
 * the INT3's own (§15.12.4).
 */
#include "svm_util.h"
#include "x86/cpu.h"

CONF_PAYLOAD_DECLARE(icpt_guest);
CONF_PAYLOAD_LABEL(icpt_guest, ud);
CONF_PAYLOAD_LABEL(icpt_guest, bp);
CONF_PAYLOAD_LABEL(icpt_guest, de);
CONF_PAYLOAD_LABEL(icpt_guest, de_insn);

static void intercepted(struct conf_ctx *ctx, unsigned vector, const uint8_t *start,
			const uint8_t *insn, const char *what)
{
	struct conf_svm s;

	if (!conf_svm_setup(ctx, &s, CONF_PAYLOAD(icpt_guest), false))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_EXC, 1u << vector, true);
	conf_svm_start_at(&s, start);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_EXCP_BASE + vector, what))
		return;
	conf_check_u64(ctx, "RIP", s.vmcb->save.rip, conf_svm_addr(&s, insn));
	conf_check_bit(ctx, "EXITINTINFO.V", s.vmcb->control.exit_int_info, SVM_EXITINTINFO_VALID,
		       false);
	/* Intercepted before delivery: nothing was pushed on the guest stack. */
	conf_check_u64(ctx, "RSP", s.vmcb->save.rsp, s.guest.stack_top);
}

/* UD2 with #UD intercepted — Expect: #VMEXIT(EXCP6), RIP at the UD2 */
CONF_SCENARIO(svm_intercept_exception_ud, "svm intercepts",
	      "Expect: #VMEXIT(EXCP6) with RIP at the UD2 and nothing pushed",
	      "APM vol. 2 §15.12.7", conf_svm_unsupported)
{
	intercepted(ctx, X86_VEC_UD, icpt_guest_ud, icpt_guest_ud, "UD2");
}

/* DIV by zero with #DE intercepted — Expect: #VMEXIT(EXCP0), RIP at the DIV */
CONF_SCENARIO(svm_intercept_exception_de, "svm intercepts",
	      "Expect: #VMEXIT(EXCP0) with RIP at the faulting DIV",
	      "APM vol. 2 §15.12.1", conf_svm_unsupported)
{
	intercepted(ctx, X86_VEC_DE, icpt_guest_de, icpt_guest_de_insn, "DIV by zero");
}

/* INT3 with #BP intercepted — Expect: #VMEXIT(EXCP3), RIP at the INT3 itself */
CONF_SCENARIO(svm_intercept_exception_bp, "svm intercepts",
	      "Expect: #VMEXIT(EXCP3) with RIP at the INT3 instruction, not after it",
	      "APM vol. 2 §15.12, §15.12.4", conf_svm_unsupported)
{
	intercepted(ctx, X86_VEC_BP, icpt_guest_bp, icpt_guest_bp, "INT3");
}
