/* SPDX-License-Identifier: MIT */
/*
 * The hv's virtual local APIC through its xAPIC page: a VM with nested
 * paging leaves 0xFEE00000 out of the nested tables, and the core performs
 * each guest load and store there on the register file the x2APIC MSRs
 * use (hv/vlapic.h). Register layout and behaviour: SDM vol. 3 chapter 10;
 * how the accesses reach the core: APM vol. 2 §15.25.6 (#NPF).
 */
#include "../guest/payload.h"
#include "x86/cpu.h"
#include "../core/backend.h"
#include "xapic_util.h"

#define UNINIT HV_MP_STATE_UNINITIALIZED
#define INIT_RCVD HV_MP_STATE_INIT_RECEIVED
#define RUNNABLE HV_MP_STATE_RUNNABLE
#define HALTED HV_MP_STATE_HALTED

#define XAPIC_VECTOR_PPR 0x80u
#define XAPIC_VECTOR_WAKE 0x50u

/* INIT, SIPI, SIPI through the xAPIC ICR — Expect: each AP reports its APIC ID from offset 20h */
CONF_SCENARIO_BACKENDS(xapic_ap_boot, "mp apic npt",
	      "Expect: with the ICR written through the xAPIC page, 310h (destination in bits "
	      "31:24) then 300h (INIT 4500h, then two start-ups 600h | vector), each AP starts in "
	      "real mode at vector << 12, reaches long mode, reads its ID register at offset 20h as "
	      "its APIC ID in bits 31:24, and halts; each AP's MP state goes UNINITIALIZED > "
	      "INIT_RECEIVED > RUNNABLE > HALTED",
	      "SDM vol. 3 §8.4.4, §10.4.6, §10.6.1; APM vol. 2 §15.25", conf_xapic_need4)
{
	static const uint32_t want[] = { UNINIT, INIT_RCVD, RUNNABLE, HALTED };
	struct conf_mp m;
	uint32_t *slots, *boots;

	if (!conf_xapic_setup(ctx, &m, 4, xapic_guest_boot3) || !conf_mp_run(&m))
		return;
	slots = conf_mp_u32(&m, xapic_guest_slots);
	boots = conf_mp_u32(&m, xapic_guest_boots);
	for (uint32_t id = 1; id < 4; id++) {
		conf_check_u64(ctx, "AP's ID register (offset 20h)", slots[id], (uint64_t)id << 24);
		conf_check_u64(ctx, "AP boots (once, whatever the second SIPI)", boots[id], 1);
		conf_mp_check_states(&m, id, want, 4);
	}
}

/* ID, version, LDR and DFR through the page — Expect: reset values, then what was written */
CONF_SCENARIO_BACKENDS(xapic_regs, "mp apic npt",
	      "Expect: out of reset vCPU 1's APIC is in xAPIC mode (IA32_APIC_BASE FEE00800h: EN, "
	      "EXTD and BSP clear; vCPU 0's FEE00900h with BSP); its ID register reads 01000000h, "
	      "the version register 00050014h (the value of x2APIC MSR 803h), LDR 0 and DFR "
	      "FFFFFFFFh; LDR written with 02ABCDEFh keeps only bits 31:24 (02000000h) and DFR "
	      "written with 01234567h keeps only the model bits 31:28, the rest reading as ones "
	      "(0FFFFFFFh)",
	      "SDM vol. 3 §10.4.4, §10.4.6, §10.4.7.1, §10.4.8, §10.6.2.2", conf_xapic_need2)
{
	struct conf_mp m;

	if (!conf_xapic_setup(ctx, &m, 2, xapic_guest_regs_bsp) ||
	    !conf_xapic_start(&m, 1, xapic_guest_regs_ap) || !conf_mp_run(&m))
		return;
	conf_check_u64(ctx, "ID", conf_xapic_out(&m, 0), 0x01000000u);
	conf_check_u64(ctx, "version", conf_xapic_out(&m, 1), 0x00050014u);
	conf_check_u64(ctx, "LDR after reset", conf_xapic_out(&m, 2), 0);
	conf_check_u64(ctx, "DFR after reset", conf_xapic_out(&m, 3), 0xffffffffu);
	conf_check_u64(ctx, "LDR written 02ABCDEFh", conf_xapic_out(&m, 4), 0x02000000u);
	conf_check_u64(ctx, "DFR written 01234567h", conf_xapic_out(&m, 5), 0x0fffffffu);
	conf_check_u64(ctx, "vCPU 1 IA32_APIC_BASE[31:0]", conf_xapic_out(&m, 6), 0xfee00800u);
	conf_check_u64(ctx, "vCPU 1 IA32_APIC_BASE[63:32]", conf_xapic_out(&m, 7), 0);
	conf_check_u64(ctx, "vCPU 0 IA32_APIC_BASE[31:0]", conf_xapic_out(&m, 8), 0xfee00900u);
	conf_check_u64(ctx, "vCPU 0 IA32_APIC_BASE[63:32]", conf_xapic_out(&m, 9), 0);
}

