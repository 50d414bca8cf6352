/* SPDX-License-Identifier: MIT */
/*
 * Control-register and debug-register accesses (SDM vol. 3C §26.1.3) and
 * their exit qualifications (§28.2.1, tables 28-3 and 28-4): the register,
 * the access type, the general-purpose register, LMSW's source data.
 */
#include "vmx_guest.h"

#include "x86/cpu.h"

#define GPR_RCX 1u
#define GPR_RDX 2u
#define GPR_RBX 3u
#define GPR_RSI 6u
#define GPR_RDI 7u

static uint64_t cr_qual(unsigned cr, unsigned type, unsigned gpr)
{
	return cr | ((uint64_t)type << EXIT_QUAL_CR_ACCESS_TYPE_SHIFT) |
	       ((uint64_t)gpr << EXIT_QUAL_CR_GPR_SHIFT);
}

static const char *proc_unsupported(uint32_t bit, const char *why)
{
	const char *base = conf_vmx_unsupported();
	struct conf_vmx_caps c;

	if (base)
		return base;
	(void)conf_vmx_read_caps(&c);
	return conf_vmx_may1(c.proc, bit) ? NULL : why;
}

static const char *cr3_unsupported(void)
{
	return proc_unsupported(CPU_BASED_CR3_LOAD_EXITING | CPU_BASED_CR3_STORE_EXITING,
				"IA32_VMX_PROCBASED_CTLS[47:48] (CR3-load/store exiting allowed-1) = 0");
}

static const char *cr8_unsupported(void)
{
	return proc_unsupported(CPU_BASED_CR8_LOAD_EXITING | CPU_BASED_CR8_STORE_EXITING,
				"IA32_VMX_PROCBASED_CTLS[51:52] (CR8-load/store exiting allowed-1) = 0");
}

static const char *dr_unsupported(void)
{
	return proc_unsupported(CPU_BASED_MOV_DR_EXITING,
				"IA32_VMX_PROCBASED_CTLS[55] (MOV-DR exiting allowed-1) = 0");
}

/* From `start`, expect exit `reason` at `insn` with qualification `qual`. */
static void expect_qual(struct conf_ctx *ctx, struct conf_vmx *s, const uint8_t *start,
			const uint8_t *insn, uint32_t reason, uint64_t qual)
{
	conf_vmx_start_at(s, start);
	if (!conf_vmx_run_expect(ctx, s, reason, "VMLAUNCH"))
		return;
	conf_check_u64(ctx, "guest RIP (at the instruction)", s->exit.rip, conf_vmx_addr(s, insn));
	conf_check_u64(ctx, "exit qualification", s->exit.qualification, qual);
}

/* MOV to CR3 with CR3-load exiting, no CR3-target values — Expect: VM exit 28 */
CONF_SCENARIO(vmx_exit_cr3_load, "vmx exits cr",
	      "Expect: VM exit control-register access (28), qualification CR3, MOV to CR, RCX",
	      "SDM vol. 3C §26.1.3, §28.2.1", cr3_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_CR3_LOAD_EXITING, true);
	expect_qual(ctx, &s, vmx_guest_cr3_write, vmx_guest_cr3_write_insn, VMX_EXIT_CR_ACCESS,
		    cr_qual(3, CR_ACCESS_MOV_TO_CR, GPR_RCX));
out:
	conf_vmx_off(&s);
}

/* MOV to CR3 of a CR3-target value — Expect: no VM exit */
CONF_SCENARIO(vmx_cr3_target_no_exit, "vmx exits cr",
	      "Expect: no VM exit for MOV to CR3 of a value among the CR3-target values, even "
	      "with CR3-load exiting",
	      "SDM vol. 3C §26.1.3", cr3_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	if (!conf_check_true(ctx, "IA32_VMX_MISC[24:16] (CR3-target values) >= 1",
			     (s.caps.misc & VMX_MISC_CR3_TARGET_COUNT_MASK) != 0))
		goto out;
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_CR3_LOAD_EXITING, true);
	conf_vmx_w(&s, CR3_TARGET_VALUE0, s.guest.cr3);
	conf_vmx_w(&s, CR3_TARGET_COUNT, 1);
	conf_vmx_start_at(&s, vmx_guest_cr3_write);
	conf_vmx_run_to_mark(ctx, &s, MARK_AFTER, "VMLAUNCH to the VMCALL after MOV to CR3");
