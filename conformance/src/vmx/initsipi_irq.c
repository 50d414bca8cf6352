/* SPDX-License-Identifier: MIT */
/*
 * Interrupts and NMIs from another processor to a guest (SDM vol. 3C
 * §25.2, §26.7, §28.2.2, §28.3.4): a fixed IPI wakes a guest in the HLT
 * state through its IDT when RFLAGS.IF = 1, or exits under "external-
 * interrupt exiting"; an NMI exits under "NMI exiting".
 */
#include "initsipi.h"

#include "x86/cpu.h"

static const struct vap halted = { .start = vmx_guest_hlt_after,
				   .activity = GUEST_ACTIVITY_HLT,
				   .irq_on = true };

/* The guest entered the HLT state and stays there; then the fixed IPI. */
static bool halt_then_ipi(struct conf_ctx *ctx, const struct vap *want)
{
	if (!vap_begin(ctx, vap_guest, want))
		return false;
	conf_apic_delay(VAP_SETTLE_TICKS);
	if (!conf_check_u64(ctx, "VM exit before the IPI (the guest is halted)", vap.exited, 0))
		return false;
	vap_send(APIC_DM_FIXED | VAP_VEC);
	return conf_check_u64(ctx, "VM exit after the IPI", vap_wait(&vap.exited), 1);
}

/* HLT state, IF = 1, a fixed IPI — Expect: the guest's handler for its vector runs */
CONF_SCENARIO(vmx_hlt_woken_by_ipi, "vmx mp activity interrupts",
	      "Expect: a guest entered in the HLT state with RFLAGS.IF = 1 and no "
	      "external-interrupt exiting stays there until processor 0's fixed IPI (vector "
	      "52H), which it takes through its IDT: its handler runs with return RIP after "
	      "the HLT",
	      "SDM vol. 3C §25.2, §26.7.4 (activity state HLT), §27.3.1.5; facts §(d)",
	      vap_need2_hlt)
{
	if (!halt_then_ipi(ctx, &halted) ||
	    !vap_check_exit(ctx, "VMLAUNCH in HLT, then the IPI", vap.out, VMX_EXIT_VMCALL))
		goto out;
	if (conf_check_true(ctx, "the guest is in its event handler", vap.at_handler)) {
		conf_check_u64(ctx, "vector the guest took", vap.vector, VAP_VEC);
		conf_check_u64(ctx, "return RIP", vap.frame.rip,
			       conf_vmx_addr(&vap.s, vmx_guest_hlt_after));
	}
	(void)vap_go_and_join(ctx);
out:
	vap_end(ctx);
}

static const char *need2_hlt_ack(void)
{
	const char *why = vap_need2_hlt();
	struct conf_vmx_caps c;

	if (why)
		return why;
	(void)conf_vmx_read_caps(&c);
	return conf_vmx_may1(c.exit, VM_EXIT_ACKNOWLEDGE_INTERRUPT_ON_EXIT)
		       ? NULL
		       : "IA32_VMX_EXIT_CTLS[47] (acknowledge interrupt on exit allowed-1) = 0";
}

/* The same IPI with external-interrupt exiting — Expect: VM exit 1, the vector acknowledged */
CONF_SCENARIO(vmx_hlt_ipi_external_interrupt_exit, "vmx mp activity interrupts",
	      "Expect: with external-interrupt exiting and acknowledge interrupt on exit, the "
	      "fixed IPI to a guest in the HLT state gives VM exit external interrupt (1) with "
	      "exit interruption information 80000052H (valid, external interrupt, vector "
	      "52H); RIP after the HLT and activity state HLT (1) saved",
	      "SDM vol. 3C §25.2, §28.2.2 (acknowledge interrupt on exit), §28.3.4",
	      need2_hlt_ack)
{
	struct vap want = halted;

	want.pin = PIN_BASED_EXTERNAL_INTERRUPT_EXITING;
	want.exit_ctls = VM_EXIT_ACKNOWLEDGE_INTERRUPT_ON_EXIT;
	if (!halt_then_ipi(ctx, &want) ||
	    !vap_check_exit(ctx, "VMLAUNCH in HLT, then the IPI", vap.out,
			    VMX_EXIT_EXTERNAL_INTERRUPT))
		goto out;
	conf_check_u64(ctx, "VM_EXIT_INTR_INFO", vap.exit.intr_info,
		       vmx_intr_info(INTR_TYPE_EXTERNAL_INTERRUPT, VAP_VEC));
	conf_check_u64(ctx, "guest RIP", vap.exit.rip, conf_vmx_addr(&vap.s, vmx_guest_hlt_after));
	conf_check_u64(ctx, "GUEST_ACTIVITY_STATE", vap.activity_saved, GUEST_ACTIVITY_HLT);
	(void)vap_go_and_join(ctx);
out:
	vap_end(ctx);
}

/* NMI exiting and an NMI IPI — Expect: VM exit 0, NMI, vector 2 */
CONF_SCENARIO(vmx_nmi_exiting_real_nmi, "vmx mp nmi",
	      "Expect: with NMI exiting, an NMI from processor 0 (ICR delivery mode NMI) to a "
	      "spinning guest gives VM exit exception or NMI (0) with exit interruption "
	      "information 80000202H (valid, NMI, vector 2)",
	      "SDM vol. 3C §25.2 (NMIs), §28.2.2; facts §(d) \"NMI controls\"", conf_vmx_need2)
{
	static const struct vap want = { .start = vmx_guest_spin,
					 .pin = PIN_BASED_NMI_EXITING };

	if (!vap_begin(ctx, vap_guest, &want) || !vap_guest_runs(ctx))
		goto out;
	vap_send(APIC_DM_NMI);
	if (!conf_check_u64(ctx, "VM exit after the NMI", vap_wait(&vap.exited), 1) ||
	    !vap_check_exit(ctx, "VMLAUNCH, then the NMI", vap.out, VMX_EXIT_EXCEPTION_NMI))
		goto out;
	conf_check_u64(ctx, "VM_EXIT_INTR_INFO", vap.exit.intr_info,
		       vmx_intr_info(INTR_TYPE_NMI, 2));
	(void)vap_go_and_join(ctx);
out:
	vap_end(ctx);
}
