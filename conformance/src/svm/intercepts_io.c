/* SPDX-License-Identifier: MIT */
/*
 * IOIO and MSR intercepts through the permission maps (APM vol. 2 §15.10,
 * §15.11), with the exit information they save.
 */
#include "svm_util.h"

CONF_PAYLOAD_DECLARE(icpt_guest);
CONF_PAYLOAD_LABEL(icpt_guest, out);
CONF_PAYLOAD_LABEL(icpt_guest, out_insn);
CONF_PAYLOAD_LABEL(icpt_guest, in);
CONF_PAYLOAD_LABEL(icpt_guest, in_insn);
CONF_PAYLOAD_LABEL(icpt_guest, msr);
CONF_PAYLOAD_LABEL(icpt_guest, wrmsr_insn);
CONF_PAYLOAD_LABEL(icpt_guest, rdmsr_insn);

#define IO_PORT 0x80u
#define MSR_SYSENTER_ESP 0x175u
/* EXITINFO1 without the address-size and segment fields (bits 9:7, 12:10). */
#define IOIO_INFO_MASK 0xffff007dull

static bool setup(struct conf_ctx *ctx, struct conf_svm *s)
{
	return conf_svm_setup(ctx, s, CONF_PAYLOAD(icpt_guest), false);
}

/* OUT imm8 to an intercepted port — Expect: #VMEXIT(IOIO), port/size/type in EXITINFO1 */
CONF_SCENARIO(svm_intercept_ioio_out, "svm intercepts",
	      "Expect: #VMEXIT(IOIO) at the OUT; EXITINFO1 = port 0x80 | SZ8 | OUT; "
	      "EXITINFO2 = RIP of the next instruction",
	      "APM vol. 2 §15.10.2 (figure 15-2)", conf_svm_unsupported)
{
	struct conf_svm s;
	uint64_t insn;

	if (!setup(ctx, &s))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_IOIO_PROT, true);
	hv_iopm_set(s.vmcb, IO_PORT, true);
	conf_svm_start_at(&s, icpt_guest_out);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_IOIO, "OUT %al, $0x80"))
		return;
	insn = conf_svm_addr(&s, icpt_guest_out_insn);
	conf_check_u64(ctx, "RIP", s.vmcb->save.rip, insn);
	conf_check_masked(ctx, "EXITINFO1", s.vmcb->control.exit_info_1, IOIO_INFO_MASK,
			  ((uint64_t)IO_PORT << SVM_IOIO_PORT_SHIFT) | SVM_IOIO_SZ8);
	conf_check_u64(ctx, "EXITINFO2 (next RIP)", s.vmcb->control.exit_info_2, insn + 2);
	conf_check_u64(ctx, "guest AL", s.vmcb->save.rax & 0xff, 0x5a);
}

/* 16-bit IN whose second byte's port is intercepted — Expect: #VMEXIT(IOIO) */
CONF_SCENARIO(svm_intercept_ioio_in_multibyte, "svm intercepts",
	      "Expect: a 16-bit IN from port 0x80 with only port 0x81's IOPM bit set exits: "
	      "EXITINFO1 = port 0x80 | SZ16 | IN, EXITINFO2 = next RIP",
	      "APM vol. 2 §15.10.2", conf_svm_unsupported)
{
	struct conf_svm s;
	uint64_t insn;

	if (!setup(ctx, &s))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_IOIO_PROT, true);
	hv_iopm_set(s.vmcb, IO_PORT + 1, true);
	conf_svm_start_at(&s, icpt_guest_in);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_IOIO, "IN %dx, %ax"))
		return;
	insn = conf_svm_addr(&s, icpt_guest_in_insn);
	conf_check_u64(ctx, "RIP", s.vmcb->save.rip, insn);
	conf_check_masked(ctx, "EXITINFO1", s.vmcb->control.exit_info_1, IOIO_INFO_MASK,
			  ((uint64_t)IO_PORT << SVM_IOIO_PORT_SHIFT) | SVM_IOIO_SZ16 |
				  SVM_IOIO_TYPE_IN);
	conf_check_u64(ctx, "EXITINFO2 (next RIP)", s.vmcb->control.exit_info_2, insn + 2);
}

/* RDMSR with the MSRPM read bit set, write bit clear — Expect: #VMEXIT(MSR), EXITINFO1 = 0 */
CONF_SCENARIO(svm_intercept_msr_read, "svm intercepts",
	      "Expect: WRMSR passes (write bit clear), RDMSR gives #VMEXIT(MSR) with "
	      "EXITINFO1 = 0 and the MSR number in RCX",
	      "APM vol. 2 §15.11", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_MSR_PROT, true);
	hv_msrpm_set(s.vmcb, MSR_SYSENTER_ESP, true, false);
	conf_svm_start_at(&s, icpt_guest_msr);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_MSR, "WRMSR; RDMSR"))
		return;
	conf_check_u64(ctx, "RIP (the RDMSR)", s.vmcb->save.rip,
		       conf_svm_addr(&s, icpt_guest_rdmsr_insn));
	conf_check_u64(ctx, "EXITINFO1 (0 = RDMSR)", s.vmcb->control.exit_info_1, 0);
	conf_check_u64(ctx, "guest RCX", s.vcpu.gprs.rcx & 0xffffffffu, MSR_SYSENTER_ESP);
}

/* WRMSR with the MSRPM write bit set — Expect: #VMEXIT(MSR), EXITINFO1 = 1 */
CONF_SCENARIO(svm_intercept_msr_write, "svm intercepts",
	      "Expect: WRMSR gives #VMEXIT(MSR) with EXITINFO1 = 1, the value in EDX:EAX",
	      "APM vol. 2 §15.11", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_MSR_PROT, true);
	hv_msrpm_set(s.vmcb, MSR_SYSENTER_ESP, false, true);
	conf_svm_start_at(&s, icpt_guest_msr);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_MSR, "WRMSR"))
		return;
	conf_check_u64(ctx, "RIP (the WRMSR)", s.vmcb->save.rip,
		       conf_svm_addr(&s, icpt_guest_wrmsr_insn));
	conf_check_u64(ctx, "EXITINFO1 (1 = WRMSR)", s.vmcb->control.exit_info_1, 1);
	conf_check_u64(ctx, "guest EAX", s.vmcb->save.rax & 0xffffffffu, 0x1000);
	conf_check_u64(ctx, "guest RCX", s.vcpu.gprs.rcx & 0xffffffffu, MSR_SYSENTER_ESP);
}
