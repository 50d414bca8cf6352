/* SPDX-License-Identifier: MIT */
/*
 * VM exits caused by instructions (SDM vol. 3C §26.1.2 unconditional,
 * §26.1.3 conditional) with their exit information (§28.2.1 exit
 * qualification, §28.2.5 instruction length): RIP is left at the
 * instruction that exited.
 */
#include "vmx_guest.h"

/* Unsupported unless the primary processor-based control may be 1. */
static const char *proc_ctl_unsupported(uint32_t bit, const char *why)
{
	const char *base = conf_vmx_unsupported();
	struct conf_vmx_caps c;

	if (base)
		return base;
	(void)conf_vmx_read_caps(&c);
	return conf_vmx_may1(c.proc, bit) ? NULL : why;
}

static const char *hlt_unsupported(void)
{
	return proc_ctl_unsupported(CPU_BASED_HLT_EXITING,
				    "IA32_VMX_PROCBASED_CTLS[39] (HLT exiting allowed-1) = 0");
}

static const char *invlpg_unsupported(void)
{
	return proc_ctl_unsupported(CPU_BASED_INVLPG_EXITING,
				    "IA32_VMX_PROCBASED_CTLS[41] (INVLPG exiting allowed-1) = 0");
}

static const char *rdtsc_unsupported(void)
{
	return proc_ctl_unsupported(CPU_BASED_RDTSC_EXITING,
				    "IA32_VMX_PROCBASED_CTLS[44] (RDTSC exiting allowed-1) = 0");
}

/* Runs the guest from `start` and expects exit `reason` at `insn`, `len` bytes long. */
static bool exit_at(struct conf_ctx *ctx, struct conf_vmx *s, const uint8_t *start,
		    uint32_t reason, const uint8_t *insn, uint32_t len)
{
	conf_vmx_start_at(s, start);
	if (!conf_vmx_run_expect(ctx, s, reason, "VMLAUNCH"))
		return false;
	conf_check_u64(ctx, "guest RIP (at the instruction)", s->exit.rip, conf_vmx_addr(s, insn));
	if (len)
		conf_check_u64(ctx, "VM-exit instruction length", s->exit.insn_len, len);
	return true;
}

/* CPUID — Expect: VM exit CPUID (10), RIP at the CPUID, length 2 */
CONF_SCENARIO(vmx_exit_cpuid, "vmx exits",
	      "Expect: VM exit CPUID (10) unconditionally, RIP at the CPUID, instruction length 2",
	      "SDM vol. 3C §26.1.2, §28.2.5", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (CONF_VMX_SETUP(ctx, &s, vmx_guest))
		exit_at(ctx, &s, vmx_guest_cpuid, VMX_EXIT_CPUID, vmx_guest_cpuid_insn, 2);
	conf_vmx_off(&s);
}

/* VMCALL — Expect: VM exit VMCALL (18), length 3 */
CONF_SCENARIO(vmx_exit_vmcall, "vmx exits",
	      "Expect: VM exit VMCALL (18) unconditionally, RIP at the VMCALL, instruction "
	      "length 3, guest RAX as the guest left it",
	      "SDM vol. 3C §26.1.2, §28.2.5", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	if (!conf_vmx_run_expect(ctx, &s, VMX_EXIT_VMCALL, "VMLAUNCH"))
		goto out;
	/* VMX_STOP is a 5-byte MOV to EAX, then VMCALL. */
	conf_check_u64(ctx, "guest RIP", s.exit.rip, conf_vmx_addr(&s, vmx_guest_done_insn) + 5);
	conf_check_u64(ctx, "VM-exit instruction length", s.exit.insn_len, 3);
	conf_check_u64(ctx, "guest RAX", s.gprs.rax, MARK_DONE);
out:
	conf_vmx_off(&s);
}

/* HLT with HLT exiting — Expect: VM exit HLT (12) */
CONF_SCENARIO(vmx_exit_hlt, "vmx exits",
	      "Expect: VM exit HLT (12) with \"HLT exiting\", RIP at the HLT, length 1",
	      "SDM vol. 3C §26.1.3, §28.2.5", hlt_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_HLT_EXITING, true);
	exit_at(ctx, &s, vmx_guest_hlt_insn, VMX_EXIT_HLT, vmx_guest_hlt_insn, 1);
out:
	conf_vmx_off(&s);
}

/* INVLPG with INVLPG exiting — Expect: VM exit INVLPG (14), qualification = linear address */
CONF_SCENARIO(vmx_exit_invlpg, "vmx exits",
	      "Expect: VM exit INVLPG (14), exit qualification = the linear-address operand",
	      "SDM vol. 3C §26.1.3, §28.2.1", invlpg_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_INVLPG_EXITING, true);
	if (exit_at(ctx, &s, vmx_guest_invlpg, VMX_EXIT_INVLPG, vmx_guest_invlpg_insn, 3))
		conf_check_u64(ctx, "exit qualification", s.exit.qualification, 0x12345678);
out:
	conf_vmx_off(&s);
}

