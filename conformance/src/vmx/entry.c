/* SPDX-License-Identifier: MIT */
/*
 * VM-entry failures (SDM vol. 3C chapter 27): checks on the VM-execution,
 * VM-exit and VM-entry control fields give VMfailValid(7) (§27.2.1), on the
 * host-state area VMfailValid(8) (§27.2.2-27.2.4), on the guest-state area
 * a VM exit with reason 33 and bit 31 set (§27.3.1, §27.8), and on the
 * VM-entry MSR-load list reason 34 with the entry's index (§27.4). Each
 * scenario first runs the unmodified VMCS to the guest's VMCALL, so a
 * failure cannot come from a broken base state, then breaks one rule and
 * enters again with VMLAUNCH after VMCLEAR.
 *
 * The platform writes the whole host-state area on every entry (arch.h),
 * so the only invalid host state portable code can make is through the
 * VM-exit controls that decide how host state is checked.
 */
#include "vmx_guest.h"

#include "x86/cpu.h"


#define OUT_CTL VMX_OUT_FAIL_VALID(VMXERR_ENTRY_INVALID_CONTROL_FIELD)
#define OUT_HOST VMX_OUT_FAIL_VALID(VMXERR_ENTRY_INVALID_HOST_STATE_FIELD)
#define OUT_GUEST VMX_OUT_ENTRY_FAIL(VMX_EXIT_INVALID_GUEST_STATE)

/* The base state enters; then the VMCS is made clear again for the entry under test. */
static bool base(struct conf_ctx *ctx, struct conf_vmx *s)
{
	if (!CONF_VMX_SETUP(ctx, s, vmx_guest))
		return false;
	if (!conf_vmx_run_to_mark(ctx, s, MARK_DONE, "unmodified VMCS to the guest's VMCALL"))
		return false;
	if (arch_vmclear(s->vmcs_pa) != ARCH_OK || arch_vmptrld(s->vmcs_pa) != ARCH_OK) {
		conf_error(ctx, "VMCLEAR/VMPTRLD of the launched VMCS failed");
		return false;
	}
	s->launched = false;
	conf_vmx_start_at(s, vmx_guest_entry);
	return true;
}

/* The highest bit of a control word that allowed-1 forbids, or 0 when every bit may be 1. */
static uint32_t forbidden_bit(uint64_t cap)
{
	uint32_t may1 = (uint32_t)(cap >> 32);
	int b;

	for (b = 31; b >= 0; b--)
		if (!(may1 & (1u << b)))
			return 1u << b;
	return 0;
}

static void expect(struct conf_ctx *ctx, struct conf_vmx *s, const char *what,
		   conf_vmx_outcome_t want)
{
	conf_vmx_check(ctx, what, conf_vmx_enter(ctx, s), want);
}

/* A guest-state failure: reason 33 | bit 31, exit qualification 0 (§27.8). */
static void expect_guest(struct conf_ctx *ctx, struct conf_vmx *s, const char *what,
			 uint64_t qualification)
{
	if (conf_vmx_check(ctx, what, conf_vmx_enter(ctx, s), OUT_GUEST))
		conf_check_u64(ctx, "exit qualification", s->exit.qualification, qualification);
}

/* A pin-based control its allowed-1 setting forbids — Expect: VMfailValid(7) */
CONF_SCENARIO(vmx_entry_pin_ctl_allowed1, "vmx entry",
	      "Expect: VMfailValid(7) (VM entry with invalid control field(s))",
	      "SDM vol. 3C §27.2.1.1, appendix A.3.1", conf_vmx_unsupported)
{
	struct conf_vmx s;
	uint32_t bit;

	if (!base(ctx, &s))
		goto out;
	bit = forbidden_bit(s.caps.pin);
	if (!conf_check_true(ctx, "IA32_VMX_PINBASED_CTLS forbids some bit", bit != 0))
		goto out;
	conf_vmx_set_ctl(&s, PIN_BASED_VM_EXEC_CONTROL, bit, true);
	expect(ctx, &s, "VMLAUNCH", OUT_CTL);
out:
	conf_vmx_off(&s);
}

