/* SPDX-License-Identifier: MIT */
/*
 * The VM-entry checks as a rule table (include/x86/vmx_checks.h,
 * vmx-model/checks.c): a valid VMCS passes; for every row, that VMCS
 * broken in one way fails that rule first, with the outcome SDM vol. 3C
 * chapter 27 gives (VMfailValid 7 or 8, or a VM-entry failure with exit
 * reason 33 or 34 and its qualification), written out below per row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vmx-model/caps.h"
#include "vmx-model/checks.h"
#include "vmx-model/vmcs.h"
#include "x86/cpu.h"
#include "x86/vmcs_fields.h"
#include "x86/vmx.h"

static struct {
	struct vmx_caps_config cfg;
	struct vmx_caps caps;
	struct vmx_vmcs vmcs;
	struct vmx_entry_env env;
	struct vmx_msr_entry msrs[4];
} t;

static void W(uint32_t field, uint64_t value)
{
	int err = vmx_vmwrite(&t.vmcs, &t.caps, field, value, true);

	if (err)
		fail_msg("VMWRITE 0x%04x: error %d", field, err);
}

static uint64_t R(uint32_t field)
{
	uint64_t v = 0;

	assert_int_equal(vmx_vmread(&t.vmcs, &t.caps, field, true, &v), 0);
	return v;
}

static void SET(uint32_t field, uint64_t bits) { W(field, R(field) | bits); }
static void CLR(uint32_t field, uint64_t bits) { W(field, R(field) & ~bits); }

#define NONCANONICAL 0x0000800000000000ull
#define FLAT_CODE64 0xa09bu /* type 11, S, P, L, G */
#define FLAT_DATA   0xc093u /* type 3, S, P, D/B, G */
#define TSS64_BUSY  0x008bu /* type 11, P */
#define LDT_AR      0x0082u /* type 2, P */
#define PAT_DEFAULT 0x0007040600070406ull

/* A 64-bit guest of a 64-bit host, with bitmaps, EPT, VPID and virtual NMIs. */
static void valid_vmcs(void)
{
	vmx_vmcs_init(&t.vmcs, 0x76780001u);
	W(PIN_BASED_VM_EXEC_CONTROL, 0x16 | PIN_BASED_EXTERNAL_INTERRUPT_EXITING |
					     PIN_BASED_NMI_EXITING | PIN_BASED_VIRTUAL_NMIS);
	W(CPU_BASED_VM_EXEC_CONTROL, 0x04006172 | CPU_BASED_HLT_EXITING | CPU_BASED_USE_IO_BITMAPS |
					     CPU_BASED_USE_MSR_BITMAPS |
					     CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);
	W(SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID);
	W(VM_EXIT_CONTROLS, 0x36dfb | VM_EXIT_HOST_ADDRESS_SPACE_SIZE | VM_EXIT_LOAD_IA32_EFER |
				    VM_EXIT_LOAD_IA32_PAT | VM_EXIT_ACKNOWLEDGE_INTERRUPT_ON_EXIT);
	W(VM_ENTRY_CONTROLS, 0x11fb | VM_ENTRY_IA32E_MODE_GUEST | VM_ENTRY_LOAD_IA32_EFER |
				     VM_ENTRY_LOAD_IA32_PAT | VM_ENTRY_LOAD_DEBUG_CONTROLS);
	W(IO_BITMAP_A, 0x10000);
	W(IO_BITMAP_B, 0x11000);
	W(MSR_BITMAP, 0x12000);
	W(EPT_POINTER, 0x20000 | 3 << 3 | 6); /* 4-level walk, WB */
	W(VIRTUAL_PROCESSOR_ID, 1);

	W(HOST_CR0, 0x80010031); /* PG, WP, NE, ET, PE */
	W(HOST_CR3, 0x1000);
	W(HOST_CR4, 0x2020); /* VMXE, PAE */
	W(HOST_CS_SELECTOR, 0x08);
	W(HOST_SS_SELECTOR, 0x10);
	W(HOST_DS_SELECTOR, 0x10);
	W(HOST_ES_SELECTOR, 0x10);
	W(HOST_TR_SELECTOR, 0x18);
	W(HOST_TR_BASE, 0xffff800000005000ull);
	W(HOST_GDTR_BASE, 0xffff800000006000ull);
	W(HOST_IDTR_BASE, 0xffff800000007000ull);
	W(HOST_RIP, 0xffffffff81000000ull);
	W(HOST_RSP, 0xffffffff81100000ull);
	W(HOST_IA32_EFER, 0xd01); /* NXE, LMA, LME, SCE */
	W(HOST_IA32_PAT, PAT_DEFAULT);

	W(GUEST_CR0, 0x80010031);
	W(GUEST_CR3, 0x3000);
	W(GUEST_CR4, 0x2020);
	W(GUEST_DR7, 0x400);
	W(GUEST_RFLAGS, 0x2);
	W(GUEST_RIP, 0x401000);
	W(GUEST_RSP, 0x402000);
	W(GUEST_CS_SELECTOR, 0x08);
	W(GUEST_CS_LIMIT, 0xffffffff);
	W(GUEST_CS_AR_BYTES, FLAT_CODE64);
	static const uint32_t data_sel[] = { GUEST_SS_SELECTOR, GUEST_DS_SELECTOR, GUEST_ES_SELECTOR,
					     GUEST_FS_SELECTOR, GUEST_GS_SELECTOR };
	static const uint32_t data_limit[] = { GUEST_SS_LIMIT, GUEST_DS_LIMIT, GUEST_ES_LIMIT,
					       GUEST_FS_LIMIT, GUEST_GS_LIMIT };
	static const uint32_t data_ar[] = { GUEST_SS_AR_BYTES, GUEST_DS_AR_BYTES, GUEST_ES_AR_BYTES,
					    GUEST_FS_AR_BYTES, GUEST_GS_AR_BYTES };
	for (int i = 0; i < 5; i++) {
		W(data_sel[i], 0x10);
		W(data_limit[i], 0xffffffff);
		W(data_ar[i], FLAT_DATA);
	}
	W(GUEST_LDTR_AR_BYTES, 0x10000); /* unusable */
	W(GUEST_TR_SELECTOR, 0x18);
	W(GUEST_TR_BASE, 0x5000);
	W(GUEST_TR_LIMIT, 0x67);
	W(GUEST_TR_AR_BYTES, TSS64_BUSY);
	W(GUEST_GDTR_BASE, 0x6000);
	W(GUEST_GDTR_LIMIT, 0x27);
	W(GUEST_IDTR_BASE, 0x7000);
	W(GUEST_IDTR_LIMIT, 0xfff);
	W(GUEST_IA32_EFER, 0x500); /* LMA, LME */
	W(GUEST_IA32_PAT, PAT_DEFAULT);
	W(VMCS_LINK_POINTER, ~0ull);
}

