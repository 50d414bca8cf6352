/* SPDX-License-Identifier: MIT */
/*
 * What the SVM scenarios share: a guest from a payload with one vCPU (the
 * hv core's VMCB defaults), one bare VMRUN with its outcome, access to
 * payload labels and guest stack frames, and the SKIP reasons naming the
 * CPUID bits.
 */
#ifndef CONF_SRC_SVM_UTIL_H
#define CONF_SRC_SVM_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "../guest/payload.h"
#include "conf/check.h"
#include "conf/conf.h"
#include "conf/scenario.h"
#include "hv/hv.h"

struct conf_payload {
	const uint8_t *start, *end, *entry;
};

#define CONF_PAYLOAD_DECLARE(name) \
	extern const uint8_t name##_start[], name##_end[], name##_entry[]
#define CONF_PAYLOAD_LABEL(name, label) extern const uint8_t name##_##label[]
#define CONF_PAYLOAD(name) ((struct conf_payload){ name##_start, name##_end, name##_entry })

struct conf_svm {
	struct hv_svm_caps caps;
	struct conf_payload payload;
	struct hv_guest guest;
	struct hv_vcpu vcpu;
	struct vmcb *vmcb;
	arch_fault_t fault; /* of the last conf_svm_vmrun */
};

/*
 * Enables SVM, builds the guest and creates the vCPU (use_vnmi as in
 * struct hv_vcpu_config). On failure records an ERROR and returns false.
 */
bool conf_svm_setup(struct conf_ctx *ctx, struct conf_svm *s, struct conf_payload p,
		    bool use_vnmi);

/* Guest address of a payload label, and a host pointer to it. */
uint64_t conf_svm_addr(const struct conf_svm *s, const uint8_t *label);
void *conf_svm_ptr(const struct conf_svm *s, const uint8_t *label);
/* Sets RIP to a payload label. */
void conf_svm_start_at(struct conf_svm *s, const uint8_t *label);

/* One bare VMRUN of the vCPU's VMCB: no event processing. */
conf_outcome_t conf_svm_vmrun(struct conf_svm *s);
/* VMRUN, then check the outcome is #VMEXIT(code); false (and FAIL) if not. */
bool conf_svm_run_expect(struct conf_ctx *ctx, struct conf_svm *s, uint64_t code,
			 const char *what);
/* Resume after an intercepted instruction of len bytes (no NRIPS needed). */
void conf_svm_skip(struct conf_svm *s, unsigned len);
/*
 * Bare VMRUN to the guest's VMMCALL with RAX = mark, then past it (EVENTINJ
 * cleared, as a hypervisor does once an event was delivered). False, with a
 * FAIL naming what was expected, if the guest stopped anywhere else.
 */
bool conf_svm_run_to_mark(struct conf_ctx *ctx, struct conf_svm *s, uint32_t mark,
			  const char *what);
/* The same through the hv core: hv_vcpu_run up to a hypercall with RAX = mark. */
bool conf_svm_core_run_to(struct conf_ctx *ctx, struct conf_svm *s, uint32_t mark,
			  const char *what);

/* At the default IDT stubs' VMMCALL? Then the vector and the frame. */
bool conf_svm_stub_frame(struct conf_svm *s, uint8_t *vector, struct hv_guest_frame *f);

/* The IRET frame of an interrupt handler that pushed `pushed` quadwords. */
struct conf_iret_frame {
	uint64_t rip, cs, rflags, rsp, ss;
};
void conf_svm_iret_frame(struct conf_svm *s, unsigned pushed, struct conf_iret_frame *f);

/* An address above the guest's 4 GiB identity map: not present in its page tables. */
#define CONF_UNMAPPED_GVA 0x100002000ull

/* SKIP reasons (NULL when supported). */
const char *conf_svm_unsupported(void);
const char *conf_vnmi_unsupported(void);
const char *conf_nrips_unsupported(void);
const char *conf_npt_unsupported(void);

#endif
