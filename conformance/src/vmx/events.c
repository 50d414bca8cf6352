/* SPDX-License-Identifier: MIT */
/*
 * Event injection through the VM-entry interruption-information field
 * (SDM vol. 3C §27.6), virtual NMIs and NMI-window exiting (§26.3, §27.7),
 * interrupt-window exiting, and the VMX-preemption timer (§26.5.1, §27.7).
 * Injected events reach the payload's exception handler through the
 * guest's IDT, which stops at VMCALL with the vector.
 */
#include "vmx_guest.h"

#include "x86/cpu.h"

#define VEC_EXT 0x40u
#define VEC_SOFT 0x80u

/* Injects `info` (with `len` and `error`) at the guest's entry; expects `vector` in the guest. */
static bool inject(struct conf_ctx *ctx, struct conf_vmx *s, uint32_t info, uint32_t len,
		   uint32_t error, uint8_t vector, struct hv_guest_frame *f)
{
	conf_vmx_w(s, GUEST_RFLAGS, X86_RFLAGS_FIXED | X86_RFLAGS_IF);
	conf_vmx_w(s, VM_ENTRY_INTR_INFO_FIELD, info);
	conf_vmx_w(s, VM_ENTRY_INSTRUCTION_LEN, len);
	conf_vmx_w(s, VM_ENTRY_EXCEPTION_ERROR_CODE, error);
	if (!conf_vmx_run_expect(ctx, s, VMX_EXIT_VMCALL, "VMLAUNCH with an injected event"))
		return false;
	return conf_vmx_expect_exception(ctx, s, vector, f);
}

/* External interrupt injected — Expect: delivered through the IDT, return address = RIP */
CONF_SCENARIO(vmx_inject_external_interrupt, "vmx eventinj",
	      "Expect: the guest's handler for vector 40H runs, its return RIP the guest RIP "
	      "of the entry",
	      "SDM vol. 3C §27.6.1", conf_vmx_unsupported)
{
	struct conf_vmx s;
	struct hv_guest_frame f;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	if (inject(ctx, &s, vmx_intr_info(INTR_TYPE_EXTERNAL_INTERRUPT, VEC_EXT), 0, 0, VEC_EXT,
		   &f))
		conf_check_u64(ctx, "return RIP", f.rip, conf_vmx_addr(&s, vmx_guest_entry));
out:
	conf_vmx_off(&s);
}

/* Hardware exception with error code — Expect: #GP delivered with that error code */
CONF_SCENARIO(vmx_inject_hw_exception_error_code, "vmx eventinj",
	      "Expect: the guest's #GP handler runs with error code 1234H from the VM-entry "
	      "exception error code",
	      "SDM vol. 3C §27.6.1", conf_vmx_unsupported)
{
	struct conf_vmx s;
	struct hv_guest_frame f;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	if (inject(ctx, &s,
		   vmx_intr_info(INTR_TYPE_HARDWARE_EXCEPTION, 13) | INTR_INFO_DELIVER_CODE, 0,
		   0x1234, 13, &f))
		conf_check_u64(ctx, "error code", f.error_code, 0x1234);
out:
	conf_vmx_off(&s);
}

/* Software interrupt, length 2 — Expect: return RIP = RIP + 2 */
CONF_SCENARIO(vmx_inject_software_interrupt, "vmx eventinj",
	      "Expect: the handler for vector 80H runs with return RIP = guest RIP + the "
	      "VM-entry instruction length (2), as after INT n",
	      "SDM vol. 3C §27.6.1", conf_vmx_unsupported)
{
	struct conf_vmx s;
	struct hv_guest_frame f;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	if (inject(ctx, &s, vmx_intr_info(INTR_TYPE_SOFTWARE_INTERRUPT, VEC_SOFT), 2, 0, VEC_SOFT,
		   &f))
		conf_check_u64(ctx, "return RIP", f.rip, conf_vmx_addr(&s, vmx_guest_entry) + 2);
out:
	conf_vmx_off(&s);
}