/* A processor-based control its allowed-0 setting requires, cleared — Expect: VMfailValid(7) */
CONF_SCENARIO(vmx_entry_proc_ctl_allowed0, "vmx entry",
	      "Expect: VMfailValid(7) with a required-1 primary processor-based control cleared",
	      "SDM vol. 3C §27.2.1.1, appendix A.3.2", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!base(ctx, &s))
		goto out;
	/* Bit 1 is default1, and no TRUE MSR lets it be 0 (appendix A.2). */
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, 1u << 1, false);
	expect(ctx, &s, "VMLAUNCH", OUT_CTL);
out:
	conf_vmx_off(&s);
}

/* A VM-exit control its allowed-1 setting forbids — Expect: VMfailValid(7) */
CONF_SCENARIO(vmx_entry_exit_ctl_allowed1, "vmx entry",
	      "Expect: VMfailValid(7) with a VM-exit control set that IA32_VMX_EXIT_CTLS forbids",
	      "SDM vol. 3C §27.2.1.2, appendix A.4", conf_vmx_unsupported)
{
	struct conf_vmx s;
	uint32_t bit;

	if (!base(ctx, &s))
		goto out;
	bit = forbidden_bit(s.caps.exit);
	if (!conf_check_true(ctx, "IA32_VMX_EXIT_CTLS forbids some bit", bit != 0))
		goto out;
	conf_vmx_set_ctl(&s, VM_EXIT_CONTROLS, bit, true);
	expect(ctx, &s, "VMLAUNCH", OUT_CTL);
out:
	conf_vmx_off(&s);
}

/* A VM-entry control its allowed-1 setting forbids — Expect: VMfailValid(7) */
CONF_SCENARIO(vmx_entry_entry_ctl_allowed1, "vmx entry",
	      "Expect: VMfailValid(7) with a VM-entry control set that IA32_VMX_ENTRY_CTLS forbids",
	      "SDM vol. 3C §27.2.1.3, appendix A.5", conf_vmx_unsupported)
{
	struct conf_vmx s;
	uint32_t bit;

	if (!base(ctx, &s))
		goto out;
	bit = forbidden_bit(s.caps.entry);
	if (!conf_check_true(ctx, "IA32_VMX_ENTRY_CTLS forbids some bit", bit != 0))
		goto out;
	conf_vmx_set_ctl(&s, VM_ENTRY_CONTROLS, bit, true);
	expect(ctx, &s, "VMLAUNCH", OUT_CTL);
out:
	conf_vmx_off(&s);
}

/* Virtual NMIs without NMI exiting — Expect: VMfailValid(7) */
CONF_SCENARIO(vmx_entry_vnmi_without_nmi_exiting, "vmx entry nmi",
	      "Expect: VMfailValid(7): \"virtual NMIs\" requires \"NMI exiting\"",
	      "SDM vol. 3C §27.2.1.1", conf_vmx_vnmi_unsupported)
{
	struct conf_vmx s;

	if (!base(ctx, &s))
		goto out;
	conf_vmx_set_ctl(&s, PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_VIRTUAL_NMIS, true);
	conf_vmx_set_ctl(&s, PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_NMI_EXITING, false);
	expect(ctx, &s, "VMLAUNCH", OUT_CTL);
out:
	conf_vmx_off(&s);
}

/* NMI-window exiting without virtual NMIs — Expect: VMfailValid(7) */
CONF_SCENARIO(vmx_entry_nmi_window_without_vnmi, "vmx entry nmi",
	      "Expect: VMfailValid(7): \"NMI-window exiting\" requires \"virtual NMIs\"",
	      "SDM vol. 3C §27.2.1.1", conf_vmx_vnmi_unsupported)
{
	struct conf_vmx s;

	if (!base(ctx, &s))
		goto out;
	conf_vmx_set_ctl(&s, PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_NMI_EXITING, true);
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_NMI_WINDOW_EXITING, true);
	expect(ctx, &s, "VMLAUNCH", OUT_CTL);