/* Mutations of the machine: applied before the capabilities are computed. */
static void no_ept_ad(struct vmx_caps_config *c) { c->ept_ad = false; }
static void no_shutdown(struct vmx_caps_config *c) { c->activity_shutdown = false; }

/* The guest and host as a 32-bit VMM outside IA-32e mode would give them (§27.2.4). */
static void host32(void)
{
	t.env.lma = false;
	CLR(VM_EXIT_CONTROLS, VM_EXIT_HOST_ADDRESS_SPACE_SIZE);
	W(HOST_IA32_EFER, 0);
	W(HOST_RIP, 0x100000);
}

static void guest32(void)
{
	CLR(VM_ENTRY_CONTROLS, VM_ENTRY_IA32E_MODE_GUEST);
	W(GUEST_IA32_EFER, 0);
	W(GUEST_CS_AR_BYTES, 0xc09b); /* D/B, no L */
}

static void ug(void) { SET(SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_UNRESTRICTED_GUEST); }
static void inject(uint32_t type, uint32_t vector) { W(VM_ENTRY_INTR_INFO_FIELD, vmx_intr_info(type, vector)); }

static void usable_ldtr(uint16_t sel, uint32_t ar, uint32_t limit)
{
	W(GUEST_LDTR_SELECTOR, sel);
	W(GUEST_LDTR_AR_BYTES, ar);
	W(GUEST_LDTR_LIMIT, limit);
	W(GUEST_LDTR_BASE, 0x8000);
}

/* All six segments as virtual-8086 mode needs them, up to the step named. */
static void v86(int steps)
{
	static const uint32_t base[] = { GUEST_ES_BASE, GUEST_CS_BASE, GUEST_SS_BASE,
					 GUEST_DS_BASE, GUEST_FS_BASE, GUEST_GS_BASE };

	SET(GUEST_RFLAGS, X86_RFLAGS_VM);
	for (int i = 0; i < 6; i++) {
		if (steps > 0)
			W(base[i], R(GUEST_ES_SELECTOR + 2 * i) << 4);
		if (steps > 1)
			W(GUEST_ES_LIMIT + 2 * i, 0xffff);
		if (steps > 2)
			W(GUEST_ES_AR_BYTES + 2 * i, 0xf3);
	}
}

static void msr_list(uint32_t count)
{
	t.env.msr_load = t.msrs;
	W(VM_ENTRY_MSR_LOAD_COUNT, count);
	W(VM_ENTRY_MSR_LOAD_ADDR, 0x14000);
	for (uint32_t i = 0; i < count; i++)
		t.msrs[i] = (struct vmx_msr_entry){ 0x277, 0, PAT_DEFAULT };
}

