/* SPDX-License-Identifier: MIT */
/* Scenario selection: conf_glob_match, conf_in_group and vx_selected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "conf/conf.h"
#include "select.h"

static const struct {
	const char *pattern, *name;
	bool match;
} globs[] = {
	/* A glob matches the whole name, not a part of it. */
	{ "abc", "abc", true },
	{ "abc", "abd", false },
	{ "ab", "abc", false },
	{ "abc", "ab", false },
	{ "bc", "abc", false },
	{ "", "", true },
	{ "", "a", false },
	{ "a", "", false },
	/* * is any run of characters, including none. */
	{ "*", "", true },
	{ "*", "svm_vmrun_basic", true },
	{ "svm_*", "svm_vmrun_basic", true },
	{ "svm_*", "svm_", true },
	{ "svm_*", "vmx_svm_x", false },
	{ "*_mask", "svm_vnmi_sets_mask", true },
	{ "*_mask", "svm_mask_cleared", false },
	{ "*vnmi*", "svm_vnmi_delivery", true },
	{ "*vnmi*", "svm_nmi_delivery", false },
	{ "a**b", "ab", true },
	{ "a*b*c", "aXbYc", true },
	{ "a*b*c", "aXcYb", false },
	/* Matching must back off from an early candidate for *. */
	{ "*ab", "aab", true },
	{ "*ab", "abab", true },
	{ "a*a*a", "aaa", true },
	{ "a*a*a", "aa", false },
	{ "*a*b", "xaxbxb", true },
	{ "*a*b", "xaxbxa", false },
	/* ? is exactly one character. */
	{ "a?c", "abc", true },
	{ "a?c", "ac", false },
	{ "a?c", "abbc", false },
	{ "?", "", false },
	{ "??", "ab", true },
	{ "*?", "", false },
	{ "*?", "a", true },
};

static void glob_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(globs) / sizeof(globs[0]); i++) {
		if (conf_glob_match(globs[i].pattern, globs[i].name) != globs[i].match)
			fail_msg("conf_glob_match(\"%s\", \"%s\") should be %s", globs[i].pattern,
				 globs[i].name, globs[i].match ? "true" : "false");
	}
}

static const struct conf_scenario two_groups = {
	.name = "svm_vnmi_delivery_sets_mask",
	.groups = "svm vnmi",
	.expect = "Expect: V_NMI_MASK set",
};

static void group_membership(void **state)
{
	(void)state;
	assert_true(conf_in_group(&two_groups, "svm"));
	assert_true(conf_in_group(&two_groups, "vnmi"));
	/* A group is a whole word of the list, never a piece of one. */
	assert_false(conf_in_group(&two_groups, "nmi"));
	assert_false(conf_in_group(&two_groups, "sv"));
	assert_false(conf_in_group(&two_groups, "vmx"));
	assert_false(conf_in_group(&two_groups, "svm vnmi"));
	assert_false(conf_in_group(&two_groups, ""));
}

static void selection_needs_both(void **state)
{
	(void)state;
	assert_true(vx_selected(&two_groups, NULL, NULL));
	assert_true(vx_selected(&two_groups, "svm_*", NULL));
	assert_true(vx_selected(&two_groups, NULL, "vnmi"));
	assert_true(vx_selected(&two_groups, "*mask", "svm"));
	assert_false(vx_selected(&two_groups, "vmx_*", NULL));
	assert_false(vx_selected(&two_groups, NULL, "vmx"));
	assert_false(vx_selected(&two_groups, "svm_*", "vmx"));
	assert_false(vx_selected(&two_groups, "vmx_*", "svm"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(glob_cases),
		cmocka_unit_test(group_membership),
		cmocka_unit_test(selection_needs_both),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
