/* SPDX-License-Identifier: MIT */
/*
 * Private to the VMX backend: one vmx_<op> function per entry of
 * HV_VCPU_OPS (hv/ops.h), so that a missing operation fails the link, and
 * what the backend's files share: its state of a vCPU (hv/vmx_state.h),
 * VMCS access, and the translation between the core's event description
 * and the interruption-information format.
 */
#ifndef HV_SRC_VMX_BACKEND_H
#define HV_SRC_VMX_BACKEND_H

#include "hv/ops.h"
#include "hv/vcpu.h"
#include "hv/vmx.h"

#define VMX_OP_DECLARE(ret, name, args) ret vmx_##name args;
HV_VCPU_OPS(VMX_OP_DECLARE, VMX_OP_DECLARE)
#undef VMX_OP_DECLARE

static inline struct hv_vmx_vcpu *to_vmx(struct hv_vcpu *vcpu)
{
	return &vcpu->backend.vmx;
}

/*
 * Makes the vCPU's VMCS current on the calling processor (VMPTRLD, SDM
 * vol. 3C §25.11.1): every operation that reads or writes it starts here,
 * since standalone vCPUs share processor 0 and a VM's vCPU is set up on
 * processor 0 but runs on its own.
 */
void vmx_load(struct hv_vcpu *vcpu);
/* VMREAD / VMWRITE of the current VMCS; a failed read gives 0. */
uint64_t vmx_r(uint32_t field);
void vmx_w(uint32_t field, uint64_t value);
void vmx_ctl(uint32_t field, uint32_t bits, bool on);

/*
 * The core's event types are the SDM's interruption types (hv/vcpu.h), so
 * the interruption-information field is type, vector, error-code flag and
 * valid (SDM §25.8.3).
 */
_Static_assert((int)HV_INJ_EXT_INTR == (int)INTR_TYPE_EXTERNAL_INTERRUPT, "INTR type");
_Static_assert((int)HV_INJ_NMI == (int)INTR_TYPE_NMI, "NMI type");
_Static_assert((int)HV_INJ_EXCEPTION == (int)INTR_TYPE_HARDWARE_EXCEPTION, "exception type");
_Static_assert((int)HV_INJ_SOFT_INTR == (int)INTR_TYPE_SOFTWARE_INTERRUPT, "software interrupt type");
_Static_assert((int)HV_INJ_PRIV_SOFT_EXCEPTION == (int)INTR_TYPE_PRIVILEGED_SOFTWARE_EXCEPTION,
	       "privileged software exception type");
_Static_assert((int)HV_INJ_SOFT_EXCEPTION == (int)INTR_TYPE_SOFTWARE_EXCEPTION, "software exception type");
_Static_assert((int)HV_INJ_OTHER == (int)INTR_TYPE_OTHER_EVENT, "other event type");

static inline uint32_t vmx_event_info(const struct hv_vcpu_event *ev)
{
	return INTR_INFO_VALID | ((uint32_t)(ev->type & 7u) << INTR_INFO_TYPE_SHIFT) |
	       ev->vector | (ev->has_error_code ? INTR_INFO_DELIVER_CODE : 0);
}

static inline struct hv_vcpu_event vmx_info_event(uint32_t info, uint32_t error_code)
{
	return (struct hv_vcpu_event){
		.type = (uint8_t)((info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT),
		.vector = (uint8_t)(info & INTR_INFO_VECTOR_MASK),
		.has_error_code = (info & INTR_INFO_DELIVER_CODE) != 0,
		.error_code = error_code,
	};
}

/*
 * Writes the entry's interruption information (and error code, and for
 * software events the instruction length), and reports the injection
 * (HV_EV_INJECT with a = the field, b = the error code).
 */
void vmx_write_injection(struct hv_vcpu *vcpu, uint32_t info, uint32_t error_code,
			 uint32_t insn_len);
/* CR0 or CR4 as the guest sets it; the host keeps the fixed bits (vmcs.c). */
void vmx_write_cr(struct hv_vcpu *vcpu, int cr, uint64_t guest_value);
/* EPT (ept.c): the identity tables of a VM without use_npt, and the EPT pointer. */
int vmx_ept_identity(struct hv_vm *vm);
uint64_t vmx_eptp(const struct hv_vm *vm);
/*
 * Right after an exit, with only its reason read: true when the core took
 * it on the exit fastpath (hv/vm.h) and the next entry is ready (exit.c).
 */
bool vmx_exit_fastpath(struct hv_vcpu *vcpu);
/* Every exit: what the entry injected and the IDT-vectoring information. */
void vmx_complete_interrupts(struct hv_vcpu *vcpu);
/* The guest state after INIT, written to the current VMCS (mp.c). */
void vmx_write_init_state(struct hv_vcpu *vcpu);

#endif
