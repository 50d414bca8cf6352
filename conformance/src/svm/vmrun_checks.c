/* SPDX-License-Identifier: MIT */
/*
 * VMRUN consistency checks (APM vol. 2 §15.5.1 "Canonicalization and
 * Consistency Checks", with EVENTINJ of §15.20 and vNMI of §15.21.10): the
 * scenarios are generated from the rule table, include/x86/svm_checks.h,
 * with what vmrun_rules.h says for each rule. Each starts from a state
 * known to be legal, applies one mutation of the VMCB per step and expects
 * VMEXIT_INVALID, or, at a boundary the manual makes legal, VMRUN running
 * the guest still.
 */
#include "nmi_util.h"
#include "npt_util.h"
#include "vmrun_rules.h"
#include "x86/cpu.h"
#include "x86/svm_checks.h"

CONF_PAYLOAD_DECLARE(icpt_guest);

struct cc_vm {
	struct conf_svm s;
	struct conf_npt n; /* base_npt_ran's nested tables */
};

/* The hv core's default VMCB, run to the guest's VMMCALL. */
static bool base_ran(struct conf_ctx *ctx, struct cc_vm *vm)
{
	if (!conf_svm_setup(ctx, &vm->s, CONF_PAYLOAD(icpt_guest), false))
		return false;
	return conf_svm_run_expect(ctx, &vm->s, SVM_EXIT_VMMCALL, "VMRUN of the unmodified VMCB");
}

/* The same with identity nested tables. */
static bool base_npt_ran(struct conf_ctx *ctx, struct cc_vm *vm)
{
	if (!conf_svm_setup(ctx, &vm->s, CONF_PAYLOAD(icpt_guest), false) ||
	    !conf_npt_identity(ctx, &vm->s, &vm->n))
		return false;
	return conf_svm_run_expect(ctx, &vm->s, SVM_EXIT_VMMCALL, "VMRUN with nested paging");
}

/* vNMI in use with the NMI intercept the hv core sets, run to the first mark. */
static bool base_vnmi_ran(struct conf_ctx *ctx, struct cc_vm *vm)
{
	return vnmi_setup(ctx, &vm->s) &&
	       conf_svm_run_to_mark(ctx, &vm->s, MARK_MAIN1,
				    "VMRUN with V_NMI_ENABLE and the NMI intercept");
}

/* The guest as built, not yet run: the EVENTINJ scenarios start there. */
static bool base_built(struct conf_ctx *ctx, struct cc_vm *vm)
{
	return conf_svm_setup(ctx, &vm->s, CONF_PAYLOAD(icpt_guest), false);
}

/* The mutations vmrun_rules.h names, one state each. */

static void m_no_vmrun_intercept(struct conf_svm *s)
{
	hv_vmcb_intercept(s->vmcb, VMCB_INTERCEPT_MISC2, INTERCEPT_VMRUN, false);
}
static void m_asid_zero(struct conf_svm *s) { s->vmcb->control.asid = 0; }
static void m_efer_svme_clear(struct conf_svm *s) { s->vmcb->save.efer &= ~X86_EFER_SVME; }
static void m_efer_63(struct conf_svm *s) { s->vmcb->save.efer |= 1ull << 63; }
static void m_cr0_nw_without_cd(struct conf_svm *s)
{
	s->vmcb->save.cr0 = (s->vmcb->save.cr0 & ~X86_CR0_CD) | X86_CR0_NW;
}
static void m_cr0_cd(struct conf_svm *s)
{
	s->vmcb->save.cr0 = (s->vmcb->save.cr0 | X86_CR0_CD) & ~X86_CR0_NW;
}
static void m_cr0_cd_nw(struct conf_svm *s) { s->vmcb->save.cr0 |= X86_CR0_CD | X86_CR0_NW; }
static void m_cr0_32(struct conf_svm *s) { s->vmcb->save.cr0 |= 1ull << 32; }
static void m_cr4_63(struct conf_svm *s) { s->vmcb->save.cr4 |= 1ull << 63; }
static void m_cr3_52(struct conf_svm *s) { s->vmcb->save.cr3 |= 1ull << 52; }
static void m_dr6_32(struct conf_svm *s) { s->vmcb->save.dr6 |= 1ull << 32; }
static void m_dr7_32(struct conf_svm *s) { s->vmcb->save.dr7 |= 1ull << 32; }
static void m_pae_clear(struct conf_svm *s) { s->vmcb->save.cr4 &= ~X86_CR4_PAE; }
static void m_pe_clear(struct conf_svm *s) { s->vmcb->save.cr0 &= ~X86_CR0_PE; }
static void m_cs_l_d(struct conf_svm *s) { s->vmcb->save.cs.attrib |= X86_SEG_L | X86_SEG_DB; }

