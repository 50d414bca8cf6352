/* SPDX-License-Identifier: MIT */
/*
 * Physical interrupts and NMIs around guest mode, and GIF (APM vol. 2
 * §15.17 "Global Interrupt Flag", §15.21.1 "Physical Interrupts Masking",
 * §15.21.2 "INTR, NMI and SMI Intercepts").
 *
 * The interrupt source is the processor's own local APIC: a self-IPI sent
 * in host mode, where RFLAGS.IF is clear (svm/host_irq.c sets it), waits in the
 * IRR (a fixed interrupt) or as a pending NMI (with GIF clear) until the
 * guest runs. Every scenario that raises a fixed interrupt lets the guest
 * take it and EOI it before it ends, so the APIC is clean for the next one.
 */
#include "irq_util.h"
#include "x86/apic.h"
#include "x86/cpu.h"
#include "x86/msr.h"

#define IRQ_VECTOR 0x41u

static bool setup(struct conf_ctx *ctx, struct conf_svm *s)
{
	if (!conf_svm_setup(ctx, s, CONF_PAYLOAD(irq_guest), false))
		return false;
	hv_guest_set_gate(&s->guest, IRQ_VECTOR, conf_svm_addr(s, irq_guest_handler));
	/* A software-disabled APIC drops fixed interrupts (SDM §11.4.7.2). */
	arch_apic_write(APIC_SVR, APIC_SVR_ENABLE | 0xffu);
	/* Physical interrupts follow the guest's IF unless a scenario says otherwise. */
	s->vmcb->control.int_ctl &= ~V_INTR_MASKING_MASK;
	s->vmcb->save.rflags |= X86_RFLAGS_IF;
	return true;
}

static bool apic_bit(uint32_t base, uint8_t vector)
{
	return (arch_apic_read(APIC_VECTOR_REG(base, vector)) & APIC_VECTOR_BIT(vector)) != 0;
}

static void self_ipi(uint32_t mode, uint8_t vector)
{
	arch_apic_send_ipi(0, APIC_DEST_SELF | APIC_INT_ASSERT | mode | vector);
}

/* Let the guest take the pending IRQ_VECTOR and EOI it. */
static void drain(struct conf_ctx *ctx, struct conf_svm *s)
{
	hv_vmcb_intercept(s->vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_INTR, false);
	s->vmcb->control.int_ctl &= ~V_INTR_MASKING_MASK;
	s->vmcb->save.rflags |= X86_RFLAGS_IF;
	if (conf_svm_run_to_mark(ctx, s, MARK_IRQ, "the guest takes the pending interrupt"))
		conf_svm_run_to_mark(ctx, s, MARK_EOI, "the guest's EOI");
}

/* A pending interrupt with the INTR intercept — Expect: #VMEXIT(INTR) before any guest instruction */
CONF_SCENARIO(svm_intercept_intr, "svm intercepts interrupts",
	      "Expect: #VMEXIT(INTR) with exit_info_1 = exit_info_2 = 0 and RIP at the first "
	      "guest instruction; the interrupt stays pending in the local APIC's IRR",
	      "APM vol. 2 §15.21.2", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	self_ipi(APIC_DM_FIXED, IRQ_VECTOR);
	if (!conf_check_true(ctx, "IRR holds the self-IPI before VMRUN", apic_bit(APIC_IRR, IRQ_VECTOR)))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_INTR, true);
	if (conf_svm_run_expect(ctx, &s, SVM_EXIT_INTR, "VMRUN with an interrupt pending")) {
		conf_check_u64(ctx, "RIP", s.vmcb->save.rip, s.guest.entry);
		conf_check_u64(ctx, "exit_info_1", s.vmcb->control.exit_info_1, 0);
		conf_check_u64(ctx, "exit_info_2", s.vmcb->control.exit_info_2, 0);
		conf_check_true(ctx, "IRR still holds it", apic_bit(APIC_IRR, IRQ_VECTOR));
		conf_check_u64(ctx, "guest handler runs", irq_handler_runs(&s), 0);
	}
	drain(ctx, &s);
}

