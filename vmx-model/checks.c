/* SPDX-License-Identifier: MIT */
/*
 * VM-entry checks (SDM vol. 3C §27.2 controls and host state, §27.3 guest
 * state, §27.4 MSR loading): the rows of include/x86/vmx_checks.h in their
 * order, each with its predicate from checks_*.c, true where the VMCS keeps
 * the rule; the first broken one decides the outcome. Where the model chose
 * what the SDM leaves to the processor, a comment by the predicate says so.
 */
#include "vmx-model/checks_rules.h"

/* The table of include/x86/vmx_checks.h with a predicate for each row. */
#define CC_CTL(id) cc_##id, NULL
#define CC_HOST(id) cc_##id, NULL
#define CC_GUEST(id) cc_##id, NULL
#define CC_PDPTE(id) cc_##id, NULL
#define CC_NMI(id) cc_##id, NULL
#define CC_LINK(id) cc_##id, NULL
#define CC_MSR(id) NULL, mc_##id

static const struct {
	const char *id;
	enum vmx_check_class cls;
	bool (*legal)(const struct check_in *in);
	bool (*entry_legal)(const struct vmx_msr_entry *e);
} checks[VMX_EC_COUNT] = {
#define ROW(id, cls, section, rule) [VMX_EC_##id] = { #id, VMX_CHECK_##cls, CC_##cls(id) },
	VMX_ENTRY_CHECKS(ROW)
#undef ROW
};

static void fail(struct vmx_entry_result *out, int rule, uint64_t qualification)
{
	out->rule = rule;
	switch (checks[rule].cls) {
	case VMX_CHECK_CTL:
		out->outcome = VMX_ENTRY_VMFAIL_VALID;
		out->vm_instruction_error = VMXERR_ENTRY_INVALID_CONTROL_FIELD;
		return;
	case VMX_CHECK_HOST:
		out->outcome = VMX_ENTRY_VMFAIL_VALID;
		out->vm_instruction_error = VMXERR_ENTRY_INVALID_HOST_STATE_FIELD;
		return;
	case VMX_CHECK_MSR:
		out->outcome = VMX_ENTRY_FAILURE;
		out->exit_reason = VMX_EXIT_REASON_FAILED_VMENTRY | VMX_EXIT_MSR_LOADING;
		out->exit_qualification = qualification;
		return;
	case VMX_CHECK_PDPTE:
		qualification = VMX_ENTRY_FAIL_PDPTE;
		break;
	case VMX_CHECK_NMI:
		qualification = VMX_ENTRY_FAIL_NMI;
		break;
	case VMX_CHECK_LINK:
		qualification = VMX_ENTRY_FAIL_LINK_PTR;
		break;
	case VMX_CHECK_GUEST:
		qualification = VMX_ENTRY_FAIL_DEFAULT;
		break;
	}
	out->outcome = VMX_ENTRY_FAILURE;
	out->exit_reason = VMX_EXIT_REASON_FAILED_VMENTRY | VMX_EXIT_INVALID_GUEST_STATE;
	out->exit_qualification = qualification;
}

void vmx_entry_check(const struct vmx_vmcs *vmcs, const struct vmx_caps *caps,
		     const struct vmx_entry_env *env, struct vmx_entry_result *out)
{
	struct check_in in = { &vmcs->ctl, &vmcs->guest, &vmcs->host, caps, env, 0,
			       false, false, false, false, false, 0, 0, false };

	*out = (struct vmx_entry_result){ VMX_ENTRY_OK, -1, 0, 0, 0 };
	if (in.c->cpu_based & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS)
		in.proc2 = in.c->secondary;
	in.ia32e_guest = in.c->entry_controls & VM_ENTRY_IA32E_MODE_GUEST;
	in.host64 = in.c->exit_controls & VM_EXIT_HOST_ADDRESS_SPACE_SIZE;
	in.ug = in.proc2 & SECONDARY_EXEC_UNRESTRICTED_GUEST;
	in.ept = in.proc2 & SECONDARY_EXEC_ENABLE_EPT;
	in.v86 = in.g->rflags & X86_RFLAGS_VM;
	in.inj = in.c->entry_intr_info & INTR_INFO_VALID;
	in.inj_type = (in.c->entry_intr_info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT;
	in.inj_vector = in.c->entry_intr_info & INTR_INFO_VECTOR_MASK;

	for (int i = 0; i < VMX_EC_COUNT; i++) {
		if (checks[i].legal && !checks[i].legal(&in)) {
			fail(out, i, 0);
			return;
		}
	}
	/* §27.4: the entries in order; the first one at fault names itself by its number. */
	for (uint32_t n = 0; env->msr_load && n < in.c->entry_msr_load_count; n++) {
		for (int i = 0; i < VMX_EC_COUNT; i++) {
			if (checks[i].entry_legal && !checks[i].entry_legal(&env->msr_load[n])) {
				fail(out, i, n + 1);
				return;
			}
		}
	}
}

const char *vmx_entry_check_id(int rule)
{
	return rule >= 0 && rule < VMX_EC_COUNT ? checks[rule].id : NULL;
}

int vmx_entry_check_class(int rule)
{
	return rule >= 0 && rule < VMX_EC_COUNT ? (int)checks[rule].cls : -1;
}

