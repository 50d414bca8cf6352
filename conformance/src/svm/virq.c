/* SPDX-License-Identifier: MIT */
/*
 * Virtual interrupts (APM vol. 2 §15.21.4): V_IRQ with int_vector and
 * V_INTR_PRIO, masked by the guest's RFLAGS.IF and by V_TPR unless V_IGN_TPR
 * is set; the VINTR intercept; and V_TPR as the guest's CR8 when
 * V_INTR_MASKING is set (§15.21.1).
 */
#include "irq_util.h"
#include "x86/cpu.h"

#define VIRQ_VECTOR 0x51u

static bool setup(struct conf_ctx *ctx, struct conf_svm *s, uint32_t prio, uint32_t vtpr)
{
	if (!conf_svm_setup(ctx, s, CONF_PAYLOAD(irq_guest), false))
		return false;
	hv_guest_set_gate(&s->guest, VIRQ_VECTOR, conf_svm_addr(s, irq_guest_handler));
	s->vmcb->save.rflags |= X86_RFLAGS_IF;
	s->vmcb->control.int_vector = VIRQ_VECTOR;
	s->vmcb->control.int_ctl = (s->vmcb->control.int_ctl & ~(V_TPR_MASK | V_INTR_PRIO_MASK)) |
				   V_IRQ_MASK | (prio << V_INTR_PRIO_SHIFT) | vtpr;
	return true;
}

/* V_IRQ with the VINTR intercept — Expect: #VMEXIT(VINTR) before the first instruction, V_IRQ kept */
CONF_SCENARIO(svm_intercept_vintr, "svm intercepts virq",
	      "Expect: #VMEXIT(VINTR) when the virtual interrupt would be taken, before the "
	      "first guest instruction; V_IRQ is still set",
	      "APM vol. 2 §15.21.4", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s, 0xf, 0))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_VINTR, true);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_VINTR, "VMRUN with V_IRQ"))
		return;
	conf_check_u64(ctx, "RIP", s.vmcb->save.rip, s.guest.entry);
	conf_check_bit(ctx, "int_ctl V_IRQ", s.vmcb->control.int_ctl, V_IRQ_MASK, true);
	conf_check_u64(ctx, "guest handler runs", irq_handler_runs(&s), 0);
}

/* V_IRQ, priority above V_TPR, IF = 1 — Expect: vectored through int_vector, V_IRQ cleared */
CONF_SCENARIO(svm_virq_delivered, "svm virq",
	      "Expect: the guest takes int_vector through its IDT before the first instruction "
	      "and the processor clears V_IRQ",
	      "APM vol. 2 §15.21.4", conf_svm_unsupported)
{
	struct conf_svm s;
	struct conf_iret_frame f;

	if (!setup(ctx, &s, 0xf, 0))
		return;
	if (!conf_svm_run_to_mark(ctx, &s, MARK_IRQ, "the guest's handler for int_vector"))
		return;
	conf_svm_iret_frame(&s, 2, &f);
	conf_check_u64(ctx, "interrupted RIP", f.rip, s.guest.entry);
	conf_check_bit(ctx, "int_ctl V_IRQ", s.vmcb->control.int_ctl, V_IRQ_MASK, false);
	conf_check_u64(ctx, "handler runs", irq_handler_runs(&s), 1);
}

/* V_IRQ whose priority is not above V_TPR — Expect: held; taken once V_IGN_TPR is set */
CONF_SCENARIO(svm_virq_held_by_vtpr, "svm virq",
	      "Expect: V_INTR_PRIO 2 with V_TPR 5 is not taken (the guest reaches its VMMCALL, "
	      "V_IRQ still set); with V_IGN_TPR it is taken",
	      "APM vol. 2 §15.21.4", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s, 2, 5))
		return;
	if (!conf_svm_run_to_mark(ctx, &s, MARK_MAIN1, "VMRUN with V_INTR_PRIO below V_TPR"))
		return;
	conf_check_bit(ctx, "int_ctl V_IRQ", s.vmcb->control.int_ctl, V_IRQ_MASK, true);
	conf_check_u64(ctx, "handler runs", irq_handler_runs(&s), 0);
	s.vmcb->control.int_ctl |= V_IGN_TPR_MASK;
	if (conf_svm_run_to_mark(ctx, &s, MARK_IRQ, "VMRUN with V_IGN_TPR"))
		conf_check_u64(ctx, "handler runs", irq_handler_runs(&s), 1);
}

/* V_IRQ with the guest's IF = 0 — Expect: held */
CONF_SCENARIO(svm_virq_held_by_if, "svm virq",
	      "Expect: with the guest's RFLAGS.IF = 0 the virtual interrupt is not taken and "
	      "V_IRQ stays set",
	      "APM vol. 2 §15.21.4", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s, 0xf, 0))
		return;
	s.vmcb->save.rflags &= ~X86_RFLAGS_IF;
	if (!conf_svm_run_to_mark(ctx, &s, MARK_MAIN1, "VMRUN with IF = 0"))
		return;
	conf_check_bit(ctx, "int_ctl V_IRQ", s.vmcb->control.int_ctl, V_IRQ_MASK, true);
	conf_check_u64(ctx, "handler runs", irq_handler_runs(&s), 0);
}

/* MOV to and from CR8 with V_INTR_MASKING — Expect: they access V_TPR */
CONF_SCENARIO(svm_vtpr_cr8, "svm virq",
	      "Expect: with V_INTR_MASKING set, the guest's MOV CR8 writes V_TPR (seen in int_ctl "
	      "at the next #VMEXIT) and reads it back",
	      "APM vol. 2 §15.21.1", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s, 0xf, 0))
		return;
	s.vmcb->control.int_ctl &= ~V_IRQ_MASK;
	s.vmcb->control.int_ctl |= V_INTR_MASKING_MASK;
	conf_svm_start_at(&s, irq_guest_cr8);
	if (!conf_svm_run_to_mark(ctx, &s, MARK_AFTER, "the guest's MOV CR8"))
		return;
	conf_check_u64(ctx, "int_ctl V_TPR", s.vmcb->control.int_ctl & V_TPR_MASK, 5);
	conf_check_u64(ctx, "CR8 read back (RBX)", s.vcpu.gprs.rbx, 5);
}
