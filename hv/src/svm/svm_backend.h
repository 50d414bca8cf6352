/* SPDX-License-Identifier: MIT */
/*
 * Private to the SVM backend: one svm_<op> function per entry of
 * HV_VCPU_OPS (hv/ops.h), so that a missing operation fails the link.
 */
#ifndef HV_SRC_SVM_BACKEND_H
#define HV_SRC_SVM_BACKEND_H

#include "hv/ops.h"
#include "hv/vcpu.h"

#define SVM_OP_DECLARE(ret, name, args) ret svm_##name args;
HV_VCPU_OPS(SVM_OP_DECLARE, SVM_OP_DECLARE)
#undef SVM_OP_DECLARE

/* EXITINTINFO and NMI-unmasking bookkeeping done on every #VMEXIT. */
void svm_complete_interrupts(struct hv_vcpu *vcpu);
/* #DB exit caused by the core's NMI-window single-step: undo it. */
bool svm_nmi_singlestep_done(struct hv_vcpu *vcpu);
/* The IRET intercept as NMI tracking uses it. */
void svm_set_iret_intercept(struct hv_vcpu *vcpu);
void svm_clr_iret_intercept(struct hv_vcpu *vcpu);

/*
 * Emit an HV_EV_INJECT event for what the core decided (a = EVENTINJ value or
 * the int_ctl bit, b = error code); the text tells it from the processor's
 * own injection events.
 */
/* Reports an injection the core asked for (HV_EV_INJECT or HV_EV_INJECT_VNMI). */
void svm_event_inject(uint32_t type, uint64_t a, uint64_t b);

#endif