#define M(name) static void m_##name(void)
M(pin) { SET(PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_POSTED_INTERRUPTS); }
M(proc) { SET(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_USE_TPR_SHADOW); }
M(proc2) { SET(SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES); }
M(cr3_count) { W(CR3_TARGET_COUNT, 5); }
M(io_a) { W(IO_BITMAP_A, 0x10800); }
M(io_b) { W(IO_BITMAP_B, 1ull << 40); }
M(msr_bitmap) { W(MSR_BITMAP, 0x12004); }
M(vnmi_no_nmi_exit) { CLR(PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_NMI_EXITING); }
M(nmi_window) { CLR(PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_VIRTUAL_NMIS); SET(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_NMI_WINDOW_EXITING); }
M(vpid0) { W(VIRTUAL_PROCESSOR_ID, 0); }
M(eptp_uc) { W(EPT_POINTER, 0x20018); }
M(eptp_walk5) { W(EPT_POINTER, 0x20026); }
M(eptp_ad) { W(EPT_POINTER, 0x2005e); }
M(eptp_bit8) { W(EPT_POINTER, 0x2011e); }
M(ug_no_ept) { ug(); CLR(SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_ENABLE_EPT); }
M(exit_perf) { SET(VM_EXIT_CONTROLS, VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL); }
M(save_timer) { SET(VM_EXIT_CONTROLS, VM_EXIT_SAVE_VMX_PREEMPTION_TIMER_VALUE); }
M(exit_store) { W(VM_EXIT_MSR_STORE_COUNT, 1); W(VM_EXIT_MSR_STORE_ADDR, 0x13008); }
M(exit_load) { W(VM_EXIT_MSR_LOAD_COUNT, 2); W(VM_EXIT_MSR_LOAD_ADDR, (1ull << 40) - 16); }
M(entry_smm) { SET(VM_ENTRY_CONTROLS, VM_ENTRY_ENTRY_TO_SMM); }
M(inj_type1) { inject(1, 0x20); }
M(inj_nmi3) { inject(INTR_TYPE_NMI, 3); }
M(inj_exc32) { inject(INTR_TYPE_HARDWARE_EXCEPTION, 32); }
M(inj_errcode_real) { ug(); W(GUEST_CR0, 0x30); W(VM_ENTRY_INTR_INFO_FIELD, 0x80000b0d); }
M(inj_errcode_ud) { W(VM_ENTRY_INTR_INFO_FIELD, 0x80000b06); }
M(inj_gp_no_errcode) { inject(INTR_TYPE_HARDWARE_EXCEPTION, 13); }
M(inj_bit12) { W(VM_ENTRY_INTR_INFO_FIELD, 0x80001020); }
M(inj_errcode_high) { W(VM_ENTRY_INTR_INFO_FIELD, 0x80000b0d); W(VM_ENTRY_EXCEPTION_ERROR_CODE, 0x10000); }
M(inj_len0) { inject(INTR_TYPE_SOFTWARE_INTERRUPT, 0x80); }
M(entry_load) { W(VM_ENTRY_MSR_LOAD_COUNT, 1); W(VM_ENTRY_MSR_LOAD_ADDR, 0x14001); }
M(host_cr0) { CLR(HOST_CR0, X86_CR0_NE); }
M(host_cr4) { SET(HOST_CR4, X86_CR4_LA57); }
M(host_cr3) { W(HOST_CR3, 1ull << 40); }
M(host_esp) { W(HOST_IA32_SYSENTER_ESP, NONCANONICAL); }
M(host_eip) { W(HOST_IA32_SYSENTER_EIP, NONCANONICAL); }
M(host_pat) { W(HOST_IA32_PAT, 0x0007040600070402ull); }
M(host_efer_bit12) { SET(HOST_IA32_EFER, 1ull << 12); }
M(host_efer_lme) { CLR(HOST_IA32_EFER, X86_EFER_LME); }
M(host_ds_rpl) { W(HOST_DS_SELECTOR, 0x13); }
M(host_cs0) { W(HOST_CS_SELECTOR, 0); }
M(host_tr0) { W(HOST_TR_SELECTOR, 0); }
M(host_ss0) { host32(); guest32(); W(HOST_SS_SELECTOR, 0); }
M(host_gs_base) { W(HOST_GS_BASE, NONCANONICAL); }
M(lma_host32) { CLR(VM_EXIT_CONTROLS, VM_EXIT_HOST_ADDRESS_SPACE_SIZE); W(HOST_IA32_EFER, 0); }
M(no_lma_ia32e) { host32(); }
M(no_lma_host64) { t.env.lma = false; guest32(); }
M(host32_pcide) { host32(); guest32(); SET(HOST_CR4, X86_CR4_PCIDE); }
M(host32_rip) { host32(); guest32(); W(HOST_RIP, 1ull << 32); }
M(host64_pae) { CLR(HOST_CR4, X86_CR4_PAE); }
M(host64_rip) { W(HOST_RIP, NONCANONICAL); }
M(guest_cr0) { CLR(GUEST_CR0, X86_CR0_NE); }
M(guest_pg_no_pe) { ug(); CLR(GUEST_CR0, X86_CR0_PE); }
M(guest_cr4) { CLR(GUEST_CR4, X86_CR4_VMXE); }
M(guest_debugctl) { W(GUEST_IA32_DEBUGCTL, 4); }
M(ia32e_no_pg) { ug(); CLR(GUEST_CR0, X86_CR0_PG); }
M(ia32e_no_pae) { CLR(GUEST_CR4, X86_CR4_PAE); }
M(pcide_32) { CLR(VM_ENTRY_CONTROLS, VM_ENTRY_IA32E_MODE_GUEST); SET(GUEST_CR4, X86_CR4_PCIDE); }
M(guest_cr3) { W(GUEST_CR3, 1ull << 40); }
M(guest_dr7) { SET(GUEST_DR7, 1ull << 32); }
M(guest_esp) { W(GUEST_SYSENTER_ESP, NONCANONICAL); }
M(guest_eip) { W(GUEST_SYSENTER_EIP, NONCANONICAL); }
M(guest_pat) { W(GUEST_IA32_PAT, 0x0007040600030406ull); }
M(guest_efer_bit12) { SET(GUEST_IA32_EFER, 1ull << 12); }
M(guest_efer_lma) { CLR(GUEST_IA32_EFER, X86_EFER_LMA); }
M(guest_efer_lme) { CLR(GUEST_IA32_EFER, X86_EFER_LME); }
M(v86_base) { v86(0); }
M(v86_limit) { v86(1); }
M(v86_ar) { v86(2); }
M(tr_ti) { W(GUEST_TR_SELECTOR, 0x1c); }
M(ldtr_ti) { usable_ldtr(0x24, LDT_AR, 0xff); }
M(ss_rpl) { W(GUEST_SS_SELECTOR, 0x13); }
M(fs_base) { W(GUEST_FS_BASE, NONCANONICAL); }
M(ldtr_base) { usable_ldtr(0x20, LDT_AR, 0xff); W(GUEST_LDTR_BASE, NONCANONICAL); }
M(cs_base) { W(GUEST_CS_BASE, 1ull << 32); }
M(ds_base) { W(GUEST_DS_BASE, 1ull << 32); }
M(cs_type) { W(GUEST_CS_AR_BYTES, 0xa09a); }
M(ss_type) { W(GUEST_SS_AR_BYTES, 0xc09b); }
M(ds_type) { W(GUEST_DS_AR_BYTES, 0xc092); }
M(es_s) { W(GUEST_ES_AR_BYTES, 0xc083); }
M(cs_data_dpl) { ug(); W(GUEST_CS_AR_BYTES, 0xa0f3); }
M(cs_nonconf_dpl) { W(GUEST_CS_AR_BYTES, 0xa0fb); }
M(cs_conf_dpl) { W(GUEST_CS_AR_BYTES, 0xa0ff); }
M(ss_dpl_rpl) { W(GUEST_CS_AR_BYTES, 0xa0fb); W(GUEST_SS_AR_BYTES, 0xc0f3); }
M(ss_dpl_real) { ug(); W(GUEST_CS_AR_BYTES, 0xa093); W(GUEST_SS_AR_BYTES, 0xc0f3); }
M(ds_dpl) { W(GUEST_DS_SELECTOR, 0x13); }
M(gs_p) { W(GUEST_GS_AR_BYTES, 0xc013); }
M(fs_ar_bit8) { W(GUEST_FS_AR_BYTES, 0xc193); }
M(cs_l_d) { W(GUEST_CS_AR_BYTES, 0xe09b); }
M(ds_limit_g) { W(GUEST_DS_LIMIT, 0xfffff000); }
M(tr_type3) { W(GUEST_TR_AR_BYTES, 0x83); }
M(tr_s) { W(GUEST_TR_AR_BYTES, 0x9b); }
M(tr_p) { W(GUEST_TR_AR_BYTES, 0x0b); }
M(tr_ar_bit17) { W(GUEST_TR_AR_BYTES, 0x2008b); }
M(tr_limit_g) { W(GUEST_TR_AR_BYTES, 0x808b); }
M(tr_unusable) { W(GUEST_TR_AR_BYTES, 0x1008b); }
M(ldtr_type) { usable_ldtr(0x20, 0x83, 0xff); }
M(ldtr_s) { usable_ldtr(0x20, 0x92, 0xff); }
M(ldtr_p) { usable_ldtr(0x20, 0x02, 0xff); }
M(ldtr_ar_bit10) { usable_ldtr(0x20, 0x482, 0xff); }
M(ldtr_limit_g) { usable_ldtr(0x20, 0x8082, 0xff); }
M(idtr_base) { W(GUEST_IDTR_BASE, NONCANONICAL); }
M(gdtr_limit) { W(GUEST_GDTR_LIMIT, 0x10000); }
M(rip_high) { W(GUEST_CS_AR_BYTES, 0xc09b); W(GUEST_RIP, 1ull << 32); }
M(rip_canonical) { W(GUEST_RIP, NONCANONICAL); }
M(rflags_bit15) { SET(GUEST_RFLAGS, 1ull << 15); }
M(rflags_bit1) { W(GUEST_RFLAGS, 0); }
M(rflags_vm64) { v86(3); }
M(extint_if0) { inject(INTR_TYPE_EXTERNAL_INTERRUPT, 0x20); }
M(activity4) { W(GUEST_ACTIVITY_STATE, 4); }
M(activity_shutdown) { W(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_SHUTDOWN); }
M(hlt_dpl3)
{
	W(GUEST_CS_SELECTOR, 0x0b);
	W(GUEST_CS_AR_BYTES, 0xa0fb);
	W(GUEST_SS_SELECTOR, 0x13);
	W(GUEST_SS_AR_BYTES, 0xc0f3);
	W(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_HLT);
}
M(hlt_sti) { W(GUEST_RFLAGS, 0x202); W(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_STI); W(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_HLT); }
M(hlt_gp) { W(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_HLT); W(VM_ENTRY_INTR_INFO_FIELD, 0x80000b0d); }
M(shutdown_extint) { W(GUEST_RFLAGS, 0x202); W(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_SHUTDOWN); inject(INTR_TYPE_EXTERNAL_INTERRUPT, 0x20); }
M(sipi_nmi) { W(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_WAIT_SIPI); inject(INTR_TYPE_NMI, 2); }
M(intr_bit5) { W(GUEST_INTERRUPTIBILITY_INFO, 0x20); }
M(intr_enclave) { W(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_ENCLAVE); }
M(sti_mov_ss) { W(GUEST_RFLAGS, 0x202); W(GUEST_INTERRUPTIBILITY_INFO, 3); }
M(sti_if0) { W(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_STI); }
M(extint_mov_ss) { W(GUEST_RFLAGS, 0x202); W(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_MOV_SS); inject(INTR_TYPE_EXTERNAL_INTERRUPT, 0x20); }
M(nmi_mov_ss) { W(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_MOV_SS); inject(INTR_TYPE_NMI, 2); }
M(smi_blocked) { W(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_SMI); }
M(vnmi_blocked) { W(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_NMI); inject(INTR_TYPE_NMI, 2); }
M(nmi_sti) { W(GUEST_RFLAGS, 0x202); W(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_STI); inject(INTR_TYPE_NMI, 2); }
M(pde_bit4) { W(GUEST_PENDING_DBG_EXCEPTIONS, 0x10); }
M(pde_rtm) { W(GUEST_PENDING_DBG_EXCEPTIONS, 1ull << 16); }
M(pde_bs_missing) { W(GUEST_RFLAGS, 0x302); W(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_STI); }
M(pde_bs_extra) { W(GUEST_RFLAGS, 0x202); W(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_STI); W(GUEST_PENDING_DBG_EXCEPTIONS, 0x4000); }
M(link_align) { W(VMCS_LINK_POINTER, 0x9008); }
M(link_width) { W(VMCS_LINK_POINTER, 1ull << 40); }
M(link_revision) { W(VMCS_LINK_POINTER, 0x9000); t.env.link_vmcs_word = 0x80000000u | 0x76780001u; }
M(pdpte) { guest32(); W(GUEST_PDPTE0, 0x3); }
M(msr_reserved) { msr_list(2); t.msrs[1].reserved = 1; }
M(msr_fs_base) { msr_list(1); t.msrs[0].index = 0xc0000100; }
M(msr_x2apic) { msr_list(3); t.msrs[2].index = 0x808; }
M(msr_smm) { msr_list(1); t.msrs[0].index = 0x9b; }
#undef M