out:
	conf_vmx_off(&s);
}

/* MOV from CR3 with CR3-store exiting — Expect: VM exit 28, MOV from CR, RSI */
CONF_SCENARIO(vmx_exit_cr3_store, "vmx exits cr",
	      "Expect: VM exit 28, qualification CR3, MOV from CR, RSI",
	      "SDM vol. 3C §26.1.3, §28.2.1", cr3_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_CR3_STORE_EXITING, true);
	expect_qual(ctx, &s, vmx_guest_cr3_read_insn, vmx_guest_cr3_read_insn,
		    VMX_EXIT_CR_ACCESS, cr_qual(3, CR_ACCESS_MOV_FROM_CR, GPR_RSI));
out:
	conf_vmx_off(&s);
}

/* MOV to CR0 changing a host-owned bit — Expect: VM exit 28, MOV to CR, RDX */
CONF_SCENARIO(vmx_exit_cr0_write_owned_bit, "vmx exits cr",
	      "Expect: VM exit 28, qualification CR0, MOV to CR, RDX, when the write changes "
	      "CR0.TS from its read shadow and TS is set in the guest/host mask",
	      "SDM vol. 3C §26.1.3, §28.2.1", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_w(&s, CR0_GUEST_HOST_MASK, X86_CR0_TS);
	expect_qual(ctx, &s, vmx_guest_cr0_write, vmx_guest_cr0_write_insn, VMX_EXIT_CR_ACCESS,
		    cr_qual(0, CR_ACCESS_MOV_TO_CR, GPR_RDX));
out:
	conf_vmx_off(&s);
}

/* MOV from CR0 with a host-owned bit — Expect: the read shadow's bit, no VM exit */
CONF_SCENARIO(vmx_cr0_read_shadow, "vmx exits cr",
	      "Expect: no VM exit; MOV from CR0 returns the read shadow's value for bits set in "
	      "the guest/host mask (TS) and CR0's own for the rest",
	      "SDM vol. 3C §26.3", conf_vmx_unsupported)
{
	struct conf_vmx s;
	uint64_t cr0;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	cr0 = conf_vmx_r(GUEST_CR0);
	conf_vmx_w(&s, CR0_GUEST_HOST_MASK, X86_CR0_TS);
	conf_vmx_w(&s, CR0_READ_SHADOW, X86_CR0_TS);
	conf_vmx_start_at(&s, vmx_guest_cr0_read_insn);
	if (conf_vmx_run_to_mark(ctx, &s, MARK_AFTER, "VMLAUNCH to the VMCALL after MOV from CR0"))
		conf_check_u64(ctx, "CR0 the guest read", s.gprs.rbx, cr0 | X86_CR0_TS);
out:
	conf_vmx_off(&s);
}

/* MOV to CR4 changing a host-owned bit — Expect: VM exit 28, CR4, RDX */
CONF_SCENARIO(vmx_exit_cr4_write_owned_bit, "vmx exits cr",
	      "Expect: VM exit 28, qualification CR4, MOV to CR, RDX, when the write changes "
	      "CR4.PGE from its read shadow and PGE is in the guest/host mask",
	      "SDM vol. 3C §26.1.3, §28.2.1", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_w(&s, CR4_GUEST_HOST_MASK, X86_CR4_PGE);
	expect_qual(ctx, &s, vmx_guest_cr4_write, vmx_guest_cr4_write_insn, VMX_EXIT_CR_ACCESS,
		    cr_qual(4, CR_ACCESS_MOV_TO_CR, GPR_RDX));
out:
	conf_vmx_off(&s);
}