/* Software exception #BP, length 1 — Expect: return RIP = RIP + 1 */
CONF_SCENARIO(vmx_inject_software_exception, "vmx eventinj",
	      "Expect: the #BP handler runs with return RIP = guest RIP + 1, as after INT3",
	      "SDM vol. 3C §27.6.1", conf_vmx_unsupported)
{
	struct conf_vmx s;
	struct hv_guest_frame f;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	if (inject(ctx, &s, vmx_intr_info(INTR_TYPE_SOFTWARE_EXCEPTION, 3), 1, 0, 3, &f))
		conf_check_u64(ctx, "return RIP", f.rip, conf_vmx_addr(&s, vmx_guest_entry) + 1);
out:
	conf_vmx_off(&s);
}

/* Privileged software exception #DB, length 1 — Expect: return RIP = RIP + 1 */
CONF_SCENARIO(vmx_inject_privileged_software_exception, "vmx eventinj",
	      "Expect: the #DB handler runs with return RIP = guest RIP + 1, as after INT1",
	      "SDM vol. 3C §27.6.1", conf_vmx_unsupported)
{
	struct conf_vmx s;
	struct hv_guest_frame f;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	if (inject(ctx, &s, vmx_intr_info(INTR_TYPE_PRIVILEGED_SOFTWARE_EXCEPTION, 1), 1, 0, 1,
		   &f))
		conf_check_u64(ctx, "return RIP", f.rip, conf_vmx_addr(&s, vmx_guest_entry) + 1);
out:
	conf_vmx_off(&s);
}

/* NMI injected — Expect: NMI handler, blocking by NMI until its IRET */
CONF_SCENARIO(vmx_inject_nmi_blocks_until_iret, "vmx eventinj nmi",
	      "Expect: the NMI handler runs with blocking by NMI (interruptibility bit 3) set; "
	      "after its IRET the bit is clear",
	      "SDM vol. 3C §27.6.1, §26.4, §28.3.4", conf_vmx_unsupported)
{
	struct conf_vmx s;
	struct hv_guest_frame f;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	if (!inject(ctx, &s, vmx_intr_info(INTR_TYPE_NMI, 2), 0, 0, 2, &f))
		goto out;
	conf_check_bit(ctx, "interruptibility blocking by NMI in the handler",
		       conf_vmx_r(GUEST_INTERRUPTIBILITY_INFO), GUEST_INTR_STATE_NMI, true);
	conf_vmx_skip(&s);
	if (conf_vmx_run_to_mark(ctx, &s, MARK_DONE, "VMRESUME through the handler's IRET"))
		conf_check_bit(ctx, "interruptibility blocking by NMI after IRET",
			       conf_vmx_r(GUEST_INTERRUPTIBILITY_INFO), GUEST_INTR_STATE_NMI,
			       false);
out:
	conf_vmx_off(&s);
}

/* Virtual NMIs: NMI-window exiting with no blocking — Expect: VM exit 8 before any instruction */
CONF_SCENARIO(vmx_exit_nmi_window_immediate, "vmx nmi",
	      "Expect: VM exit NMI window (8) right after VM entry, RIP unchanged, when there "
	      "is no virtual-NMI blocking",
	      "SDM vol. 3C §27.7, §26.2", conf_vmx_vnmi_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_set_ctl(&s, PIN_BASED_VM_EXEC_CONTROL,
			 PIN_BASED_NMI_EXITING | PIN_BASED_VIRTUAL_NMIS, true);
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_NMI_WINDOW_EXITING, true);
	if (conf_vmx_run_expect(ctx, &s, VMX_EXIT_NMI_WINDOW, "VMLAUNCH"))
		conf_check_u64(ctx, "guest RIP", s.exit.rip, conf_vmx_addr(&s, vmx_guest_entry));