/* Outcomes as SDM chapter 27 gives them: VM-instruction error, exit reason, qualification. */
#define CTL 7, 0, 0
#define HOST 8, 0, 0
#define GUEST 0, 0x80000021u, 0
#define PDPTE 0, 0x80000021u, 2
#define NMI 0, 0x80000021u, 3
#define LINK 0, 0x80000021u, 4
#define MSR(n) 0, 0x80000022u, n

static const struct row {
	enum vmx_entry_check rule;
	const char *id;
	void (*breaks)(void);
	uint32_t error, exit_reason;
	uint64_t qualification;
	void (*machine)(struct vmx_caps_config *c);
} rows[] = {
	{ VMX_EC_PIN_CTLS, "PIN_CTLS", m_pin, CTL, NULL },
	{ VMX_EC_PROC_CTLS, "PROC_CTLS", m_proc, CTL, NULL },
	{ VMX_EC_PROC2_CTLS, "PROC2_CTLS", m_proc2, CTL, NULL },
	{ VMX_EC_CR3_TARGET_COUNT, "CR3_TARGET_COUNT", m_cr3_count, CTL, NULL },
	{ VMX_EC_IO_BITMAP_A, "IO_BITMAP_A", m_io_a, CTL, NULL },
	{ VMX_EC_IO_BITMAP_B, "IO_BITMAP_B", m_io_b, CTL, NULL },
	{ VMX_EC_MSR_BITMAP, "MSR_BITMAP", m_msr_bitmap, CTL, NULL },
	{ VMX_EC_NMI_EXITING_VIRTUAL_NMIS, "NMI_EXITING_VIRTUAL_NMIS", m_vnmi_no_nmi_exit, CTL, NULL },
	{ VMX_EC_VIRTUAL_NMIS_NMI_WINDOW, "VIRTUAL_NMIS_NMI_WINDOW", m_nmi_window, CTL, NULL },
	{ VMX_EC_VPID_NONZERO, "VPID_NONZERO", m_vpid0, CTL, NULL },
	{ VMX_EC_EPTP_MEMTYPE, "EPTP_MEMTYPE", m_eptp_uc, CTL, NULL },
	{ VMX_EC_EPTP_WALK_LENGTH, "EPTP_WALK_LENGTH", m_eptp_walk5, CTL, NULL },
	{ VMX_EC_EPTP_AD, "EPTP_AD", m_eptp_ad, CTL, no_ept_ad },
	{ VMX_EC_EPTP_RESERVED, "EPTP_RESERVED", m_eptp_bit8, CTL, NULL },
	{ VMX_EC_UNRESTRICTED_NEEDS_EPT, "UNRESTRICTED_NEEDS_EPT", m_ug_no_ept, CTL, NULL },
	{ VMX_EC_EXIT_CTLS, "EXIT_CTLS", m_exit_perf, CTL, NULL },
	{ VMX_EC_EXIT_SAVE_PREEMPTION_TIMER, "EXIT_SAVE_PREEMPTION_TIMER", m_save_timer, CTL, NULL },
	{ VMX_EC_EXIT_MSR_STORE_ADDR, "EXIT_MSR_STORE_ADDR", m_exit_store, CTL, NULL },
	{ VMX_EC_EXIT_MSR_LOAD_ADDR, "EXIT_MSR_LOAD_ADDR", m_exit_load, CTL, NULL },
	{ VMX_EC_ENTRY_CTLS, "ENTRY_CTLS", m_entry_smm, CTL, NULL },
	{ VMX_EC_INJ_TYPE, "INJ_TYPE", m_inj_type1, CTL, NULL },
	{ VMX_EC_INJ_NMI_VECTOR, "INJ_NMI_VECTOR", m_inj_nmi3, CTL, NULL },
	{ VMX_EC_INJ_EXCEPTION_VECTOR, "INJ_EXCEPTION_VECTOR", m_inj_exc32, CTL, NULL },
	{ VMX_EC_INJ_ERRCODE_REAL_MODE, "INJ_ERRCODE_REAL_MODE", m_inj_errcode_real, CTL, NULL },
	{ VMX_EC_INJ_ERRCODE_VECTOR, "INJ_ERRCODE_VECTOR", m_inj_errcode_ud, CTL, NULL },
	{ VMX_EC_INJ_ERRCODE_MISSING, "INJ_ERRCODE_MISSING", m_inj_gp_no_errcode, CTL, NULL },
	{ VMX_EC_INJ_RESERVED, "INJ_RESERVED", m_inj_bit12, CTL, NULL },
	{ VMX_EC_INJ_ERRCODE_HIGH, "INJ_ERRCODE_HIGH", m_inj_errcode_high, CTL, NULL },
	{ VMX_EC_INJ_INSTR_LEN, "INJ_INSTR_LEN", m_inj_len0, CTL, NULL },
	{ VMX_EC_ENTRY_MSR_LOAD_ADDR, "ENTRY_MSR_LOAD_ADDR", m_entry_load, CTL, NULL },
	{ VMX_EC_HOST_CR0_FIXED, "HOST_CR0_FIXED", m_host_cr0, HOST, NULL },
	{ VMX_EC_HOST_CR4_FIXED, "HOST_CR4_FIXED", m_host_cr4, HOST, NULL },
	{ VMX_EC_HOST_CR3_WIDTH, "HOST_CR3_WIDTH", m_host_cr3, HOST, NULL },
	{ VMX_EC_HOST_SYSENTER_ESP_CANONICAL, "HOST_SYSENTER_ESP_CANONICAL", m_host_esp, HOST, NULL },
	{ VMX_EC_HOST_SYSENTER_EIP_CANONICAL, "HOST_SYSENTER_EIP_CANONICAL", m_host_eip, HOST, NULL },
	{ VMX_EC_HOST_PAT, "HOST_PAT", m_host_pat, HOST, NULL },
	{ VMX_EC_HOST_EFER_RESERVED, "HOST_EFER_RESERVED", m_host_efer_bit12, HOST, NULL },
	{ VMX_EC_HOST_EFER_LMA_LME, "HOST_EFER_LMA_LME", m_host_efer_lme, HOST, NULL },
	{ VMX_EC_HOST_SEL_RPL_TI, "HOST_SEL_RPL_TI", m_host_ds_rpl, HOST, NULL },
	{ VMX_EC_HOST_CS_NONZERO, "HOST_CS_NONZERO", m_host_cs0, HOST, NULL },
	{ VMX_EC_HOST_TR_NONZERO, "HOST_TR_NONZERO", m_host_tr0, HOST, NULL },
	{ VMX_EC_HOST_SS_NONZERO, "HOST_SS_NONZERO", m_host_ss0, HOST, NULL },
	{ VMX_EC_HOST_BASE_CANONICAL, "HOST_BASE_CANONICAL", m_host_gs_base, HOST, NULL },
	{ VMX_EC_HOST_ADDR_SIZE_LMA, "HOST_ADDR_SIZE_LMA", m_lma_host32, HOST, NULL },
	{ VMX_EC_NO_LMA_NO_IA32E_GUEST, "NO_LMA_NO_IA32E_GUEST", m_no_lma_ia32e, HOST, NULL },
	{ VMX_EC_NO_LMA_NO_HOST_64, "NO_LMA_NO_HOST_64", m_no_lma_host64, HOST, NULL },
	{ VMX_EC_HOST_32_PCIDE, "HOST_32_PCIDE", m_host32_pcide, HOST, NULL },
	{ VMX_EC_HOST_32_RIP, "HOST_32_RIP", m_host32_rip, HOST, NULL },
	{ VMX_EC_HOST_64_PAE, "HOST_64_PAE", m_host64_pae, HOST, NULL },
	{ VMX_EC_HOST_64_RIP, "HOST_64_RIP", m_host64_rip, HOST, NULL },
	{ VMX_EC_GUEST_CR0_FIXED, "GUEST_CR0_FIXED", m_guest_cr0, GUEST, NULL },
	{ VMX_EC_GUEST_CR0_PG_PE, "GUEST_CR0_PG_PE", m_guest_pg_no_pe, GUEST, NULL },
	{ VMX_EC_GUEST_CR4_FIXED, "GUEST_CR4_FIXED", m_guest_cr4, GUEST, NULL },
	{ VMX_EC_GUEST_DEBUGCTL, "GUEST_DEBUGCTL", m_guest_debugctl, GUEST, NULL },
	{ VMX_EC_GUEST_IA32E_PG, "GUEST_IA32E_PG", m_ia32e_no_pg, GUEST, NULL },
	{ VMX_EC_GUEST_IA32E_PAE, "GUEST_IA32E_PAE", m_ia32e_no_pae, GUEST, NULL },
	{ VMX_EC_GUEST_PCIDE, "GUEST_PCIDE", m_pcide_32, GUEST, NULL },
	{ VMX_EC_GUEST_CR3_WIDTH, "GUEST_CR3_WIDTH", m_guest_cr3, GUEST, NULL },
	{ VMX_EC_GUEST_DR7_HIGH, "GUEST_DR7_HIGH", m_guest_dr7, GUEST, NULL },
	{ VMX_EC_GUEST_SYSENTER_ESP_CANONICAL, "GUEST_SYSENTER_ESP_CANONICAL", m_guest_esp, GUEST, NULL },
	{ VMX_EC_GUEST_SYSENTER_EIP_CANONICAL, "GUEST_SYSENTER_EIP_CANONICAL", m_guest_eip, GUEST, NULL },
	{ VMX_EC_GUEST_PAT, "GUEST_PAT", m_guest_pat, GUEST, NULL },
	{ VMX_EC_GUEST_EFER_RESERVED, "GUEST_EFER_RESERVED", m_guest_efer_bit12, GUEST, NULL },
	{ VMX_EC_GUEST_EFER_LMA, "GUEST_EFER_LMA", m_guest_efer_lma, GUEST, NULL },
	{ VMX_EC_GUEST_EFER_LME, "GUEST_EFER_LME", m_guest_efer_lme, GUEST, NULL },
	{ VMX_EC_V86_BASE, "V86_BASE", m_v86_base, GUEST, NULL },
	{ VMX_EC_V86_LIMIT, "V86_LIMIT", m_v86_limit, GUEST, NULL },
	{ VMX_EC_V86_AR, "V86_AR", m_v86_ar, GUEST, NULL },
	{ VMX_EC_TR_TI, "TR_TI", m_tr_ti, GUEST, NULL },
	{ VMX_EC_LDTR_TI, "LDTR_TI", m_ldtr_ti, GUEST, NULL },
	{ VMX_EC_SS_RPL, "SS_RPL", m_ss_rpl, GUEST, NULL },
	{ VMX_EC_TR_FS_GS_BASE_CANONICAL, "TR_FS_GS_BASE_CANONICAL", m_fs_base, GUEST, NULL },
	{ VMX_EC_LDTR_BASE_CANONICAL, "LDTR_BASE_CANONICAL", m_ldtr_base, GUEST, NULL },
	{ VMX_EC_CS_BASE_HIGH, "CS_BASE_HIGH", m_cs_base, GUEST, NULL },
	{ VMX_EC_SS_DS_ES_BASE_HIGH, "SS_DS_ES_BASE_HIGH", m_ds_base, GUEST, NULL },
	{ VMX_EC_CS_TYPE, "CS_TYPE", m_cs_type, GUEST, NULL },
	{ VMX_EC_SS_TYPE, "SS_TYPE", m_ss_type, GUEST, NULL },
	{ VMX_EC_DS_ES_FS_GS_TYPE, "DS_ES_FS_GS_TYPE", m_ds_type, GUEST, NULL },
	{ VMX_EC_SEG_S, "SEG_S", m_es_s, GUEST, NULL },
	{ VMX_EC_CS_DPL_DATA, "CS_DPL_DATA", m_cs_data_dpl, GUEST, NULL },
	{ VMX_EC_CS_DPL_NONCONFORMING, "CS_DPL_NONCONFORMING", m_cs_nonconf_dpl, GUEST, NULL },
	{ VMX_EC_CS_DPL_CONFORMING, "CS_DPL_CONFORMING", m_cs_conf_dpl, GUEST, NULL },
	{ VMX_EC_SS_DPL_RPL, "SS_DPL_RPL", m_ss_dpl_rpl, GUEST, NULL },
	{ VMX_EC_SS_DPL_REAL, "SS_DPL_REAL", m_ss_dpl_real, GUEST, NULL },
	{ VMX_EC_DATA_DPL, "DATA_DPL", m_ds_dpl, GUEST, NULL },
	{ VMX_EC_SEG_PRESENT, "SEG_PRESENT", m_gs_p, GUEST, NULL },
	{ VMX_EC_SEG_AR_RESERVED, "SEG_AR_RESERVED", m_fs_ar_bit8, GUEST, NULL },
	{ VMX_EC_CS_L_D, "CS_L_D", m_cs_l_d, GUEST, NULL },
	{ VMX_EC_SEG_LIMIT_G, "SEG_LIMIT_G", m_ds_limit_g, GUEST, NULL },
	{ VMX_EC_TR_TYPE, "TR_TYPE", m_tr_type3, GUEST, NULL },
	{ VMX_EC_TR_S, "TR_S", m_tr_s, GUEST, NULL },
	{ VMX_EC_TR_PRESENT, "TR_PRESENT", m_tr_p, GUEST, NULL },
	{ VMX_EC_TR_AR_RESERVED, "TR_AR_RESERVED", m_tr_ar_bit17, GUEST, NULL },
	{ VMX_EC_TR_LIMIT_G, "TR_LIMIT_G", m_tr_limit_g, GUEST, NULL },
	{ VMX_EC_TR_USABLE, "TR_USABLE", m_tr_unusable, GUEST, NULL },
	{ VMX_EC_LDTR_TYPE, "LDTR_TYPE", m_ldtr_type, GUEST, NULL },
	{ VMX_EC_LDTR_S, "LDTR_S", m_ldtr_s, GUEST, NULL },
	{ VMX_EC_LDTR_PRESENT, "LDTR_PRESENT", m_ldtr_p, GUEST, NULL },
	{ VMX_EC_LDTR_AR_RESERVED, "LDTR_AR_RESERVED", m_ldtr_ar_bit10, GUEST, NULL },
	{ VMX_EC_LDTR_LIMIT_G, "LDTR_LIMIT_G", m_ldtr_limit_g, GUEST, NULL },
	{ VMX_EC_GDTR_IDTR_BASE_CANONICAL, "GDTR_IDTR_BASE_CANONICAL", m_idtr_base, GUEST, NULL },
	{ VMX_EC_GDTR_IDTR_LIMIT, "GDTR_IDTR_LIMIT", m_gdtr_limit, GUEST, NULL },
	{ VMX_EC_RIP_HIGH, "RIP_HIGH", m_rip_high, GUEST, NULL },
	{ VMX_EC_RIP_CANONICAL, "RIP_CANONICAL", m_rip_canonical, GUEST, NULL },
	{ VMX_EC_RFLAGS_RESERVED, "RFLAGS_RESERVED", m_rflags_bit15, GUEST, NULL },
	{ VMX_EC_RFLAGS_FIXED, "RFLAGS_FIXED", m_rflags_bit1, GUEST, NULL },
	{ VMX_EC_RFLAGS_VM, "RFLAGS_VM", m_rflags_vm64, GUEST, NULL },
	{ VMX_EC_RFLAGS_IF_EXTINT, "RFLAGS_IF_EXTINT", m_extint_if0, GUEST, NULL },
	{ VMX_EC_ACTIVITY_RANGE, "ACTIVITY_RANGE", m_activity4, GUEST, NULL },
	{ VMX_EC_ACTIVITY_SUPPORTED, "ACTIVITY_SUPPORTED", m_activity_shutdown, GUEST, no_shutdown },
	{ VMX_EC_ACTIVITY_HLT_SS_DPL, "ACTIVITY_HLT_SS_DPL", m_hlt_dpl3, GUEST, NULL },
	{ VMX_EC_ACTIVITY_BLOCKING, "ACTIVITY_BLOCKING", m_hlt_sti, GUEST, NULL },
	{ VMX_EC_ACTIVITY_HLT_INJECT, "ACTIVITY_HLT_INJECT", m_hlt_gp, GUEST, NULL },
	{ VMX_EC_ACTIVITY_SHUTDOWN_INJECT, "ACTIVITY_SHUTDOWN_INJECT", m_shutdown_extint, GUEST, NULL },
	{ VMX_EC_ACTIVITY_WAIT_SIPI_INJECT, "ACTIVITY_WAIT_SIPI_INJECT", m_sipi_nmi, GUEST, NULL },
	{ VMX_EC_INTR_RESERVED, "INTR_RESERVED", m_intr_bit5, GUEST, NULL },
	{ VMX_EC_INTR_ENCLAVE, "INTR_ENCLAVE", m_intr_enclave, GUEST, NULL },
	{ VMX_EC_INTR_STI_MOV_SS, "INTR_STI_MOV_SS", m_sti_mov_ss, GUEST, NULL },
	{ VMX_EC_INTR_STI_IF, "INTR_STI_IF", m_sti_if0, GUEST, NULL },
	{ VMX_EC_INTR_EXTINT, "INTR_EXTINT", m_extint_mov_ss, GUEST, NULL },
	{ VMX_EC_INTR_NMI_MOV_SS, "INTR_NMI_MOV_SS", m_nmi_mov_ss, GUEST, NULL },
	{ VMX_EC_INTR_SMI, "INTR_SMI", m_smi_blocked, GUEST, NULL },
	{ VMX_EC_INTR_VNMI, "INTR_VNMI", m_vnmi_blocked, GUEST, NULL },
	{ VMX_EC_INTR_NMI_STI, "INTR_NMI_STI", m_nmi_sti, NMI, NULL },
	{ VMX_EC_PDE_RESERVED, "PDE_RESERVED", m_pde_bit4, GUEST, NULL },
	{ VMX_EC_PDE_RTM, "PDE_RTM", m_pde_rtm, GUEST, NULL },
	{ VMX_EC_PDE_BS_SET, "PDE_BS_SET", m_pde_bs_missing, GUEST, NULL },
	{ VMX_EC_PDE_BS_CLEAR, "PDE_BS_CLEAR", m_pde_bs_extra, GUEST, NULL },
	{ VMX_EC_LINK_ALIGN, "LINK_ALIGN", m_link_align, LINK, NULL },
	{ VMX_EC_LINK_WIDTH, "LINK_WIDTH", m_link_width, LINK, NULL },
	{ VMX_EC_LINK_REVISION, "LINK_REVISION", m_link_revision, LINK, NULL },
	{ VMX_EC_PDPTE_RESERVED, "PDPTE_RESERVED", m_pdpte, PDPTE, NULL },
	{ VMX_EC_MSR_LOAD_RESERVED, "MSR_LOAD_RESERVED", m_msr_reserved, MSR(2), NULL },
	{ VMX_EC_MSR_LOAD_FS_GS_BASE, "MSR_LOAD_FS_GS_BASE", m_msr_fs_base, MSR(1), NULL },
	{ VMX_EC_MSR_LOAD_X2APIC, "MSR_LOAD_X2APIC", m_msr_x2apic, MSR(3), NULL },
	{ VMX_EC_MSR_LOAD_SMM_MONITOR, "MSR_LOAD_SMM_MONITOR", m_msr_smm, MSR(1), NULL },
};