out:
	conf_vmx_off(&s);
}

/* I/O-bitmap address not 4-KByte aligned — Expect: VMfailValid(7) */
CONF_SCENARIO(vmx_entry_io_bitmap_unaligned, "vmx entry",
	      "Expect: VMfailValid(7): with \"use I/O bitmaps\", bits 11:0 of each address must be 0",
	      "SDM vol. 3C §27.2.1.1", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!base(ctx, &s))
		goto out;
	conf_vmx_w(&s, IO_BITMAP_A, arch_pages_alloc(2) + 0x10);
	conf_vmx_w(&s, IO_BITMAP_B, arch_pages_alloc(1));
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_USE_IO_BITMAPS, true);
	expect(ctx, &s, "VMLAUNCH", OUT_CTL);
out:
	conf_vmx_off(&s);
}

/* Injection of event type 1 (reserved) — Expect: VMfailValid(7) */
CONF_SCENARIO(vmx_entry_intr_info_reserved_type, "vmx entry eventinj",
	      "Expect: VMfailValid(7): interruption type 1 is reserved",
	      "SDM vol. 3C §27.2.1.3", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!base(ctx, &s))
		goto out;
	conf_vmx_w(&s, VM_ENTRY_INTR_INFO_FIELD, vmx_intr_info(1, 0x20));
	expect(ctx, &s, "VMLAUNCH", OUT_CTL);
out:
	conf_vmx_off(&s);
}

/* NMI injected with a vector other than 2 — Expect: VMfailValid(7) */
CONF_SCENARIO(vmx_entry_inject_nmi_wrong_vector, "vmx entry eventinj",
	      "Expect: VMfailValid(7): an injected NMI must have vector 2",
	      "SDM vol. 3C §27.2.1.3", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!base(ctx, &s))
		goto out;
	conf_vmx_w(&s, VM_ENTRY_INTR_INFO_FIELD, vmx_intr_info(INTR_TYPE_NMI, 3));
	expect(ctx, &s, "VMLAUNCH", OUT_CTL);
out:
	conf_vmx_off(&s);
}

/*
 * #GP injected without its error code — Expect: VMfailValid(7), or the
 * event delivered where IA32_VMX_BASIC[56] lifts the check.
 */
CONF_SCENARIO(vmx_entry_inject_gp_without_error_code, "vmx entry eventinj",
	      "Expect: VMfailValid(7) when IA32_VMX_BASIC[56] = 0 (deliver-error-code must be 1 "
	      "for #GP in protected mode); else #GP delivered to the guest",
	      "SDM vol. 3C §27.2.1.3, appendix A.1", conf_vmx_unsupported)
{
	struct conf_vmx s;
	struct hv_guest_frame f;

	if (!base(ctx, &s))
		goto out;
	conf_vmx_w(&s, VM_ENTRY_INTR_INFO_FIELD,
		   vmx_intr_info(INTR_TYPE_HARDWARE_EXCEPTION, 13));
	if (!(s.caps.basic & VMX_BASIC_NO_HW_ERROR_CODE_CHECK))
		expect(ctx, &s, "VMLAUNCH", OUT_CTL);
	else if (conf_vmx_run_expect(ctx, &s, VMX_EXIT_VMCALL, "VMLAUNCH"))
		conf_vmx_expect_exception(ctx, &s, 13, &f);
out:
	conf_vmx_off(&s);
}

