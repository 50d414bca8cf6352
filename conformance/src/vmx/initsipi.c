/* SPDX-License-Identifier: MIT */
/*
 * INIT to a processor in VMX operation (SDM vol. 3C §25.2, §28.3.4; facts
 * §(d) "INIT and SIPI around VMX"): in VMX non-root operation it is a VM
 * exit that changes no register and leaves nothing pending; in VMX root
 * operation it is blocked until VMXOFF, which lets it in.
 */
#include "initsipi.h"

#include "x86/cpu.h"

/* Code a start-up IPI runs on a processor INIT took (guest/init_host.S). */
extern const uint8_t host_sipi_start[], host_sipi_end[];
CONF_PAYLOAD_LABEL(host_sipi, runs);

static const struct vap spin_guest = { .start = vmx_guest_spin };

/* INIT to a spinning guest: the VM exit it gives, recorded by processor 1. */
static bool init_exit(struct conf_ctx *ctx, const struct vap *want)
{
	if (!vap_begin(ctx, vap_guest, want) || !vap_guest_runs(ctx))
		return false;
	vap_send(VAP_ICR_INIT);
	if (!conf_check_u64(ctx, "VM exit after the INIT", vap_wait(&vap.exited), 1))
		return false;
	return vap_check_exit(ctx, "VMLAUNCH, then INIT from processor 0", vap.out,
			      VMX_EXIT_INIT_SIGNAL);
}

/* INIT in VMX non-root operation — Expect: VM exit 3, qualification 0, no reset */
CONF_SCENARIO(vmx_init_exit_from_guest, "vmx mp init",
	      "Expect: an INIT to a processor whose guest spins gives VM exit INIT signal (3) "
	      "with qualification 0; the guest's RIP (in its loop), RSP, RFLAGS, CS and CR0 are "
	      "as before; the processor is still in VMX operation (VMREAD succeeds) and the INIT "
	      "is consumed: VMXOFF does not reset the processor, its host code returns",
	      "SDM vol. 3C §25.2 (INIT signals), §28.2.1; facts §(d) \"INIT and SIPI around VMX\"",
	      conf_vmx_need2)
{
	uint64_t loop;

	if (!init_exit(ctx, &spin_guest))
		goto out;
	loop = conf_vmx_addr(&vap.s, vmx_guest_spin);
	conf_check_u64(ctx, "exit qualification", vap.exit.qualification, 0);
	conf_check_true(ctx, "guest RIP in the spin loop",
			vap.exit.rip >= loop && vap.exit.rip < conf_vmx_addr(&vap.s, vmx_guest_spin_end));
	conf_check_u64(ctx, "guest RSP", vap.exit.rsp, vap.s.guest.stack_top);
	conf_check_u64(ctx, "guest RFLAGS but the arithmetic flags", vap.exit.rflags & ~0x8d5ull,
		       X86_RFLAGS_FIXED);
	conf_check_u64(ctx, "guest CS selector", vap.cs_sel, HV_GUEST_SEL_CODE64);
	conf_check_bit(ctx, "guest CR0.PG", vap.cr0, X86_CR0_PG, true);
	conf_check_true(ctx, "VMREAD after the exit succeeds (still in VMX operation)",
			vap.vmread_ok);
	conf_check_u64(ctx, "host code returned after VMXOFF (the INIT was consumed)",
		       vap_go_and_join(ctx), 1);
out:
	vap_end(ctx);
}

/* Resuming after the INIT exit — Expect: no second INIT exit; the guest runs on */
CONF_SCENARIO(vmx_init_exit_consumed_on_resume, "vmx mp init",
	      "Expect: VMRESUME after an INIT exit (interruptibility state as at entry) runs the "
	      "guest on to its VMCALL with MARK_TIMEOUT: the INIT that caused the exit is not "
	      "pending any more",
	      "SDM vol. 3C §25.2 (INIT signals cause VM exits); facts §(d) (the INIT is consumed "
	      "by the exit)",
	      conf_vmx_need2)
{
	struct vap want = spin_guest;

	want.resume = true;
	if (!init_exit(ctx, &want) || !vap_go_and_join(ctx))
		goto out;
	if (vap_check_exit(ctx, "VMRESUME after the INIT exit", vap.out2, VMX_EXIT_VMCALL))
		conf_check_u64(ctx, "guest RAX (where the guest stopped)", vap.rax2, MARK_TIMEOUT);
	conf_check_u64(ctx, "host code ran past VMXOFF", vap.after_vmxoff, 1);
out:
	vap_end(ctx);
}