/* The table and the mutations cannot drift: one row per rule, in the table's order. */
_Static_assert(sizeof(rows) / sizeof(rows[0]) == VMX_EC_COUNT, "a mutation for every rule");

static void prepare(void (*machine)(struct vmx_caps_config *c))
{
	memset(&t, 0, sizeof(t));
	vmx_caps_config_default(&t.cfg);
	if (machine)
		machine(&t.cfg);
	assert_true(vmx_caps_init(&t.caps, &t.cfg));
	t.env.lma = true;
	valid_vmcs();
}

static struct vmx_entry_result check(void)
{
	struct vmx_entry_result r;

	vmx_entry_check(&t.vmcs, &t.caps, &t.env, &r);
	return r;
}

static void assert_passes(const char *what)
{
	struct vmx_entry_result r = check();

	if (r.outcome != VMX_ENTRY_OK)
		fail_msg("%s: rule %s broken", what, vmx_entry_check_id(r.rule));
}

static void test_valid_vmcs_breaks_no_rule(void **state)
{
	(void)state;
	prepare(NULL);
	assert_passes("64-bit guest and host");
}

static void test_each_rule_names_itself(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *row = &rows[i];
		struct vmx_entry_result r;
		enum vmx_entry_outcome want = row->error ? VMX_ENTRY_VMFAIL_VALID : VMX_ENTRY_FAILURE;

		if (row->rule != (enum vmx_entry_check)i ||
		    strcmp(vmx_entry_check_id((int)i), row->id) != 0)
			fail_msg("row %zu is %s, the table's rule %zu is %s", i, row->id, i,
				 vmx_entry_check_id((int)i));
		prepare(row->machine);
		row->breaks();
		r = check();
		if (r.rule != (int)row->rule || r.outcome != want ||
		    r.vm_instruction_error != row->error || r.exit_reason != row->exit_reason ||
		    r.exit_qualification != row->qualification)
			fail_msg("%s: rule %s, outcome %d, error %u, exit reason 0x%x, qualification %llu",
				 row->id, r.rule < 0 ? "none" : vmx_entry_check_id(r.rule), r.outcome,
				 r.vm_instruction_error, r.exit_reason,
				 (unsigned long long)r.exit_qualification);
	}
}