/* VM-entry MSR-load address not 16-byte aligned — Expect: VMfailValid(7) */
CONF_SCENARIO(vmx_entry_msr_load_unaligned, "vmx entry",
	      "Expect: VMfailValid(7): with a non-zero count, bits 3:0 of the VM-entry MSR-load "
	      "address must be 0",
	      "SDM vol. 3C §27.2.1.3", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!base(ctx, &s))
		goto out;
	conf_vmx_w(&s, VM_ENTRY_MSR_LOAD_ADDR, arch_page_alloc() + 8);
	conf_vmx_w(&s, VM_ENTRY_MSR_LOAD_COUNT, 1);
	expect(ctx, &s, "VMLAUNCH", OUT_CTL);
out:
	conf_vmx_off(&s);
}

/* Host address-space size clear on a 64-bit host — Expect: VMfailValid(8) */
CONF_SCENARIO(vmx_entry_host_address_space_size, "vmx entry",
	      "Expect: VMfailValid(8) (VM entry with invalid host-state field(s)): a processor "
	      "in IA-32e mode needs \"host address-space size\" = 1",
	      "SDM vol. 3C §27.2.4", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!base(ctx, &s))
		goto out;
	conf_vmx_set_ctl(&s, VM_EXIT_CONTROLS, VM_EXIT_HOST_ADDRESS_SPACE_SIZE, false);
	expect(ctx, &s, "VMLAUNCH", OUT_HOST);
out:
	conf_vmx_off(&s);
}

/* Guest CR4.VMXE clear — Expect: VM-entry failure, reason 33 */
CONF_SCENARIO(vmx_entry_guest_cr4_fixed0, "vmx entry",
	      "Expect: VM exit 0x80000021 (invalid guest state), qualification 0: CR4 bits "
	      "fixed to 1 by IA32_VMX_CR4_FIXED0 (VMXE) must be 1",
	      "SDM vol. 3C §27.3.1.1, §27.8", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!base(ctx, &s))
		goto out;
	conf_vmx_w(&s, GUEST_CR4, conf_vmx_r(GUEST_CR4) & ~X86_CR4_VMXE);
	expect_guest(ctx, &s, "VMLAUNCH", VMX_ENTRY_FAIL_DEFAULT);
out:
	conf_vmx_off(&s);
}

/* Guest RFLAGS bit 1 clear — Expect: VM-entry failure, reason 33 */
CONF_SCENARIO(vmx_entry_guest_rflags_reserved, "vmx entry",
	      "Expect: VM exit 0x80000021, qualification 0: RFLAGS bit 1 must be 1",
	      "SDM vol. 3C §27.3.1.4, §27.8", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!base(ctx, &s))
		goto out;
	conf_vmx_w(&s, GUEST_RFLAGS, 0);
	expect_guest(ctx, &s, "VMLAUNCH", VMX_ENTRY_FAIL_DEFAULT);
out:
	conf_vmx_off(&s);
}

/* Guest CS with both L and D/B in IA-32e mode — Expect: VM-entry failure, reason 33 */
CONF_SCENARIO(vmx_entry_guest_cs_l_and_db, "vmx entry",
	      "Expect: VM exit 0x80000021, qualification 0: an IA-32e mode guest's CS cannot "
	      "have both L and D/B set",
	      "SDM vol. 3C §27.3.1.2, §27.8", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!base(ctx, &s))
		goto out;
	conf_vmx_w(&s, GUEST_CS_AR_BYTES, conf_vmx_r(GUEST_CS_AR_BYTES) | VMX_AR_DB);
	expect_guest(ctx, &s, "VMLAUNCH", VMX_ENTRY_FAIL_DEFAULT);
out:
	conf_vmx_off(&s);
}

/* Guest TR unusable — Expect: VM-entry failure, reason 33 */
CONF_SCENARIO(vmx_entry_guest_tr_unusable, "vmx entry",
	      "Expect: VM exit 0x80000021, qualification 0: TR must be usable",
	      "SDM vol. 3C §27.3.1.2, §27.8", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!base(ctx, &s))
		goto out;
	conf_vmx_w(&s, GUEST_TR_AR_BYTES, conf_vmx_r(GUEST_TR_AR_BYTES) | VMX_AR_UNUSABLE);
	expect_guest(ctx, &s, "VMLAUNCH", VMX_ENTRY_FAIL_DEFAULT);
