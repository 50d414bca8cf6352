/* SPDX-License-Identifier: MIT */
/*
 * The capability MSRs of a model processor (SDM vol. 3D appendix A),
 * computed from what it models. Each allowed-1 setting is a control the
 * model honours; each allowed-0 setting a control it can run without.
 */
#include "vmx-model/caps.h"

#include "x86/cpu.h"
#include "x86/msr.h"
#include "x86/vmcs_fields.h"
#include "x86/vmx.h"

/* The VMCS region is one page, its memory type write-back (appendix A.1). */
#define VMCS_REGION_SIZE 4096ull

#define PIN_ALLOWED1 (PIN_BASED_DEFAULT1 | PIN_BASED_EXTERNAL_INTERRUPT_EXITING | \
		      PIN_BASED_NMI_EXITING | PIN_BASED_VIRTUAL_NMIS |              \
		      PIN_BASED_VMX_PREEMPTION_TIMER)

/* No TPR shadow and no monitor trap flag: neither is modelled. */
#define PROC_ALLOWED1 (CPU_BASED_DEFAULT1 | CPU_BASED_INTERRUPT_WINDOW_EXITING |              \
		       CPU_BASED_USE_TSC_OFFSETTING | CPU_BASED_HLT_EXITING |                  \
		       CPU_BASED_INVLPG_EXITING | CPU_BASED_MWAIT_EXITING |                    \
		       CPU_BASED_RDPMC_EXITING | CPU_BASED_RDTSC_EXITING |                     \
		       CPU_BASED_CR3_LOAD_EXITING | CPU_BASED_CR3_STORE_EXITING |              \
		       CPU_BASED_CR8_LOAD_EXITING | CPU_BASED_CR8_STORE_EXITING |              \
		       CPU_BASED_NMI_WINDOW_EXITING | CPU_BASED_MOV_DR_EXITING |               \
		       CPU_BASED_UNCONDITIONAL_IO_EXITING | CPU_BASED_USE_IO_BITMAPS |         \
		       CPU_BASED_USE_MSR_BITMAPS | CPU_BASED_MONITOR_EXITING |                 \
		       CPU_BASED_PAUSE_EXITING | CPU_BASED_ACTIVATE_SECONDARY_CONTROLS)

#define PROC2_ALLOWED1_FIXED (SECONDARY_EXEC_DESCRIPTOR_TABLE_EXITING | \
			      SECONDARY_EXEC_ENABLE_RDTSCP | SECONDARY_EXEC_WBINVD_EXITING)

#define EXIT_ALLOWED1 (VM_EXIT_DEFAULT1 | VM_EXIT_SAVE_DEBUG_CONTROLS |                     \
		       VM_EXIT_HOST_ADDRESS_SPACE_SIZE | VM_EXIT_ACKNOWLEDGE_INTERRUPT_ON_EXIT | \
		       VM_EXIT_SAVE_IA32_PAT | VM_EXIT_LOAD_IA32_PAT | VM_EXIT_SAVE_IA32_EFER |  \
		       VM_EXIT_LOAD_IA32_EFER | VM_EXIT_SAVE_VMX_PREEMPTION_TIMER_VALUE)

#define ENTRY_ALLOWED1 (VM_ENTRY_DEFAULT1 | VM_ENTRY_LOAD_DEBUG_CONTROLS | \
			VM_ENTRY_IA32E_MODE_GUEST | VM_ENTRY_LOAD_IA32_PAT |  \
			VM_ENTRY_LOAD_IA32_EFER)

/*
 * Default1 controls the TRUE MSRs let software clear (appendix A.2): the
 * model can leave CR3 accesses to the guest and skip the transfer of DR7
 * and IA32_DEBUGCTL in either direction.
 */
#define PROC_TRUE_MAY_CLEAR (CPU_BASED_CR3_LOAD_EXITING | CPU_BASED_CR3_STORE_EXITING)
#define EXIT_TRUE_MAY_CLEAR VM_EXIT_SAVE_DEBUG_CONTROLS
#define ENTRY_TRUE_MAY_CLEAR VM_ENTRY_LOAD_DEBUG_CONTROLS

/* CR0.PE, NE and PG fixed to 1 in VMX operation (appendix A.7); CR0[63:32] to 0. */
#define CR0_FIXED0 (X86_CR0_PE | X86_CR0_NE | X86_CR0_PG)
#define CR0_FIXED1 0xffffffffull
/* CR4 bits a model processor implements, and VMXE; LA57 and SMXE are not among them. */
#define CR4_FIXED1 (X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | X86_CR4_DE | X86_CR4_PSE |     \
		    X86_CR4_PAE | X86_CR4_MCE | X86_CR4_PGE | X86_CR4_PCE | X86_CR4_OSFXSR | \
		    X86_CR4_OSXMMEXCPT | X86_CR4_UMIP | X86_CR4_VMXE | X86_CR4_FSGSBASE |    \
		    X86_CR4_PCIDE | X86_CR4_OSXSAVE | X86_CR4_SMEP | X86_CR4_SMAP | X86_CR4_PKE)

