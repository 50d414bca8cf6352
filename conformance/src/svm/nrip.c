/* SPDX-License-Identifier: MIT */
/*
 * NRIP save (APM vol. 2 §15.7.1): next_rip holds the next sequential RIP on
 * instruction, MSR and IOIO intercepts and on exceptions raised by INT3,
 * INTO and BOUND; it is reset to zero for every other #VMEXIT.
 */
#include "svm_util.h"
#include "x86/cpu.h"

CONF_PAYLOAD_DECLARE(icpt_guest);
CONF_PAYLOAD_LABEL(icpt_guest, cpuid);
CONF_PAYLOAD_LABEL(icpt_guest, cpuid_insn);
CONF_PAYLOAD_LABEL(icpt_guest, out);
CONF_PAYLOAD_LABEL(icpt_guest, out_insn);
CONF_PAYLOAD_LABEL(icpt_guest, msr);
CONF_PAYLOAD_LABEL(icpt_guest, rdmsr_insn);
CONF_PAYLOAD_LABEL(icpt_guest, bp);
CONF_PAYLOAD_LABEL(icpt_guest, ud);

#define MSR_SYSENTER_ESP 0x175u

static void step(struct conf_ctx *ctx, struct conf_svm *s, const uint8_t *start, uint64_t code,
		 uint64_t want, const char *what)
{
	conf_svm_start_at(s, start);
	if (conf_svm_run_expect(ctx, s, code, what))
		conf_check_u64(ctx, what, s->vmcb->control.next_rip, want);
}

/* next_rip after CPUID, OUT, RDMSR, VMMCALL, INT3 and #UD intercepts — Expect: RIP + length, or 0 for #UD */
CONF_SCENARIO(svm_nrip_save, "svm intercepts nrips",
	      "Expect: next_rip = the following instruction for CPUID, OUT, RDMSR, VMMCALL "
	      "and INT3 intercepts; next_rip = 0 for an intercepted #UD",
	      "APM vol. 2 §15.7.1", conf_nrips_unsupported)
{
	struct conf_svm s;
	struct vmcb *v;

	if (!conf_svm_setup(ctx, &s, CONF_PAYLOAD(icpt_guest), false))
		return;
	v = s.vmcb;
	hv_vmcb_intercept(v, VMCB_INTERCEPT_MISC1, INTERCEPT_CPUID | INTERCEPT_IOIO_PROT |
							   INTERCEPT_MSR_PROT, true);
	hv_vmcb_intercept(v, VMCB_INTERCEPT_EXC, (1u << X86_VEC_BP) | (1u << X86_VEC_UD), true);
	hv_iopm_set(v, 0x80, true);
	hv_msrpm_set(v, MSR_SYSENTER_ESP, true, false);

	step(ctx, &s, icpt_guest_cpuid, SVM_EXIT_CPUID,
	     conf_svm_addr(&s, icpt_guest_cpuid_insn) + 2, "next_rip after CPUID");
	step(ctx, &s, icpt_guest_out, SVM_EXIT_IOIO, conf_svm_addr(&s, icpt_guest_out_insn) + 2,
	     "next_rip after OUT");
	step(ctx, &s, icpt_guest_msr, SVM_EXIT_MSR, conf_svm_addr(&s, icpt_guest_rdmsr_insn) + 2,
	     "next_rip after RDMSR");
	step(ctx, &s, s.payload.entry, SVM_EXIT_VMMCALL, s.guest.entry + 5 + 3,
	     "next_rip after VMMCALL");
	step(ctx, &s, icpt_guest_bp, SVM_EXIT_EXCP_BASE + X86_VEC_BP,
	     conf_svm_addr(&s, icpt_guest_bp) + 1, "next_rip after INT3");
	step(ctx, &s, icpt_guest_ud, SVM_EXIT_EXCP_BASE + X86_VEC_UD, 0, "next_rip after #UD");
}