/* TPR and PPR through the page — Expect: TPR 8 bits; PPR = TPR, or the in-service class above it */
CONF_SCENARIO_BACKENDS(xapic_tpr_ppr, "mp apic npt",
	      "Expect: TPR written 45h reads 45h and PPR 45h; TPR written FFFFFF30h keeps bits 7:0 "
	      "(30h); a self-IPI of vector 80h (ICR 44080h) is taken, and in its handler PPR reads "
	      "80h and ISR bit 80h (offset 140h bit 0) is set; the handler's EOI (write of 0 to "
	      "B0h) clears it, and PPR reads 30h again after the handler",
	      "SDM vol. 3 §10.6.1, §10.8.3.1, §10.8.4, §10.8.5", conf_slat_unsupported)
{
	struct conf_mp m;

	if (!conf_xapic_setup(ctx, &m, 1, xapic_guest_tpr))
		return;
	hv_guest_set_gate(&m.guest, XAPIC_VECTOR_PPR, conf_xapic_addr(&m, xapic_guest_irq_ppr));
	if (!conf_mp_run(&m))
		return;
	conf_check_u64(ctx, "TPR written 45h", conf_xapic_out(&m, 0), 0x45);
	conf_check_u64(ctx, "PPR with nothing in service", conf_xapic_out(&m, 1), 0x45);
	conf_check_u64(ctx, "TPR written FFFFFF30h", conf_xapic_out(&m, 2), 0x30);
	conf_check_u64(ctx, "handler runs", *conf_mp_u32(&m, xapic_guest_irq_count), 1);
	conf_check_u64(ctx, "PPR in the handler", conf_xapic_out(&m, 3), 0x80);
	conf_check_u64(ctx, "ISR[159:128] in the handler", conf_xapic_out(&m, 4), 1);
	conf_check_u64(ctx, "ISR[159:128] after EOI", conf_xapic_out(&m, 5), 0);
	conf_check_u64(ctx, "PPR after the handler", conf_xapic_out(&m, 6), 0x30);
}

/* A fixed IPI through the xAPIC ICR to a halted AP — Expect: woken once, its EOI clears ISR */
CONF_SCENARIO_BACKENDS(xapic_fixed_ipi, "mp apic npt",
	      "Expect: vCPU 1 halts with IF = 1 and its APIC software-enabled through SVR (F0h); "
	      "vCPU 0 writes 01000000h to 310h and 4050h to 300h; vCPU 1 becomes RUNNABLE, its "
	      "vector-50h handler runs once and writes 0 to EOI (B0h), leaving ISR and IRR clear",
	      "SDM vol. 3 §10.6.1, §10.8.4, §10.8.5", conf_xapic_need2)
{
	static const uint32_t want[] = { UNINIT, RUNNABLE, HALTED, RUNNABLE, HALTED };
	struct conf_mp m;
	struct hv_vcpu *ap;
	uint32_t isr = 0, irr = 0;

	if (!conf_xapic_setup(ctx, &m, 2, xapic_guest_wake))
		return;
	hv_guest_set_gate(&m.guest, XAPIC_VECTOR_WAKE, conf_xapic_addr(&m, xapic_guest_irq_eoi));
	if (!conf_xapic_start(&m, 1, xapic_guest_sleeper) || !conf_mp_run(&m))
		return;
	ap = m.vm.vcpus[1];
	conf_check_u64(ctx, "syncs", m.nsyncs, 1);
	conf_check_u64(ctx, "AP MP state before the IPI", m.sync_state[0], HALTED);
	conf_check_u64(ctx, "handler runs", *conf_mp_u32(&m, xapic_guest_irq_count), 1);
	conf_check_u64(ctx, "handler runs seen after HLT", *conf_mp_u32(&m, xapic_guest_woke), 1);
	for (unsigned i = 0; i < 8; i++) {
		isr |= ap->apic.isr[i];
		irr |= ap->apic.irr[i];
	}
	conf_check_u64(ctx, "virtual ISR after EOI", isr, 0);
	conf_check_u64(ctx, "virtual IRR", irr, 0);
	conf_mp_check_states(&m, 1, want, 5);
}

