/* SPDX-License-Identifier: MIT */
/*
 * Control- and debug-register access intercepts (APM vol. 2 §15.9, table
 * 15-7) and, where the processor has DecodeAssists, the MOV CRx/DRx
 * information in EXITINFO1 (§15.8.1, tables 15-2 and 15-3).
 */
#include "svm_util.h"
#include "x86/cpu.h"

CONF_PAYLOAD_DECLARE(icpt_guest);
CONF_PAYLOAD_LABEL(icpt_guest, cr0_sel);
CONF_PAYLOAD_LABEL(icpt_guest, cr0_wp_insn);
CONF_PAYLOAD_LABEL(icpt_guest, cr0_read);
CONF_PAYLOAD_LABEL(icpt_guest, cr3_write);
CONF_PAYLOAD_LABEL(icpt_guest, cr3_write_insn);
CONF_PAYLOAD_LABEL(icpt_guest, cr4);
CONF_PAYLOAD_LABEL(icpt_guest, cr4_read_insn);
CONF_PAYLOAD_LABEL(icpt_guest, cr4_write_insn);
CONF_PAYLOAD_LABEL(icpt_guest, dr7);
CONF_PAYLOAD_LABEL(icpt_guest, dr7_read_insn);
CONF_PAYLOAD_LABEL(icpt_guest, dr7_write_insn);
CONF_PAYLOAD_LABEL(icpt_guest, lmsw);
CONF_PAYLOAD_LABEL(icpt_guest, lmsw_ts_insn);
CONF_PAYLOAD_LABEL(icpt_guest, lmsw_em_insn);
CONF_PAYLOAD_LABEL(icpt_guest, lmsw_mem);
CONF_PAYLOAD_LABEL(icpt_guest, lmsw_mem_insn);
CONF_PAYLOAD_LABEL(icpt_guest, clts);
CONF_PAYLOAD_LABEL(icpt_guest, clts_insn);
CONF_PAYLOAD_LABEL(icpt_guest, smsw);
CONF_PAYLOAD_LABEL(icpt_guest, smsw_insn);

/* GPR numbers of the payload's operands. */
#define GPR_RCX 1u
#define GPR_RDX 2u
#define GPR_RBX 3u
#define GPR_RSI 6u

static bool setup(struct conf_ctx *ctx, struct conf_svm *s)
{
	return conf_svm_setup(ctx, s, CONF_PAYLOAD(icpt_guest), false);
}

/* One intercepted access: start at `start`, expect exit `code` at `insn`. */
static bool access(struct conf_ctx *ctx, struct conf_svm *s, unsigned word, uint32_t bit,
		   const uint8_t *start, uint64_t code, const uint8_t *insn, uint64_t info1,
		   const char *what)
{
	s->vmcb->control.intercepts[VMCB_INTERCEPT_CR] = 0;
	s->vmcb->control.intercepts[VMCB_INTERCEPT_DR] = 0;
	hv_vmcb_intercept(s->vmcb, word, bit, true);
	conf_svm_start_at(s, start);
	if (!conf_svm_run_expect(ctx, s, code, what))
		return false;
	conf_check_u64(ctx, "RIP", s->vmcb->save.rip, conf_svm_addr(s, insn));
	if (s->caps.decode_assists)
		conf_check_u64(ctx, "EXITINFO1 (decode assist)", s->vmcb->control.exit_info_1,
			       info1);
	return true;
}

/* MOV from CR0 and from CR4 with the read intercepts — Expect: #VMEXIT(CR0_READ), (CR4_READ) */
CONF_SCENARIO(svm_intercept_cr_read, "svm intercepts",
	      "Expect: MOV from CR0 gives #VMEXIT(CR0_READ), MOV from CR4 #VMEXIT(CR4_READ), "
	      "RIP at the MOV; with DecodeAssists EXITINFO1 = bit 63 | GPR",
	      "APM vol. 2 §15.9, §15.8.1", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	access(ctx, &s, VMCB_INTERCEPT_CR, 1u << 0, icpt_guest_cr0_read, SVM_EXIT_READ_CR0,
	       icpt_guest_cr0_read, SVM_CRX_MOV | GPR_RBX, "MOV %cr0, %rbx");
	access(ctx, &s, VMCB_INTERCEPT_CR, 1u << 4, icpt_guest_cr4, SVM_EXIT_READ_CR4,
	       icpt_guest_cr4_read_insn, SVM_CRX_MOV | GPR_RSI, "MOV %cr4, %rsi");
}