/* Four CR3-target values: the VMCS holds CR3_TARGET_VALUE0-3 (appendix A.6). */
#define CR3_TARGET_COUNT_MAX 4ull

static uint64_t ctls(uint32_t allowed0, uint32_t allowed1)
{
	return (uint64_t)allowed1 << 32 | allowed0;
}

/* Appendix A.9: bits 9:1 of IA32_VMX_VMCS_ENUM, the highest index of any field. */
static uint64_t vmcs_enum(void)
{
	static const uint32_t fields[] = {
#define FIELD(enc, name) enc,
		VMCS_FIELDS(FIELD)
#undef FIELD
	};
	uint32_t highest = 0;

	for (unsigned i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (vmcs_field_index(fields[i]) > highest)
			highest = vmcs_field_index(fields[i]);
	return (uint64_t)highest << 1;
}

void vmx_caps_config_default(struct vmx_caps_config *cfg)
{
	*cfg = (struct vmx_caps_config){
		.activity_hlt = true,
		.activity_shutdown = true,
		.activity_wait_sipi = true,
		.preemption_timer_rate = 5,
		.vmwrite_any_field = true,
		.ept = true,
		.ept_execute_only = true,
		.ept_ad = true,
		.vpid = true,
		.unrestricted_guest = true,
		.maxphyaddr = 40,
	};
}

bool vmx_caps_init(struct vmx_caps *caps, const struct vmx_caps_config *cfg)
{
	uint32_t proc2 = PROC2_ALLOWED1_FIXED;
	uint64_t misc, ept = 0;

	if (cfg->preemption_timer_rate > VMX_MISC_PREEMPTION_TIMER_RATE_MASK ||
	    (!cfg->ept && (cfg->ept_execute_only || cfg->ept_ad || cfg->unrestricted_guest)) ||
	    cfg->maxphyaddr < 36 || cfg->maxphyaddr > 52)
		return false;

	misc = cfg->preemption_timer_rate | VMX_MISC_SAVE_EFER_LMA |
	       CR3_TARGET_COUNT_MAX << VMX_MISC_CR3_TARGET_COUNT_SHIFT;
	if (cfg->activity_hlt)
		misc |= VMX_MISC_ACTIVITY_HLT;
	if (cfg->activity_shutdown)
		misc |= VMX_MISC_ACTIVITY_SHUTDOWN;
	if (cfg->activity_wait_sipi)
		misc |= VMX_MISC_ACTIVITY_WAIT_SIPI;
	if (cfg->vmwrite_any_field)
		misc |= VMX_MISC_VMWRITE_ANY_FIELD;

	/* A 4-level walk of write-back tables, 2 MiB and 1 GiB pages, INVEPT of both types. */
	if (cfg->ept) {
		proc2 |= SECONDARY_EXEC_ENABLE_EPT;
		ept |= VMX_EPT_PAGE_WALK_4 | VMX_EPT_MEMTYPE_WB | VMX_EPT_2MB_PAGE |
		       VMX_EPT_1GB_PAGE | VMX_EPT_INVEPT | VMX_EPT_INVEPT_SINGLE_CONTEXT |
		       VMX_EPT_INVEPT_ALL_CONTEXT;
		if (cfg->ept_execute_only)
			ept |= VMX_EPT_EXECUTE_ONLY;
		if (cfg->ept_ad)
			ept |= VMX_EPT_AD;
	}
	if (cfg->unrestricted_guest)
		proc2 |= SECONDARY_EXEC_UNRESTRICTED_GUEST;
	/* INVVPID of all four types (appendix A.10). */
	if (cfg->vpid) {
		proc2 |= SECONDARY_EXEC_ENABLE_VPID;
		ept |= VMX_VPID_INVVPID | VMX_VPID_INVVPID_INDIVIDUAL_ADDR |
		       VMX_VPID_INVVPID_SINGLE_CONTEXT | VMX_VPID_INVVPID_ALL_CONTEXT |
		       VMX_VPID_INVVPID_SINGLE_CONTEXT_NOGLOBALS;
	}

	*caps = (struct vmx_caps){
		/* Locked by firmware with VMXON allowed outside SMX (SDM vol. 3C §24.7). */
		.feature_control = MSR_FEATURE_CONTROL_LOCK | MSR_FEATURE_CONTROL_VMXON_OUTSIDE_SMX,
		.basic = VMX_MODEL_VMCS_REVISION | VMCS_REGION_SIZE << VMX_BASIC_VMCS_SIZE_SHIFT |
			 (uint64_t)X86_MEMTYPE_WB << VMX_BASIC_MEM_TYPE_SHIFT | VMX_BASIC_INOUT |
			 VMX_BASIC_TRUE_CTLS,
		.pinbased_ctls = ctls(PIN_BASED_DEFAULT1, PIN_ALLOWED1),
		.procbased_ctls = ctls(CPU_BASED_DEFAULT1, PROC_ALLOWED1),
		.exit_ctls = ctls(VM_EXIT_DEFAULT1, EXIT_ALLOWED1),
		.entry_ctls = ctls(VM_ENTRY_DEFAULT1, ENTRY_ALLOWED1),
		.misc = misc,
		.cr0_fixed0 = CR0_FIXED0,
		.cr0_fixed1 = CR0_FIXED1,
		.cr4_fixed0 = X86_CR4_VMXE,
		.cr4_fixed1 = CR4_FIXED1,
		.vmcs_enum = vmcs_enum(),
		.procbased_ctls2 = ctls(0, proc2),
		.ept_vpid_cap = ept,
		.true_pinbased_ctls = ctls(PIN_BASED_DEFAULT1, PIN_ALLOWED1),
		.true_procbased_ctls = ctls(CPU_BASED_DEFAULT1 & ~PROC_TRUE_MAY_CLEAR, PROC_ALLOWED1),
		.true_exit_ctls = ctls(VM_EXIT_DEFAULT1 & ~EXIT_TRUE_MAY_CLEAR, EXIT_ALLOWED1),
		.true_entry_ctls = ctls(VM_ENTRY_DEFAULT1 & ~ENTRY_TRUE_MAY_CLEAR, ENTRY_ALLOWED1),
		.maxphyaddr = cfg->maxphyaddr,
	};
	return true;
}

bool vmx_caps_rdmsr(const struct vmx_caps *caps, uint32_t msr, uint64_t *value)
{
	switch (msr) {
	case MSR_IA32_FEATURE_CONTROL: *value = caps->feature_control; return true;
	case MSR_IA32_VMX_BASIC: *value = caps->basic; return true;
	case MSR_IA32_VMX_PINBASED_CTLS: *value = caps->pinbased_ctls; return true;
	case MSR_IA32_VMX_PROCBASED_CTLS: *value = caps->procbased_ctls; return true;
	case MSR_IA32_VMX_EXIT_CTLS: *value = caps->exit_ctls; return true;
	case MSR_IA32_VMX_ENTRY_CTLS: *value = caps->entry_ctls; return true;
	case MSR_IA32_VMX_MISC: *value = caps->misc; return true;
	case MSR_IA32_VMX_CR0_FIXED0: *value = caps->cr0_fixed0; return true;
	case MSR_IA32_VMX_CR0_FIXED1: *value = caps->cr0_fixed1; return true;
	case MSR_IA32_VMX_CR4_FIXED0: *value = caps->cr4_fixed0; return true;
	case MSR_IA32_VMX_CR4_FIXED1: *value = caps->cr4_fixed1; return true;
	case MSR_IA32_VMX_VMCS_ENUM: *value = caps->vmcs_enum; return true;
	/* Appendix A.3.3: exists because primary control bit 31 may be 1. */
	case MSR_IA32_VMX_PROCBASED_CTLS2: *value = caps->procbased_ctls2; return true;
	case MSR_IA32_VMX_EPT_VPID_CAP:
		/* Appendix A.10: only where EPT or VPID may be enabled. */
		if (!(caps->procbased_ctls2 >> 32 &
		      (SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID)))
			return false;
		*value = caps->ept_vpid_cap;
		return true;
	/* Appendix A.3.1: the TRUE MSRs exist because BASIC bit 55 is set. */
	case MSR_IA32_VMX_TRUE_PINBASED_CTLS: *value = caps->true_pinbased_ctls; return true;
	case MSR_IA32_VMX_TRUE_PROCBASED_CTLS: *value = caps->true_procbased_ctls; return true;
	case MSR_IA32_VMX_TRUE_EXIT_CTLS: *value = caps->true_exit_ctls; return true;
	case MSR_IA32_VMX_TRUE_ENTRY_CTLS: *value = caps->true_entry_ctls; return true;
	default:
		return false;
	}
}
