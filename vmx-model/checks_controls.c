/* SPDX-License-Identifier: MIT */
/*
 * VM-entry checks on the VM-execution, VM-exit and VM-entry control fields
 * (SDM vol. 3C §27.2.1): a broken one is VMfailValid(7).
 */
#include "vmx-model/checks_rules.h"

/* §27.2.1.1 */
bool cc_PIN_CTLS(const struct check_in *in)
{
	return vmx_ctls_valid(cap_ctls(in, in->caps->pinbased_ctls, in->caps->true_pinbased_ctls),
			      in->c->pin_based);
}

bool cc_PROC_CTLS(const struct check_in *in)
{
	return vmx_ctls_valid(cap_ctls(in, in->caps->procbased_ctls, in->caps->true_procbased_ctls),
			      in->c->cpu_based);
}

bool cc_PROC2_CTLS(const struct check_in *in)
{
	return vmx_ctls_valid(in->caps->procbased_ctls2, in->proc2);
}

bool cc_CR3_TARGET_COUNT(const struct check_in *in)
{
	return in->c->cr3_target_count <= ((in->caps->misc & VMX_MISC_CR3_TARGET_COUNT_MASK) >>
					   VMX_MISC_CR3_TARGET_COUNT_SHIFT);
}

bool cc_IO_BITMAP_A(const struct check_in *in)
{
	return !(in->c->cpu_based & CPU_BASED_USE_IO_BITMAPS) || page_ok(in, in->c->io_bitmap_a);
}

bool cc_IO_BITMAP_B(const struct check_in *in)
{
	return !(in->c->cpu_based & CPU_BASED_USE_IO_BITMAPS) || page_ok(in, in->c->io_bitmap_b);
}

bool cc_MSR_BITMAP(const struct check_in *in)
{
	return !(in->c->cpu_based & CPU_BASED_USE_MSR_BITMAPS) || page_ok(in, in->c->msr_bitmap);
}

bool cc_NMI_EXITING_VIRTUAL_NMIS(const struct check_in *in)
{
	return (in->c->pin_based & PIN_BASED_NMI_EXITING) || !(in->c->pin_based & PIN_BASED_VIRTUAL_NMIS);
}

bool cc_VIRTUAL_NMIS_NMI_WINDOW(const struct check_in *in)
{
	return (in->c->pin_based & PIN_BASED_VIRTUAL_NMIS) ||
	       !(in->c->cpu_based & CPU_BASED_NMI_WINDOW_EXITING);
}

bool cc_VPID_NONZERO(const struct check_in *in)
{
	return !(in->proc2 & SECONDARY_EXEC_ENABLE_VPID) || in->c->virtual_processor_id != 0;
}

bool cc_EPTP_MEMTYPE(const struct check_in *in)
{
	uint64_t t = in->c->ept_pointer & VMX_EPTP_MEMTYPE_MASK;

	if (!in->ept)
		return true;
	return (t == X86_MEMTYPE_UC && (in->caps->ept_vpid_cap & VMX_EPT_MEMTYPE_UC)) ||
	       (t == X86_MEMTYPE_WB && (in->caps->ept_vpid_cap & VMX_EPT_MEMTYPE_WB));
}

bool cc_EPTP_WALK_LENGTH(const struct check_in *in)
{
	return !in->ept || ((in->c->ept_pointer & VMX_EPTP_WALK_LENGTH_MASK) >>
			    VMX_EPTP_WALK_LENGTH_SHIFT) == 3;
}

bool cc_EPTP_AD(const struct check_in *in)
{
	return !in->ept || !(in->c->ept_pointer & VMX_EPTP_AD_ENABLE) ||
	       (in->caps->ept_vpid_cap & VMX_EPT_AD);
}

bool cc_EPTP_RESERVED(const struct check_in *in)
{
	return !in->ept ||
	       (!(in->c->ept_pointer & VMX_EPTP_RESERVED_LOW) && within_width(in, in->c->ept_pointer));
}

bool cc_UNRESTRICTED_NEEDS_EPT(const struct check_in *in)
{
	return !in->ug || in->ept;
}

/* §27.2.1.2 */
bool cc_EXIT_CTLS(const struct check_in *in)
{
	return vmx_ctls_valid(cap_ctls(in, in->caps->exit_ctls, in->caps->true_exit_ctls),
			      in->c->exit_controls);
}