out:
	conf_vmx_off(&s);
}

/* Activity state 4 — Expect: VM-entry failure, reason 33 */
CONF_SCENARIO(vmx_entry_guest_activity_reserved, "vmx entry activity",
	      "Expect: VM exit 0x80000021, qualification 0: the activity state must be 0-3",
	      "SDM vol. 3C §27.3.1.5, §27.8", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!base(ctx, &s))
		goto out;
	conf_vmx_w(&s, GUEST_ACTIVITY_STATE, 4);
	expect_guest(ctx, &s, "VMLAUNCH", VMX_ENTRY_FAIL_DEFAULT);
out:
	conf_vmx_off(&s);
}

/* Blocking by STI with RFLAGS.IF = 0 — Expect: VM-entry failure, reason 33 */
CONF_SCENARIO(vmx_entry_guest_sti_blocking_if_clear, "vmx entry",
	      "Expect: VM exit 0x80000021, qualification 0: blocking by STI needs RFLAGS.IF = 1",
	      "SDM vol. 3C §27.3.1.5, §27.8", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!base(ctx, &s))
		goto out;
	conf_vmx_w(&s, GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_STI);
	expect_guest(ctx, &s, "VMLAUNCH", VMX_ENTRY_FAIL_DEFAULT);
out:
	conf_vmx_off(&s);
}

/* HLT activity with blocking by MOV SS — Expect: VM-entry failure, reason 33 */
CONF_SCENARIO(vmx_entry_guest_hlt_with_mov_ss_blocking, "vmx entry activity",
	      "Expect: VM exit 0x80000021, qualification 0: blocking by MOV SS needs the active "
	      "state",
	      "SDM vol. 3C §27.3.1.5, §27.8", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!base(ctx, &s))
		goto out;
	conf_vmx_w(&s, GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_MOV_SS);
	conf_vmx_w(&s, GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_HLT);
	expect_guest(ctx, &s, "VMLAUNCH", VMX_ENTRY_FAIL_DEFAULT);
out:
	conf_vmx_off(&s);
}

/* VMCS link pointer neither all ones nor a valid shadow VMCS — Expect: reason 33, qualification 4 */
CONF_SCENARIO(vmx_entry_guest_link_pointer, "vmx entry",
	      "Expect: VM exit 0x80000021 with exit qualification 4 (VMCS link pointer): a link "
	      "pointer other than all ones must be a 4-KByte aligned VMCS",
	      "SDM vol. 3C §27.3.1.5, §27.8", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!base(ctx, &s))
		goto out;
	conf_vmx_w(&s, VMCS_LINK_POINTER, conf_vmx_region(&s) + 0x80);
	expect_guest(ctx, &s, "VMLAUNCH", VMX_ENTRY_FAIL_LINK_PTR);
out:
	conf_vmx_off(&s);
}

/* Wait-for-SIPI entry with an event injected — Expect: VMfailValid(7) */
CONF_SCENARIO(vmx_entry_wait_sipi_with_injection, "vmx entry activity",
	      "Expect: VM entry fails: an event cannot be injected into the wait-for-SIPI state "
	      "(reason 33 when IA32_VMX_MISC[8] = 1, the state itself unsupported otherwise)",
	      "SDM vol. 3C §27.3.1.5, §27.8", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!base(ctx, &s))
		goto out;
	conf_vmx_w(&s, GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_WAIT_SIPI);
	conf_vmx_w(&s, VM_ENTRY_INTR_INFO_FIELD, vmx_intr_info(INTR_TYPE_EXTERNAL_INTERRUPT, 0x40));
	conf_vmx_w(&s, GUEST_RFLAGS, X86_RFLAGS_FIXED | X86_RFLAGS_IF);
	expect_guest(ctx, &s, "VMLAUNCH", VMX_ENTRY_FAIL_DEFAULT);
