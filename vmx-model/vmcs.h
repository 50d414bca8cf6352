/* SPDX-License-Identifier: MIT */
/*
 * The model's VMCS region: the 4 KiB a VMCS pointer names, in the model's
 * own layout (SDM vol. 3C §25.2 leaves all but the first eight bytes to the
 * implementation), and VMREAD/VMWRITE on it as pure functions.
 *
 * Who may include it: vmx-model/ and its tests. Software outside the model
 * reaches the fields through VMREAD and VMWRITE only, as on silicon.
 */
#ifndef VMX_MODEL_VMCS_H
#define VMX_MODEL_VMCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmx-model/caps.h"

/* Segment registers in the order of their field indexes (SDM appendix B.1.2). */
enum vmx_seg {
	VMX_SEG_ES, VMX_SEG_CS, VMX_SEG_SS, VMX_SEG_DS, VMX_SEG_FS, VMX_SEG_GS,
	VMX_SEG_LDTR, VMX_SEG_TR, VMX_SEG_COUNT
};

struct vmx_segment {
	uint64_t base;
	uint32_t limit;
	uint32_t ar_bytes;
	uint16_t selector;
};

struct vmx_guest_state {
	uint64_t cr0, cr3, cr4, dr7;
	uint64_t rsp, rip, rflags;
	struct vmx_segment seg[VMX_SEG_COUNT];
	uint64_t gdtr_base, idtr_base;
	uint32_t gdtr_limit, idtr_limit;
	uint64_t ia32_debugctl, ia32_pat, ia32_efer;
	uint32_t sysenter_cs;
	uint64_t sysenter_esp, sysenter_eip;
	uint64_t pdpte[4];
	uint64_t vmcs_link_pointer;
	uint32_t interruptibility_info;
	uint32_t activity_state;
	uint64_t pending_dbg_exceptions;
	uint32_t preemption_timer_value;
};

struct vmx_host_state {
	uint64_t cr0, cr3, cr4;
	uint64_t rsp, rip;
	uint16_t es_selector, cs_selector, ss_selector, ds_selector;
	uint16_t fs_selector, gs_selector, tr_selector;
	uint64_t fs_base, gs_base, tr_base, gdtr_base, idtr_base;
	uint32_t ia32_sysenter_cs;
	uint64_t ia32_sysenter_esp, ia32_sysenter_eip;
	uint64_t ia32_pat, ia32_efer;
};

struct vmx_controls {
	uint32_t pin_based, cpu_based, secondary;
	uint32_t exit_controls, entry_controls;
	uint32_t exception_bitmap, page_fault_error_code_mask, page_fault_error_code_match;
	uint32_t cr3_target_count;
	uint64_t cr3_target_value[4];
	uint64_t cr0_guest_host_mask, cr4_guest_host_mask, cr0_read_shadow, cr4_read_shadow;
	uint64_t io_bitmap_a, io_bitmap_b, msr_bitmap;
	uint64_t tsc_offset;
	uint64_t ept_pointer;
	uint16_t virtual_processor_id;
	uint32_t tpr_threshold;
	uint64_t exit_msr_store_addr, exit_msr_load_addr, entry_msr_load_addr;
	uint32_t exit_msr_store_count, exit_msr_load_count, entry_msr_load_count;
	uint32_t entry_intr_info, entry_exception_error_code, entry_instruction_len;
};

struct vmx_exit_info {
	uint32_t vm_instruction_error;
	uint32_t exit_reason;
	uint64_t exit_qualification;
	uint64_t guest_linear_address, guest_physical_address;
	uint32_t exit_intr_info, exit_intr_error_code;
	uint32_t idt_vectoring_info, idt_vectoring_error_code;
	uint32_t exit_instruction_len, vmx_instruction_info;
	uint64_t io_rcx, io_rsi, io_rdi, io_rip;
};

enum vmx_launch_state {
	VMX_LAUNCH_CLEAR = 0,
	VMX_LAUNCH_LAUNCHED = 1,
};

struct vmx_vmcs {
	/* Bits 30:0 the VMCS revision identifier, bit 31 the shadow-VMCS indicator (§25.2). */
	uint32_t revision_id;
	uint32_t vmx_abort_indicator;
	/* The launch state belongs to the region: VMCLEAR of one VMCS leaves others alone (§25.1). */
	uint32_t launch_state;
	struct vmx_controls ctl;
	struct vmx_guest_state guest;
	struct vmx_host_state host;
	struct vmx_exit_info exit;
};

#define VMX_VMCS_SHADOW_INDICATOR 0x80000000u

_Static_assert(offsetof(struct vmx_vmcs, revision_id) == 0, "revision identifier at byte 0");
_Static_assert(offsetof(struct vmx_vmcs, vmx_abort_indicator) == 4, "VMX-abort indicator at byte 4");
_Static_assert(sizeof(struct vmx_vmcs) <= 4096, "the VMCS fits the region IA32_VMX_BASIC gives");

/* A fresh region as software prepares it: zero, with the revision identifier in its first word. */
void vmx_vmcs_init(struct vmx_vmcs *vmcs, uint32_t revision_id);

/*
 * VMREAD and VMWRITE (SDM vol. 3C chapter 31) on the current VMCS. The
 * result is 0 for VMsucceed or the VM-instruction error number of a
 * VMfailValid: 12 for an encoding that names no supported field, 13 for a
 * VMWRITE to a VM-exit information field where IA32_VMX_MISC bit 29 is
 * clear. long_mode is whether the instruction runs in 64-bit mode: outside
 * it operands are 32 bits, so a VMREAD returns bits 31:0 of a longer field
 * and a VMWRITE clears the bits above 31.
 */
int vmx_vmread(const struct vmx_vmcs *vmcs, const struct vmx_caps *caps, uint64_t encoding,
	       bool long_mode, uint64_t *value);
int vmx_vmwrite(struct vmx_vmcs *vmcs, const struct vmx_caps *caps, uint64_t encoding,
		uint64_t value, bool long_mode);

/* VMCLEAR's effect on the region: the launch state becomes clear; the fields stay. */
void vmx_vmcs_clear(struct vmx_vmcs *vmcs);
/* A successful VMLAUNCH makes the launch state launched. */
void vmx_vmcs_set_launched(struct vmx_vmcs *vmcs);

/* VMPTRLD: 0, or 11 where the region's revision identifier or shadow indicator do not fit caps. */
int vmx_vmptrld_check(const struct vmx_vmcs *vmcs, const struct vmx_caps *caps);
/* VMLAUNCH (resume false) or VMRESUME: 0, or error 4 (not clear) or 5 (not launched). */
int vmx_launch_state_check(const struct vmx_vmcs *vmcs, bool resume);

#endif