/* MOV to CR0 leaving a host-owned bit at its shadow — Expect: no exit, the bit unmodified */
CONF_SCENARIO(vmx_cr0_write_keeps_owned_bit, "vmx exits cr",
	      "Expect: no VM exit when the written value's host-owned bit (MP) equals its read "
	      "shadow (0); CR0.MP keeps its value (1) while the guest's TS change takes effect",
	      "SDM vol. 3C §26.3 (MOV to CR0)", conf_vmx_unsupported)
{
	struct conf_vmx s;
	uint64_t cr0;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	cr0 = conf_vmx_r(GUEST_CR0);
	conf_vmx_w(&s, CR0_GUEST_HOST_MASK, X86_CR0_MP);
	conf_vmx_w(&s, CR0_READ_SHADOW, cr0 & ~X86_CR0_MP);
	conf_vmx_start_at(&s, vmx_guest_cr0_write);
	if (conf_vmx_run_to_mark(ctx, &s, MARK_AFTER, "VMLAUNCH to the VMCALL after MOV to CR0"))
		conf_check_u64(ctx, "guest CR0 (MP kept, TS toggled)", conf_vmx_r(GUEST_CR0),
			       cr0 ^ X86_CR0_TS);
out:
	conf_vmx_off(&s);
}

/* MOV to CR4 leaving a host-owned bit at its shadow — Expect: no exit, the bit unmodified */
CONF_SCENARIO(vmx_cr4_write_keeps_owned_bit, "vmx exits cr",
	      "Expect: no VM exit when the written value's host-owned bit (OSXMMEXCPT) equals "
	      "its read shadow (0); CR4.OSXMMEXCPT keeps its value (1) while the guest's PGE "
	      "change takes effect",
	      "SDM vol. 3C §26.3 (MOV to CR4)", conf_vmx_unsupported)
{
	struct conf_vmx s;
	uint64_t cr4;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	cr4 = conf_vmx_r(GUEST_CR4);
	conf_vmx_w(&s, CR4_GUEST_HOST_MASK, X86_CR4_OSXMMEXCPT);
	conf_vmx_w(&s, CR4_READ_SHADOW, cr4 & ~X86_CR4_OSXMMEXCPT);
	conf_vmx_start_at(&s, vmx_guest_cr4_write);
	if (conf_vmx_run_to_mark(ctx, &s, MARK_AFTER, "VMLAUNCH to the VMCALL after MOV to CR4"))
		conf_check_u64(ctx, "guest CR4 (OSXMMEXCPT kept, PGE toggled)",
			       conf_vmx_r(GUEST_CR4), cr4 ^ X86_CR4_PGE);
out:
	conf_vmx_off(&s);
}

/* MOV to CR8 with CR8-load exiting — Expect: VM exit 28, CR8, RBX */
CONF_SCENARIO(vmx_exit_cr8_load, "vmx exits cr",
	      "Expect: VM exit 28, qualification CR8, MOV to CR, RBX",
	      "SDM vol. 3C §26.1.3, §28.2.1", cr8_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_CR8_LOAD_EXITING, true);
	expect_qual(ctx, &s, vmx_guest_cr8_write_insn, vmx_guest_cr8_write_insn,
		    VMX_EXIT_CR_ACCESS, cr_qual(8, CR_ACCESS_MOV_TO_CR, GPR_RBX));
out:
	conf_vmx_off(&s);
}

/* MOV from CR8 with CR8-store exiting — Expect: VM exit 28, CR8, RDI */
CONF_SCENARIO(vmx_exit_cr8_store, "vmx exits cr",
	      "Expect: VM exit 28, qualification CR8, MOV from CR, RDI",
	      "SDM vol. 3C §26.1.3, §28.2.1", cr8_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_CR8_STORE_EXITING, true);
	expect_qual(ctx, &s, vmx_guest_cr8_read_insn, vmx_guest_cr8_read_insn,
		    VMX_EXIT_CR_ACCESS, cr_qual(8, CR_ACCESS_MOV_FROM_CR, GPR_RDI));
