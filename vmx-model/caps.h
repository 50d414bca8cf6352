/* SPDX-License-Identifier: MIT */
/*
 * The VMX capabilities of a model processor: what is modelled, and the
 * capability MSRs (SDM vol. 3D appendix A) that advertise exactly that.
 *
 * Who may include it: vmx-model/ and its tests.
 */
#ifndef VMX_MODEL_CAPS_H
#define VMX_MODEL_CAPS_H

#include <stdbool.h>
#include <stdint.h>

/* The VMCS revision identifier of the model's VMCS layout (vmcs.h). */
#define VMX_MODEL_VMCS_REVISION 0x76780001u

/* What a model processor implements of VMX beyond the fixed core. */
struct vmx_caps_config {
	bool activity_hlt;       /* IA32_VMX_MISC bit 6 */
	bool activity_shutdown;  /* bit 7 */
	bool activity_wait_sipi; /* bit 8 */
	uint8_t preemption_timer_rate; /* bits 4:0: the timer counts TSC >> rate */
	bool vmwrite_any_field;  /* bit 29: VMWRITE may write the VM-exit information fields */
	bool ept;
	bool ept_execute_only;   /* needs ept */
	bool ept_ad;             /* accessed and dirty flags; needs ept */
	bool vpid;
	bool unrestricted_guest; /* needs ept (SDM §27.2.1.1) */
	uint8_t maxphyaddr;      /* physical-address width, 36-52 (CPUID 80000008H EAX[7:0]) */
};

/* The capability MSR values, and the width the VM-entry checks use. */
struct vmx_caps {
	uint64_t feature_control;
	uint64_t basic;
	uint64_t pinbased_ctls;
	uint64_t procbased_ctls;
	uint64_t exit_ctls;
	uint64_t entry_ctls;
	uint64_t misc;
	uint64_t cr0_fixed0;
	uint64_t cr0_fixed1;
	uint64_t cr4_fixed0;
	uint64_t cr4_fixed1;
	uint64_t vmcs_enum;
	uint64_t procbased_ctls2;
	uint64_t ept_vpid_cap;
	uint64_t true_pinbased_ctls;
	uint64_t true_procbased_ctls;
	uint64_t true_exit_ctls;
	uint64_t true_entry_ctls;
	uint8_t maxphyaddr;
};

/* Everything the model can do switched on, the timer at rate 5, a 40-bit physical address space. */
void vmx_caps_config_default(struct vmx_caps_config *cfg);

/*
 * Fills caps from cfg. Returns false, leaving caps untouched, for a
 * configuration no processor could have: a timer rate above 31, EPT
 * features or unrestricted guest without EPT, a width outside 36-52.
 */
bool vmx_caps_init(struct vmx_caps *caps, const struct vmx_caps_config *cfg);

/*
 * RDMSR of a VMX capability MSR or IA32_FEATURE_CONTROL: true with the
 * value, or false where the MSR does not exist on this processor (RDMSR
 * raises #GP): an MSR outside the set, EPT_VPID_CAP without EPT and VPID,
 * VMFUNC (VM functions are not modelled).
 */
bool vmx_caps_rdmsr(const struct vmx_caps *caps, uint32_t msr, uint64_t *value);

#endif
