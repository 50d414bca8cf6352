/* SPDX-License-Identifier: MIT */
/*
 * VMREAD and VMWRITE on the model's VMCS region (SDM vol. 3C chapter 31,
 * and §25.11.2 for what an encoding means): an encoding is looked up in a
 * table that places each field in the model's layout.
 */
#include "vmx-model/vmcs.h"

#include <stddef.h>
#include <string.h>

#include "x86/vmcs_fields.h"
#include "x86/vmx.h"

struct field_loc {
	uint32_t encoding;
	uint16_t offset;
	uint8_t size;
};

#define AT(name, member) \
	{ name, offsetof(struct vmx_vmcs, member), sizeof(((struct vmx_vmcs *)0)->member) }

/* In increasing order of encoding: looked up by bisection. */
static const struct field_loc fields[] = {
	AT(VIRTUAL_PROCESSOR_ID, ctl.virtual_processor_id),
	AT(GUEST_ES_SELECTOR, guest.seg[VMX_SEG_ES].selector),
	AT(GUEST_CS_SELECTOR, guest.seg[VMX_SEG_CS].selector),
	AT(GUEST_SS_SELECTOR, guest.seg[VMX_SEG_SS].selector),
	AT(GUEST_DS_SELECTOR, guest.seg[VMX_SEG_DS].selector),
	AT(GUEST_FS_SELECTOR, guest.seg[VMX_SEG_FS].selector),
	AT(GUEST_GS_SELECTOR, guest.seg[VMX_SEG_GS].selector),
	AT(GUEST_LDTR_SELECTOR, guest.seg[VMX_SEG_LDTR].selector),
	AT(GUEST_TR_SELECTOR, guest.seg[VMX_SEG_TR].selector),
	AT(HOST_ES_SELECTOR, host.es_selector),
	AT(HOST_CS_SELECTOR, host.cs_selector),
	AT(HOST_SS_SELECTOR, host.ss_selector),
	AT(HOST_DS_SELECTOR, host.ds_selector),
	AT(HOST_FS_SELECTOR, host.fs_selector),
	AT(HOST_GS_SELECTOR, host.gs_selector),
	AT(HOST_TR_SELECTOR, host.tr_selector),
	AT(IO_BITMAP_A, ctl.io_bitmap_a),
	AT(IO_BITMAP_B, ctl.io_bitmap_b),
	AT(MSR_BITMAP, ctl.msr_bitmap),
	AT(VM_EXIT_MSR_STORE_ADDR, ctl.exit_msr_store_addr),
	AT(VM_EXIT_MSR_LOAD_ADDR, ctl.exit_msr_load_addr),
	AT(VM_ENTRY_MSR_LOAD_ADDR, ctl.entry_msr_load_addr),
	AT(TSC_OFFSET, ctl.tsc_offset),
	AT(EPT_POINTER, ctl.ept_pointer),
	AT(GUEST_PHYSICAL_ADDRESS, exit.guest_physical_address),
	AT(VMCS_LINK_POINTER, guest.vmcs_link_pointer),
	AT(GUEST_IA32_DEBUGCTL, guest.ia32_debugctl),
	AT(GUEST_IA32_PAT, guest.ia32_pat),
	AT(GUEST_IA32_EFER, guest.ia32_efer),
	AT(GUEST_PDPTE0, guest.pdpte[0]),
	AT(GUEST_PDPTE1, guest.pdpte[1]),
	AT(GUEST_PDPTE2, guest.pdpte[2]),
	AT(GUEST_PDPTE3, guest.pdpte[3]),
	AT(HOST_IA32_PAT, host.ia32_pat),
	AT(HOST_IA32_EFER, host.ia32_efer),
	AT(PIN_BASED_VM_EXEC_CONTROL, ctl.pin_based),
	AT(CPU_BASED_VM_EXEC_CONTROL, ctl.cpu_based),
	AT(EXCEPTION_BITMAP, ctl.exception_bitmap),
	AT(PAGE_FAULT_ERROR_CODE_MASK, ctl.page_fault_error_code_mask),
	AT(PAGE_FAULT_ERROR_CODE_MATCH, ctl.page_fault_error_code_match),
	AT(CR3_TARGET_COUNT, ctl.cr3_target_count),
	AT(VM_EXIT_CONTROLS, ctl.exit_controls),
	AT(VM_EXIT_MSR_STORE_COUNT, ctl.exit_msr_store_count),
	AT(VM_EXIT_MSR_LOAD_COUNT, ctl.exit_msr_load_count),
	AT(VM_ENTRY_CONTROLS, ctl.entry_controls),
	AT(VM_ENTRY_MSR_LOAD_COUNT, ctl.entry_msr_load_count),
	AT(VM_ENTRY_INTR_INFO_FIELD, ctl.entry_intr_info),
	AT(VM_ENTRY_EXCEPTION_ERROR_CODE, ctl.entry_exception_error_code),
	AT(VM_ENTRY_INSTRUCTION_LEN, ctl.entry_instruction_len),
	AT(TPR_THRESHOLD, ctl.tpr_threshold),
	AT(SECONDARY_VM_EXEC_CONTROL, ctl.secondary),
	AT(VM_INSTRUCTION_ERROR, exit.vm_instruction_error),
	AT(VM_EXIT_REASON, exit.exit_reason),
	AT(VM_EXIT_INTR_INFO, exit.exit_intr_info),
	AT(VM_EXIT_INTR_ERROR_CODE, exit.exit_intr_error_code),
	AT(IDT_VECTORING_INFO_FIELD, exit.idt_vectoring_info),
	AT(IDT_VECTORING_ERROR_CODE, exit.idt_vectoring_error_code),
	AT(VM_EXIT_INSTRUCTION_LEN, exit.exit_instruction_len),
	AT(VMX_INSTRUCTION_INFO, exit.vmx_instruction_info),
	AT(GUEST_ES_LIMIT, guest.seg[VMX_SEG_ES].limit),
	AT(GUEST_CS_LIMIT, guest.seg[VMX_SEG_CS].limit),
	AT(GUEST_SS_LIMIT, guest.seg[VMX_SEG_SS].limit),
	AT(GUEST_DS_LIMIT, guest.seg[VMX_SEG_DS].limit),
	AT(GUEST_FS_LIMIT, guest.seg[VMX_SEG_FS].limit),
	AT(GUEST_GS_LIMIT, guest.seg[VMX_SEG_GS].limit),
	AT(GUEST_LDTR_LIMIT, guest.seg[VMX_SEG_LDTR].limit),
	AT(GUEST_TR_LIMIT, guest.seg[VMX_SEG_TR].limit),
	AT(GUEST_GDTR_LIMIT, guest.gdtr_limit),
	AT(GUEST_IDTR_LIMIT, guest.idtr_limit),
	AT(GUEST_ES_AR_BYTES, guest.seg[VMX_SEG_ES].ar_bytes),
	AT(GUEST_CS_AR_BYTES, guest.seg[VMX_SEG_CS].ar_bytes),
	AT(GUEST_SS_AR_BYTES, guest.seg[VMX_SEG_SS].ar_bytes),
	AT(GUEST_DS_AR_BYTES, guest.seg[VMX_SEG_DS].ar_bytes),
	AT(GUEST_FS_AR_BYTES, guest.seg[VMX_SEG_FS].ar_bytes),
	AT(GUEST_GS_AR_BYTES, guest.seg[VMX_SEG_GS].ar_bytes),
	AT(GUEST_LDTR_AR_BYTES, guest.seg[VMX_SEG_LDTR].ar_bytes),
	AT(GUEST_TR_AR_BYTES, guest.seg[VMX_SEG_TR].ar_bytes),
	AT(GUEST_INTERRUPTIBILITY_INFO, guest.interruptibility_info),
	AT(GUEST_ACTIVITY_STATE, guest.activity_state),
	AT(GUEST_SYSENTER_CS, guest.sysenter_cs),
	AT(VMX_PREEMPTION_TIMER_VALUE, guest.preemption_timer_value),
	AT(HOST_IA32_SYSENTER_CS, host.ia32_sysenter_cs),
	AT(CR0_GUEST_HOST_MASK, ctl.cr0_guest_host_mask),
	AT(CR4_GUEST_HOST_MASK, ctl.cr4_guest_host_mask),
	AT(CR0_READ_SHADOW, ctl.cr0_read_shadow),
	AT(CR4_READ_SHADOW, ctl.cr4_read_shadow),
	AT(CR3_TARGET_VALUE0, ctl.cr3_target_value[0]),
	AT(CR3_TARGET_VALUE1, ctl.cr3_target_value[1]),
	AT(CR3_TARGET_VALUE2, ctl.cr3_target_value[2]),
	AT(CR3_TARGET_VALUE3, ctl.cr3_target_value[3]),
	AT(EXIT_QUALIFICATION, exit.exit_qualification),
	AT(IO_RCX, exit.io_rcx),
	AT(IO_RSI, exit.io_rsi),
	AT(IO_RDI, exit.io_rdi),
	AT(IO_RIP, exit.io_rip),
	AT(GUEST_LINEAR_ADDRESS, exit.guest_linear_address),
	AT(GUEST_CR0, guest.cr0),
	AT(GUEST_CR3, guest.cr3),
	AT(GUEST_CR4, guest.cr4),
	AT(GUEST_ES_BASE, guest.seg[VMX_SEG_ES].base),
	AT(GUEST_CS_BASE, guest.seg[VMX_SEG_CS].base),
	AT(GUEST_SS_BASE, guest.seg[VMX_SEG_SS].base),
	AT(GUEST_DS_BASE, guest.seg[VMX_SEG_DS].base),
	AT(GUEST_FS_BASE, guest.seg[VMX_SEG_FS].base),
	AT(GUEST_GS_BASE, guest.seg[VMX_SEG_GS].base),
	AT(GUEST_LDTR_BASE, guest.seg[VMX_SEG_LDTR].base),
	AT(GUEST_TR_BASE, guest.seg[VMX_SEG_TR].base),
	AT(GUEST_GDTR_BASE, guest.gdtr_base),
	AT(GUEST_IDTR_BASE, guest.idtr_base),
	AT(GUEST_DR7, guest.dr7),
	AT(GUEST_RSP, guest.rsp),
	AT(GUEST_RIP, guest.rip),
	AT(GUEST_RFLAGS, guest.rflags),
	AT(GUEST_PENDING_DBG_EXCEPTIONS, guest.pending_dbg_exceptions),
	AT(GUEST_SYSENTER_ESP, guest.sysenter_esp),
	AT(GUEST_SYSENTER_EIP, guest.sysenter_eip),
	AT(HOST_CR0, host.cr0),
	AT(HOST_CR3, host.cr3),
	AT(HOST_CR4, host.cr4),
	AT(HOST_FS_BASE, host.fs_base),
	AT(HOST_GS_BASE, host.gs_base),
	AT(HOST_TR_BASE, host.tr_base),
	AT(HOST_GDTR_BASE, host.gdtr_base),
	AT(HOST_IDTR_BASE, host.idtr_base),
	AT(HOST_IA32_SYSENTER_ESP, host.ia32_sysenter_esp),
	AT(HOST_IA32_SYSENTER_EIP, host.ia32_sysenter_eip),
	AT(HOST_RSP, host.rsp),
	AT(HOST_RIP, host.rip),
};