/* RDTSC with RDTSC exiting — Expect: VM exit RDTSC (16) */
CONF_SCENARIO(vmx_exit_rdtsc, "vmx exits",
	      "Expect: VM exit RDTSC (16) with \"RDTSC exiting\", RIP at the RDTSC, length 2",
	      "SDM vol. 3C §26.1.3, §28.2.5", rdtsc_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_RDTSC_EXITING, true);
	exit_at(ctx, &s, vmx_guest_rdtsc_insn, VMX_EXIT_RDTSC, vmx_guest_rdtsc_insn, 2);
out:
	conf_vmx_off(&s);
}

/* A VMX instruction in VMX non-root operation exits with its own reason. */
static void vmx_insn_exit(struct conf_ctx *ctx, const uint8_t *insn, uint32_t reason)
{
	struct conf_vmx s;

	if (CONF_VMX_SETUP(ctx, &s, vmx_guest))
		exit_at(ctx, &s, insn, reason, insn, 0);
	conf_vmx_off(&s);
}

#define VMX_INSN_SCENARIO(id, label, reason, text)                                       \
	CONF_SCENARIO(id, "vmx exits",                                                   \
		      "Expect: VM exit " text " unconditionally in VMX non-root operation, " \
		      "RIP at the instruction",                                          \
		      "SDM vol. 3C §26.1.2", conf_vmx_unsupported)                       \
	{                                                                                \
		vmx_insn_exit(ctx, vmx_guest_##label, VMX_EXIT_##reason);               \
	}

VMX_INSN_SCENARIO(vmx_exit_vmxon_in_guest, vmxon_insn, VMXON, "VMXON (27)")
VMX_INSN_SCENARIO(vmx_exit_vmxoff_in_guest, vmxoff_insn, VMXOFF, "VMXOFF (26)")
VMX_INSN_SCENARIO(vmx_exit_vmclear_in_guest, vmclear_insn, VMCLEAR, "VMCLEAR (19)")
VMX_INSN_SCENARIO(vmx_exit_vmptrld_in_guest, vmptrld_insn, VMPTRLD, "VMPTRLD (21)")
VMX_INSN_SCENARIO(vmx_exit_vmptrst_in_guest, vmptrst_insn, VMPTRST, "VMPTRST (22)")
VMX_INSN_SCENARIO(vmx_exit_vmread_in_guest, vmread_insn, VMREAD, "VMREAD (23)")
VMX_INSN_SCENARIO(vmx_exit_vmwrite_in_guest, vmwrite_insn, VMWRITE, "VMWRITE (25)")
VMX_INSN_SCENARIO(vmx_exit_vmlaunch_in_guest, vmlaunch_insn, VMLAUNCH, "VMLAUNCH (20)")
VMX_INSN_SCENARIO(vmx_exit_vmresume_in_guest, vmresume_insn, VMRESUME, "VMRESUME (24)")

/* VMCLEAR of a RIP-relative operand in a guest — Expect: the qualification is the address */
CONF_SCENARIO(vmx_exit_vmclear_displacement, "vmx exits",
	      "Expect: VMCLEAR .Lqword(%rip) (66 0F C7 /6, 8 bytes) exits (19) with the exit "
	      "qualification = the operand's address: for RIP-relative addressing the "
	      "displacement field plus the next instruction's RIP",
	      "SDM vol. 3C §28.2.1 table 28-1 (VMCLEAR ... VMXON: displacement; RIP-relative)",
	      conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	if (exit_at(ctx, &s, vmx_guest_vmclear_insn, VMX_EXIT_VMCLEAR, vmx_guest_vmclear_insn, 8))
		conf_check_u64(ctx, "exit qualification", s.exit.qualification,
			       conf_vmx_addr(&s, vmx_guest_qword));
out:
	conf_vmx_off(&s);
}

/* VMWRITE with register operands in a guest — Expect: the qualification is 0 */
CONF_SCENARIO(vmx_exit_vmwrite_register_qualification, "vmx exits",
	      "Expect: VMWRITE %rbx, %rax (no memory operand, so no displacement) exits (25) with "
	      "exit qualification 0",
	      "SDM vol. 3C §28.2.1 table 28-1 (no displacement: zero)", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	if (exit_at(ctx, &s, vmx_guest_vmwrite_insn, VMX_EXIT_VMWRITE, vmx_guest_vmwrite_insn, 3))
		conf_check_u64(ctx, "exit qualification", s.exit.qualification, 0);
out:
	conf_vmx_off(&s);
}

/* UD2 with #UD in the exception bitmap — Expect: VM exit 0, interruption info #UD */
CONF_SCENARIO(vmx_exit_exception_ud, "vmx exits exceptions",
	      "Expect: VM exit exception or NMI (0), VM-exit interruption information 0x80000306 "
	      "(valid, hardware exception, vector 6), RIP at the UD2",
	      "SDM vol. 3C §26.2, §28.2.2", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_w(&s, EXCEPTION_BITMAP, 1u << 6);
	if (exit_at(ctx, &s, vmx_guest_ud2_insn, VMX_EXIT_EXCEPTION_NMI, vmx_guest_ud2_insn, 0))
		conf_check_u64(ctx, "VM-exit interruption information", s.exit.intr_info,
			       vmx_intr_info(INTR_TYPE_HARDWARE_EXCEPTION, 6));
out:
	conf_vmx_off(&s);
}

/* #GP with an error code in the exception bitmap — Expect: VM exit 0, error code saved */
CONF_SCENARIO(vmx_exit_exception_gp_error_code, "vmx exits exceptions",
	      "Expect: VM exit 0, interruption information 0x80000b0d (error code valid), "
	      "VM-exit interruption error code 0x40 (the selector MOV DS could not load)",
	      "SDM vol. 3C §26.2, §28.2.2", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_w(&s, EXCEPTION_BITMAP, 1u << 13);
	if (!exit_at(ctx, &s, vmx_guest_gp, VMX_EXIT_EXCEPTION_NMI, vmx_guest_gp_insn, 0))
		goto out;
	conf_check_u64(ctx, "VM-exit interruption information", s.exit.intr_info,
		       vmx_intr_info(INTR_TYPE_HARDWARE_EXCEPTION, 13) | INTR_INFO_DELIVER_CODE);
	conf_check_u64(ctx, "VM-exit interruption error code", s.exit.intr_error, 0x40);
out:
	conf_vmx_off(&s);
}

/* One #PF (not present, read, supervisor: error code 0) against the bitmap, mask and match. */
static void page_fault(struct conf_ctx *ctx, bool bitmap_bit, uint32_t mask, uint32_t match,
		       bool exits)
{
	struct conf_vmx s;
	struct hv_guest_frame f;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_w(&s, EXCEPTION_BITMAP, bitmap_bit ? 1u << 14 : 0);
	conf_vmx_w(&s, PAGE_FAULT_ERROR_CODE_MASK, mask);
	conf_vmx_w(&s, PAGE_FAULT_ERROR_CODE_MATCH, match);
	if (!exits) {
		conf_vmx_start_at(&s, vmx_guest_pf);
		if (!conf_vmx_run_expect(ctx, &s, VMX_EXIT_VMCALL, "VMLAUNCH"))
			goto out;
		if (conf_vmx_expect_exception(ctx, &s, 14, &f))
			conf_check_u64(ctx, "error code the guest got", f.error_code, 0);
		goto out;
	}
	if (!exit_at(ctx, &s, vmx_guest_pf, VMX_EXIT_EXCEPTION_NMI, vmx_guest_pf_insn, 0))
		goto out;
	conf_check_u64(ctx, "VM-exit interruption information", s.exit.intr_info,
		       vmx_intr_info(INTR_TYPE_HARDWARE_EXCEPTION, 14) | INTR_INFO_DELIVER_CODE);
	conf_check_u64(ctx, "VM-exit interruption error code", s.exit.intr_error, 0);
	/* §28.2.1: for a #PF the exit qualification is the linear address (CR2 is not loaded). */
	conf_check_u64(ctx, "exit qualification", s.exit.qualification, CONF_UNMAPPED_GVA);
out:
	conf_vmx_off(&s);
}

/* #PF, bitmap bit 14 set, PFEC & mask == match — Expect: VM exit 0 with the address */
CONF_SCENARIO(vmx_exit_pf_match, "vmx exits exceptions",
	      "Expect: VM exit 0 (#PF, error code 0), exit qualification = the faulting "
	      "linear address, when bit 14 is 1 and PFEC & MASK = MATCH",
	      "SDM vol. 3C §26.2, §25.6.3, §28.2.1", conf_vmx_unsupported)
{
	page_fault(ctx, true, 0, 0, true);
}

/* #PF, bitmap bit 14 set, PFEC & mask != match — Expect: delivered to the guest */
CONF_SCENARIO(vmx_pf_mismatch_delivered, "vmx exits exceptions",
	      "Expect: no VM exit; the guest's #PF handler runs, when bit 14 is 1 and "
	      "PFEC & MASK != MATCH",
	      "SDM vol. 3C §26.2, §25.6.3", conf_vmx_unsupported)
{
	page_fault(ctx, true, 1, 1, false);
}

/* #PF, bitmap bit 14 clear, PFEC & mask != match — Expect: VM exit 0 */
CONF_SCENARIO(vmx_exit_pf_inverted_mismatch, "vmx exits exceptions",
	      "Expect: VM exit 0 (#PF), when bit 14 is 0 and PFEC & MASK != MATCH",
	      "SDM vol. 3C §26.2, §25.6.3", conf_vmx_unsupported)
{
	page_fault(ctx, false, 1, 1, true);
}

/* #UD with an IDT limit of 0 — Expect: VM exit triple fault (2) */
CONF_SCENARIO(vmx_exit_triple_fault, "vmx exits exceptions",
	      "Expect: VM exit triple fault (2): #UD, then #GP and #DF find no IDT entry",
	      "SDM vol. 3C §26.2", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_w(&s, GUEST_IDTR_LIMIT, 0);
	conf_vmx_start_at(&s, vmx_guest_ud2_insn);
	conf_vmx_run_expect(ctx, &s, VMX_EXIT_TRIPLE_FAULT, "VMLAUNCH");
out:
	conf_vmx_off(&s);
}