out:
	conf_vmx_off(&s);
}

/* CLTS with TS owned and set in the shadow — Expect: VM exit 28, CLTS */
CONF_SCENARIO(vmx_exit_clts, "vmx exits cr",
	      "Expect: VM exit 28, qualification CR0 with access type CLTS (2), when TS is in "
	      "the guest/host mask and set in the read shadow",
	      "SDM vol. 3C §26.1.3, §28.2.1", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_w(&s, CR0_GUEST_HOST_MASK, X86_CR0_TS);
	conf_vmx_w(&s, CR0_READ_SHADOW, conf_vmx_r(GUEST_CR0) | X86_CR0_TS);
	expect_qual(ctx, &s, vmx_guest_clts_insn, vmx_guest_clts_insn, VMX_EXIT_CR_ACCESS,
		    cr_qual(0, CR_ACCESS_CLTS, 0));
out:
	conf_vmx_off(&s);
}

/* LMSW changing a host-owned bit — Expect: VM exit 28, LMSW with its source data */
CONF_SCENARIO(vmx_exit_lmsw, "vmx exits cr",
	      "Expect: VM exit 28, qualification CR0, access type LMSW (3), register operand, "
	      "LMSW source data in bits 31:16",
	      "SDM vol. 3C §26.1.3, §28.2.1", conf_vmx_unsupported)
{
	struct conf_vmx s;
	uint16_t msw;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	msw = (uint16_t)(conf_vmx_r(GUEST_CR0) | X86_CR0_TS);
	conf_vmx_w(&s, CR0_GUEST_HOST_MASK, X86_CR0_TS);
	s.gprs.rbx = msw;
	expect_qual(ctx, &s, vmx_guest_lmsw_insn, vmx_guest_lmsw_insn, VMX_EXIT_CR_ACCESS,
		    cr_qual(0, CR_ACCESS_LMSW, 0) |
			    ((uint64_t)msw << EXIT_QUAL_CR_LMSW_DATA_SHIFT));
out:
	conf_vmx_off(&s);
}

/* MOV to DR7 with MOV-DR exiting — Expect: VM exit 29, DR7, to DR, RBX */
CONF_SCENARIO(vmx_exit_mov_to_dr7, "vmx exits dr",
	      "Expect: VM exit MOV DR (29), qualification DR7, direction MOV to DR, RBX",
	      "SDM vol. 3C §26.1.3, §28.2.1", dr_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_MOV_DR_EXITING, true);
	s.gprs.rbx = 0x400;
	expect_qual(ctx, &s, vmx_guest_dr7_write_insn, vmx_guest_dr7_write_insn,
		    VMX_EXIT_DR_ACCESS, 7 | ((uint64_t)GPR_RBX << EXIT_QUAL_DR_GPR_SHIFT));
out:
	conf_vmx_off(&s);
}

/* MOV from DR7 with MOV-DR exiting — Expect: VM exit 29, DR7, from DR, RSI */
CONF_SCENARIO(vmx_exit_mov_from_dr7, "vmx exits dr",
	      "Expect: VM exit 29, qualification DR7, direction MOV from DR (bit 4), RSI",
	      "SDM vol. 3C §26.1.3, §28.2.1", dr_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_MOV_DR_EXITING, true);
	expect_qual(ctx, &s, vmx_guest_dr7_read_insn, vmx_guest_dr7_read_insn, VMX_EXIT_DR_ACCESS,
		    7 | EXIT_QUAL_DR_FROM_DR | ((uint64_t)GPR_RSI << EXIT_QUAL_DR_GPR_SHIFT));
out:
	conf_vmx_off(&s);
}
