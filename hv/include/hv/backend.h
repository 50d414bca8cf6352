/* SPDX-License-Identifier: MIT */
/*
 * The virtualisation backends, as one list: their operations tables
 * (hv/ops.h), the room the core keeps for each backend's state of a vCPU
 * and of a VM, and the probe that picks the first backend the processor
 * supports.
 *
 *   HV_BACKENDS(X)
 *
 * expands X(name) for every backend, in the order hv_backend_probe tries
 * them; backend `name` provides `name_vcpu_ops` and its sources are
 * hv/src/<name>/: SVM, then VMX. A processor has at most one of them.
 *
 * Each union is the backend's, not the core's: the core zeroes it with the
 * vCPU or the VM and otherwise never reads or writes it; the backend that
 * runs the vCPU (or the VM) uses its own member. A backend's larger
 * resources — the VMCB, permission maps, second-level tables — are pages it
 * takes from arch_page_alloc itself and reaches from here.
 *
 * Who may include it: hv/ (hv/vcpu.h and hv/vm.h include it for the
 * unions), and code that fills an ops table of its own (tests, fuzz
 * targets).
 */
#ifndef HV_BACKEND_H
#define HV_BACKEND_H

#include "hv/ops.h"
#include "hv/svm_state.h"
#include "hv/vmx_state.h"

#define HV_BACKENDS(X) X(svm) X(vmx)

#define HV_BACKEND_DECLARE(name) extern const struct hv_vcpu_ops name##_vcpu_ops;
HV_BACKENDS(HV_BACKEND_DECLARE)
#undef HV_BACKEND_DECLARE

/* A vCPU's backend state. */
union hv_vcpu_backend {
	struct hv_svm_vcpu svm;
	struct hv_vmx_vcpu vmx;
};

/* A VM's backend state. */
union hv_vm_backend {
	struct hv_svm_vm svm;
	struct hv_vmx_vm vmx;
};

/*
 * The first backend of HV_BACKENDS this processor supports, or NULL. caps
 * (may be NULL) gets what that backend's probe learnt. Each probe reads
 * CPUID (SVM: hv_svm_caps), so call it where the question is asked.
 */
const struct hv_vcpu_ops *hv_backend_probe(struct hv_backend_caps *caps);

#endif