out:
	conf_vmx_off(&s);
}

/* Virtual-NMI blocking, then IRET — Expect: VM exit 8 right after the IRET */
CONF_SCENARIO(vmx_vnmi_iret_opens_nmi_window, "vmx nmi",
	      "Expect: with virtual-NMI blocking at entry, no NMI-window exit until the guest's "
	      "IRET; then VM exit 8 with RIP after the IRET",
	      "SDM vol. 3C §26.3, §27.7", conf_vmx_vnmi_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_set_ctl(&s, PIN_BASED_VM_EXEC_CONTROL,
			 PIN_BASED_NMI_EXITING | PIN_BASED_VIRTUAL_NMIS, true);
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_NMI_WINDOW_EXITING, true);
	conf_vmx_w(&s, GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_NMI);
	conf_vmx_start_at(&s, vmx_guest_iret);
	if (conf_vmx_run_expect(ctx, &s, VMX_EXIT_NMI_WINDOW, "VMLAUNCH"))
		conf_check_u64(ctx, "guest RIP", s.exit.rip, conf_vmx_addr(&s, vmx_guest_iret_after));
out:
	conf_vmx_off(&s);
}

/* Interrupt-window exiting with RFLAGS.IF = 1 — Expect: VM exit 7 before any instruction */
CONF_SCENARIO(vmx_exit_interrupt_window_immediate, "vmx interrupts",
	      "Expect: VM exit interrupt window (7) right after VM entry, RIP unchanged, with "
	      "RFLAGS.IF = 1 and no blocking",
	      "SDM vol. 3C §27.7, §26.2", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_INTERRUPT_WINDOW_EXITING, true);
	conf_vmx_w(&s, GUEST_RFLAGS, X86_RFLAGS_FIXED | X86_RFLAGS_IF);
	if (conf_vmx_run_expect(ctx, &s, VMX_EXIT_INTERRUPT_WINDOW, "VMLAUNCH"))
		conf_check_u64(ctx, "guest RIP", s.exit.rip, conf_vmx_addr(&s, vmx_guest_entry));
out:
	conf_vmx_off(&s);
}

/* Interrupt window with IF = 0, then STI — Expect: VM exit 7 after the instruction after STI */
CONF_SCENARIO(vmx_exit_interrupt_window_after_sti, "vmx interrupts",
	      "Expect: with RFLAGS.IF = 0 the guest runs; STI opens the window only after the "
	      "next instruction (blocking by STI), so VM exit 7 comes with RIP past it",
	      "SDM vol. 3C §26.2, §25.4.2", conf_vmx_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_INTERRUPT_WINDOW_EXITING, true);
	s.gprs.rbx = s.guest.stack_base;
	s.gprs.rcx = 1000;
	conf_vmx_start_at(&s, vmx_guest_sti_count);
	/* The instruction after STI is INCQ (%rbx), 3 bytes long. */
	if (conf_vmx_run_expect(ctx, &s, VMX_EXIT_INTERRUPT_WINDOW, "VMLAUNCH"))
		conf_check_u64(ctx, "guest RIP", s.exit.rip, conf_vmx_addr(&s, vmx_guest_count) + 3);
out:
	conf_vmx_off(&s);
}

/* The vmx_guest payload with the preemption timer active and loaded with 0. */
static bool setup_timer_zero(struct conf_ctx *ctx, struct conf_vmx *s)
{
	if (!CONF_VMX_SETUP(ctx, s, vmx_guest))
		return false;
	conf_vmx_set_ctl(s, PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_VMX_PREEMPTION_TIMER, true);
	conf_vmx_w(s, VMX_PREEMPTION_TIMER_VALUE, 0);
	return true;
}

