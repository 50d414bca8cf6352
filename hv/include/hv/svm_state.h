/* SPDX-License-Identifier: MIT */
/*
 * The SVM backend's state of a vCPU and of a VM: what union
 * hv_vcpu_backend and union hv_vm_backend (hv/backend.h) hold for it. The
 * core keeps room for it and never looks inside; only hv/src/svm/ reads or
 * writes it. SVM scenarios reach a vCPU's VMCB and a VM's nested tables
 * through hv/svm.h.
 *
 * The VMCB is a page the backend takes from arch_page_alloc when it sets
 * the vCPU up (svm_vcpu_setup), as are its permission maps; the nested
 * tables are pages from arch_page_alloc too (hv/svm_npt.h). This struct is
 * only the bookkeeping beside them, kept in the vCPU so that a vCPU costs
 * no page more than its VMCB.
 *
 * Who may include it: hv/ (through hv/backend.h).
 */
#ifndef HV_SVM_STATE_H
#define HV_SVM_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/svm_npt.h"

struct vmcb;

struct hv_svm_vcpu {
	/* The VMCB, as a pointer for the backend and a physical address for VMRUN. */
	struct vmcb *vmcb;
	uint64_t vmcb_pa;
	uint32_t last_event_inj;        /* the last EVENTINJ value the backend wrote */
	bool nrips;                     /* CPUID Fn8000_000A EDX[3] */
	bool decode_assists;            /* CPUID Fn8000_000A EDX[7] */
	bool vnmi;                      /* V_NMI_ENABLE in use */
	bool nmi_masked;                /* software NMI blocking without vNMI */
	bool awaiting_iret_completion;  /* IRET intercepted, not yet retired */
	uint64_t nmi_iret_rip;          /* RIP of that IRET */
	bool nmi_singlestep;            /* TF set by the backend to find the window */
	uint64_t nmi_singlestep_guest_rflags;
	uint64_t nmi_singlestep_guest_dr6;
	bool own_db_intercept;          /* #DB intercept set only for single-step */
};

struct hv_svm_vm {
	struct hv_npt npt; /* with use_npt: the nested tables every vCPU's nested_cr3 names */
};

#endif