/* MOV forms at the page — Expect: each reads or writes the register its address names */
CONF_SCENARIO_BACKENDS(xapic_mov_forms, "mp apic npt",
	      "Expect: MOV r/m32, imm32 with REX.B and SIB sets TPR 10h, which MOV r32, r/m32 with "
	      "REX.R/REX.B and SIB reads back; MOV r/m32, r32 with disp32 sets 20h, which MOV EAX, "
	      "moffs64 (A1) reads; MOV moffs64, EAX (A3) sets 30h, which a load with a negative "
	      "disp8 into R15D reads, clearing R15[63:32]; a load with address-size and DS "
	      "prefixes reads the version register (00050014h)",
	      "APM vol. 3 §1.2, §1.4, \"MOV\"; SDM vol. 3 §10.4.1, §10.8.3.1",
	      conf_slat_unsupported)
{
	struct conf_mp m;

	if (!conf_xapic_setup(ctx, &m, 1, xapic_guest_forms) || !conf_mp_run(&m))
		return;
	conf_check_u64(ctx, "TPR after C7 /0 (SIB), read by 8B (SIB)", conf_xapic_out(&m, 0), 0x10);
	conf_check_u64(ctx, "TPR after 89 (disp32), read by A1", conf_xapic_out(&m, 1), 0x20);
	conf_check_u64(ctx, "TPR after A3, read by 8B (disp8 -80h)", conf_xapic_out(&m, 2), 0x30);
	conf_check_u64(ctx, "R15[63:32] after the 32-bit load", conf_xapic_out(&m, 3), 0);
	conf_check_u64(ctx, "version through addr32 + DS", conf_xapic_out(&m, 4), 0x00050014u);
}

/* DS base 10h, SS base 0 in compatibility mode — Expect: each load's own segment picks the register */
CONF_SCENARIO(svm_xapic_segment_override, "svm mp apic npt",
	      "Expect: in 32-bit compatibility-mode code with DS base 10h and SS base 0, EBP and "
	      "EBX FEE00000h, MOV EDX, DS:[EBP+20h] (3E 8B 55 20), MOV ESI, DS:[EBP+20h] through "
	      "a SIB byte (3E 8B 74 25 20), MOV EDI, [EBP+30h] (SS by default), MOV ECX, "
	      "SS:[EBX+30h] and MOV EBX, [EBX+20h] (DS by default) each read the version "
	      "register at FEE00030h (00050014h): an explicit DS prefix is not the default SS",
	      "APM vol. 3 §1.2.4; SDM vol. 2 §2.1.1, table 3-5; SDM vol. 3 §10.4.1",
	      conf_npt_unsupported)
{
	struct vmcb_save_area *save;
	struct hv_vcpu *v;
	struct conf_mp m;

	if (!conf_xapic_setup(ctx, &m, 1, xapic_guest_seg32))
		return;
	v = hv_vm_vcpu(&m.vm, 0);
	/*
	 * The guest never reloads a segment: the VMCB's hidden state is all it
	 * has. The core has no segment-register API of its own: SVM's (hv/svm.h).
	 */
	save = &hv_svm_vmcb(v)->save;
	save->cs.selector = HV_GUEST_SEL_CODE32;
	save->cs.attrib = X86_SEG_TYPE_CODE_RX_A | X86_SEG_S | X86_SEG_P | X86_SEG_DB | X86_SEG_G;
	save->ds.base = 0x10;
	save->ss.base = 0;
	if (!conf_mp_run(&m))
		return;
	conf_check_u64(ctx, "EDX: DS:[EBP+20h]", hv_vcpu_get_gpr(v, HV_GPR_RDX) & 0xffffffffu,
		       0x00050014u);
	conf_check_u64(ctx, "ESI: DS:[EBP+20h] (SIB)", hv_vcpu_get_gpr(v, HV_GPR_RSI) & 0xffffffffu,
		       0x00050014u);
	conf_check_u64(ctx, "EDI: [EBP+30h] (SS)", hv_vcpu_get_gpr(v, HV_GPR_RDI) & 0xffffffffu,
		       0x00050014u);
	conf_check_u64(ctx, "ECX: SS:[EBX+30h]", hv_vcpu_get_gpr(v, HV_GPR_RCX) & 0xffffffffu,
		       0x00050014u);
	conf_check_u64(ctx, "EBX: [EBX+20h] (DS)", hv_vcpu_get_gpr(v, HV_GPR_RBX) & 0xffffffffu,
		       0x00050014u);
}