/* A pending interrupt without the intercept, guest IF = 1 — Expect: vectored through the guest IDT */
CONF_SCENARIO(svm_intr_to_guest_idt, "svm interrupts",
	      "Expect: the guest takes the interrupt through its IDT before its first "
	      "instruction; the APIC moves it from IRR to ISR, and the guest's EOI clears ISR",
	      "APM vol. 2 §15.21.1", conf_svm_unsupported)
{
	struct conf_svm s;
	struct conf_iret_frame f;

	if (!setup(ctx, &s))
		return;
	self_ipi(APIC_DM_FIXED, IRQ_VECTOR);
	if (!conf_svm_run_to_mark(ctx, &s, MARK_IRQ, "the guest's handler runs"))
		return;
	conf_svm_iret_frame(&s, 2, &f);
	conf_check_u64(ctx, "interrupted RIP (the first guest instruction)", f.rip, s.guest.entry);
	conf_check_true(ctx, "ISR holds the vector in the handler", apic_bit(APIC_ISR, IRQ_VECTOR));
	conf_check_true(ctx, "IRR no longer holds it", !apic_bit(APIC_IRR, IRQ_VECTOR));
	if (!conf_svm_run_to_mark(ctx, &s, MARK_EOI, "the guest's EOI"))
		return;
	conf_check_true(ctx, "ISR clear after the EOI", !apic_bit(APIC_ISR, IRQ_VECTOR));
	if (conf_svm_run_to_mark(ctx, &s, MARK_MAIN1, "IRETQ back to the main code"))
		conf_check_u64(ctx, "handler runs", irq_handler_runs(&s), 1);
}

/* INTR intercept, V_INTR_MASKING = 0, guest IF = 0 — Expect: no #VMEXIT(INTR); the guest runs on */
CONF_SCENARIO(svm_intr_held_by_guest_if, "svm intercepts interrupts",
	      "Expect: with V_INTR_MASKING clear the guest's IF = 0 holds the interrupt: the "
	      "guest reaches its VMMCALL; with IF = 1 it is then taken",
	      "APM vol. 2 §15.21.1", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	self_ipi(APIC_DM_FIXED, IRQ_VECTOR);
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_INTR, true);
	s.vmcb->save.rflags &= ~X86_RFLAGS_IF;
	if (conf_svm_run_to_mark(ctx, &s, MARK_MAIN1, "VMRUN with IF = 0"))
		conf_check_true(ctx, "IRR still holds it", apic_bit(APIC_IRR, IRQ_VECTOR));
	conf_svm_start_at(&s, irq_guest_main1);
	drain(ctx, &s);
}

/* INTR intercept with V_INTR_MASKING = 1 and the host's IF = 0 — Expect: the interrupt waits */
CONF_SCENARIO(svm_intr_held_by_host_if, "svm intercepts interrupts",
	      "Expect: with V_INTR_MASKING set physical interrupts follow the host's IF, which "
	      "is clear: no #VMEXIT(INTR) even with the guest's IF = 1",
	      "APM vol. 2 §15.21.1", conf_svm_unsupported)
{
	struct conf_svm s;

	if (!setup(ctx, &s))
		return;
	self_ipi(APIC_DM_FIXED, IRQ_VECTOR);
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_INTR, true);
	s.vmcb->control.int_ctl |= V_INTR_MASKING_MASK;
	if (conf_svm_run_to_mark(ctx, &s, MARK_MAIN1, "VMRUN with V_INTR_MASKING"))
		conf_check_u64(ctx, "guest handler runs", irq_handler_runs(&s), 0);
	conf_svm_start_at(&s, irq_guest_main1);
	drain(ctx, &s);
}

