/* SPDX-License-Identifier: MIT */
/*
 * The wait-for-SIPI activity state and start-up IPIs to a guest (SDM vol.
 * 3C §25.2, §28.3.4; facts §(d) "Activity states", "INIT and
 * SIPI around VMX"): entered by VM entry with activity state 3, it runs no
 * guest instruction; a SIPI is a VM exit with its vector; an INIT is
 * blocked; a SIPI to a guest that is not waiting for one is discarded.
 */
#include "initsipi.h"

static const struct vap wfs_guest = { .start = vmx_guest_spin,
				      .activity = GUEST_ACTIVITY_WAIT_SIPI };

/* The guest entered wait-for-SIPI: nothing ran, no exit yet. */
static bool parked(struct conf_ctx *ctx)
{
	bool no_exit, no_insn;

	if (!vap_begin(ctx, vap_guest, &wfs_guest))
		return false;
	conf_apic_delay(VAP_SETTLE_TICKS);
	/* Both checks are recorded, whichever fails. */
	no_exit = conf_check_u64(ctx, "VM exit before any SIPI", vap.exited, 0);
	no_insn = conf_check_u64(ctx, "guest instructions run (its count)", *vap.counter, 0);
	return no_exit && no_insn;
}

static bool sipi_exit(struct conf_ctx *ctx)
{
	vap_send(APIC_DM_STARTUP | VAP_SIPI_VECTOR);
	if (!conf_check_u64(ctx, "VM exit after the SIPI", vap_wait(&vap.exited), 1))
		return false;
	return vap_check_exit(ctx, "VMLAUNCH into wait-for-SIPI, then SIPI", vap.out,
			      VMX_EXIT_SIPI_SIGNAL);
}

/* Wait-for-SIPI, then a SIPI — Expect: VM exit 4, the vector, activity 3 saved */
CONF_SCENARIO(vmx_wait_sipi_sipi_exit, "vmx mp activity sipi",
	      "Expect: VM entry with activity state wait-for-SIPI (3) runs no guest instruction "
	      "and exits on nothing else; a SIPI from processor 0 gives VM exit SIPI (4) with "
	      "the vector in qualification bits 7:0 (the rest 0), guest RIP unchanged, activity "
	      "state wait-for-SIPI (3) saved (the state before the exit) and interruptibility "
	      "state 0 saved (nothing blocked; not in SMM)",
	      "SDM vol. 3C §25.2 (start-up IPIs), §28.2.1 (exit qualification), §28.3.4; facts "
	      "§(d) \"INIT and SIPI around VMX\"",
	      vap_need2_wait_sipi)
{
	if (!parked(ctx) || !sipi_exit(ctx))
		goto out;
	conf_check_u64(ctx, "exit qualification", vap.exit.qualification, VAP_SIPI_VECTOR);
	conf_check_u64(ctx, "guest RIP", vap.exit.rip, conf_vmx_addr(&vap.s, vmx_guest_spin));
	conf_check_u64(ctx, "GUEST_ACTIVITY_STATE", vap.activity_saved, GUEST_ACTIVITY_WAIT_SIPI);
	conf_check_u64(ctx, "GUEST_INTERRUPTIBILITY_INFO", vap.intr_state, 0);
	conf_check_u64(ctx, "guest instructions run (its count)", *vap.counter, 0);
	conf_check_u64(ctx, "host code returned after VMXOFF", vap_go_and_join(ctx), 1);
out:
	vap_end(ctx);
}

/* INIT in wait-for-SIPI — Expect: no VM exit; a SIPI still exits */
CONF_SCENARIO(vmx_wait_sipi_init_no_exit, "vmx mp activity init sipi",
	      "Expect: an INIT to a guest in wait-for-SIPI is blocked: no VM exit, no guest "
	      "instruction; the guest still waits, and a SIPI then gives VM exit 4",
	      "SDM vol. 3C §25.2 (INIT blocked in wait-for-SIPI); facts §(d)",
	      vap_need2_wait_sipi)
{
	if (!parked(ctx))
		goto out;
	vap_send(VAP_ICR_INIT);
	conf_apic_delay(VAP_SETTLE_TICKS);
	if (!conf_check_u64(ctx, "VM exit after the INIT", vap.exited, 0) ||
	    !conf_check_u64(ctx, "guest instructions run after the INIT", *vap.counter, 0))
		goto out;
	if (sipi_exit(ctx))
		conf_check_u64(ctx, "exit qualification", vap.exit.qualification,
			       VAP_SIPI_VECTOR);
out:
	vap_end(ctx);
}

/* A SIPI to an active guest — Expect: discarded; the guest runs on */
CONF_SCENARIO(vmx_sipi_to_active_guest_discarded, "vmx mp sipi",
	      "Expect: a SIPI to a processor whose guest is active (not in wait-for-SIPI) is "
	      "discarded: no VM exit, the guest keeps counting and, told to stop, reaches its "
	      "VMCALL with MARK_DONE",
	      "SDM vol. 3C §25.2 (SIPIs cause VM exits only in wait-for-SIPI); facts §(d) "
	      "(vmx_sipi_signal_test)",
	      conf_vmx_need2)
{
	static const struct vap spin = { .start = vmx_guest_spin };
	uint64_t before;

	if (!vap_begin(ctx, vap_guest, &spin) || !vap_guest_runs(ctx))
		goto out;
	vap_send(APIC_DM_STARTUP | VAP_SIPI_VECTOR);
	conf_apic_delay(VAP_SETTLE_TICKS);
	if (!conf_check_u64(ctx, "VM exit after the SIPI", vap.exited, 0))
		goto out;
	before = __atomic_load_n(vap.counter, __ATOMIC_ACQUIRE);
	conf_apic_delay(VAP_SETTLE_TICKS);
	conf_check_true(ctx, "the guest counts on after the SIPI",
			__atomic_load_n(vap.counter, __ATOMIC_ACQUIRE) != before);
	__atomic_store_n(vap.flag, 1, __ATOMIC_RELEASE);
	if (!conf_check_u64(ctx, "the guest stopped when told", vap_wait(&vap.exited),
			    1))
		goto out;
	if (vap_check_exit(ctx, "VMLAUNCH, SIPI, then the guest's stop", vap.out,
			   VMX_EXIT_VMCALL))
		conf_check_u64(ctx, "guest RAX (where the guest stopped)", vap.rax, MARK_DONE);
out:
	vap_end(ctx);
}
