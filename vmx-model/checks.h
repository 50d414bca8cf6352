/* SPDX-License-Identifier: MIT */
/*
 * The VM-entry checks of VMLAUNCH and VMRESUME (SDM vol. 3C §27.2-27.4) as
 * a pure function of the VMCS, the processor's capabilities and the few
 * facts an entry reads from outside the VMCS. The rules and their order
 * are the table of include/x86/vmx_checks.h. The checks of §27.1 (VMX
 * root operation, CPL, launch state) come before these and are the
 * instruction's (vmcs.h has the launch-state one).
 *
 * Who may include it: vmx-model/ and its tests.
 */
#ifndef VMX_MODEL_CHECKS_H
#define VMX_MODEL_CHECKS_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx-model/caps.h"
#include "vmx-model/vmcs.h"
#include "x86/vmx.h"
#include "x86/vmx_checks.h"

/* What an entry reads from outside the VMCS; the caller reads guest memory for it. */
struct vmx_entry_env {
	bool lma;                /* IA32_EFER.LMA of the processor executing the instruction */
	uint32_t link_vmcs_word; /* the first 32 bits of the region VMCS_LINK_POINTER names */
	const uint64_t *pdpte;   /* without EPT: the four PDPTEs CR3 names (PAE paging), or NULL */
	const struct vmx_msr_entry *msr_load; /* the VM-entry MSR-load list, or NULL: unchecked */
};

enum vmx_entry_outcome {
	VMX_ENTRY_OK,           /* every check passed */
	VMX_ENTRY_VMFAIL_VALID, /* the instruction fails; vm_instruction_error is 7 or 8 */
	VMX_ENTRY_FAILURE,      /* a VM-entry failure: a VM exit with exit_reason bit 31 set */
};

struct vmx_entry_result {
	enum vmx_entry_outcome outcome;
	int rule; /* the first broken rule (enum vmx_entry_check), or -1 */
	uint32_t vm_instruction_error;
	uint32_t exit_reason;
	uint64_t exit_qualification;
};

void vmx_entry_check(const struct vmx_vmcs *vmcs, const struct vmx_caps *caps,
		     const struct vmx_entry_env *env, struct vmx_entry_result *out);

/* A rule's identifier ("CS_L_D"), or NULL for a number that is none. */
const char *vmx_entry_check_id(int rule);
/* A rule's class (enum vmx_check_class); -1 for a number that is none. */
int vmx_entry_check_class(int rule);

#endif
