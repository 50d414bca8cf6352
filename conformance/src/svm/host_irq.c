/* SPDX-License-Identifier: MIT */
/*
 * Maskable interrupts in host mode: RFLAGS.IF (arch_irq_enable/disable) and
 * GIF both hold them, and with V_INTR_MASKING set the host's IF at VMRUN is
 * what lets one make a guest exit (APM vol. 2 §15.17.1, §15.21.1,
 * §15.21.2; SDM vol. 3 §6.8.1 for IF). This is what a hypervisor relies on
 * to kick a processor out of guest mode with an IPI. The platform's host
 * handler counts each interrupt (arch_host_irqs) and EOIs it.
 *
 * The interrupt is a fixed self-IPI; every scenario ends with IF clear and
 * the vector retired.
 */
#include "../apic/apic_util.h"
#include "irq_util.h"
#include "x86/cpu.h"

#define VEC 0x41u

static bool apic_bit(uint32_t base, uint8_t vector)
{
	return (arch_apic_read(APIC_VECTOR_REG(base, vector)) & APIC_VECTOR_BIT(vector)) != 0;
}

static void self_ipi(void)
{
	arch_apic_send_ipi(0, APIC_DEST_SELF | APIC_INT_ASSERT | APIC_DM_FIXED | VEC);
}

/* After the host took it: counted once, retired (IRR and ISR clear). */
static void check_taken(struct conf_ctx *ctx, uint32_t before)
{
	conf_check_u64(ctx, "host interrupts taken", arch_host_irqs() - before, 1);
	conf_check_true(ctx, "IRR clear", !apic_bit(APIC_IRR, VEC));
	conf_check_true(ctx, "ISR clear (the handler's EOI)", !apic_bit(APIC_ISR, VEC));
}

/* A fixed interrupt in host mode with IF clear — Expect: it waits for STI */
CONF_SCENARIO(apic_host_irq_waits_for_if, "apic interrupts",
	      "Expect: with GIF set and IF clear the self-IPI stays in the IRR and the host takes "
	      "nothing; after STI the host takes it once and its EOI retires it",
	      "SDM vol. 3 §6.8.1, §11.8.4; APM vol. 2 §15.17.1", NULL)
{
	struct conf_apic_saved saved;
	uint32_t before;

	conf_apic_save(&saved);
	conf_apic_sw_enable();
	before = arch_host_irqs();
	self_ipi();
	conf_check_true(ctx, "IRR holds it with IF clear", apic_bit(APIC_IRR, VEC));
	conf_check_u64(ctx, "host interrupts with IF clear", arch_host_irqs() - before, 0);
	arch_irq_enable();
	(void)arch_apic_read(APIC_ID);
	arch_irq_disable();
	check_taken(ctx, before);
	conf_apic_end(ctx, &saved);
}

/* IF set but GIF clear — Expect: the interrupt waits for STGI */
CONF_SCENARIO(svm_host_irq_waits_for_gif, "svm interrupts gif",
	      "Expect: with IF set and GIF clear the self-IPI stays in the IRR; STGI lets the "
	      "host take it once and its EOI retires it",
	      "APM vol. 2 §15.17.1", conf_svm_unsupported)
{
	struct conf_svm s;
	uint32_t before;

	if (!conf_svm_setup(ctx, &s, CONF_PAYLOAD(irq_guest), false))
		return;
	conf_apic_sw_enable();
	if (!conf_check_u64(ctx, "CLGI", arch_clgi(), ARCH_OK))
		return;
	before = arch_host_irqs();
	arch_irq_enable();
	self_ipi();
	conf_check_true(ctx, "IRR holds it with GIF clear", apic_bit(APIC_IRR, VEC));
	conf_check_u64(ctx, "host interrupts with GIF clear", arch_host_irqs() - before, 0);
	conf_check_u64(ctx, "STGI", arch_stgi(), ARCH_OK);
	arch_irq_disable();
	check_taken(ctx, before);
}

/* V_INTR_MASKING with the host's IF set — Expect: #VMEXIT(INTR), then the host takes it */
CONF_SCENARIO(svm_intr_host_if_set_exits, "svm intercepts interrupts gif",
	      "Expect: with V_INTR_MASKING set and the host's IF set at VMRUN, a pending interrupt "
	      "makes the guest exit with #VMEXIT(INTR) before its first instruction although the "
	      "guest's IF is clear; it stays in the IRR until STGI, where the host takes it",
	      "APM vol. 2 §15.21.1, §15.21.2, §15.17.1", conf_svm_unsupported)
{
	struct conf_svm s;
	uint32_t before;

	if (!conf_svm_setup(ctx, &s, CONF_PAYLOAD(irq_guest), false))
		return;
	conf_apic_sw_enable();
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_INTR, true);
	s.vmcb->control.int_ctl |= V_INTR_MASKING_MASK;
	s.vmcb->save.rflags &= ~X86_RFLAGS_IF;
	if (!conf_check_u64(ctx, "CLGI", arch_clgi(), ARCH_OK))
		return;
	before = arch_host_irqs();
	self_ipi();
	arch_irq_enable();
	if (conf_svm_run_expect(ctx, &s, SVM_EXIT_INTR, "VMRUN with the host's IF set")) {
		conf_check_u64(ctx, "RIP", s.vmcb->save.rip, s.guest.entry);
		conf_check_true(ctx, "IRR still holds it", apic_bit(APIC_IRR, VEC));
		conf_check_u64(ctx, "host interrupts before STGI", arch_host_irqs() - before, 0);
	}
	conf_check_u64(ctx, "STGI", arch_stgi(), ARCH_OK);
	arch_irq_disable();
	check_taken(ctx, before);
}
