/* SPDX-License-Identifier: MIT */
/*
 * The VMRUN consistency checks that apply with nested paging on
 * (include/x86/svm_checks.h: NCR3_MAXPHYADDR, G_PAT_TYPES): the guest first
 * runs to its VMMCALL under identity nested tables, so the base state is
 * known to be legal, then one thing is broken.
 */
#include "npt_util.h"
#include "x86/cpu.h"

CONF_PAYLOAD_DECLARE(icpt_guest);

/* The hv core's default VMCB with identity nested tables, run to the VMMCALL. */
static bool baseline(struct conf_ctx *ctx, struct conf_svm *s, struct conf_npt *n)
{
	if (!conf_svm_setup(ctx, s, CONF_PAYLOAD(icpt_guest), false) ||
	    !conf_npt_identity(ctx, s, n))
		return false;
	return conf_svm_run_expect(ctx, s, SVM_EXIT_VMMCALL, "VMRUN with nested paging");
}

/* nested_cr3 beyond the physical address width — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_nested_cr3_beyond_maxphyaddr, "svm vmrun npt",
	      "Expect: VMEXIT_INVALID when nested paging is on and nested_cr3 is at "
	      "2^MAXPHYADDR, beyond the physical address width",
	      "APM vol. 2 §15.25.4; include/x86/svm_checks.h NCR3_MAXPHYADDR", conf_npt_unsupported)
{
	struct conf_svm s;
	struct conf_npt n;

	if (!baseline(ctx, &s, &n))
		return;
	s.vmcb->control.nested_cr3 = 1ull << s.caps.maxphyaddr;
	conf_check_outcome(ctx, "VMRUN with nested_cr3 = 2^MAXPHYADDR", conf_svm_vmrun(&s),
			   CONF_OUT_INVALID);
}

/* A reserved memory type (2) in g_pat — Expect: VMEXIT_INVALID */
CONF_SCENARIO(svm_vmrun_g_pat_reserved_type, "svm vmrun npt",
	      "Expect: VMEXIT_INVALID when nested paging is on and a g_pat entry holds the "
	      "reserved memory type 2",
	      "APM vol. 2 §15.25.8, vol. 2 §7.8.1; include/x86/svm_checks.h G_PAT_TYPES",
	      conf_npt_unsupported)
{
	struct conf_svm s;
	struct conf_npt n;

	if (!baseline(ctx, &s, &n))
		return;
	s.vmcb->save.g_pat = (s.vmcb->save.g_pat & ~0xffull) | 2;
	conf_check_outcome(ctx, "VMRUN with g_pat[7:0] = 2", conf_svm_vmrun(&s), CONF_OUT_INVALID);
}