/* MOV to CR3 and to CR4 with only the write intercepts — Expect: reads pass, writes exit */
CONF_SCENARIO(svm_intercept_cr_write, "svm intercepts",
	      "Expect: with only write intercepts, MOV from CR3/CR4 runs and MOV to CR3/CR4 "
	      "gives #VMEXIT(CR3_WRITE)/(CR4_WRITE) at the MOV",
	      "APM vol. 2 §15.9, §15.8.1", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	if (access(ctx, &s, VMCB_INTERCEPT_CR, 1u << (16 + 3), icpt_guest_cr3_write,
		   SVM_EXIT_WRITE_CR3, icpt_guest_cr3_write_insn, SVM_CRX_MOV | GPR_RDX,
		   "MOV %cr3, %rdx; MOV %rdx, %cr3"))
		conf_check_u64(ctx, "RDX (CR3 read without exit)", s.vcpu.gprs.rdx,
			       s.vmcb->save.cr3);
	if (access(ctx, &s, VMCB_INTERCEPT_CR, 1u << (16 + 4), icpt_guest_cr4,
		   SVM_EXIT_WRITE_CR4, icpt_guest_cr4_write_insn, SVM_CRX_MOV | GPR_RSI,
		   "MOV %cr4, %rsi; MOV %rsi, %cr4"))
		conf_check_u64(ctx, "RSI (CR4 read without exit)", s.vcpu.gprs.rsi,
			       s.vmcb->save.cr4);
}

/* MOV from and to DR7 with the DR7 intercepts — Expect: #VMEXIT(DR7_READ), (DR7_WRITE) */
CONF_SCENARIO(svm_intercept_dr7, "svm intercepts",
	      "Expect: MOV from DR7 gives #VMEXIT(DR7_READ); with only the write intercept, "
	      "MOV to DR7 gives #VMEXIT(DR7_WRITE); with DecodeAssists EXITINFO1 = GPR",
	      "APM vol. 2 §15.9, §15.8.1", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	access(ctx, &s, VMCB_INTERCEPT_DR, 1u << 7, icpt_guest_dr7, SVM_EXIT_READ_DR7,
	       icpt_guest_dr7_read_insn, GPR_RCX, "MOV %dr7, %rcx");
	access(ctx, &s, VMCB_INTERCEPT_DR, 1u << (16 + 7), icpt_guest_dr7, SVM_EXIT_WRITE_DR7,
	       icpt_guest_dr7_write_insn, GPR_RCX, "MOV %rcx, %dr7");
}

/* MOV to CR0 with the selective CR0 intercept — Expect: no exit for TS alone; #VMEXIT(CR0_SEL_WRITE) for WP */
CONF_SCENARIO(svm_intercept_selective_cr0, "svm intercepts",
	      "Expect: a MOV to CR0 that changes only TS (or MP) runs without an exit; one that "
	      "changes another bit (WP) gives #VMEXIT(CR0_SEL_WRITE) at the MOV, unexecuted",
	      "APM vol. 2 §15.9.1", conf_svm_unsupported)
{
	struct conf_svm s;
	uint64_t cr0;

	if (!setup(ctx, &s))
		return;
	cr0 = s.vmcb->save.cr0;
	if (!conf_check_bit(ctx, "guest CR0.WP at the start", cr0, X86_CR0_WP, true))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_SELECTIVE_CR0, true);
	conf_svm_start_at(&s, icpt_guest_cr0_sel);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_CR0_SEL_WRITE, "MOV to CR0 clearing WP"))
		return;
	conf_check_u64(ctx, "RIP (the MOV that clears WP)", s.vmcb->save.rip,
		       conf_svm_addr(&s, icpt_guest_cr0_wp_insn));
	conf_check_u64(ctx, "CR0.TS (toggled without an exit)", s.vmcb->save.cr0 & X86_CR0_TS,
		       (cr0 ^ X86_CR0_TS) & X86_CR0_TS);
	conf_check_bit(ctx, "CR0.WP (the write did not happen)", s.vmcb->save.cr0, X86_CR0_WP,
		       true);
}

/*
 * LMSW, CLTS and SMSW access CR0 without being a MOV (§15.9.1): the CR0
 * intercepts see them, with EXITINFO1 bit 63 clear and no GPR under
 * DecodeAssists (§15.8.1).
 */

/* LMSW with the CR0 write intercept — Expect: #VMEXIT(CR0_WRITE) at the LMSW */
CONF_SCENARIO(svm_intercept_lmsw_cr0_write, "svm intercepts",
	      "Expect: LMSW gives #VMEXIT(CR0_WRITE) at the LMSW, unexecuted; with DecodeAssists "
	      "EXITINFO1 = 0 (not a MOV)",
	      "APM vol. 2 §15.9.1, §15.8.1", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	if (access(ctx, &s, VMCB_INTERCEPT_CR, 1u << 16, icpt_guest_lmsw, SVM_EXIT_WRITE_CR0,
		   icpt_guest_lmsw_ts_insn, 0, "LMSW toggling TS"))
		conf_check_u64(ctx, "CR0.TS (the write did not happen)",
			       s.vmcb->save.cr0 & X86_CR0_TS, 0);
}