out:
	conf_vmx_off(&s);
}

/* One activity state against its IA32_VMX_MISC bit. */
static void activity_per_misc(struct conf_ctx *ctx, uint32_t state, uint64_t misc_bit)
{
	struct conf_vmx s;

	if (!base(ctx, &s))
		goto out;
	conf_vmx_w(&s, GUEST_ACTIVITY_STATE, state);
	if (!(s.caps.misc & misc_bit)) {
		expect_guest(ctx, &s, "VMLAUNCH into an unsupported activity state",
			     VMX_ENTRY_FAIL_DEFAULT);
		goto out;
	}
	/*
	 * Supported: the entry succeeds and the processor waits; a zero
	 * VMX-preemption timer ends the wait with a VM exit before any guest
	 * instruction, which shows the state that was entered (§26.5.1, §28.3.4).
	 */
	conf_vmx_set_ctl(&s, PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_VMX_PREEMPTION_TIMER, true);
	conf_vmx_w(&s, VMX_PREEMPTION_TIMER_VALUE, 0);
	if (!conf_vmx_run_expect(ctx, &s, VMX_EXIT_PREEMPTION_TIMER, "VMLAUNCH"))
		goto out;
	conf_check_u64(ctx, "GUEST_ACTIVITY_STATE saved", conf_vmx_r(GUEST_ACTIVITY_STATE), state);
	conf_check_u64(ctx, "guest RIP (no instruction ran)", s.exit.rip,
		       conf_vmx_addr(&s, vmx_guest_entry));
out:
	conf_vmx_off(&s);
}

/* Entry into the HLT state — Expect: as IA32_VMX_MISC[6] says */
CONF_SCENARIO(vmx_entry_activity_hlt_per_misc, "vmx entry activity",
	      "Expect: IA32_VMX_MISC[6] = 1: entry into HLT succeeds, a zero preemption timer "
	      "exits (52) with activity state HLT saved; = 0: VM exit 0x80000021",
	      "SDM vol. 3C §27.3.1.5, §27.7, appendix A.6", conf_vmx_preemption_timer_unsupported)
{
	activity_per_misc(ctx, GUEST_ACTIVITY_HLT, VMX_MISC_ACTIVITY_HLT);
}

/* Entry into the shutdown state — Expect: as IA32_VMX_MISC[7] says */
CONF_SCENARIO(vmx_entry_activity_shutdown_per_misc, "vmx entry activity",
	      "Expect: IA32_VMX_MISC[7] = 1: entry into shutdown succeeds, a zero preemption "
	      "timer exits (52) with activity state shutdown saved; = 0: VM exit 0x80000021",
	      "SDM vol. 3C §27.3.1.5, §27.7, appendix A.6", conf_vmx_preemption_timer_unsupported)
{
	activity_per_misc(ctx, GUEST_ACTIVITY_SHUTDOWN, VMX_MISC_ACTIVITY_SHUTDOWN);
}

/* MSR-load list whose second entry loads IA32_FS_BASE — Expect: reason 34, qualification 2 */
CONF_SCENARIO(vmx_entry_msr_load_fs_base, "vmx entry",
	      "Expect: VM exit 0x80000022 (MSR loading) with exit qualification 2, the 1-based "
	      "index of the entry that loads IA32_FS_BASE",
	      "SDM vol. 3C §27.4, §27.8", conf_vmx_unsupported)
{
	struct conf_vmx s;
	struct vmx_msr_entry *e;
	uint64_t list;

	if (!base(ctx, &s))
		goto out;
	list = arch_page_alloc();
	e = arch_phys_to_virt(list);
	e[0] = (struct vmx_msr_entry){ .index = MSR_SYSENTER_ESP, .value = 0x1000 };
	e[1] = (struct vmx_msr_entry){ .index = MSR_FS_BASE, .value = 0 };
	conf_vmx_w(&s, VM_ENTRY_MSR_LOAD_ADDR, list);
	conf_vmx_w(&s, VM_ENTRY_MSR_LOAD_COUNT, 2);
	if (conf_vmx_check(ctx, "VMLAUNCH", conf_vmx_enter(ctx, &s),
			   VMX_OUT_ENTRY_FAIL(VMX_EXIT_MSR_LOADING)))
		conf_check_u64(ctx, "exit qualification", s.exit.qualification, 2);
out:
	conf_vmx_off(&s);
}

