/* SPDX-License-Identifier: MIT */
/*
 * Instruction intercepts (APM vol. 2 §15.9, table 15-7) and the shutdown
 * intercept (§15.14.3). Instruction intercepts are checked before the
 * instruction executes: the saved RIP is the instruction's own.
 */
#include "svm_util.h"
#include "x86/cpu.h"

CONF_PAYLOAD_DECLARE(icpt_guest);
CONF_PAYLOAD_LABEL(icpt_guest, cpuid);
CONF_PAYLOAD_LABEL(icpt_guest, cpuid_insn);
CONF_PAYLOAD_LABEL(icpt_guest, hlt);
CONF_PAYLOAD_LABEL(icpt_guest, invlpg);
CONF_PAYLOAD_LABEL(icpt_guest, invlpg_insn);
CONF_PAYLOAD_LABEL(icpt_guest, invlpg_fs);
CONF_PAYLOAD_LABEL(icpt_guest, invlpg_fs_insn);
CONF_PAYLOAD_LABEL(icpt_guest, iret);
CONF_PAYLOAD_LABEL(icpt_guest, iret_insn);
CONF_PAYLOAD_LABEL(icpt_guest, vmrun_insn);
CONF_PAYLOAD_LABEL(icpt_guest, ud);

#define INVLPG_ADDR 0x12345678ull
#define INVLPG_FS_BASE 0x40000000ull /* the guest's WRMSR FS_BASE */
#define INVLPG_FS_DISP 0x10ull

static bool setup(struct conf_ctx *ctx, struct conf_svm *s)
{
	return conf_svm_setup(ctx, s, CONF_PAYLOAD(icpt_guest), false);
}

/* CPUID with the CPUID intercept — Expect: #VMEXIT(CPUID), RIP at the CPUID */
CONF_SCENARIO(svm_intercept_cpuid, "svm intercepts",
	      "Expect: #VMEXIT(CPUID) with the saved RIP at the CPUID instruction",
	      "APM vol. 2 §15.9", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_CPUID, true);
	conf_svm_start_at(&s, icpt_guest_cpuid);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_CPUID, "CPUID"))
		return;
	conf_check_u64(ctx, "RIP", s.vmcb->save.rip, conf_svm_addr(&s, icpt_guest_cpuid_insn));
	conf_check_u64(ctx, "guest RAX (leaf, not yet replaced)", s.vmcb->save.rax, 0);
}

/* HLT with the HLT intercept — Expect: #VMEXIT(HLT), RIP at the HLT */
CONF_SCENARIO(svm_intercept_hlt, "svm intercepts",
	      "Expect: #VMEXIT(HLT) with the saved RIP at the HLT instruction",
	      "APM vol. 2 §15.9", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_HLT, true);
	conf_svm_start_at(&s, icpt_guest_hlt);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_HLT, "HLT"))
		return;
	conf_check_u64(ctx, "RIP", s.vmcb->save.rip, conf_svm_addr(&s, icpt_guest_hlt));
}

/* VMMCALL with the VMMCALL intercept — Expect: #VMEXIT(VMMCALL), guest RAX saved */
CONF_SCENARIO(svm_intercept_vmmcall, "svm intercepts",
	      "Expect: #VMEXIT(VMMCALL) with RIP at the VMMCALL and the guest's RAX in the VMCB",
	      "APM vol. 2 §15.9", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_VMMCALL, "VMMCALL"))
		return;
	conf_check_u64(ctx, "RIP", s.vmcb->save.rip, s.guest.entry + 5);
	conf_check_u64(ctx, "guest RAX", s.vmcb->save.rax, MARK_DONE);
}

/* VMMCALL without its intercept — Expect: #UD in the guest (seen as #VMEXIT(EXCP6)) */
CONF_SCENARIO(svm_vmmcall_unintercepted_ud, "svm intercepts",
	      "Expect: VMMCALL without its intercept raises #UD in the guest: "
	      "#VMEXIT(EXCP6) with the #UD intercept, RIP at the VMMCALL",
	      "APM vol. 2 §15.9 (table 15-7, VMMCALL)", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC2, INTERCEPT_VMMCALL, false);
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_EXC, 1u << X86_VEC_UD, true);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_EXCP_BASE + X86_VEC_UD, "VMMCALL"))
		return;
	conf_check_u64(ctx, "RIP", s.vmcb->save.rip, s.guest.entry + 5);
}