bool cc_EXIT_SAVE_PREEMPTION_TIMER(const struct check_in *in)
{
	return (in->c->pin_based & PIN_BASED_VMX_PREEMPTION_TIMER) ||
	       !(in->c->exit_controls & VM_EXIT_SAVE_VMX_PREEMPTION_TIMER_VALUE);
}

bool cc_EXIT_MSR_STORE_ADDR(const struct check_in *in)
{
	return msr_list_ok(in, in->c->exit_msr_store_addr, in->c->exit_msr_store_count);
}

bool cc_EXIT_MSR_LOAD_ADDR(const struct check_in *in)
{
	return msr_list_ok(in, in->c->exit_msr_load_addr, in->c->exit_msr_load_count);
}

/* §27.2.1.3 */
bool cc_ENTRY_CTLS(const struct check_in *in)
{
	return vmx_ctls_valid(cap_ctls(in, in->caps->entry_ctls, in->caps->true_entry_ctls),
			      in->c->entry_controls);
}

/* Type 7 needs the monitor trap flag, which the model does not offer. */
bool cc_INJ_TYPE(const struct check_in *in)
{
	return !in->inj || (in->inj_type != 1 && in->inj_type != INTR_TYPE_OTHER_EVENT);
}

bool cc_INJ_NMI_VECTOR(const struct check_in *in)
{
	return !in->inj || in->inj_type != INTR_TYPE_NMI || in->inj_vector == X86_VEC_NMI;
}

bool cc_INJ_EXCEPTION_VECTOR(const struct check_in *in)
{
	return !in->inj || in->inj_type != INTR_TYPE_HARDWARE_EXCEPTION || in->inj_vector <= 31;
}

static bool delivers_error_code(const struct check_in *in)
{
	return in->inj && (in->c->entry_intr_info & INTR_INFO_DELIVER_CODE);
}

/* Vectors whose exception pushes an error code (#CP would too, with CET, which the model has not). */
static bool has_error_code(uint32_t vector)
{
	switch (vector) {
	case X86_VEC_DF: case X86_VEC_TS: case X86_VEC_NP: case X86_VEC_SS:
	case X86_VEC_GP: case X86_VEC_PF: case X86_VEC_AC:
		return true;
	default:
		return false;
	}
}

static bool real_mode_ug(const struct check_in *in)
{
	return in->ug && !(in->g->cr0 & X86_CR0_PE);
}

bool cc_INJ_ERRCODE_REAL_MODE(const struct check_in *in)
{
	return !delivers_error_code(in) || !real_mode_ug(in);
}

bool cc_INJ_ERRCODE_VECTOR(const struct check_in *in)
{
	return !delivers_error_code(in) ||
	       (in->inj_type == INTR_TYPE_HARDWARE_EXCEPTION && has_error_code(in->inj_vector));
}

bool cc_INJ_ERRCODE_MISSING(const struct check_in *in)
{
	return !in->inj || in->inj_type != INTR_TYPE_HARDWARE_EXCEPTION ||
	       !has_error_code(in->inj_vector) || real_mode_ug(in) || delivers_error_code(in);
}

bool cc_INJ_RESERVED(const struct check_in *in)
{
	return !in->inj || !(in->c->entry_intr_info & INTR_INFO_RESERVED_ENTRY);
}

bool cc_INJ_ERRCODE_HIGH(const struct check_in *in)
{
	return !delivers_error_code(in) || !(in->c->entry_exception_error_code >> 16);
}

/* Length 0 would need IA32_VMX_MISC bit 30, which the model does not set. */
bool cc_INJ_INSTR_LEN(const struct check_in *in)
{
	uint32_t len = in->c->entry_instruction_len;
	uint32_t min = (in->caps->misc & VMX_MISC_ZERO_LEN_INJECTION) ? 0 : 1;

	if (!in->inj || (in->inj_type != INTR_TYPE_SOFTWARE_INTERRUPT &&
			 in->inj_type != INTR_TYPE_PRIVILEGED_SOFTWARE_EXCEPTION &&
			 in->inj_type != INTR_TYPE_SOFTWARE_EXCEPTION))
		return true;
	return len >= min && len <= 15;
}

bool cc_ENTRY_MSR_LOAD_ADDR(const struct check_in *in)
{
	return msr_list_ok(in, in->c->entry_msr_load_addr, in->c->entry_msr_load_count);
}
