/* SPDX-License-Identifier: MIT */
/*
 * Defining a scenario. One macro gives the table entry and opens the body:
 *
 *   // CPUID with the CPUID intercept set — Expect: #VMEXIT(CPUID)
 *   CONF_SCENARIO(svm_intercept_cpuid, "svm intercepts",
 *                 "Expect: #VMEXIT(CPUID), RIP at the CPUID",
 *                 "APM vol. 2 §15.9", conf_svm_unsupported)
 *   {
 *           ... checks on ctx ...
 *   }
 *
 * which defines const struct conf_scenario conf_sc_svm_intercept_cpuid; list
 * it in conformance/src/suite.c to make it part of the suite.
 * docs/writing-scenarios.md has the rules.
 *
 * Who may include it: conformance/.
 */
#ifndef CONF_SCENARIO_H
#define CONF_SCENARIO_H

#include "conf/check.h"
#include "conf/conf.h"

#define CONF_SCENARIO(id, group_list, expect_text, ref_text, unsupported_fn) \
	static void id##_run(struct conf_ctx *ctx);                          \
	const struct conf_scenario conf_sc_##id = {                          \
		.name = #id,                                                 \
		.groups = group_list,                                        \
		.expect = expect_text,                                       \
		.ref = ref_text,                                             \
		.unsupported = unsupported_fn,                               \
		.run = id##_run,                                             \
	};                                                                   \
	static void id##_run(struct conf_ctx *ctx)

#endif