_Static_assert(sizeof(fields) / sizeof(fields[0]) == VMCS_FIELD_COUNT,
	       "every field of x86/vmcs_fields.h has a place in the model's VMCS");

static const struct field_loc *find(uint32_t encoding)
{
	size_t lo = 0, hi = sizeof(fields) / sizeof(fields[0]);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (fields[mid].encoding == encoding)
			return &fields[mid];
		if (fields[mid].encoding < encoding)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * A field exists only where the feature it serves does (SDM §25.11.2: a
 * VMREAD or VMWRITE of it fails as an unsupported component otherwise).
 */
static bool present(uint32_t encoding, const struct vmx_caps *caps)
{
	uint32_t proc2 = (uint32_t)(caps->procbased_ctls2 >> 32);

	switch (encoding) {
	case EPT_POINTER:
	case GUEST_PHYSICAL_ADDRESS:
	case GUEST_PDPTE0:
	case GUEST_PDPTE1:
	case GUEST_PDPTE2:
	case GUEST_PDPTE3:
		return proc2 & SECONDARY_EXEC_ENABLE_EPT;
	case VIRTUAL_PROCESSOR_ID:
		return proc2 & SECONDARY_EXEC_ENABLE_VPID;
	default:
		return true;
	}
}

/* The field an encoding names, or NULL; *high for the upper half of a 64-bit field. */
static const struct field_loc *lookup(uint64_t encoding, const struct vmx_caps *caps, bool *high)
{
	const struct field_loc *f;
	uint32_t enc = (uint32_t)encoding;

	if (encoding >> 32 || (enc & VMCS_ENCODING_RESERVED))
		return NULL;
	*high = vmcs_field_is_high(enc);
	if (*high && vmcs_field_width(enc) != VMCS_WIDTH_64)
		return NULL;
	f = find(enc & ~1u);
	return f && present(f->encoding, caps) ? f : NULL;
}

static uint64_t load(const struct vmx_vmcs *vmcs, const struct field_loc *f)
{
	const unsigned char *p = (const unsigned char *)vmcs + f->offset;
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;

	switch (f->size) {
	case 2: memcpy(&v16, p, 2); return v16;
	case 4: memcpy(&v32, p, 4); return v32;
	default: memcpy(&v64, p, 8); return v64;
	}
}

static void store(struct vmx_vmcs *vmcs, const struct field_loc *f, uint64_t value)
{
	unsigned char *p = (unsigned char *)vmcs + f->offset;
	uint16_t v16 = (uint16_t)value;
	uint32_t v32 = (uint32_t)value;

	switch (f->size) {
	case 2: memcpy(p, &v16, 2); break;
	case 4: memcpy(p, &v32, 4); break;
	default: memcpy(p, &value, 8); break;
	}
}

void vmx_vmcs_init(struct vmx_vmcs *vmcs, uint32_t revision_id)
{
	memset(vmcs, 0, sizeof(*vmcs));
	vmcs->revision_id = revision_id;
}

int vmx_vmread(const struct vmx_vmcs *vmcs, const struct vmx_caps *caps, uint64_t encoding,
	       bool long_mode, uint64_t *value)
{
	bool high;
	const struct field_loc *f = lookup(encoding, caps, &high);
	uint64_t v;

	if (!f)
		return VMXERR_UNSUPPORTED_VMCS_COMPONENT;
	v = load(vmcs, f);
	if (high)
		v >>= 32;
	*value = long_mode ? v : (uint32_t)v;
	return 0;
}

int vmx_vmwrite(struct vmx_vmcs *vmcs, const struct vmx_caps *caps, uint64_t encoding,
		uint64_t value, bool long_mode)
{
	bool high;
	const struct field_loc *f = lookup(encoding, caps, &high);

	if (!f)
		return VMXERR_UNSUPPORTED_VMCS_COMPONENT;
	if (vmcs_field_type(f->encoding) == VMCS_TYPE_READ_ONLY &&
	    !(caps->misc & VMX_MISC_VMWRITE_ANY_FIELD))
		return VMXERR_VMWRITE_READ_ONLY_COMPONENT;
	if (!long_mode)
		value = (uint32_t)value;
	if (high)
		value = (load(vmcs, f) & 0xffffffffull) | value << 32;
	store(vmcs, f, value);
	return 0;
}

void vmx_vmcs_clear(struct vmx_vmcs *vmcs)
{
	vmcs->launch_state = VMX_LAUNCH_CLEAR;
}

void vmx_vmcs_set_launched(struct vmx_vmcs *vmcs)
{
	vmcs->launch_state = VMX_LAUNCH_LAUNCHED;
}

/*
 * VMPTRLD (SDM chapter 31): the revision identifier must be the
 * processor's, and the shadow-VMCS indicator 0 where VMCS shadowing cannot
 * be enabled.
 */
int vmx_vmptrld_check(const struct vmx_vmcs *vmcs, const struct vmx_caps *caps)
{
	uint32_t proc2 = (uint32_t)(caps->procbased_ctls2 >> 32);

	if ((vmcs->revision_id & ~VMX_VMCS_SHADOW_INDICATOR) !=
	    (uint32_t)(caps->basic & VMX_BASIC_REVISION_MASK))
		return VMXERR_VMPTRLD_INCORRECT_REVISION;
	if ((vmcs->revision_id & VMX_VMCS_SHADOW_INDICATOR) &&
	    !(proc2 & SECONDARY_EXEC_VMCS_SHADOWING))
		return VMXERR_VMPTRLD_INCORRECT_REVISION;
	return 0;
}

/* SDM §27.1: VMLAUNCH needs a clear VMCS, VMRESUME a launched one. */
int vmx_launch_state_check(const struct vmx_vmcs *vmcs, bool resume)
{
	if (!resume && vmcs->launch_state != VMX_LAUNCH_CLEAR)
		return VMXERR_VMLAUNCH_NONCLEAR_VMCS;
	if (resume && vmcs->launch_state != VMX_LAUNCH_LAUNCHED)
		return VMXERR_VMRESUME_NONLAUNCHED_VMCS;
	return 0;
}