/* Preemption timer 0 — Expect: VM exit 52 before the first guest instruction */
CONF_SCENARIO(vmx_exit_preemption_timer_zero, "vmx preemption",
	      "Expect: VM exit VMX-preemption timer expired (52) with RIP at the guest's first "
	      "instruction, when the timer value is 0 at entry",
	      "SDM vol. 3C §26.5.1, §27.7", conf_vmx_preemption_timer_unsupported)
{
	struct conf_vmx s;

	if (!setup_timer_zero(ctx, &s))
		goto out;
	if (conf_vmx_run_expect(ctx, &s, VMX_EXIT_PREEMPTION_TIMER, "VMLAUNCH"))
		conf_check_u64(ctx, "guest RIP", s.exit.rip, conf_vmx_addr(&s, vmx_guest_entry));
out:
	conf_vmx_off(&s);
}

/* Preemption timer 0 and an injected interrupt — Expect: delivered first, then VM exit 52 */
CONF_SCENARIO(vmx_preemption_timer_zero_after_injection, "vmx preemption eventinj",
	      "Expect: with the timer value 0 at entry and external interrupt 40h injected, the "
	      "interrupt (RFLAGS.IF = 1) is delivered first: VM exit 52 comes with RIP at vector "
	      "40h's handler, before its first instruction, and no IDT-vectoring information",
	      "SDM vol. 3C §26.5.1, §27.6, §27.7; facts §(d) VMX preemption timer",
	      conf_vmx_preemption_timer_unsupported)
{
	struct conf_vmx s;

	if (!setup_timer_zero(ctx, &s))
		goto out;
	/* §27.3.1.5: an external interrupt goes in only with RFLAGS.IF set. */
	conf_vmx_w(&s, GUEST_RFLAGS, X86_RFLAGS_FIXED | X86_RFLAGS_IF);
	conf_vmx_w(&s, VM_ENTRY_INTR_INFO_FIELD,
		   INTR_INFO_VALID | (INTR_TYPE_EXTERNAL_INTERRUPT << INTR_INFO_TYPE_SHIFT) | 0x40);
	if (!conf_vmx_run_expect(ctx, &s, VMX_EXIT_PREEMPTION_TIMER, "VMLAUNCH"))
		goto out;
	conf_check_u64(ctx, "guest RIP (vector 40h's handler)", s.exit.rip,
		       hv_guest_stub(&s.guest, 0x40));
	conf_check_u64(ctx, "IDT-vectoring information", conf_vmx_r(IDT_VECTORING_INFO_FIELD), 0);
out:
	conf_vmx_off(&s);
}

/* Preemption timer 0 and a pending single-step trap — Expect: #DB delivered first, then VM exit 52 */
CONF_SCENARIO(vmx_preemption_timer_zero_after_pending_db, "vmx preemption",
	      "Expect: with the timer value 0 at entry, RFLAGS.TF = 1 and BS set in the pending "
	      "debug exceptions, nothing injected, the #DB is delivered first: VM exit 52 comes "
	      "with RIP at the #DB handler, before its first instruction",
	      "SDM vol. 3C §27.7.3, §26.5.1; facts §(d) VMX preemption timer",
	      conf_vmx_preemption_timer_unsupported)
{
	struct conf_vmx s;

	if (!setup_timer_zero(ctx, &s))
		goto out;
	conf_vmx_w(&s, GUEST_RFLAGS, X86_RFLAGS_FIXED | X86_RFLAGS_TF);
	conf_vmx_w(&s, GUEST_PENDING_DBG_EXCEPTIONS, GUEST_PENDING_DBG_BS);
	if (conf_vmx_run_expect(ctx, &s, VMX_EXIT_PREEMPTION_TIMER, "VMLAUNCH"))
		conf_check_u64(ctx, "guest RIP (the #DB handler)", s.exit.rip,
			       hv_guest_stub(&s.guest, X86_VEC_DB));
out:
	conf_vmx_off(&s);
}