/* States some rules single out, each legal: the rules must not reach beyond their words. */
static void test_legal_variants_pass(void **state)
{
	(void)state;
	prepare(NULL);
	host32();
	guest32();
	W(GUEST_CR4, 0x2000); /* 32-bit paging */
	assert_passes("32-bit host and guest");

	prepare(NULL);
	ug();
	guest32();
	W(GUEST_CR0, 0x30);
	W(GUEST_CS_SELECTOR, 0xf000);
	W(GUEST_CS_BASE, 0xf0000);
	W(GUEST_CS_LIMIT, 0xffff);
	W(GUEST_CS_AR_BYTES, 0x9b);
	W(GUEST_RIP, 0xfff0);
	inject(INTR_TYPE_HARDWARE_EXCEPTION, 13); /* no error code in real mode */
	assert_passes("real mode under 'unrestricted guest'");

	prepare(NULL);
	W(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_HLT);
	W(GUEST_RFLAGS, 0x202);
	inject(INTR_TYPE_EXTERNAL_INTERRUPT, 0x30);
	assert_passes("HLT with an external interrupt injected");

	prepare(NULL);
	W(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_SHUTDOWN);
	inject(INTR_TYPE_HARDWARE_EXCEPTION, 18);
	assert_passes("shutdown with #MC injected");

	prepare(NULL);
	W(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_WAIT_SIPI);
	assert_passes("wait-for-SIPI");

	prepare(NULL);
	W(GUEST_RFLAGS, 0x302);
	W(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_MOV_SS);
	W(GUEST_PENDING_DBG_EXCEPTIONS, 0x4000);
	assert_passes("MOV SS blocking with a single step pending");

	prepare(NULL);
	msr_list(3);
	W(VMCS_LINK_POINTER, 0x9000);
	t.env.link_vmcs_word = 0x76780001u;
	usable_ldtr(0x20, LDT_AR, 0xfff);
	assert_passes("MSR-load list, link pointer and LDTR");

	prepare(NULL);
	W(HOST_SS_SELECTOR, 0); /* a 64-bit host may have a null SS */
	W(GUEST_DS_AR_BYTES, 0x10000 | 0x0f00 | 0x60); /* unusable: nothing else counts */
	W(GUEST_DS_BASE, 1ull << 40);
	W(GUEST_LDTR_SELECTOR, 0x24);
	W(GUEST_LDTR_AR_BYTES, 0x10000 | 0x1f);
	W(GUEST_LDTR_BASE, NONCANONICAL);
	assert_passes("null host SS, unusable DS and LDTR");

	prepare(NULL);
	CLR(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_USE_IO_BITMAPS | CPU_BASED_USE_MSR_BITMAPS);
	W(IO_BITMAP_A, 0x10800);
	W(IO_BITMAP_B, 1ull << 40);
	W(MSR_BITMAP, 0x12004);
	CLR(SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID);
	W(EPT_POINTER, 0xfff);
	W(VIRTUAL_PROCESSOR_ID, 0);
	W(VM_EXIT_MSR_STORE_ADDR, 0x13008);
	W(VM_EXIT_MSR_LOAD_ADDR, 1ull << 40);
	W(VM_ENTRY_MSR_LOAD_ADDR, 0x14001);
	assert_passes("addresses of what is not in use");

	prepare(NULL);
	W(GUEST_RFLAGS, 0x2 | X86_RFLAGS_VM);
	W(GUEST_CR4, 0x2000);
	guest32();
	v86(3);
	assert_passes("virtual-8086 mode");
}

