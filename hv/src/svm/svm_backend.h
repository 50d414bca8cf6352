/* SPDX-License-Identifier: MIT */
/*
 * Private to the SVM backend: one svm_<op> function per mandatory entry of
 * HV_VCPU_OPS (hv/ops.h), so that a missing operation fails the link, and
 * one per optional operation SVM has (svm_vcpu_ops lists those), and
 * what the backend's files share: its state of a vCPU (hv/svm_state.h),
 * and the translation between the core's event description and EVENTINJ /
 * EXITINTINFO.
 */
#ifndef HV_SRC_SVM_BACKEND_H
#define HV_SRC_SVM_BACKEND_H

#include "hv/ops.h"
#include "hv/svm.h"
#include "hv/vcpu.h"

#define SVM_OP_DECLARE(ret, name, args) ret svm_##name args;
#define SVM_OP_NONE(ret, name, args)
HV_VCPU_OPS(SVM_OP_DECLARE, SVM_OP_NONE)
#undef SVM_OP_NONE
#undef SVM_OP_DECLARE
enum hv_msr_result svm_emulate_msr(struct hv_vcpu *vcpu, uint32_t msr, bool write,
				   uint64_t *value);
void svm_deliver_sipi_vector(struct hv_vcpu *vcpu, uint8_t vector);

/* The backend's state of vcpu, and its VMCB. */
static inline struct hv_svm_vcpu *to_svm(struct hv_vcpu *vcpu)
{
	return &vcpu->backend.svm;
}

static inline struct vmcb *svm_vmcb(const struct hv_vcpu *vcpu)
{
	return vcpu->backend.svm.vmcb;
}

/*
 * The core's event types are the SDM's interruption types, which EVENTINJ
 * and EXITINTINFO share for the four SVM has (APM vol. 2 §15.20, table
 * 15-11). A type SVM lacks goes into EVENTINJ as the reserved value it is
 * there, and VMRUN refuses it (VMEXIT_INVALID).
 */
_Static_assert((HV_INJ_EXT_INTR << SVM_EVTINJ_TYPE_SHIFT) == SVM_EVTINJ_TYPE_INTR,
	       "INTR type");
_Static_assert((HV_INJ_NMI << SVM_EVTINJ_TYPE_SHIFT) == SVM_EVTINJ_TYPE_NMI, "NMI type");
_Static_assert((HV_INJ_EXCEPTION << SVM_EVTINJ_TYPE_SHIFT) == SVM_EVTINJ_TYPE_EXEPT,
	       "exception type");
_Static_assert((HV_INJ_SOFT_INTR << SVM_EVTINJ_TYPE_SHIFT) == SVM_EVTINJ_TYPE_SOFT,
	       "software interrupt type");

/* EVENTINJ for ev, VALID set. */
static inline uint32_t svm_eventinj(const struct hv_vcpu_event *ev)
{
	return (((uint32_t)ev->type << SVM_EVTINJ_TYPE_SHIFT) & SVM_EVTINJ_TYPE_MASK) |
	       ev->vector | (ev->has_error_code ? SVM_EVTINJ_VALID_ERR : 0) | SVM_EVTINJ_VALID;
}

/* The event a valid EXITINTINFO (and its error code) describes. */
static inline struct hv_vcpu_event svm_exitintinfo_event(uint32_t info, uint32_t error_code)
{
	return (struct hv_vcpu_event){
		.type = (uint8_t)((info & SVM_EXITINTINFO_TYPE_MASK) >> SVM_EVTINJ_TYPE_SHIFT),
		.vector = (uint8_t)(info & SVM_EXITINTINFO_VEC_MASK),
		.has_error_code = (info & SVM_EXITINTINFO_VALID_ERR) != 0,
		.error_code = error_code,
	};
}

/* Writes EVENTINJ (event_inj, with VALID) and its error code, and reports it. */
void svm_write_eventinj(struct hv_vcpu *vcpu, uint32_t event_inj, uint32_t error_code);

/* EXITINTINFO and NMI-unmasking bookkeeping done on every #VMEXIT. */
void svm_complete_interrupts(struct hv_vcpu *vcpu);
/* #DB exit caused by the backend's NMI-window single-step: undo it. */
bool svm_nmi_singlestep_done(struct hv_vcpu *vcpu);
/* The IRET intercept as NMI tracking uses it. */
void svm_set_iret_intercept(struct hv_vcpu *vcpu);
void svm_clr_iret_intercept(struct hv_vcpu *vcpu);

/*
 * Reports an injection the backend makes for the core (HV_EV_INJECT with
 * a = EVENTINJ value, b = error code, or HV_EV_INJECT_VNMI); the source
 * tells it from the processor's own injection events.
 */
void svm_event_inject(uint32_t type, uint64_t a, uint64_t b);

#endif