/* A pending single-step trap the exception bitmap takes — Expect: VM exit 0 before the timer's */
CONF_SCENARIO(vmx_pending_db_intercepted, "vmx preemption exceptions",
	      "Expect: as vmx_preemption_timer_zero_after_pending_db but with #DB in the "
	      "exception bitmap: VM exit 0 (exception) with interruption information 80000301h "
	      "(hardware exception, vector 1) and qualification 4000h (BS), RIP at the guest's "
	      "first instruction, rather than exit 52",
	      "SDM vol. 3C §27.7.3, §28.2.1; facts §(d) VMX preemption timer",
	      conf_vmx_preemption_timer_unsupported)
{
	struct conf_vmx s;

	if (!setup_timer_zero(ctx, &s))
		goto out;
	conf_vmx_w(&s, EXCEPTION_BITMAP, conf_vmx_r(EXCEPTION_BITMAP) | (1u << X86_VEC_DB));
	conf_vmx_w(&s, GUEST_RFLAGS, X86_RFLAGS_FIXED | X86_RFLAGS_TF);
	conf_vmx_w(&s, GUEST_PENDING_DBG_EXCEPTIONS, GUEST_PENDING_DBG_BS);
	if (!conf_vmx_run_expect(ctx, &s, VMX_EXIT_EXCEPTION_NMI, "VMLAUNCH"))
		goto out;
	conf_check_u64(ctx, "VM-exit interruption information", conf_vmx_r(VM_EXIT_INTR_INFO),
		       INTR_INFO_VALID | (INTR_TYPE_HARDWARE_EXCEPTION << INTR_INFO_TYPE_SHIFT) |
			       X86_VEC_DB);
	conf_check_u64(ctx, "exit qualification", conf_vmx_r(EXIT_QUALIFICATION),
		       GUEST_PENDING_DBG_BS);
	conf_check_u64(ctx, "guest RIP", s.exit.rip, conf_vmx_addr(&s, vmx_guest_entry));
out:
	conf_vmx_off(&s);
}

/* Blocking by MOV SS at entry, preemption timer 0 — Expect: exit 52 saves MOV SS blocking */
CONF_SCENARIO(vmx_entry_mov_ss_blocking_saved, "vmx preemption",
	      "Expect: VM entry with blocking by MOV SS (interruptibility bit 1) and the timer "
	      "value 0 exits (52) before the first guest instruction, and the exit saves "
	      "interruptibility 2: blocking by MOV SS, not by STI",
	      "SDM vol. 3C §25.4.2 table 25-3, §26.5.1, §28.3.4", conf_vmx_preemption_timer_unsupported)
{
	struct conf_vmx s;

	if (!setup_timer_zero(ctx, &s))
		goto out;
	conf_vmx_w(&s, GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_MOV_SS);
	if (!conf_vmx_run_expect(ctx, &s, VMX_EXIT_PREEMPTION_TIMER, "VMLAUNCH"))
		goto out;
	conf_check_u64(ctx, "guest RIP", s.exit.rip, conf_vmx_addr(&s, vmx_guest_entry));
	conf_check_u64(ctx, "GUEST_INTERRUPTIBILITY_INFO", conf_vmx_r(GUEST_INTERRUPTIBILITY_INFO),
		       GUEST_INTR_STATE_MOV_SS);
out:
	conf_vmx_off(&s);
}