/*
 * A permission map at 2^MAXPHYADDR - below, MAXPHYADDR from CPUID
 * Fn8000_0008 EAX[7:0], with its intercept on or off.
 */
#define MAP_MUTATION(name, field, icpt, below, on)                                       \
	static void name(struct conf_svm *s)                                              \
	{                                                                                 \
		hv_vmcb_intercept(s->vmcb, VMCB_INTERCEPT_MISC1, icpt, on);               \
		s->vmcb->control.field = (1ull << s->caps.maxphyaddr) - (below);          \
	}
MAP_MUTATION(m_msrpm_2000, msrpm_base_pa, INTERCEPT_MSR_PROT, 0x2000, true)
MAP_MUTATION(m_msrpm_1fff, msrpm_base_pa, INTERCEPT_MSR_PROT, 0x1fff, true)
MAP_MUTATION(m_msrpm_1000, msrpm_base_pa, INTERCEPT_MSR_PROT, 0x1000, true)
MAP_MUTATION(m_msrpm_1000_off, msrpm_base_pa, INTERCEPT_MSR_PROT, 0x1000, false)
MAP_MUTATION(m_iopm_4000, iopm_base_pa, INTERCEPT_IOIO_PROT, 0x4000, true)
MAP_MUTATION(m_iopm_3000, iopm_base_pa, INTERCEPT_IOIO_PROT, 0x3000, true)
MAP_MUTATION(m_iopm_2002, iopm_base_pa, INTERCEPT_IOIO_PROT, 0x2002, true)
MAP_MUTATION(m_iopm_2000, iopm_base_pa, INTERCEPT_IOIO_PROT, 0x2000, true)
MAP_MUTATION(m_iopm_1000, iopm_base_pa, INTERCEPT_IOIO_PROT, 0x1000, true)
MAP_MUTATION(m_iopm_1000_off, iopm_base_pa, INTERCEPT_IOIO_PROT, 0x1000, false)

static void m_ncr3_maxphyaddr(struct conf_svm *s)
{
	s->vmcb->control.nested_cr3 = 1ull << s->caps.maxphyaddr;
}
static void m_g_pat_type2(struct conf_svm *s)
{
	s->vmcb->save.g_pat = (s->vmcb->save.g_pat & ~0xffull) | 2;
}
static void m_no_nmi_intercept(struct conf_svm *s)
{
	hv_vmcb_intercept(s->vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_NMI, false);
}

#define INJECT_MUTATION(name, event)                        \
	static void name(struct conf_svm *s)                 \
	{                                                    \
		s->vmcb->control.event_inj = (event);        \
		s->vmcb->control.event_inj_err = 0;          \
	}