/* MSR-load entry with its reserved dword set — Expect: reason 34, qualification 1 */
CONF_SCENARIO(vmx_entry_msr_load_reserved, "vmx entry",
	      "Expect: VM exit 0x80000022 with exit qualification 1: bits 63:32 of an entry's "
	      "first quadword are reserved",
	      "SDM vol. 3C §27.4, §27.8", conf_vmx_unsupported)
{
	struct conf_vmx s;
	struct vmx_msr_entry *e;
	uint64_t list;

	if (!base(ctx, &s))
		goto out;
	list = arch_page_alloc();
	e = arch_phys_to_virt(list);
	e[0] = (struct vmx_msr_entry){ .index = MSR_SYSENTER_ESP, .reserved = 1, .value = 0 };
	conf_vmx_w(&s, VM_ENTRY_MSR_LOAD_ADDR, list);
	conf_vmx_w(&s, VM_ENTRY_MSR_LOAD_COUNT, 1);
	if (conf_vmx_check(ctx, "VMLAUNCH", conf_vmx_enter(ctx, &s),
			   VMX_OUT_ENTRY_FAIL(VMX_EXIT_MSR_LOADING)))
		conf_check_u64(ctx, "exit qualification", s.exit.qualification, 1);
out:
	conf_vmx_off(&s);
}

/* A valid MSR-load list — Expect: the guest reads the loaded value */
CONF_SCENARIO(vmx_entry_msr_load_applies, "vmx entry",
	      "Expect: the VM entry loads IA32_SYSENTER_ESP from the list; the guest's RDMSR "
	      "(not exiting: MSR bitmaps all 0) returns it",
	      "SDM vol. 3C §27.4", conf_vmx_unsupported)
{
	struct conf_vmx s;
	struct vmx_msr_entry *e;
	uint64_t list, bitmap;

	if (!base(ctx, &s))
		goto out;
	if (!conf_check_true(ctx, "\"use MSR bitmaps\" allowed-1 (IA32_VMX_PROCBASED_CTLS[60])",
			     conf_vmx_may1(s.caps.proc, CPU_BASED_USE_MSR_BITMAPS)))
		goto out;
	list = arch_page_alloc();
	bitmap = arch_page_alloc();
	e = arch_phys_to_virt(list);
	e[0] = (struct vmx_msr_entry){ .index = MSR_SYSENTER_ESP, .value = 0xfeedf00dull };
	conf_vmx_w(&s, VM_ENTRY_MSR_LOAD_ADDR, list);
	conf_vmx_w(&s, VM_ENTRY_MSR_LOAD_COUNT, 1);
	conf_vmx_w(&s, MSR_BITMAP, bitmap);
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_USE_MSR_BITMAPS, true);
	conf_vmx_start_at(&s, vmx_guest_rdmsr_insn);
	s.gprs.rcx = MSR_SYSENTER_ESP;
	if (conf_vmx_run_to_mark(ctx, &s, MARK_AFTER, "VMLAUNCH to the guest's VMCALL after RDMSR"))
		conf_check_u64(ctx, "guest RDMSR IA32_SYSENTER_ESP", s.gprs.rdx, 0xfeedf00dull);
out:
	conf_vmx_off(&s);
}
