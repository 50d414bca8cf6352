/* SPDX-License-Identifier: MIT */
/*
 * What the VMX scenarios share: the capability MSRs, VMX operation with a
 * VMXON region and one VMCS (revision identifier from IA32_VMX_BASIC), a
 * 64-bit guest from a payload, one VM entry with its outcome and the exit
 * information fields, and the SKIP reasons naming the CPUID or
 * capability-MSR bit.
 *
 * Outcomes read like the SDM's instruction pages and exit reasons:
 * "VMsucceed", "VMfailInvalid", "VMfailValid(12: VMREAD/VMWRITE from/to
 * unsupported VMCS component)", "VM exit CPUID (10)", "VM-entry failure
 * INVALID_GUEST_STATE (33)", "#UD".
 *
 * The platform's arch_vmxon sets CR4.VMXE first (arch.h); VMXON raises #UD
 * while it is 0 (SDM vol. 3C §24.7, §31.3 "VMXON"), so conf_vmx_on reports
 * a #UD there as an ERROR of the platform naming CR4.VMXE.
 *
 * A VMX payload stops with VMCALL and its mark in RAX (VMX_STOP in
 * guest/vmx_payload.h); the host reads it in s->gprs.rax.
 */
#ifndef CONF_SRC_VMX_UTIL_H
#define CONF_SRC_VMX_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "../guest/vmx_payload.h"
/* For struct conf_payload and the CONF_PAYLOAD macros, which are not SVM's own. */
#include "../svm/svm_util.h"
#include "hv/guest.h"
#include "hv/lib.h"
#include "vx/arch.h"
#include "x86/msr.h"
#include "x86/vmcs_fields.h"
#include "x86/vmx.h"

/* The capability MSRs (SDM vol. 3D appendix A), TRUE_* where BASIC[55] says so. */
struct conf_vmx_caps {
	uint64_t basic, pin, proc, proc2, exit, entry, misc;
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1, ept_vpid;
	uint32_t revision;
	uint8_t maxphyaddr;
};

/*
 * What one VMX instruction or VM entry ended in. Exit reasons keep bit 31
 * (VM-entry failure) and the basic reason, bits 15:0.
 */
typedef uint64_t conf_vmx_outcome_t;
#define VMX_OUT_SUCCEED          0ull
#define VMX_OUT_FAULT(vector)    ((1ull << 60) | ((uint64_t)(vector) & 0xffu))
#define VMX_OUT_FAIL_INVALID     (2ull << 60)
#define VMX_OUT_FAIL_VALID(n)    ((3ull << 60) | ((uint64_t)(n) & 0xffffffffu))
#define VMX_OUT_EXIT(reason)     ((4ull << 60) | ((uint64_t)(reason) & 0x8000ffffu))
#define VMX_OUT_ENTRY_FAIL(basic) VMX_OUT_EXIT(VMX_EXIT_REASON_FAILED_VMENTRY | (basic))

/* The exit information of the last VM exit (SDM vol. 3C §28.2). */
struct conf_vmx_exit {
	uint32_t reason;        /* the whole exit-reason field */
	uint64_t qualification;
	uint32_t intr_info, intr_error, idt_info, idt_error, insn_len;
	uint64_t guest_linear, guest_physical;
	uint64_t rip, rsp, rflags;
};

/* A VMX payload: its bytes and its VMX_EXC_HANDLER labels. */
#define CONF_VMX_PAYLOAD_DECLARE(name) \
	CONF_PAYLOAD_DECLARE(name);    \
	CONF_PAYLOAD_LABEL(name, exc); \
	CONF_PAYLOAD_LABEL(name, exc_vmcall)
