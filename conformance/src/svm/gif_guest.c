/* SPDX-License-Identifier: MIT */
/*
 * CLGI and STGI executed by a guest (APM vol. 2 §15.17 "Global Interrupt
 * Flag", vol. 3 "CLGI", "STGI"). A guest's EFER.SVME is set (VMRUN checks
 * it), so the instructions do not raise #UD: intercepted, they exit; not
 * intercepted and without VGIF in use, they clear and set the processor's
 * GIF, which holds an NMI pending until STGI.
 */
#include "svm_util.h"
#include "x86/apic.h"
#include "x86/cpu.h"

CONF_PAYLOAD_DECLARE(gif_guest);
CONF_PAYLOAD_LABEL(gif_guest, clgi_stgi);
CONF_PAYLOAD_LABEL(gif_guest, clgi_insn);
CONF_PAYLOAD_LABEL(gif_guest, stgi_insn);
CONF_PAYLOAD_LABEL(gif_guest, held_nmi);
CONF_PAYLOAD_LABEL(gif_guest, after_stgi);
CONF_PAYLOAD_LABEL(gif_guest, ran);

static bool setup(struct conf_ctx *ctx, struct conf_svm *s)
{
	return conf_svm_setup(ctx, s, CONF_PAYLOAD(gif_guest), false);
}

/* CLGI with its intercept — Expect: #VMEXIT(CLGI), RIP at the CLGI */
CONF_SCENARIO(svm_guest_clgi_intercept, "svm intercepts gif",
	      "Expect: #VMEXIT(CLGI) with the saved RIP at the guest's CLGI",
	      "APM vol. 2 §15.9 (table 15-7), §15.17", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC2, INTERCEPT_CLGI, true);
	conf_svm_start_at(&s, gif_guest_clgi_stgi);
	if (conf_svm_run_expect(ctx, &s, SVM_EXIT_CLGI, "the guest's CLGI"))
		conf_check_u64(ctx, "RIP", s.vmcb->save.rip, conf_svm_addr(&s, gif_guest_clgi_insn));
}

/* STGI with its intercept — Expect: #VMEXIT(STGI), RIP at the STGI */
CONF_SCENARIO(svm_guest_stgi_intercept, "svm intercepts gif",
	      "Expect: with only STGI intercepted, the guest's CLGI runs and its STGI gives "
	      "#VMEXIT(STGI) with the saved RIP at the STGI",
	      "APM vol. 2 §15.9 (table 15-7), §15.17", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC2, INTERCEPT_STGI, true);
	conf_svm_start_at(&s, gif_guest_clgi_stgi);
	if (conf_svm_run_expect(ctx, &s, SVM_EXIT_STGI, "the guest's STGI"))
		conf_check_u64(ctx, "RIP", s.vmcb->save.rip, conf_svm_addr(&s, gif_guest_stgi_insn));
}

/* CLGI, STGI without intercepts — Expect: both run, no #UD */
CONF_SCENARIO(svm_guest_clgi_stgi_run, "svm gif",
	      "Expect: a guest's CLGI and STGI without their intercepts execute (EFER.SVME is set "
	      "in guest mode): the guest reaches the VMMCALL after them, no #UD",
	      "APM vol. 3 \"CLGI\", \"STGI\"; vol. 2 §15.17", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_EXC, 1u << X86_VEC_UD, true);
	conf_svm_start_at(&s, gif_guest_clgi_stgi);
	if (conf_svm_run_expect(ctx, &s, SVM_EXIT_VMMCALL, "CLGI; STGI"))
		conf_check_u64(ctx, "guest RAX", s.vmcb->save.rax, MARK_AFTER);
}

/* NMI sent after the guest's CLGI, NMI intercepted — Expect: held until its STGI */
CONF_SCENARIO(svm_guest_clgi_holds_nmi, "svm gif",
	      "Expect: a self-NMI the guest sends after its CLGI waits while the guest runs on "
	      "and causes #VMEXIT(NMI) right after the guest's STGI (RIP after the STGI); the "
	      "host takes the NMI at its own STGI",
	      "APM vol. 2 §15.17, §15.21.2", conf_svm_unsupported)
{
	struct conf_svm s;
	uint32_t before;

	if (!setup(ctx, &s))
		return;
	/* The guest's ICR write reaches the processor's own APIC, in xAPIC mode. */
	arch_apic_write(APIC_SVR, APIC_SVR_ENABLE | 0xffu);
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_NMI, true);
	before = arch_host_nmis();
	conf_svm_start_at(&s, gif_guest_held_nmi);
	if (conf_svm_run_expect(ctx, &s, SVM_EXIT_NMI, "the NMI after the guest's STGI")) {
		conf_check_u64(ctx, "RIP", s.vmcb->save.rip, conf_svm_addr(&s, gif_guest_after_stgi));
		conf_check_u64(ctx, "guest code between CLGI and STGI ran",
			       *(volatile uint64_t *)conf_svm_ptr(&s, gif_guest_ran), 1);
	}
	conf_check_u64(ctx, "host NMIs before STGI", arch_host_nmis() - before, 0);
	conf_check_u64(ctx, "STGI", arch_stgi(), ARCH_OK);
	conf_check_u64(ctx, "host NMIs after STGI", arch_host_nmis() - before, 1);
}