/* LMSW with the selective CR0 intercept — Expect: no exit for TS alone; #VMEXIT(CR0_SEL_WRITE) for EM */
CONF_SCENARIO(svm_intercept_lmsw_selective, "svm intercepts",
	      "Expect: an LMSW that changes only TS runs without an exit; one that sets EM gives "
	      "#VMEXIT(CR0_SEL_WRITE) at the LMSW, unexecuted, with a register or a memory operand",
	      "APM vol. 2 §15.9.1", conf_svm_unsupported)
{
	struct conf_svm s;
	uint64_t cr0;

	if (!setup(ctx, &s))
		return;
	cr0 = s.vmcb->save.cr0;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_SELECTIVE_CR0, true);
	conf_svm_start_at(&s, icpt_guest_lmsw);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_CR0_SEL_WRITE, "LMSW setting EM"))
		return;
	conf_check_u64(ctx, "RIP (the LMSW that sets EM)", s.vmcb->save.rip,
		       conf_svm_addr(&s, icpt_guest_lmsw_em_insn));
	conf_check_u64(ctx, "CR0.TS (toggled without an exit)", s.vmcb->save.cr0 & X86_CR0_TS,
		       (cr0 ^ X86_CR0_TS) & X86_CR0_TS);
	conf_check_bit(ctx, "CR0.EM (the write did not happen)", s.vmcb->save.cr0, X86_CR0_EM,
		       false);
	conf_svm_start_at(&s, icpt_guest_lmsw_mem);
	if (conf_svm_run_expect(ctx, &s, SVM_EXIT_CR0_SEL_WRITE, "LMSW from memory setting EM"))
		conf_check_u64(ctx, "RIP (LMSW m16)", s.vmcb->save.rip,
			       conf_svm_addr(&s, icpt_guest_lmsw_mem_insn));
}

/* CLTS with the CR0 write intercept, then with only the selective one — Expect: exit, then none */
CONF_SCENARIO(svm_intercept_clts, "svm intercepts",
	      "Expect: CLTS gives #VMEXIT(CR0_WRITE) at the CLTS (EXITINFO1 = 0 with "
	      "DecodeAssists); with only the selective CR0 intercept it runs and clears TS",
	      "APM vol. 2 §15.9.1", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	s.vmcb->save.cr0 |= X86_CR0_TS;
	if (!access(ctx, &s, VMCB_INTERCEPT_CR, 1u << 16, icpt_guest_clts, SVM_EXIT_WRITE_CR0,
		    icpt_guest_clts_insn, 0, "CLTS"))
		return;
	s.vmcb->control.intercepts[VMCB_INTERCEPT_CR] = 0;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_SELECTIVE_CR0, true);
	conf_svm_start_at(&s, icpt_guest_clts);
	if (conf_svm_run_expect(ctx, &s, SVM_EXIT_VMMCALL, "CLTS with the selective intercept"))
		conf_check_bit(ctx, "CR0.TS after CLTS (read by the guest)", s.vcpu.gprs.rbx,
			       X86_CR0_TS, false);
}

/* SMSW with the CR0 read intercept — Expect: #VMEXIT(CR0_READ) at the SMSW */
CONF_SCENARIO(svm_intercept_smsw, "svm intercepts",
	      "Expect: SMSW gives #VMEXIT(CR0_READ) at the SMSW (EXITINFO1 = 0 with "
	      "DecodeAssists); without the intercept it reads CR0's low bits",
	      "APM vol. 2 §15.9.1, §15.8.1", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	if (!access(ctx, &s, VMCB_INTERCEPT_CR, 1u << 0, icpt_guest_smsw, SVM_EXIT_READ_CR0,
		    icpt_guest_smsw_insn, 0, "SMSW"))
		return;
	s.vmcb->control.intercepts[VMCB_INTERCEPT_CR] = 0;
	conf_svm_start_at(&s, icpt_guest_smsw);
	if (conf_svm_run_expect(ctx, &s, SVM_EXIT_VMMCALL, "SMSW without the intercept"))
		conf_check_u64(ctx, "EBX (CR0 bits 15:0)", s.vcpu.gprs.rbx & 0xffff,
			       s.vmcb->save.cr0 & 0xffff);
}