/* Preemption timer counting down in a busy guest — Expect: VM exit 52, saved value 0 */
CONF_SCENARIO(vmx_exit_preemption_timer_expires, "vmx preemption",
	      "Expect: VM exit 52 while the guest counts; with \"save VMX-preemption timer "
	      "value\" the field reads 0 after the exit",
	      "SDM vol. 3C §26.5.1, §28.3.4", conf_vmx_preemption_timer_unsupported)
{
	struct conf_vmx s;
	uint64_t *counter;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_set_ctl(&s, PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_VMX_PREEMPTION_TIMER, true);
	if (conf_vmx_may1(s.caps.exit, VM_EXIT_SAVE_VMX_PREEMPTION_TIMER_VALUE))
		conf_vmx_set_ctl(&s, VM_EXIT_CONTROLS, VM_EXIT_SAVE_VMX_PREEMPTION_TIMER_VALUE, true);
	conf_vmx_w(&s, VMX_PREEMPTION_TIMER_VALUE, 1000);
	counter = arch_phys_to_virt(s.guest.stack_base);
	s.gprs.rbx = s.guest.stack_base;
	s.gprs.rcx = ~0ull;
	conf_vmx_start_at(&s, vmx_guest_count);
	if (!conf_vmx_run_expect(ctx, &s, VMX_EXIT_PREEMPTION_TIMER, "VMLAUNCH"))
		goto out;
	conf_check_true(ctx, "the guest ran before the timer expired", *counter != 0);
	if (conf_vmx_may1(s.caps.exit, VM_EXIT_SAVE_VMX_PREEMPTION_TIMER_VALUE))
		conf_check_u64(ctx, "VMX_PREEMPTION_TIMER_VALUE saved",
			       conf_vmx_r(VMX_PREEMPTION_TIMER_VALUE), 0);
out:
	conf_vmx_off(&s);
}

/* Guest HLT with the preemption timer — Expect: VM exit 52 from HLT, activity HLT saved */
CONF_SCENARIO(vmx_activity_hlt_timer_exit, "vmx activity preemption",
	      "Expect: HLT (not exiting) puts the guest in the HLT state; the timer's VM exit "
	      "(52) saves activity state HLT (1) and RIP after the HLT",
	      "SDM vol. 3C §26.5.1, §28.3.4", conf_vmx_preemption_timer_unsupported)
{
	struct conf_vmx s;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	conf_vmx_set_ctl(&s, PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_VMX_PREEMPTION_TIMER, true);
	conf_vmx_set_ctl(&s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_HLT_EXITING, false);
	conf_vmx_w(&s, VMX_PREEMPTION_TIMER_VALUE, 1000);
	conf_vmx_start_at(&s, vmx_guest_hlt_insn);
	if (!conf_vmx_run_expect(ctx, &s, VMX_EXIT_PREEMPTION_TIMER, "VMLAUNCH"))
		goto out;
	conf_check_u64(ctx, "GUEST_ACTIVITY_STATE", conf_vmx_r(GUEST_ACTIVITY_STATE),
		       GUEST_ACTIVITY_HLT);
	conf_check_u64(ctx, "guest RIP", s.exit.rip, conf_vmx_addr(&s, vmx_guest_hlt_after));
out:
	conf_vmx_off(&s);
}

/* Entry in the HLT state with an injected interrupt — Expect: the handler runs, state active */
CONF_SCENARIO(vmx_activity_hlt_woken_by_injection, "vmx activity eventinj",
	      "Expect: VM entry into the HLT state with an external interrupt injected delivers "
	      "it; the guest is active and its handler runs",
	      "SDM vol. 3C §27.6, §27.7, appendix A.6", conf_vmx_unsupported)
{
	struct conf_vmx s;
	struct hv_guest_frame f;

	if (!CONF_VMX_SETUP(ctx, &s, vmx_guest))
		goto out;
	if (!conf_check_true(ctx, "IA32_VMX_MISC[6] (HLT activity state)",
			     (s.caps.misc & VMX_MISC_ACTIVITY_HLT) != 0))
		goto out;
	conf_vmx_w(&s, GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_HLT);
	if (inject(ctx, &s, vmx_intr_info(INTR_TYPE_EXTERNAL_INTERRUPT, VEC_EXT), 0, 0, VEC_EXT,
		   &f))
		conf_check_u64(ctx, "GUEST_ACTIVITY_STATE", conf_vmx_r(GUEST_ACTIVITY_STATE),
			       GUEST_ACTIVITY_ACTIVE);
out:
	conf_vmx_off(&s);
}
