/* SPDX-License-Identifier: MIT */
/*
 * Scenarios of the hv core's vendor-neutral API (hv/vcpu.h, hv/vm.h), run
 * once per backend:
 *
 *   CONF_SCENARIO_BACKENDS(mp_ap_boot, "mp apic",
 *                          "Expect: ...", "SDM vol. 3 §8.4.4", conf_mp_need4)
 *   {
 *           ... checks on ctx ...
 *   }
 *
 * defines the scenarios svm_mp_ap_boot and vmx_mp_ap_boot, in groups
 * "svm mp apic" and "vmx mp apic", with one body. Each runs where the
 * processor's backend (hv_backend_probe) is its own, and otherwise SKIPs
 * naming what that backend needs; then the scenario's own unsupported
 * function (may be NULL) has its say. List both in conformance/src/suite.c.
 *
 * Who may include it: conformance/.
 */
#ifndef CONF_SRC_CORE_BACKEND_H
#define CONF_SRC_CORE_BACKEND_H

#include "conf/scenario.h"
#include "hv/backend.h"

/*
 * NULL when the processor's backend is `ops`, else why not: the CPUID or
 * capability-MSR bit that backend needs. Then also(), when not NULL.
 */
const char *conf_backend_unsupported(const struct hv_vcpu_ops *ops, const char *(*also)(void));

/*
 * A guest timer for the virtual APIC's TSC-deadline timer (hv/vm.h): the
 * VMX backend's preemption timer; SVM has none.
 */
const char *conf_guest_timer_unsupported(void);

/*
 * Guest wait states for a VM whose guest owns the APIC (hv/vm.h): the VMX
 * backend's HLT and wait-for-SIPI activity states; SVM has none.
 */
const char *conf_wait_states_unsupported(void);

/* Second-level translation for a VM with use_npt (SVM: NP; the VMX backend always has EPT). */
const char *conf_slat_unsupported(void);

#define CONF_SCENARIO_BACKEND_ONE(be, id, group_list, expect_text, ref_text, unsupported_fn) \
	static const char *be##_##id##_unsupported(void)                                     \
	{                                                                                    \
		return conf_backend_unsupported(&be##_vcpu_ops, unsupported_fn);             \
	}                                                                                    \
	const struct conf_scenario conf_sc_##be##_##id = {                                   \
		.name = #be "_" #id,                                                         \
		.groups = #be " " group_list,                                                \
		.expect = expect_text,                                                       \
		.ref = ref_text,                                                             \
		.unsupported = be##_##id##_unsupported,                                      \
		.run = id##_run,                                                             \
	};

#define CONF_SCENARIO_BACKENDS(id, group_list, expect_text, ref_text, unsupported_fn)       \
	static void id##_run(struct conf_ctx *ctx);                                         \
	CONF_SCENARIO_BACKEND_ONE(svm, id, group_list, expect_text, ref_text, unsupported_fn) \
	CONF_SCENARIO_BACKEND_ONE(vmx, id, group_list, expect_text, ref_text, unsupported_fn) \
	static void id##_run(struct conf_ctx *ctx)

/*
 * The same for behaviour only the VMX backend has (its guest timer, hv/vm.h):
 * vmx_<id> alone, in group "vmx <group_list>".
 */
#define CONF_SCENARIO_VMX_BACKEND(id, group_list, expect_text, ref_text, unsupported_fn)    \
	static void id##_run(struct conf_ctx *ctx);                                         \
	CONF_SCENARIO_BACKEND_ONE(vmx, id, group_list, expect_text, ref_text, unsupported_fn) \
	static void id##_run(struct conf_ctx *ctx)

#endif