/* Without the TRUE MSRs' leave, CR3-load exiting is a default1 control that must be 1. */
static void test_true_controls_decide(void **state)
{
	struct vmx_entry_result r;

	(void)state;
	prepare(NULL);
	t.caps.basic &= ~(1ull << 55);
	r = check();
	assert_int_equal(r.rule, VMX_EC_PROC_CTLS);
	SET(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_CR3_LOAD_EXITING | CPU_BASED_CR3_STORE_EXITING);
	r = check();
	assert_int_equal(r.rule, VMX_EC_EXIT_CTLS);
}

/*
 * Each row's outcome follows from where the SDM puts its rule: §27.2.1
 * controls (7), §27.2.2-27.2.4 host state (8), §27.3 guest state (exit
 * reason 33), §27.4 MSR loading (34).
 */
static void test_class_follows_section(void **state)
{
	static const struct {
		const char *id, *section;
		enum vmx_check_class cls;
	} table[] = {
#define ROW(id, cls, section, rule) { #id, section, VMX_CHECK_##cls },
		VMX_ENTRY_CHECKS(ROW)
#undef ROW
	};

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const char *sec = table[i].section;
		bool ok;

		switch (table[i].cls) {
		case VMX_CHECK_CTL: ok = strncmp(sec, "27.2.1.", 7) == 0; break;
		case VMX_CHECK_HOST:
			ok = !strcmp(sec, "27.2.2") || !strcmp(sec, "27.2.3") || !strcmp(sec, "27.2.4");
			break;
		case VMX_CHECK_MSR: ok = !strcmp(sec, "27.4"); break;
		default: ok = strncmp(sec, "27.3.1.", 7) == 0; break;
		}
		if (!ok)
			fail_msg("%s: class %d in section %s", table[i].id, table[i].cls, sec);
		assert_int_equal(vmx_entry_check_class((int)i), table[i].cls);
	}
	assert_null(vmx_entry_check_id(-1));
	assert_null(vmx_entry_check_id(VMX_EC_COUNT));
	assert_int_equal(vmx_entry_check_class(VMX_EC_COUNT), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_vmcs_breaks_no_rule),
		cmocka_unit_test(test_each_rule_names_itself),
		cmocka_unit_test(test_legal_variants_pass),
		cmocka_unit_test(test_true_controls_decide),
		cmocka_unit_test(test_class_follows_section),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
