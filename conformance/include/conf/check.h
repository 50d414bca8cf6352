/* SPDX-License-Identifier: MIT */
/*
 * Outcomes and checks that read like the manual. An outcome packs what one
 * VMRUN ended in -- "#VMEXIT(code)", "VMEXIT_INVALID" or "#GP on VMRUN" --
 * into one value, so that a scenario compares it once and a failure names
 * both sides:
 *
 *   conf_check_outcome(ctx, "VMRUN", got, CONF_OUT_VMEXIT(SVM_EXIT_CPUID));
 *   -> "VMRUN: got #VMEXIT(0x81 VMMCALL), want #VMEXIT(0x72 CPUID)"
 *
 * Who may include it: conformance/, tests/.
 */
#ifndef CONF_CHECK_H
#define CONF_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "vx/arch.h"

typedef uint64_t conf_outcome_t;

#define CONF_OUT_KIND_SHIFT 60
#define CONF_OUT_KIND(o) ((o) >> CONF_OUT_KIND_SHIFT)
#define CONF_OUT_VALUE(o) ((o) & ((1ull << CONF_OUT_KIND_SHIFT) - 1))
/* The guest ran and exited with this code. */
#define CONF_OUT_VMEXIT(code) ((1ull << CONF_OUT_KIND_SHIFT) | ((uint64_t)(code) & 0xffffffffull))
/* VMRUN refused the VMCB: exit code -1 (APM §15.5.1). */
#define CONF_OUT_INVALID (2ull << CONF_OUT_KIND_SHIFT)
/* VMRUN itself raised this exception in the host. */
#define CONF_OUT_FAULT(vector) ((3ull << CONF_OUT_KIND_SHIFT) | ((uint64_t)(vector) & 0xffu))

/* What VMRUN (arch_vmrun's result, then the VMCB's exit_code) ended in. */
conf_outcome_t conf_outcome_vmrun(arch_fault_t fault, uint64_t exit_code);
/* "#VMEXIT(0x72 CPUID)", "VMEXIT_INVALID", "#GP on VMRUN". */
void conf_outcome_format(conf_outcome_t o, char *buf, size_t size);
bool conf_check_outcome(struct conf_ctx *ctx, const char *what, conf_outcome_t got,
			conf_outcome_t want);

/* An exit code, both sides named: "exit_code: got 0x81 (VMMCALL), want 0x72 (CPUID)". */
bool conf_check_exit(struct conf_ctx *ctx, const char *what, uint64_t got, uint64_t want);
/* An EVENTINJ/EXITINTINFO value, decoded: "0x80000202 (valid NMI vector 2)". */
bool conf_check_event(struct conf_ctx *ctx, const char *what, uint32_t got, uint32_t want);
/* One bit of a field: "int_ctl V_NMI_MASK: got 1, want 0". */
bool conf_check_bit(struct conf_ctx *ctx, const char *what, uint64_t value, uint64_t bit,
		    bool want);
/* got & mask == want. */
bool conf_check_masked(struct conf_ctx *ctx, const char *what, uint64_t got, uint64_t mask,
		       uint64_t want);
/* lo <= got <= hi. */
bool conf_check_range(struct conf_ctx *ctx, const char *what, uint64_t got, uint64_t lo,
		      uint64_t hi);

/* Counts a check (and emits its event) for helpers that format their own failure. */
void conf_count_check(struct conf_ctx *ctx, const char *what, bool pass);

#endif
