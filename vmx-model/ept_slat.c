/* SPDX-License-Identifier: MIT */
/*
 * EPT as the engine's second level of translation (SDM vol. 3C §29.3):
 * VM entry with "enable EPT" puts the walk of ept.c in effect under the EPT
 * pointer it loaded, VM exit takes it away (entry.c, exit.c). A fault of
 * the walk on a guest access is a VM exit: EPT violation (48) with its
 * exit qualification, the guest-physical address and, where qualification
 * bit 7 says it is valid, the guest-linear address; or EPT
 * misconfiguration (49) with the guest-physical address (§28.2.1).
 *
 * The fault information the engine carries for the model (emu_slat.walk's
 * info) is the exit reason in bits 63:32 and the qualification in 31:0.
 */
#include "vmx-model/ept.h"
#include "vmx-model/vmx_model.h"

static int vmx_ept_slat_walk(struct emu_cpu *cpu, uint64_t gpa, enum emu_access acc,
			     unsigned flags, struct emu_slat_leaf *leaf, uint64_t *info)
{
	struct vmx_cpu *v = vmx_of(cpu);
	struct vmx_ept_fault fault;
	unsigned ept_flags = 0;

	if (flags & EMU_SLAT_TABLE)
		ept_flags |= VMX_EPT_PAGING_ENTRY;
	if (flags & EMU_SLAT_SET_AD)
		ept_flags |= VMX_EPT_SET_AD;
	if (vmx_ept_walk(cpu, &v->caps, v->eptp, gpa, acc, ept_flags, leaf, &fault) == 0)
		return 0;
	*info = ((uint64_t)fault.exit_reason << 32) | (uint32_t)fault.qualification;
	return -1;
}

const struct emu_slat vmx_ept_slat = { .walk = vmx_ept_slat_walk };

void vmx_ept_exit(struct emu_cpu *cpu, uint64_t info, uint64_t gpa, uint64_t la)
{
	struct vmx_exit_info *x = &vmx_of(cpu)->vmcs->exit;
	uint32_t reason = (uint32_t)(info >> 32);
	uint64_t qualification = (uint32_t)info;

	x->guest_physical_address = gpa;
	if (reason == VMX_EXIT_EPT_VIOLATION && (qualification & EPT_VIOLATION_GLA_VALID))
		x->guest_linear_address = la;
	vmx_vmexit(cpu, reason, qualification, 0);
}