/* INVLPG with the INVLPG intercept — Expect: #VMEXIT(INVLPG), EXITINFO1 = the address */
CONF_SCENARIO(svm_intercept_invlpg, "svm intercepts",
	      "Expect: #VMEXIT(INVLPG) at the INVLPG; with DecodeAssists EXITINFO1 = the "
	      "linear address",
	      "APM vol. 2 §15.9, §15.8.3", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_INVLPG, true);
	conf_svm_start_at(&s, icpt_guest_invlpg);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_INVLPG, "INVLPG"))
		return;
	conf_check_u64(ctx, "RIP", s.vmcb->save.rip, conf_svm_addr(&s, icpt_guest_invlpg_insn));
	if (s.caps.decode_assists)
		conf_check_u64(ctx, "EXITINFO1 (linear address)", s.vmcb->control.exit_info_1,
			       INVLPG_ADDR);
}

/* INVLPG through FS in 64-bit mode — Expect: EXITINFO1 = FS.base + the effective address */
CONF_SCENARIO(svm_intercept_invlpg_fs, "svm intercepts",
	      "Expect: after the guest writes FS.base (WRMSR C000_0100h), #VMEXIT(INVLPG) at "
	      "INVLPG FS:[RAX + 10h] in 64-bit mode; with DecodeAssists EXITINFO1 = the linear "
	      "address, FS.base + RAX + 10h (FS keeps its base in 64-bit mode)",
	      "APM vol. 2 §15.9, §15.8.3, §4.12.2", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_INVLPG, true);
	conf_svm_start_at(&s, icpt_guest_invlpg_fs);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_INVLPG, "INVLPG"))
		return;
	conf_check_u64(ctx, "RIP", s.vmcb->save.rip, conf_svm_addr(&s, icpt_guest_invlpg_fs_insn));
	if (s.caps.decode_assists)
		conf_check_u64(ctx, "EXITINFO1 (linear address)", s.vmcb->control.exit_info_1,
			       INVLPG_FS_BASE + INVLPG_ADDR + INVLPG_FS_DISP);
}

/* IRET with the IRET intercept — Expect: #VMEXIT(IRET) before the IRET executes */
CONF_SCENARIO(svm_intercept_iret, "svm intercepts",
	      "Expect: #VMEXIT(IRET) with RIP at the IRETQ and the frame still on the stack",
	      "APM vol. 2 §15.9 (IRET: intercept before exceptions)", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_IRET, true);
	conf_svm_start_at(&s, icpt_guest_iret);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_IRET, "IRETQ"))
		return;
	conf_check_u64(ctx, "RIP", s.vmcb->save.rip, conf_svm_addr(&s, icpt_guest_iret_insn));
	/* Five quadwords pushed for the frame, none popped yet. */
	conf_check_u64(ctx, "RSP", s.vmcb->save.rsp, s.guest.stack_top - 5 * 8);
}

/* VMRUN executed by the guest — Expect: #VMEXIT(VMRUN) */
CONF_SCENARIO(svm_intercept_vmrun_in_guest, "svm intercepts",
	      "Expect: a guest VMRUN exits with #VMEXIT(VMRUN), RIP at the VMRUN",
	      "APM vol. 2 §15.9 (VMRUN intercept, always set)", conf_svm_unsupported)
{
	struct conf_svm s;
	uint64_t page;

	if (!setup(ctx, &s))
		return;
	/* A valid, aligned operand, so that only the intercept can end it. */
	page = arch_page_alloc();
	if (!page) {
		conf_error(ctx, "no page for the guest's VMCB operand");
		return;
	}
	s.vmcb->save.rax = page;
	conf_svm_start_at(&s, icpt_guest_vmrun_insn);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_VMRUN, "guest VMRUN"))
		return;
	conf_check_u64(ctx, "RIP", s.vmcb->save.rip, conf_svm_addr(&s, icpt_guest_vmrun_insn));
	conf_check_u64(ctx, "guest RAX", s.vmcb->save.rax, page);
}

/* Triple fault with the SHUTDOWN intercept — Expect: #VMEXIT(SHUTDOWN) */
CONF_SCENARIO(svm_intercept_shutdown, "svm intercepts",
	      "Expect: a guest triple fault (#UD with an empty IDT) gives #VMEXIT(SHUTDOWN)",
	      "APM vol. 2 §15.14.3", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	/* #UD, then #GP for the missing gate, then #DF, then shutdown. */
	s.vmcb->save.idtr.limit = 0;
	conf_svm_start_at(&s, icpt_guest_ud);
	conf_svm_run_expect(ctx, &s, SVM_EXIT_SHUTDOWN, "UD2 with IDTR.limit = 0");
}