/* Interruptibility saved by the INIT exit — Expect: 0 (no blocking; not in SMM) */
CONF_SCENARIO(vmx_init_exit_saves_interruptibility, "vmx mp init",
	      "Expect: the INIT exit from a guest with no blocking (entered with "
	      "interruptibility 0, no STI, MOV SS or NMI since) saves interruptibility state 0: "
	      "blocking by SMI is saved only in SMM",
	      "SDM vol. 3C §28.3.4 (saving non-register state), §25.4.2 table 25-3",
	      conf_vmx_need2)
{
	if (!init_exit(ctx, &spin_guest))
		goto out;
	conf_check_u64(ctx, "GUEST_INTERRUPTIBILITY_INFO", vap.intr_state, 0);
	(void)vap_go_and_join(ctx);
out:
	vap_end(ctx);
}

/* Processor 1: VMX root operation, then VMXOFF when told. */
static void vap_root(void *arg)
{
	struct vap *v = arg;

	v->apic_id = conf_apic_self_id();
	if (!conf_vmx_on_quiet(&v->s)) {
		v->err = v->s.err;
		__atomic_store_n(&v->ready, 1, __ATOMIC_RELEASE);
		return;
	}
	__atomic_store_n(&v->ready, 1, __ATOMIC_RELEASE);
	(void)conf_apic_wait_flag(&v->exited);
	conf_apic_delay(VAP_SETTLE_TICKS);
	__atomic_store_n(&v->held, 1, __ATOMIC_RELEASE);
	(void)conf_apic_wait_flag(&v->go);
	__atomic_store_n(&v->vmxoff_next, 1, __ATOMIC_RELEASE);
	(void)arch_vmxoff();
	__atomic_store_n(&v->after_vmxoff, 1, __ATOMIC_RELEASE);
}

static uint32_t *sipi_runs(void)
{
	return (uint32_t *)((uint8_t *)arch_phys_to_virt(VAP_SIPI_PAGE) +
			    (host_sipi_runs - host_sipi_start));
}

/* INIT in VMX root operation — Expect: blocked; VMXOFF lets it in */
CONF_SCENARIO(vmx_init_blocked_in_root_until_vmxoff, "vmx mp init",
	      "Expect: an INIT to a processor in VMX root operation (host code after VMXON) "
	      "resets nothing: its host code runs on; at VMXOFF the latched INIT is taken, the "
	      "code after VMXOFF never runs and a start-up IPI starts the processor",
	      "SDM vol. 3C §25.2 (INIT blocked in VMX root operation), §31.3 \"VMXOFF\"; facts "
	      "§(d) \"INIT and SIPI around VMX\"",
	      conf_vmx_need2)
{
	static const struct vap none;
	uint8_t *page = arch_phys_to_virt(VAP_SIPI_PAGE);

	hv_memset(page, 0, 4096);
	hv_memcpy(page, host_sipi_start, (size_t)(host_sipi_end - host_sipi_start));
	if (!vap_begin(ctx, vap_root, &none))
		goto out;
	arch_apic_send_ipi(vap.apic_id, VAP_ICR_INIT);
	__atomic_store_n(&vap.exited, 1, __ATOMIC_RELEASE);
	if (!conf_check_u64(ctx, "host code still runs in VMX root operation after the INIT",
			    vap_wait(&vap.held), 1))
		goto out;
	__atomic_store_n(&vap.go, 1, __ATOMIC_RELEASE);
	if (!conf_check_u64(ctx, "reached VMXOFF", vap_wait(&vap.vmxoff_next), 1))
		goto out;
	conf_apic_delay(VAP_SETTLE_TICKS);
	conf_check_u64(ctx, "code after VMXOFF runs", vap.after_vmxoff, 0);
	vap_send(APIC_DM_STARTUP | VAP_SIPI_VECTOR);
	conf_check_u64(ctx, "start-up code ran (the processor waited for SIPI)",
		       vap_wait(sipi_runs()), 1);
out:
	vap_end(ctx);
}