/* A load at 3F0h, where xAPIC mode has no register — Expect: 0, and ESR bit 7 after the next ESR write */
CONF_SCENARIO_BACKENDS(xapic_reserved_offset, "mp apic npt",
	      "Expect: ESR read after a write reads 0; a load at 3F0h (SELF IPI, an x2APIC-only "
	      "register) reads 0; the next ESR write then read gives 80h (illegal register "
	      "address), and the one after that 0",
	      "SDM vol. 3 §10.4.1 (table 10-1), §10.5.3, §10.12.11", conf_slat_unsupported)
{
	struct conf_mp m;

	if (!conf_xapic_setup(ctx, &m, 1, xapic_guest_reserved) || !conf_mp_run(&m))
		return;
	conf_check_u64(ctx, "ESR before", conf_xapic_out(&m, 0), 0);
	conf_check_u64(ctx, "load at 3F0h", conf_xapic_out(&m, 1), 0);
	conf_check_u64(ctx, "ESR after the load", conf_xapic_out(&m, 2), 0x80);
	conf_check_u64(ctx, "ESR after the next write", conf_xapic_out(&m, 3), 0);
}

/* ADD to TPR at the page — Expect: the loop ends with HV_INTERNAL_EMULATION, nothing emulated */
CONF_SCENARIO_BACKENDS(xapic_unsupported_insn, "mp apic npt",
	      "Expect: ADD r/m32, imm8 at FEE00080h is not one of the MOV forms the core emulates: "
	      "vCPU 0's loop ends with HV_EXIT_INTERNAL_ERROR, suberror HV_INTERNAL_EMULATION, "
	      "naming a GPA in the page FEE00000h and the instruction's bytes 83 83 80 00 00 00 "
	      "01; RIP stays at the ADD and TPR keeps 0",
	      "hv/vlapic.h; APM vol. 2 §15.25.6, §15.8.4", conf_slat_unsupported)
{
	static const uint8_t add[] = { 0x83, 0x83, 0x80, 0x00, 0x00, 0x00, 0x01 };
	struct conf_mp m;
	struct hv_vcpu *v;
	int rc;

	if (!conf_xapic_setup(ctx, &m, 1, xapic_guest_add_tpr))
		return;
	rc = hv_vm_run(&m.vm);
	if (!conf_check_u64(ctx, "hv_vm_run", (uint64_t)(int64_t)rc, HV_OK) ||
	    !conf_check_true(ctx, "the loop ended on an exit for the caller", m.bad_claimed != 0))
		return;
	v = m.vm.vcpus[0];
	conf_check_u64(ctx, "exit reason", m.bad.reason, HV_EXIT_INTERNAL_ERROR);
	conf_check_u64(ctx, "suberror", m.bad.internal.suberror, HV_INTERNAL_EMULATION);
	/* The page: the instruction is not decoded, so the GPA is the #NPF's (§15.25.6). */
	conf_check_masked(ctx, "GPA, page", m.bad.internal.gpa, ~0xfffull, 0xfee00000u);
	if (conf_check_range(ctx, "instruction bytes seen", m.bad.internal.insn_len, sizeof(add),
			     15))
		conf_check_true(ctx, "bytes 83 83 80 00 00 00 01",
				hv_memcmp(m.bad.internal.insn, add, sizeof(add)) == 0);
	conf_check_u64(ctx, "RIP", hv_vcpu_get_rip(v),
		       conf_xapic_addr(&m, xapic_guest_add_tpr_insn));
	conf_check_u64(ctx, "TPR", v->apic.tpr, 0);
}