#define CONF_VMX_SETUP(ctx, s, name) \
	conf_vmx_setup(ctx, s, CONF_PAYLOAD(name), name##_exc, name##_exc_vmcall)

struct conf_vmx {
	struct conf_vmx_caps caps;
	struct conf_payload payload;
	const uint8_t *exc_vmcall;  /* the payload's exception handler's VMCALL */
	struct hv_guest guest;
	uint64_t vmxon_pa, vmcs_pa, tss_pa;
	struct arch_gprs gprs;
	bool launched;
	uint32_t bad_write;     /* the first field a VMWRITE of the set-up refused, + 1 */
	struct conf_vmx_exit exit;
	char err[128];          /* why a _quiet helper failed */
};

/* Reads the capability MSRs; false when one faults (no VMX). */
bool conf_vmx_read_caps(struct conf_vmx_caps *c);
/*
 * A control word for capability MSR cap: the allowed-0 settings forced to 1,
 * then want, then the bits allowed-1 forbids cleared.
 */
uint32_t conf_vmx_ctls(uint64_t cap, uint32_t want);
/* May this control be 1 (allowed-1 setting of cap)? Must it be 1? */
bool conf_vmx_may1(uint64_t cap, uint32_t bit);
bool conf_vmx_must1(uint64_t cap, uint32_t bit);

/*
 * Enables VMX in IA32_FEATURE_CONTROL if the firmware left it unlocked and
 * enters VMX operation with a fresh VMXON region. ERROR and false on failure.
 */
bool conf_vmx_on(struct conf_ctx *ctx, struct conf_vmx *s);
/*
 * conf_vmx_on, then the guest from the payload, a VMCS made current with
 * VMCLEAR and VMPTRLD, and every field of a 64-bit guest at the payload's
 * entry: the controls the capability MSRs force and nothing more (VMCALL
 * exits unconditionally), exception bitmap 0, the guest's own page tables,
 * GDT, IDT, TSS and stack, and a 64-bit host.
 */
bool conf_vmx_setup(struct conf_ctx *ctx, struct conf_vmx *s, struct conf_payload p,
		    const uint8_t *exc, const uint8_t *exc_vmcall);
/*
 * conf_vmx_on, conf_vmx_setup and conf_vmx_enter for a processor that
 * arch_cpu_start started, which records nothing itself: the same, with the
 * reason for a failure in s->err (an unreported set-up VMWRITE failure is
 * VMX_OUT_FAULT(0xff) from conf_vmx_enter_quiet).
 */
bool conf_vmx_on_quiet(struct conf_vmx *s);
bool conf_vmx_setup_quiet(struct conf_vmx *s, struct conf_payload p, const uint8_t *exc,
			  const uint8_t *exc_vmcall);
#define CONF_VMX_SETUP_QUIET(s, name) \
	conf_vmx_setup_quiet(s, CONF_PAYLOAD(name), name##_exc, name##_exc_vmcall)
conf_vmx_outcome_t conf_vmx_enter_quiet(struct conf_vmx *s);

/* A page with the revision identifier in its first 31 bits (a VMCS or VMXON region). */
uint64_t conf_vmx_region(const struct conf_vmx *s);

/* VMWRITE during set-up: a refusal is remembered and reported by the next entry. */
void conf_vmx_w(struct conf_vmx *s, uint32_t field, uint64_t value);
/* VMREAD; 0 when it fails. */
uint64_t conf_vmx_r(uint32_t field);
/* Sets or clears bits of a control field. */
void conf_vmx_set_ctl(struct conf_vmx *s, uint32_t field, uint32_t bits, bool on);

/* An arch.h result as an outcome; VMfailValid reads the VM-instruction error. */
conf_vmx_outcome_t conf_vmx_outcome(arch_fault_t f);
void conf_vmx_outcome_format(conf_vmx_outcome_t o, char *buf, size_t size);
bool conf_vmx_check(struct conf_ctx *ctx, const char *what, conf_vmx_outcome_t got,
		    conf_vmx_outcome_t want);

/*
 * VMLAUNCH the first time, VMRESUME after a VM exit: the outcome, and on a
 * VM exit the exit information in s->exit. A set-up VMWRITE that failed is
 * an ERROR and the outcome VMX_OUT_FAULT(0xff).
 */
conf_vmx_outcome_t conf_vmx_enter(struct conf_ctx *ctx, struct conf_vmx *s);
/* Enter and check the outcome is "VM exit reason"; false (and FAIL) if not. */
bool conf_vmx_run_expect(struct conf_ctx *ctx, struct conf_vmx *s, uint32_t reason,
			 const char *what);
/* Enter and expect the guest's VMCALL with RAX = mark; then past it. */
bool conf_vmx_run_to_mark(struct conf_ctx *ctx, struct conf_vmx *s, uint32_t mark,
			  const char *what);
/* Guest RIP past the instruction that exited (VM-exit instruction length). */
void conf_vmx_skip(struct conf_vmx *s);

/* Guest address of a payload label, a host pointer to it, and RIP at it. */
uint64_t conf_vmx_addr(const struct conf_vmx *s, const uint8_t *label);
void *conf_vmx_ptr(const struct conf_vmx *s, const uint8_t *label);
void conf_vmx_start_at(struct conf_vmx *s, const uint8_t *label);

/* Stopped at the payload's exception handler? Then the vector and the frame. */
bool conf_vmx_exception_frame(struct conf_vmx *s, uint8_t *vector, struct hv_guest_frame *f);
/* The same as a check: the guest took exception `vector` (FAIL naming what it did instead). */
bool conf_vmx_expect_exception(struct conf_ctx *ctx, struct conf_vmx *s, uint8_t vector,
			       struct hv_guest_frame *f);

/* Leaves VMX operation (the platform also does between scenarios). */
void conf_vmx_off(struct conf_vmx *s);

/* "VM exit CPUID (10)" or "VMfailValid(7: ...)" and the like. */
const char *conf_vmx_reason_name(uint32_t basic);

/* SKIP reasons (NULL when supported). */
const char *conf_vmx_unsupported(void);
const char *conf_vmx_ept_unsupported(void);
const char *conf_vmx_preemption_timer_unsupported(void);
const char *conf_vmx_vnmi_unsupported(void);
const char *conf_vmx_need2(void);

#endif