#define INJECT_EXCEPTION(vector) (SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXEPT | (vector))
/* A reserved TYPE (§15.20, table 15-11) with an ordinary vector. */
#define INJECT_TYPE(type) (SVM_EVTINJ_VALID | ((uint32_t)(type) << SVM_EVTINJ_TYPE_SHIFT) | 0x40)
INJECT_MUTATION(m_inject_exception_2, INJECT_EXCEPTION(X86_VEC_NMI))
INJECT_MUTATION(m_inject_exception_32, INJECT_EXCEPTION(32))
INJECT_MUTATION(m_inject_br, INJECT_EXCEPTION(X86_VEC_BR))
INJECT_MUTATION(m_inject_type1, INJECT_TYPE(1))
INJECT_MUTATION(m_inject_type5, INJECT_TYPE(5))
INJECT_MUTATION(m_inject_type6, INJECT_TYPE(6))
INJECT_MUTATION(m_inject_type7, INJECT_TYPE(7))

struct cc_step {
	const char *what;
	void (*mutate)(struct conf_svm *s);
};

/*
 * From the base, each step's mutation and one VMRUN. A legal step that
 * fails stops the scenario, since the next step starts from its VMMCALL;
 * the guest stops there again without moving on, so each VMRUN starts at
 * the same place.
 */
static void cc_run(struct conf_ctx *ctx, bool (*base)(struct conf_ctx *, struct cc_vm *),
		   bool legal, const struct cc_step *step, size_t steps)
{
	conf_outcome_t want = legal ? CONF_OUT_VMEXIT(SVM_EXIT_VMMCALL) : CONF_OUT_INVALID;
	struct cc_vm vm;

	if (!base(ctx, &vm))
		return;
	for (size_t i = 0; i < steps; i++) {
		step[i].mutate(&vm.s);
		if (!conf_check_outcome(ctx, step[i].what, conf_svm_vmrun(&vm.s), want) && legal)
			return;
	}
}

#define CC_STEP(what, mutation) { what, mutation }
#define CC_LEGAL_INVALID false
#define CC_LEGAL_LEGAL true
#define CC_SAYS_INVALID "VMEXIT_INVALID "
#define CC_SAYS_LEGAL "VMRUN runs the guest to its VMMCALL (a legal VMCB) "

#define CC_SCENARIO(id, section, name, groups, unsupported, base, outcome, expect, ref, ...)  \
	static const struct cc_step name##_steps[] = { __VA_ARGS__ };                          \
	_Static_assert(sizeof(name##_steps) > 0, #name ": a scenario needs a mutation");        \
	CONF_SCENARIO(name, groups,                                                              \
		      "Expect: " CC_SAYS_##outcome expect " (rule " #id ", " section ")", ref,  \
		      unsupported)                                                               \
	{                                                                                        \
		cc_run(ctx, base, CC_LEGAL_##outcome, name##_steps,                              \
		       sizeof(name##_steps) / sizeof(name##_steps[0]));                          \
	}
#define CC_NONE(id, section, because) \
	_Static_assert(sizeof(because) > sizeof("because"), #id ": say why it has no scenario");

/* Every rule of the table: CONF_CC_<rule> must exist (vmrun_rules.h). */
#define CC_RULE(id, section, rule) CONF_CC_##id(CC_SCENARIO, CC_NONE, id, section)
SVM_VMRUN_CHECKS(CC_RULE)

/* The exit code VMRUN writes for an illegal VMCB — Expect: EXITCODE = -1 in all 64 bits */
CONF_SCENARIO(svm_vmrun_invalid_exit_code, "svm vmrun",
	      "Expect: VMEXIT_INVALID is written as EXITCODE = 0xFFFFFFFFFFFFFFFF (-1), all 64 "
	      "bits",
	      "APM vol. 2 §15.5.1, appendix C (VMEXIT_INVALID = -1)", conf_svm_unsupported)
{
	struct cc_vm vm;

	if (!base_ran(ctx, &vm))
		return;
	m_asid_zero(&vm.s);
	if (!conf_check_outcome(ctx, "VMRUN with ASID 0", conf_svm_vmrun(&vm.s), CONF_OUT_INVALID))
		return;
	conf_check_u64(ctx, "EXITCODE (64 bits)", vm.s.vmcb->control.exit_code, SVM_EXIT_ERR);
}