/* An NMI sent with GIF = 0, NMI intercepted — Expect: #VMEXIT(NMI); the NMI reaches the host after STGI */
CONF_SCENARIO(svm_intercept_nmi, "svm intercepts gif",
	      "Expect: the NMI waits while GIF = 0, causes #VMEXIT(NMI) before the first guest "
	      "instruction, and is still pending afterwards: the host takes it once STGI sets GIF",
	      "APM vol. 2 §15.17, §15.21.2", conf_svm_unsupported)
{
	struct conf_svm s;
	uint32_t before;

	if (!setup(ctx, &s))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_NMI, true);
	before = arch_host_nmis();
	if (!conf_check_u64(ctx, "CLGI", arch_clgi(), ARCH_OK))
		return;
	self_ipi(APIC_DM_NMI, 0);
	conf_check_u64(ctx, "host NMIs while GIF = 0", arch_host_nmis() - before, 0);
	if (conf_svm_run_expect(ctx, &s, SVM_EXIT_NMI, "VMRUN with an NMI pending")) {
		conf_check_u64(ctx, "RIP", s.vmcb->save.rip, s.guest.entry);
		conf_check_u64(ctx, "exit_info_1", s.vmcb->control.exit_info_1, 0);
		conf_check_u64(ctx, "exit_int_info", s.vmcb->control.exit_int_info, 0);
	}
	conf_check_u64(ctx, "host NMIs before STGI", arch_host_nmis() - before, 0);
	conf_check_u64(ctx, "STGI", arch_stgi(), ARCH_OK);
	conf_check_u64(ctx, "host NMIs after STGI", arch_host_nmis() - before, 1);
}

/* An NMI to the host with GIF = 0 — Expect: held until STGI, then taken once */
CONF_SCENARIO(svm_gif_holds_nmi, "svm gif",
	      "Expect: CLGI holds an NMI pending; STGI releases it and the host takes it exactly "
	      "once",
	      "APM vol. 2 §15.17", conf_svm_unsupported)
{
	uint32_t before;
	int rc = hv_svm_enable();

	if (rc != HV_OK) {
		conf_error(ctx, "hv_svm_enable: %s", hv_strerror(rc));
		return;
	}
	before = arch_host_nmis();
	if (!conf_check_u64(ctx, "CLGI", arch_clgi(), ARCH_OK))
		return;
	self_ipi(APIC_DM_NMI, 0);
	conf_check_u64(ctx, "host NMIs with GIF = 0", arch_host_nmis() - before, 0);
	conf_check_u64(ctx, "STGI", arch_stgi(), ARCH_OK);
	conf_check_u64(ctx, "host NMIs after STGI", arch_host_nmis() - before, 1);
	conf_check_u64(ctx, "STGI again", arch_stgi(), ARCH_OK);
	conf_check_u64(ctx, "host NMIs after a second STGI (taken once)", arch_host_nmis() - before, 1);
}

/* CLGI and STGI with EFER.SVME = 0 — Expect: #UD */
CONF_SCENARIO(svm_gif_insns_need_svme, "svm gif",
	      "Expect: CLGI and STGI raise #UD while EFER.SVME is clear",
	      "APM vol. 3 \"CLGI\", \"STGI\"", conf_svm_unsupported)
{
	uint64_t efer = 0;
	int rc = hv_svm_enable();

	if (rc != HV_OK) {
		conf_error(ctx, "hv_svm_enable: %s", hv_strerror(rc));
		return;
	}
	if (!conf_check_u64(ctx, "RDMSR EFER", arch_rdmsr(MSR_EFER, &efer), ARCH_OK))
		return;
	if (!conf_check_u64(ctx, "WRMSR EFER.SVME = 0", arch_wrmsr(MSR_EFER, efer & ~X86_EFER_SVME),
			    ARCH_OK))
		return;
	conf_check_u64(ctx, "CLGI", arch_clgi(), ARCH_FAULT(X86_VEC_UD));
	conf_check_u64(ctx, "STGI", arch_stgi(), ARCH_FAULT(X86_VEC_UD));
	conf_check_u64(ctx, "WRMSR EFER restored", arch_wrmsr(MSR_EFER, efer), ARCH_OK);
}
